import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { folderSource } from '../../../src/lib/bert/file-source.node.js';
import { memorySource } from '../../../src/lib/bert/file-source';
import { fromXgboostJson } from '../../../src/lib/gbdt/xgboost-json';
import { wallClock, workClock } from '../../../src/lib/pipeline/clock';
import { createExperiment, ExperimentMismatchError, openExperiment } from '../../../src/lib/pipeline/experiment';
import { experimentOutputs } from '../../../src/lib/pipeline/outputs';
import { PipelineJobError, type ProgressEvent, runExperiment } from '../../../src/lib/pipeline/runner';
import type { PipelineEnv } from '../../../src/lib/pipeline/types';
import { recordIds } from '../../../src/lib/pipeline/ids';
import { readAnalysisInfo } from '../../../src/lib/pipeline/results/analysis-info';
import { readStoredExperiment } from '../../../src/lib/pipeline/results/stored-experiment';
import { ANSAT_FEATURE_NAMES } from '../../../src/lib/search/feature-names';
import { BASELINE_FEATURE_NAMES } from '../../../src/lib/transfer/baselines/names';
import { openFolderStore } from '../../../src/lib/store/folder.node.js';
import { openIdbStore } from '../../../src/lib/store/idb';
import type { Store } from '../../../src/lib/store/store';
import { useWasmBackend } from '../../helpers/wasm-backend';
import { syntheticDataset } from './synthetic';
import { replayReport } from '../../../src/lib/search/replay-report';
import { LOGME_FEATURE_NAME } from '../../../src/lib/transfer/logme-name';
import { logmeDocsOf } from '../../../src/lib/pipeline/prepare';
import { unpackPredictions } from '../../../src/lib/stats/packed-predictions';

useWasmBackend();

const FIXTURE = fileURLToPath(new URL('../../../models/fixture-tiny/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'pipeline-runner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let dbCounter = 0;

/**
 * Two single-task settings (so `best` has models to delete), one transfer setting, short conductance.
 * Large learning rates and class-balanced loss so the random fixture model learns a little in one
 * epoch (non-zero F1 and ANSAT values).
 */
const SPEC = {
  name: 'tiny synthetic',
  dataset: { kind: 'stored', id: 'syn' },
  model: { kind: 'folder', path: FIXTURE },
  grids: { single: { lr: [3e-3, 1e-2], epochs: [1], batch: [16] }, transfer: { lr: [3e-3], epochs: [1], batch: [16] } },
  training: { classBalanced: true },
  conductance: { nSteps: 4, maxDocsPerTask: 4 },
  minPositives: { train: 5, test: 2 },
  seed: 5,
};
const ID = 'exp';
const SPEC_FEATURE_ORDERS = ['predicted:F1', 'predicted:F1+ANSAT', 'predicted:F1+baselines', 'predicted:F1+ANSAT+baselines'];

async function freshEnv(kind: 'folder' | 'idb'): Promise<PipelineEnv> {
  const store: Store = kind === 'folder' ? await openFolderStore(mkdtempSync(join(dir, 'store-'))) : await openIdbStore({ name: `pipeline-test-${process.pid}-${++dbCounter}` });
  await store.datasets.put({ id: 'syn', savedAt: '2025-01-01T00:00:00Z', dataset: syntheticDataset() });
  return { store, modelSource: async () => folderSource(FIXTURE) };
}

const parseCsv = (text: string) => Papa.parse<Record<string, string>>(text.trim(), { header: true }).data;

let reference: Record<string, string> | undefined;

describe('runExperiment end to end', () => {
  it('runs every job on the folder store, writes every output and leaks no tensors', async () => {
    const env = await freshEnv('folder');
    const before = tf.memory().numTensors;
    const created = await createExperiment(env, SPEC, { id: ID });
    expect(created.existed).toBe(false);
    expect(created.plan.tasks.kept).toEqual(['flood', 'fire', 'aid']);
    expect(created.plan.jobCounts).toMatchObject({ single: 6, best: 3, conductance: 3, features: 1, transfer: 6, regressor: 4, analysis: 1, total: 24 });
    const events: ProgressEvent[] = [];
    const outcome = await runExperiment(env, ID, { clock: workClock(), onProgress: (e) => events.push(e) });
    expect(tf.memory().numTensors).toBe(before);
    expect(outcome).toMatchObject({ status: 'done', done: 24, total: 24 });
    expect(outcome.ran).toEqual(created.jobs.jobs.map((j) => j.id));

    // Progress: one start and one done per job, steps with losses, done counts rising to the total.
    const done = events.filter((e) => e.type === 'job-done');
    expect(done.map((e) => e.type === 'job-done' && e.done)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    const steps = events.filter((e) => e.type === 'job-step' && e.job.kind === 'single');
    expect(steps.length).toBeGreaterThan(6);
    expect(steps.every((e) => e.type === 'job-step' && Number.isFinite(e.loss))).toBe(true);
    // Once training and conductance speeds are measured the ETA is a number, and it ends at 0.
    const last = done.at(-1)!;
    expect(last.type === 'job-done' && last.etaMs).toBe(0);

    const store = env.store;
    // Only the best single-task model of each task is kept; each run's wall time is its work (examples seen).
    const models = await store.models.list();
    expect(models.map((m) => m.task).sort()).toEqual(['aid', 'fire', 'flood']);
    const runs = await store.runs.list();
    expect(runs).toHaveLength(12);
    for (const r of runs) expect(r.wallTimeMs).toBe(r.examplesSeen);
    // The default rule predicts at a threshold chosen on validation; the stored test predictions are
    // those at that threshold (the metrics count them), and argmax's F1 is kept beside.
    for (const r of runs) {
      expect(r.metrics.threshold).toBeGreaterThan(0);
      expect(r.metrics.threshold).toBeLessThan(1);
      expect(r.metrics.argmaxF1).toBeGreaterThanOrEqual(0);
      const predicted = unpackPredictions(r.testPredictions!).reduce((s, p) => s + p, 0);
      expect(predicted).toBe(r.metrics.tp + r.metrics.fp);
    }
    const opened = await openExperiment(env, ID);
    expect(opened.record.status).toBe('done');
    expect(opened.plan.clock).toBe('work');
    expect(await store.attributions.count()).toBe(3 * opened.plan.dataset.conductanceDocs);
    const regressors = await store.regressors.list();
    // Per feature set: one per held-out target (3) and one fitted on all 6 transfer rows.
    expect(regressors).toHaveLength(4 * 3 + 4);
    for (const r of regressors) expect(fromXgboostJson(r.model as string).featureNames).toEqual(r.featureNames);
    const allRows = regressors.filter((r) => r.heldOutTarget === undefined);
    expect(allRows.map((r) => r.featureSet).sort()).toEqual(['F1', 'F1+ANSAT', 'F1+ANSAT+baselines', 'F1+baselines']);
    for (const r of allRows) expect(r.metrics).toEqual({ trainRows: 6, trainRmse: expect.any(Number) });

    const { files, summary } = await experimentOutputs(env, ID);
    expect(Object.keys(files).sort()).toEqual(['features.csv', 'headline.csv', 'rmse_at_k.csv', 'runs.csv', 'runtime_at_k.csv', 'summary.json', 'table1.csv']);
    const runRows = parseCsv(files['runs.csv']);
    expect(runRows.filter((r) => r.kind === 'single')).toHaveLength(6);
    expect(runRows.filter((r) => r.kind === 'single' && r.best === '1').map((r) => r.task).sort()).toEqual(['aid', 'fire', 'flood']);
    expect(runRows.filter((r) => r.kind === 'transfer').map((r) => `${r.source}>${r.task}`)).toEqual(['flood>fire', 'flood>aid', 'fire>flood', 'fire>aid', 'aid>flood', 'aid>fire']);
    const featureRows = parseCsv(files['features.csv']);
    expect(featureRows).toHaveLength(6);
    for (const f of [...ANSAT_FEATURE_NAMES, ...BASELINE_FEATURE_NAMES, 'f1_source', 'f1_target', 'pred_F1', 'pred_F1+ANSAT']) expect(featureRows[0]).toHaveProperty(f);
    expect(featureRows.some((r) => ANSAT_FEATURE_NAMES.some((f) => Number(r[f]) > 0))).toBe(true);
    const t1 = parseCsv(files['table1.csv']);
    expect(t1.map((r) => r.kind)).toEqual(['task', 'task', 'task', 'average']);
    expect(parseCsv(files['rmse_at_k.csv']).map((r) => r.feature_set)).toEqual(['F1', 'F1+ANSAT', 'F1+baselines', 'F1+ANSAT+baselines']);
    expect(new Set(parseCsv(files['runtime_at_k.csv']).map((r) => r.order))).toEqual(new Set(['predicted:F1', 'predicted:F1+ANSAT', 'predicted:F1+baselines', 'predicted:F1+ANSAT+baselines', 'random', 'oracle']));
    expect(summary.counts).toEqual({ tasks: 3, pairs: 6, singleRuns: 6, transferRuns: 6, explainedDocuments: opened.plan.dataset.conductanceDocs, regressors: 12, jobs: 24 });
    expect(summary.tasks.excluded.map((e) => e.task)).toEqual(['rare']);
    expect(summary.timings.singleTaskTrainingMs).toBe(runs.filter((r) => r.kind === 'single').reduce((a, r) => a + r.examplesSeen, 0));
    expect(summary.timings.conductanceMs).toBe(3 * opened.plan.dataset.conductanceDocs * 5);
    expect(summary.headline.orders.map((o) => o.order)).toContain('predicted:F1+ANSAT');
    expect(JSON.parse(files['summary.json'])).toEqual(JSON.parse(JSON.stringify(summary)));

    // LogME: a finite value per ordered pair in features.csv, on capped training documents only,
    // its time (one work unit per forward pass: per source, the union of its targets' documents).
    for (const r of featureRows) expect(Number.isFinite(Number(r[LOGME_FEATURE_NAME])) && r[LOGME_FEATURE_NAME] !== '').toBe(true);
    const logmeDocs = new Map(opened.plan.tasks.kept.map((t) => [t, logmeDocsOf(opened.prepared, opened.plan.spec, t)]));
    for (const [t, docs] of logmeDocs) {
      expect(docs.length).toBeGreaterThan(0);
      expect(docs.length).toBeLessThanOrEqual(opened.plan.spec.logmeDocs);
      expect(docs.every((i) => opened.prepared.trainDocs.get(t)!.includes(i))).toBe(true);
    }
    const expectedLogmeMs = opened.plan.tasks.kept.reduce((acc, s) => acc + new Set(opened.plan.tasks.kept.filter((t) => t !== s).flatMap((t) => logmeDocs.get(t)!)).size, 0);
    expect(summary.timings.logmeMs).toBe(expectedLogmeMs);
    // replay on these outputs: logme ranks, and its overhead counts the LogME time.
    const rep = replayReport({ runsCsv: files['runs.csv'], featuresCsv: files['features.csv'], summaryJson: files['summary.json'] }, { strategies: ['logme'], bootstrapResamples: 50 });
    const lm = rep.result.strategies.logme!;
    expect('unavailable' in lm).toBe(false);
    const withOverhead = (lm as { with_overhead: { overhead_ms?: number; not_counted?: string } }).with_overhead;
    expect(withOverhead.overhead_ms).toBe(summary.timings.singleTaskTrainingMs + expectedLogmeMs);
    expect(withOverhead.not_counted).toBeUndefined();
    reference = files;
    await store.close();
  });

  it('with seeds 2: every setting trained twice, Table 1 with intervals over documents and seeds, warnings and leakage in summary.json', async () => {
    const env = await freshEnv('folder');
    const created = await createExperiment(env, { ...SPEC, seeds: 2 }, { id: 'seeds' });
    expect(created.plan.jobCounts).toMatchObject({ single: 12, transfer: 12, best: 3 });
    expect((await runExperiment(env, 'seeds', { clock: workClock() })).status).toBe('done');
    const { files, summary } = await experimentOutputs(env, 'seeds');
    expect(parseCsv(files['runs.csv']!)).toHaveLength(24);
    const table = parseCsv(files['table1.csv']!);
    for (const t of summary.intervals.tasks) {
      expect(t.seeds).toBe(2);
      for (const iv of [t.single!, t.transfer!, t.gain!]) {
        expect(iv.low).toBeLessThanOrEqual(iv.estimate + 1e-12);
        expect(iv.high).toBeGreaterThanOrEqual(iv.estimate - 1e-12);
      }
      // Table 1's gain is the difference of the two seed means: the paired interval's estimate.
      const row = table.find((r) => r.task === t.task)!;
      expect(Number(row.gain)).toBeCloseTo(t.gain!.estimate, 12);
      expect(Number(row.single_f1_low)).toBe(t.single!.low);
      expect(Number(row.seeds)).toBe(2);
    }
    expect(summary.intervals.average).not.toBeNull();
    expect(summary.intervals.orders.map((o) => o.order)).toEqual(SPEC_FEATURE_ORDERS);
    // Every test positive count below 10 is a warning, and nothing else of that kind.
    const opened = await openExperiment(env, 'seeds');
    const docs = opened.prepared.dataset.docs;
    const few = opened.prepared.tasks.filter((t) => opened.prepared.testDocs.filter((i) => docs[i].labels.includes(t)).length < 10);
    expect(summary.warnings.filter((w) => w.kind === 'few-test-positives').map((w) => w.task).sort()).toEqual([...few].sort());
    expect(summary.warnings.filter((w) => w.kind === 'order-like-random').length).toBe(summary.intervals.orders.filter((o) => !o.vsRandom.distinguishable).length);
    expect(summary.split).toMatchObject({ by: 'duplicates', validationFraction: 0.2, leakage: { testWithDuplicateInTrain: 0 } });
    expect(summary.dataset.validationDocs).toBe(opened.prepared.validationDocs.length);
    // The Search view reads the same findings (warnings above the headline, intervals, leakage).
    const info = await readAnalysisInfo(env.store, await readStoredExperiment(env.store, 'seeds'), async () => opened.prepared);
    expect(info!.findings).toEqual({ intervals: summary.intervals, warnings: summary.warnings, leakage: summary.split.leakage, collapse: summary.collapse });
    // Every model's setting has two seeds here, so the collapse rate is measured over all 24 runs.
    expect(summary.collapse.models).toBe(24);
    expect(summary.collapse.rate).toBe(summary.collapse.collapsed / 24);
    expect(summary.warnings.some((w) => w.kind === 'collapsed-seeds')).toBe(summary.collapse.rate! >= 0.05);
    expect((await readAnalysisInfo(env.store, await readStoredExperiment(env.store, 'seeds')))!.findings).toBeUndefined();
    await env.store.close();
  });

  it('gives the same outputs, byte for byte, on IndexedDB (fake-indexeddb)', async () => {
    expect(reference).toBeDefined();
    const env = await freshEnv('idb');
    const before = tf.memory().numTensors;
    await createExperiment(env, SPEC, { id: ID });
    expect((await runExperiment(env, ID, { clock: workClock() })).status).toBe('done');
    expect(tf.memory().numTensors).toBe(before);
    const { files } = await experimentOutputs(env, ID);
    expect(files).toEqual(reference);
    await env.store.close();
  });

  it('cancelled mid-job: the job stays pending with no partial records; resuming gives the same results', async () => {
    expect(reference).toBeDefined();
    const env = await freshEnv('folder');
    const { jobs } = await createExperiment(env, SPEC, { id: ID });
    const second = jobs.jobs[1];
    expect(second.kind).toBe('single');

    // Cancel during the second training job, after a few steps.
    let controller = new AbortController();
    let outcome = await runExperiment(env, ID, {
      clock: workClock(), signal: controller.signal,
      onProgress: (e) => { if (e.type === 'job-step' && e.job.id === second.id && e.step === 2) controller.abort(); },
    });
    expect(outcome).toMatchObject({ status: 'paused', done: 1 });
    let states = (await env.store.experiments.get(ID))!.jobs;
    expect(Object.keys(states)).toEqual([jobs.jobs[0].id]);
    expect(await env.store.runs.get(recordIds.run(ID, second.id))).toBeUndefined();
    expect(await env.store.models.get(recordIds.model(ID, second.id))).toBeUndefined();
    expect(await env.store.runs.count()).toBe(1);
    expect((await env.store.experiments.get(ID))!.status).toBe('paused');

    // Cancel again inside the first conductance job, after its second document.
    const conductance = jobs.jobs.find((j) => j.kind === 'conductance')!;
    controller = new AbortController();
    outcome = await runExperiment(env, ID, {
      clock: workClock(), signal: controller.signal,
      onProgress: (e) => { if (e.type === 'job-step' && e.job.id === conductance.id && e.step === 2) controller.abort(); },
    });
    expect(outcome.status).toBe('paused');
    expect(outcome.ran[0]).toBe(second.id);
    states = (await env.store.experiments.get(ID))!.jobs;
    expect(states[conductance.id]).toBeUndefined();
    // The documents finished before the cancel are complete records (reused on resume), nothing more.
    expect(await env.store.attributions.count()).toBe(2);

    // Resume: only the remaining jobs run, and the results equal the uninterrupted run's.
    const before = tf.memory().numTensors;
    outcome = await runExperiment(env, ID, { clock: workClock() });
    expect(outcome.status).toBe('done');
    expect(outcome.ran[0]).toBe(conductance.id);
    expect(outcome.ran).not.toContain(second.id);
    expect(tf.memory().numTensors).toBe(before);
    expect((await experimentOutputs(env, ID)).files).toEqual(reference);
    await env.store.close();
  });
});

describe('the opt-in F1+LogME feature set', () => {
  it('fits its regressors on the LogME column and charges the LogME time to its predicted order', async () => {
    const env = await freshEnv('folder');
    const before = tf.memory().numTensors;
    await createExperiment(env, { ...SPEC, featureSets: ['F1', 'F1+LogME'] }, { id: ID });
    expect((await runExperiment(env, ID, { clock: workClock() })).status).toBe('done');
    expect(tf.memory().numTensors).toBe(before);
    const regressors = (await env.store.regressors.list()).filter((r) => r.featureSet === 'F1+LogME');
    expect(regressors).toHaveLength(3 + 1);
    for (const r of regressors) expect(r.featureNames).toContain(LOGME_FEATURE_NAME);
    const { summary } = await experimentOutputs(env, ID);
    const S = summary.timings.singleTaskTrainingMs;
    const order = (name: string) => summary.headline.orders.find((o) => o.order === name)!;
    expect(summary.timings.logmeMs).toBeGreaterThan(0);
    expect(order('predicted:F1').overheadMs).toBe(S);
    expect(order('predicted:F1+LogME').overheadMs).toBe(S + summary.timings.logmeMs!);
    await env.store.close();
  });

  it('is refused with logmeDocs 0, naming the setting', async () => {
    const env = await freshEnv('folder');
    await expect(createExperiment(env, { ...SPEC, featureSets: ['F1+LogME'], logmeDocs: 0 }, { id: ID })).rejects.toThrow(/F1\+LogME.*logmeDocs 0/);
    await env.store.close();
  });
});

describe('runExperiment failures and checks', () => {
  it('marks a failing job failed with its message, stops, and re-runs it on retry', async () => {
    const env = await freshEnv('folder');
    await createExperiment(env, SPEC, { id: ID });
    const runs = env.store.runs;
    const put = runs.put;
    runs.put = async () => {
      throw new Error('the disk is on fire');
    };
    const before = tf.memory().numTensors;
    const err = await runExperiment(env, ID, { clock: workClock() }).catch((e: unknown) => e);
    runs.put = put;
    expect(tf.memory().numTensors).toBe(before);
    expect(err).toBeInstanceOf(PipelineJobError);
    expect((err as Error).message).toBe('job single/flood/lr=0.003,epochs=1,batch=16 (train flood (lr 0.003, 1 epoch, batch 16)) failed: the disk is on fire');
    let record = (await env.store.experiments.get(ID))!;
    expect(record.status).toBe('failed');
    expect(record.jobs['single/flood/lr=0.003,epochs=1,batch=16']).toMatchObject({ status: 'failed', attempts: 1, error: 'the disk is on fire' });
    const retry = await runExperiment(env, ID, { clock: workClock(), maxJobs: 1 });
    expect(retry).toMatchObject({ status: 'paused', done: 1, ran: ['single/flood/lr=0.003,epochs=1,batch=16'] });
    record = (await env.store.experiments.get(ID))!;
    expect(record.jobs['single/flood/lr=0.003,epochs=1,batch=16']).toMatchObject({ status: 'done', attempts: 2 });
    // A clock other than the one the experiment started with would mix units.
    await expect(runExperiment(env, ID, { clock: wallClock() })).rejects.toThrow(/measures time with the deterministic \(work-counting\) clock/);
    await env.store.close();
  });

  it('resumes an experiment stored before split.by, validation and seeds, with the same spec input', async () => {
    const env = await freshEnv('folder');
    await createExperiment(env, SPEC, { id: ID });
    // What a record of the version before these settings holds: a spec without them.
    await env.store.experiments.update(ID, (r) => {
      const plan = r!.plan as { spec: Record<string, unknown> & { split: Record<string, unknown> } };
      const { seeds: _s, logmeDocs: _l, threshold: _t, minTrainPositiveShare: _p, ...spec } = plan.spec;
      return { ...r!, plan: { ...plan, spec: { ...spec, split: { seed: plan.spec.split.seed, testFraction: plan.spec.split.testFraction } } } };
    });
    const again = await createExperiment(env, SPEC, { id: ID });
    expect(again.existed).toBe(true);
    expect(again.plan.spec.split).toMatchObject({ by: 'duplicates', validationFraction: 0 });
    expect(again.prepared.validationDocs).toEqual([]);
    const outcome = await runExperiment(env, ID, { clock: workClock() });
    expect(outcome.status).toBe('done');
    const { summary } = await experimentOutputs(env, ID);
    expect(summary.settings).toMatchObject({ split: { validationFraction: 0 }, seeds: 1, logmeDocs: 0, threshold: 'argmax', minTrainPositiveShare: 0 });
    // Stored before the threshold: its runs predict at argmax, as they did.
    expect((await env.store.runs.list()).every((r) => r.metrics.threshold === undefined)).toBe(true);
    // Stored before LogME: its features job computes none, as it did.
    expect(summary.timings.logmeMs).toBeUndefined();
    expect((await env.store.features.list()).every((f) => !(LOGME_FEATURE_NAME in f.values))).toBe(true);
    // The runner has written the record back (with the filled-in spec): the same input still opens it.
    expect((await env.store.experiments.get(ID))!.plan).toMatchObject({ spec: { seeds: 1, split: { validationFraction: 0 } } });
    expect((await createExperiment(env, SPEC, { id: ID })).existed).toBe(true);
    await expect(createExperiment(env, { ...SPEC, seeds: 2 }, { id: ID })).rejects.toThrow(/seeds: 1 → 2/);
    await env.store.close();
  });

  it('refuses to continue with another spec, changed data or another base model', async () => {
    const env = await freshEnv('folder');
    await createExperiment(env, SPEC, { id: ID });
    const again = await createExperiment(env, { ...SPEC }, { id: ID });
    expect(again.existed).toBe(true);
    await expect(createExperiment(env, { ...SPEC, seed: 6 }, { id: ID })).rejects.toThrow(ExperimentMismatchError);
    await expect(createExperiment(env, { ...SPEC, seed: 6 }, { id: ID })).rejects.toThrow(/was started with a different spec; differences: split: \{"seed":5,"testFraction":0\.2,"by":"duplicates",.* → \{"seed":6,.*; seed: 5 → 6\. Use another/);

    const other = syntheticDataset();
    other.docs[3] = { ...other.docs[3], text: other.docs[3].text + ' changed' };
    await env.store.datasets.put({ id: 'syn', savedAt: '2025-01-02T00:00:00Z', dataset: other });
    await expect(runExperiment(env, ID)).rejects.toThrow(/data set "syn" changed since the experiment started \(fingerprint [0-9a-f]{16}, now [0-9a-f]{16}\)/);

    await env.store.datasets.put({ id: 'syn', savedAt: '2025-01-03T00:00:00Z', dataset: syntheticDataset() });
    const files = new Map<string, Uint8Array>();
    const src = folderSource(FIXTURE);
    for (const f of ['config.json', 'vocab.txt', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']) files.set(f, await src.readFile(f));
    const weights = (await src.readFile('model.safetensors')).slice();
    weights[weights.length - 1] ^= 1;
    files.set('model.safetensors', weights);
    const changed: PipelineEnv = { ...env, modelSource: async () => memorySource(files, 'edited fixture') };
    await expect(runExperiment(changed, ID, { clock: workClock() })).rejects.toThrow(/the base model edited fixture changed since the experiment started/);
    await env.store.close();
  });
});
