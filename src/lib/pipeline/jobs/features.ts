/**
 * The pair features of every planned pair (source → target), one FeatureRecord each:
 * - `f1_source`, `f1_target`: F1 of the best single-task models (search/f1-features.ts);
 * - the 42 ANSAT values (transfer/ansat) from the stored attributions of both best models on
 *   D_A, D_B, D_AB (prepare.ts, `ansatDocSets`), when a feature set needs them;
 * - the cheap baselines (transfer/baselines) from the training documents;
 * - LogME (`LOGME_FEATURE_NAME`, transfer/logme-feature.ts) of the source's best model on the
 *   target's (capped, `spec.logmeDocs`) training documents, unless `logmeDocs` is 0. One forward
 *   pass per source model over the union of the targets' documents; its time is stored on the
 *   experiment record (`logmeMs`) in the update that marks the job done, so replay can count it.
 * All records are written in one batch, then the job is done.
 */
import type { AttributionKey } from '../../explain/attribution-cache';
import { DEFAULT_TARGET } from '../../explain/layer-conductance';
import { ansatDocTerms, ansatTable, type AnsatDocTerms } from '../../transfer/ansat';
import { baselinePairFeatureMap, pairKey } from '../../transfer/baselines/pair-features';
import { f1Features } from '../../search/f1-features';
import { bestSingleTask } from '../../search/table1';
import type { DocAttribution } from '../../explain/doc-attribution';
import type { FeatureRecord } from '../../store/records';
import { fromAttributionRecord, readAttribution } from '../attribution-store';
import { recordIds } from '../ids';
import { ansatDocSets, logmeDocsOf } from '../prepare';
import { needsConductance } from '../spec';
import { loadSingleResults } from '../stored-results';
import { bestModelId, throwIfAborted, type JobContext, type JobOutcome } from './context';
import { clsFeatures } from '../../transfer/logme-cls-features';
import { logme } from '../../transfer/logme';
import { LOGME_FEATURE_NAME } from '../../transfer/logme-name';

/**
 * LogME of every planned pair, by pairKey, and the time it took. Work units on the deterministic
 * clock: one per document forward pass (a forward pass without backward, counted like a training
 * example so that the figure stays on one scale).
 */
async function logmeFeatures(ctx: JobContext): Promise<{ values: Map<string, number>; ms: number }> {
  const work = ctx.clock.measure();
  const values = new Map<string, number>();
  const docsOf = new Map(ctx.plan.tasks.map((t) => [t, logmeDocsOf(ctx.prepared, ctx.spec, t)]));
  const session = await ctx.session();
  const sources = [...new Set(ctx.plan.pairs.map(([s]) => s))];
  for (const source of sources) {
    throwIfAborted(ctx.signal);
    const targets = ctx.plan.pairs.filter(([s]) => s === source).map(([, t]) => t);
    const union = [...new Set(targets.flatMap((t) => docsOf.get(t)!))].sort((a, b) => a - b);
    const row = new Map(union.map((i, r) => [i, r]));
    const model = await session.loadStoredModel(bestModelId(ctx, source));
    let F: Float64Array;
    try {
      F = await clsFeatures(model, session.tokenizer, union.map((i) => ctx.prepared.dataset.docs[i].text), { maxLength: session.maxLength });
    } finally {
      model.dispose();
    }
    work.add(union.length);
    const H = F.length / Math.max(1, union.length);
    for (const target of targets) {
      const docs = docsOf.get(target)!;
      const X = new Float64Array(docs.length * H);
      docs.forEach((i, r) => X.set(F.subarray(row.get(i)! * H, (row.get(i)! + 1) * H), r * H));
      const labels = docs.map((i) => (ctx.prepared.dataset.docs[i].labels.includes(target) ? 1 : 0));
      values.set(pairKey(source, target), logme(X, docs.length, H, labels).logme);
    }
  }
  return { values, ms: work.elapsedMs() };
}

/** The stored attributions of a task's best model on every explained document, by document index. */
async function loadAttributions(ctx: JobContext, task: string): Promise<Map<number, DocAttribution>> {
  const modelId = bestModelId(ctx, task);
  const c = ctx.spec.conductance;
  const out = new Map<number, DocAttribution>();
  for (const i of ctx.prepared.conductanceDocs) {
    const docId = ctx.prepared.dataset.docs[i].id;
    const key: AttributionKey = { modelId, docId, method: c.method, nSteps: c.nSteps, target: DEFAULT_TARGET };
    const r = await readAttribution(ctx.env.store, key);
    if (!r) throw new Error(`the conductance of document "${docId}" under the best "${task}" model is missing; re-run job conductance/${encodeURIComponent(task)}`);
    out.set(i, fromAttributionRecord(r));
  }
  return out;
}

export async function runFeaturesJob(ctx: JobContext): Promise<JobOutcome> {
  const { tasks, pairs } = ctx.plan;
  const singles = await loadSingleResults(ctx.env.store, ctx.experimentId, ctx.plan);
  const best = bestSingleTask(singles);
  const baselines = baselinePairFeatureMap(ctx.prepared.dataset.docs, tasks);
  const attributions = new Map<string, Map<number, DocAttribution>>();
  if (needsConductance(ctx.spec)) {
    for (const task of tasks) {
      throwIfAborted(ctx.signal);
      attributions.set(task, await loadAttributions(ctx, task));
    }
  }
  const lm = ctx.spec.logmeDocs > 0 ? await logmeFeatures(ctx) : null;
  const records: FeatureRecord[] = pairs.map(([source, target], k) => {
    const values: Record<string, number> = { ...f1Features(best, source, target), ...baselines.get(pairKey(source, target))! };
    if (attributions.size > 0) {
      const a = attributions.get(source)!;
      const b = attributions.get(target)!;
      const sets = ansatDocSets(ctx.prepared, source, target);
      const terms = (docs: number[]): AnsatDocTerms[] => docs.map((i) => ansatDocTerms(a.get(i)!, b.get(i)!, ctx.prepared.dataset.docs[i].id));
      Object.assign(values, ansatTable({ D_A: terms(sets.D_A), D_B: terms(sets.D_B), D_AB: terms(sets.D_AB) }).features);
    }
    if (lm) values[LOGME_FEATURE_NAME] = lm.values.get(pairKey(source, target))!;
    ctx.onStep({ step: k + 1, totalSteps: pairs.length });
    return { id: recordIds.features(ctx.experimentId, source, target), experimentId: ctx.experimentId, source, target, values };
  });
  throwIfAborted(ctx.signal);
  await ctx.env.store.features.putMany(records);
  return lm ? { recordPatch: { logmeMs: lm.ms } } : {};
}
