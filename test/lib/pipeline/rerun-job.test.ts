import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { folderSource } from '../../../src/lib/bert/file-source.node.js';
import { workClock } from '../../../src/lib/pipeline/clock';
import { createExperiment } from '../../../src/lib/pipeline/experiment';
import { experimentOutputs } from '../../../src/lib/pipeline/outputs';
import { planJobs } from '../../../src/lib/pipeline/plan';
import { PipelineJobError, runExperiment } from '../../../src/lib/pipeline/runner';
import { resolveSpec } from '../../../src/lib/pipeline/spec';
import type { PipelineEnv } from '../../../src/lib/pipeline/types';
import { recordIds } from '../../../src/lib/pipeline/ids';
import { dependentsOf, producerOf, rerunAdvice, rerunJob, RerunError, withCorruptionRecovery } from '../../../src/lib/pipeline/rerun-job';
import { CorruptRecordError } from '../../../src/lib/store/errors';
import { fileNameOf, openFolderStore } from '../../../src/lib/store/folder.node.js';
import { useWasmBackend } from '../../helpers/wasm-backend';
import { syntheticDataset } from './synthetic';

useWasmBackend();

const FIXTURE = fileURLToPath(new URL('../../../models/fixture-tiny/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'pipeline-rerun-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The smallest full experiment: one setting per grid, F1 features only (no conductance). */
const SPEC = {
  name: 'rerun',
  dataset: { kind: 'stored', id: 'syn' },
  model: { kind: 'folder', path: FIXTURE },
  grids: { single: { lr: [1e-2], epochs: [1], batch: [32] }, transfer: { lr: [1e-2], epochs: [1], batch: [32] } },
  training: { classBalanced: true },
  featureSets: ['F1'],
  minPositives: { train: 5, test: 2 },
  seed: 3,
};
const ID = 'exp';

describe('dependentsOf', () => {
  it('closes over the plan: a single job takes its best job and everything built on that model', () => {
    const plan = planJobs(resolveSpec(SPEC), ['flood', 'fire', 'aid']);
    const single = plan.jobs.find((j) => j.kind === 'single' && j.task === 'fire')!.id;
    const got = dependentsOf(plan, single);
    expect(got[0]).toBe(single);
    expect(got).toContain('best/fire');
    expect(got).toContain('features');
    expect(got.filter((id) => id.startsWith('transfer/fire/'))).toHaveLength(2); // fire → flood, fire → aid
    expect(got.some((id) => id.startsWith('transfer/flood/'))).toBe(false);
    expect(got.slice(-2)).toEqual(['regressor/F1', 'analysis']);
    expect(dependentsOf(plan, 'analysis')).toEqual(['analysis']);
  });
});

describe('re-running one job', () => {
  it('redoes exactly the job and its dependents (--rerun and a corrupt record alike), with identical results', async () => {
    const storeDir = join(dir, 'store');
    const env: PipelineEnv = { store: await openFolderStore(storeDir), modelSource: async () => folderSource(FIXTURE) };
    await env.store.datasets.put({ id: 'syn', savedAt: '2025-01-01T00:00:00Z', dataset: syntheticDataset() });
    const created = await createExperiment(env, SPEC, { id: ID });
    const before = tf.memory().numTensors;
    expect((await runExperiment(env, ID, { clock: workClock() })).status).toBe('done');
    const reference = (await experimentOutputs(env, ID)).files['summary.json'];
    const transfer = created.jobs.jobs.find((j) => j.kind === 'transfer')!.id;

    // --rerun of one transfer job: its run and the regressors/analysis built on it, nothing else.
    await expect(rerunJob(env, ID, 'transfer/nope')).rejects.toBeInstanceOf(RerunError);
    const { discarded } = await rerunJob(env, ID, transfer);
    expect(discarded).toEqual([transfer, 'regressor/F1', 'analysis']);
    expect(await env.store.runs.get(recordIds.run(ID, transfer))).toBeUndefined();
    expect((await env.store.experiments.get(ID))!.analysis).toBeUndefined();
    const again = await runExperiment(env, ID, { clock: workClock() });
    expect(again.ran).toEqual(discarded);
    expect((await experimentOutputs(env, ID)).files['summary.json']).toBe(reference);

    // A transfer run edited on disk (still valid JSON): the outputs refuse it and mark its job.
    const file = join(storeDir, 'runs', fileNameOf(recordIds.run(ID, transfer)));
    writeFileSync(file, readFileSync(file, 'utf8').replace(/"examplesSeen":(\d)/, (_m, d: string) => `"examplesSeen":${(Number(d) + 1) % 10}`));
    const err = await withCorruptionRecovery(env, ID, () => experimentOutputs(env, ID)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptRecordError);
    expect((err as CorruptRecordError).message).toMatch(new RegExp(`the stored runs record "${ID}::${transfer}" \\(.*\\.rec\\) is corrupt: checksum mismatch`));
    expect((err as CorruptRecordError).rerun).toEqual(discarded);
    expect(rerunAdvice(err)).toBe(`job ${transfer} (which wrote it) and the 2 jobs depending on it are marked for a re-run; run the same command again to redo them (the other results are kept)`);
    expect((await runExperiment(env, ID, { clock: workClock() })).ran).toEqual(discarded);
    expect((await experimentOutputs(env, ID)).files['summary.json']).toBe(reference);

    // Corruption met inside a job (the regressor reads every transfer run): the job fails, the
    // writer is marked, and the next run redoes it.
    await rerunJob(env, ID, 'regressor/F1');
    const bytes = readFileSync(file);
    bytes[bytes.length - 5] ^= 0x01;
    writeFileSync(file, bytes);
    const failed = await runExperiment(env, ID, { clock: workClock() }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(PipelineJobError);
    expect((failed as Error).message).toMatch(/^job regressor\/F1 .* failed: the stored runs record .* is corrupt/);
    expect((await runExperiment(env, ID, { clock: workClock() })).ran).toEqual(discarded);
    expect((await experimentOutputs(env, ID)).files['summary.json']).toBe(reference);
    expect(tf.memory().numTensors).toBe(before);
    expect(readdirSync(join(storeDir, 'runs')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('maps every record id of an experiment to the job that writes it', () => {
    const plan = planJobs(resolveSpec(SPEC), ['flood', 'fire', 'aid']);
    const single = plan.jobs.find((j) => j.kind === 'single')!;
    const states = { 'best/flood': { status: 'done' as const, resultId: recordIds.model(ID, single.id) } };
    expect(producerOf(ID, plan, states, { table: 'runs', id: recordIds.run(ID, single.id) })).toBe(single.id);
    expect(producerOf(ID, plan, states, { table: 'modelFiles', id: recordIds.model(ID, single.id) })).toBe(single.id);
    expect(producerOf(ID, plan, states, { table: 'features', id: recordIds.features(ID, 'flood', 'fire') })).toBe('features');
    expect(producerOf(ID, plan, states, { table: 'regressors', id: recordIds.regressor(ID, 'regressor/F1', 'fire') })).toBe('regressor/F1');
    expect(producerOf(ID, plan, states, { table: 'regressors', id: recordIds.allRowsRegressor(ID, 'regressor/F1') })).toBe('regressor/F1');
    expect(producerOf(ID, plan, states, { table: 'experiments', id: ID })).toBeUndefined();
    expect(producerOf(ID, plan, states, { table: 'runs', id: 'other::single/x' })).toBeUndefined();
  });
});
