import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TARGET } from '../../../../src/lib/explain/layer-conductance';
import { recordIds } from '../../../../src/lib/pipeline/ids';
import { jobIds } from '../../../../src/lib/pipeline/plan';
import { explainDocs, explainTargets, storedAttribution, topTerms } from '../../../../src/lib/pipeline/results/explain-results';
import type { AttributionRecord } from '../../../../src/lib/store/records';
import { EXPERIMENT_ID, plannedExperiment, type PlannedExperiment } from './stored-fixture';

let e: PlannedExperiment;
beforeAll(async () => {
  e = await plannedExperiment();
});
afterAll(() => e.dispose());

/** An attribution record with the given terms and scores (one layer, one token per term). */
async function putAttribution(modelId: string, docId: string, terms: [string, number][]): Promise<void> {
  const { plan } = await e.stored();
  const key = { modelId, docId, method: plan.spec.conductance.method, nSteps: plan.spec.conductance.nSteps, target: DEFAULT_TARGET };
  const T = terms.length;
  const record: AttributionRecord = {
    id: recordIds.attribution(key), ...key, experimentId: EXPERIMENT_ID,
    tokens: terms.map(([t]) => t), inputIds: new Int32Array(T), layers: 1,
    perLayer: new Float32Array(T), layerMean: new Float32Array(T),
    terms: terms.map(([t]) => t), termScores: Float32Array.from(terms.map(([, s]) => s)),
    rawTokenSums: Float32Array.from(terms.map(([, s]) => s)), convergenceDelta: new Float64Array(1),
    fInput: 0.9, fBaseline: 0.1, elapsedMs: 1,
  };
  await e.store.attributions.put(record);
}

describe('the Explain view\'s results', () => {
  it('lists a task\'s best model only once its "best" job has a result', async () => {
    const [a, b] = e.jobs.tasks;
    await e.store.models.put({ id: 'm-a', kind: 'single', base: 'fixture-tiny', config: {}, metrics: { f1: 0.625 }, createdAt: 'now' });
    await e.setJobs({ [jobIds.best(a)]: { status: 'done', resultId: 'm-a' } });
    expect(await explainTargets(e.store, await e.stored())).toEqual([{ task: a, modelId: 'm-a', f1: 0.625, modelStored: true }]);
    expect((await explainTargets(e.store, await e.stored())).map((t) => t.task)).not.toContain(b);
  });

  it('takes the F1 from the run when the model is not stored (an import without models)', async () => {
    const [, b] = e.jobs.tasks;
    await e.store.runs.put({ id: 'r-b', kind: 'single', task: b, base: 'fixture-tiny', modelId: 'r-b', settings: {}, metrics: { f1: 0.5 }, wallTimeMs: 1, examplesSeen: 1, createdAt: 'now' } as never);
    await e.setJobs({ [jobIds.best(b)]: { status: 'done', resultId: 'r-b' } });
    expect((await explainTargets(e.store, await e.stored())).find((t) => t.task === b)).toEqual({ task: b, modelId: 'r-b', f1: 0.5, modelStored: false });
  });

  it('gives the explained documents, of one task or all', () => {
    const all = explainDocs(e.prepared, null);
    expect(all.map((d) => d.id)).toEqual(e.prepared.conductanceDocs.map((i) => e.prepared.dataset.docs[i].id));
    const task = e.jobs.tasks[0];
    const some = explainDocs(e.prepared, task);
    expect(some.length).toBeGreaterThan(0);
    expect(some.length).toBeLessThan(all.length);
    expect(some.every((d) => d.labels.includes(task))).toBe(true);
  });

  it('reads a stored attribution under the experiment\'s settings, null when absent', async () => {
    await putAttribution('m-x', 'doc-1', [['river', 0.5], ['boat', -0.25]]);
    const { plan } = await e.stored();
    const view = await storedAttribution(e.store, plan, 'm-x', 'doc-1');
    expect(view).toMatchObject({ tokens: ['river', 'boat'], fInput: 0.9, fBaseline: 0.1, live: false });
    expect(view!.perLayer).toHaveLength(1);
    expect(await storedAttribution(e.store, plan, 'm-x', 'doc-2')).toBeNull();
  });

  it('ranks a task\'s top terms by their mean score over the documents they occur in', async () => {
    const task = e.jobs.tasks[1];
    await e.setJobs({ [jobIds.best(task)]: { status: 'done', resultId: 'm-top' } });
    const docs = explainDocs(e.prepared, task);
    expect(docs.length).toBeGreaterThanOrEqual(5);
    // Five documents with attributions: the floor is minDocs (2). "water" occurs twice in doc 0
    // (its highest score counts), "rare" in one document only.
    const scores: [string, number][][] = [
      [['water', 0.2], ['water', 0.8], ['rare', 5]],
      [['water', 0.4], ['help', 0.1]],
      [['help', 0.3]],
      [['sea', -0.5]],
      [['sea', -0.1], ['help', 0.2]],
    ];
    for (let k = 0; k < scores.length; k++) await putAttribution('m-top', docs[k].id, scores[k]);
    const top = await topTerms(e.store, await e.stored(), e.prepared, task);
    expect(top.map((t) => t.term)).toEqual(['water', 'help', 'sea']);
    expect(top[0].meanScore).toBeCloseTo((0.8 + 0.4) / 2, 6);
    expect(top[1]).toMatchObject({ docs: 3 });
    expect(top[1].meanScore).toBeCloseTo((0.1 + 0.3 + 0.2) / 3, 6);
    expect(top[2].meanScore).toBeCloseTo(-0.3, 6);
    expect(await topTerms(e.store, await e.stored(), e.prepared, task, 1)).toHaveLength(1);
    // Fewer than 5 documents with attributions: a term seen once counts.
    const other = e.jobs.tasks[2] ?? e.jobs.tasks[0];
    await e.setJobs({ [jobIds.best(other)]: { status: 'done', resultId: 'm-few' } });
    await putAttribution('m-few', explainDocs(e.prepared, other)[0].id, [['alone', 1]]);
    expect(await topTerms(e.store, await e.stored(), e.prepared, other)).toEqual([{ term: 'alone', meanScore: 1, docs: 1 }]);
  });

  it('has no top terms before the task\'s best model exists', async () => {
    const fresh = await plannedExperiment();
    expect(await topTerms(fresh.store, await fresh.stored(), fresh.prepared, fresh.jobs.tasks[0])).toEqual([]);
    await fresh.dispose();
  });
});
