import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { folderSource } from '../../../src/lib/bert/file-source.node.js';
import { workClock } from '../../../src/lib/pipeline/clock';
import { createExperiment } from '../../../src/lib/pipeline/experiment';
import { runExperiment } from '../../../src/lib/pipeline/runner';
import type { PipelineEnv } from '../../../src/lib/pipeline/types';
import { openFolderStore } from '../../../src/lib/store/folder.node.js';
import { useWasmBackend } from '../../helpers/wasm-backend';
import { syntheticDataset } from './synthetic';

useWasmBackend();

const FIXTURE = fileURLToPath(new URL('../../../models/fixture-tiny/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'pipeline-runner-only-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SPEC = {
  dataset: { kind: 'stored', id: 'syn' },
  model: { kind: 'folder', path: FIXTURE },
  grids: { single: { lr: [3e-3], epochs: [1], batch: [16] }, transfer: { lr: [3e-3], epochs: [1], batch: [16] } },
  featureSets: ['F1'],
  minPositives: { train: 5, test: 2 },
};

describe('runExperiment with `only` (what recommend runs)', () => {
  it('runs only the listed jobs, leaves every other pending, and a second call with more ids continues', async () => {
    const store = await openFolderStore(join(dir, 'store'));
    await store.datasets.put({ id: 'syn', savedAt: '2025-01-01T00:00:00Z', dataset: syntheticDataset() });
    const env: PipelineEnv = { store, modelSource: async () => folderSource(FIXTURE) };
    const before = tf.memory().numTensors;
    const { jobs } = await createExperiment(env, SPEC, { id: 'exp' });
    const prerequisites = jobs.jobs.filter((j) => j.kind === 'single' || j.kind === 'best' || j.kind === 'features').map((j) => j.id);
    const first = await runExperiment(env, 'exp', { clock: workClock(), only: new Set(prerequisites) });
    expect(first.ran).toEqual(prerequisites);
    expect(first.status).toBe('paused');
    const transfer = jobs.jobs.find((j) => j.kind === 'transfer')!.id;
    const second = await runExperiment(env, 'exp', { clock: workClock(), only: new Set([...prerequisites, transfer]) });
    expect(second.ran).toEqual([transfer]);
    const record = (await store.experiments.get('exp'))!;
    const done = Object.entries(record.jobs).filter(([, s]) => s.status === 'done').map(([id]) => id);
    expect(done.sort()).toEqual([...prerequisites, transfer].sort());
    expect(tf.memory().numTensors).toBe(before);
    await store.close();
  });
});
