import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { folderSource } from '../../../src/lib/bert/file-source.node.js';
import { workClock } from '../../../src/lib/pipeline/clock';
import { createExperiment } from '../../../src/lib/pipeline/experiment';
import { RecommendInputError, runRecommend } from '../../../src/lib/pipeline/recommend-run';
import type { RecommendStep } from '../../../src/lib/search/recommend-loop';
import type { PipelineEnv } from '../../../src/lib/pipeline/types';
import { openFolderStore } from '../../../src/lib/store/folder.node.js';
import { useWasmBackend } from '../../helpers/wasm-backend';
import { syntheticDataset } from './synthetic';

useWasmBackend();

const FIXTURE = fileURLToPath(new URL('../../../models/fixture-tiny/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'pipeline-recommend-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SPEC = {
  dataset: { kind: 'stored', id: 'syn' },
  model: { kind: 'folder', path: FIXTURE },
  grids: { single: { lr: [3e-3], epochs: [1], batch: [16] }, transfer: { lr: [3e-3], epochs: [1], batch: [16] } },
  featureSets: ['F1'],
  minPositives: { train: 5, test: 2 },
};

describe('runRecommend (shared by the CLI and the worker)', () => {
  it('trains only the budgeted sources into the target, reports the ranking each refit, and a second call trains nothing', async () => {
    const store = await openFolderStore(join(dir, 'store'));
    await store.datasets.put({ id: 'syn', savedAt: '2025-01-01T00:00:00Z', dataset: syntheticDataset() });
    const env: PipelineEnv = { store, modelSource: async () => folderSource(FIXTURE) };
    const before = tf.memory().numTensors;
    const opened = await createExperiment(env, SPEC, { id: 'exp' });
    const target = opened.plan.tasks.kept[0]!;
    const candidates = opened.jobs.pairs.filter(([, t]) => t === target).map(([s]) => s);
    expect(candidates.length).toBeGreaterThan(1);

    await expect(runRecommend(env, opened, { experimentId: 'exp', targets: ['no-such-task'], budget: { kind: 'count', n: 1 } })).rejects.toThrow(RecommendInputError);

    const steps: RecommendStep[] = [];
    const outcome = await runRecommend(env, opened, {
      experimentId: 'exp', targets: [target], budget: { kind: 'count', n: 1 }, clock: workClock(),
      onStep: (t, s) => { expect(t).toBe(target); steps.push(s); },
    });
    expect(outcome.status).toBe('done');
    if (outcome.status !== 'done') return;
    const [report] = outcome.results;
    expect(report!.target).toBe(target);
    expect(report!.trained_now).toHaveLength(1);
    expect(report!.stop).toBe('budget');
    expect(report!.ranking.map((r) => r.source).sort()).toEqual([...candidates].sort());
    expect(report!.ranking.filter((r) => r.measured_f1 !== null).map((r) => r.source)).toEqual(report!.trained);
    for (const r of report!.ranking) expect(r.interval[0]).toBeLessThanOrEqual(r.interval[1]);
    // One refit before the first transfer, one after it (which stops on the budget).
    expect(steps).toHaveLength(2);
    expect(steps[0]!.next).toBe(report!.trained[0]);
    expect(steps[1]!.stop).toBe('budget');
    expect(report!.rows_used.target_measured).toBe(1);
    expect(report!.cost.clock).toBe('work');
    expect(report!.cost.exhaustive_pairs).toBe(opened.jobs.pairs.length);

    const record = (await store.experiments.get('exp'))!;
    const doneTransfers = Object.entries(record.jobs).filter(([id, s]) => id.startsWith('transfer/') && s.status === 'done');
    expect(doneTransfers.length).toBeGreaterThan(0);
    expect(doneTransfers.length).toBeLessThan(opened.jobs.jobs.filter((j) => j.kind === 'transfer').length);

    const again = await runRecommend(env, opened, { experimentId: 'exp', targets: [target], budget: { kind: 'count', n: 1 }, clock: workClock() });
    expect(again.status === 'done' && again.results[0]!.trained_now).toEqual([]);
    expect(again.status === 'done' && again.results[0]!.ranking).toEqual(report!.ranking);
    expect(tf.memory().numTensors).toBe(before);
    await store.close();
  });

  it('pauses when the signal aborts, leaving the store resumable', async () => {
    const store = await openFolderStore(join(dir, 'store2'));
    await store.datasets.put({ id: 'syn', savedAt: '2025-01-01T00:00:00Z', dataset: syntheticDataset() });
    const env: PipelineEnv = { store, modelSource: async () => folderSource(FIXTURE) };
    const opened = await createExperiment(env, SPEC, { id: 'exp' });
    const controller = new AbortController();
    const outcome = await runRecommend(env, opened, {
      experimentId: 'exp', targets: [opened.plan.tasks.kept[0]!], budget: { kind: 'fraction', f: 1 }, clock: workClock(), signal: controller.signal,
      onProgress: (e) => { if (e.type === 'job-done') controller.abort(new DOMException('paused by the user', 'AbortError')); },
    });
    expect(outcome.status).toBe('paused');
    const record = (await store.experiments.get('exp'))!;
    expect(Object.values(record.jobs).filter((s) => s.status === 'done')).toHaveLength(1);
    await store.close();
  });
});
