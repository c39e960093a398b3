import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { folderSource } from '../../../src/lib/bert/file-source.node.js';
import { estimateExperiment, estimatePlan, speedHintOf } from '../../../src/lib/pipeline/estimate';
import { createExperiment, experimentPlanOf } from '../../../src/lib/pipeline/experiment';
import type { Throughput } from '../../../src/lib/pipeline/types';
import { openFolderStore } from '../../../src/lib/store/folder.node.js';
import { useWasmBackend } from '../../helpers/wasm-backend';
import { syntheticDataset } from './synthetic';

useWasmBackend();
const FIXTURE = fileURLToPath(new URL('../../../models/fixture-tiny/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'pipeline-estimate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SPEC = {
  dataset: { kind: 'stored', id: 'syn' }, model: { kind: 'folder', path: FIXTURE },
  grids: { single: { lr: [1e-3, 3e-3], epochs: [2], batch: [16] }, transfer: 'tiny' }, conductance: { nSteps: 4 }, minPositives: { train: 5, test: 2 },
};

describe('estimates', () => {
  it('scales the plan\'s work by the throughput', async () => {
    const store = await openFolderStore(join(dir, 'a'));
    await store.datasets.put({ id: 'syn', savedAt: 'now', dataset: syntheticDataset() });
    const { jobs, prepared } = await createExperiment({ store, modelSource: async () => folderSource(FIXTURE) }, SPEC, { id: 'e' });
    const t: Throughput = {
      backend: 'wasm', trainExamplesPerSec: 100, evalExamplesPerSec: 1000, conductanceSecPerDoc: 0.5,
      measured: { trainSteps: 3, batch: 16, evalExamples: 24, conductanceDocs: 2, nSteps: 4 },
    };
    const e = estimatePlan(jobs, prepared, t);
    // 3 tasks × 2 settings × 76 documents × 2 epochs; 6 pairs × 76 × 1 epoch (96 on the training side, 20 of them validation);
    // every training job evaluates 24 test and 20 validation documents.
    expect(prepared.validationDocs).toHaveLength(20);
    expect(e.trainExamples).toEqual({ single: 912, transfer: 456 });
    expect(e.evalExamples).toBe(12 * 44);
    expect(e.conductanceDocs).toBe(3 * prepared.conductanceDocs.length);
    expect(e.seconds.single).toBeCloseTo(912 / 100 + (6 * 44) / 1000, 10);
    expect(e.seconds.transfer).toBeCloseTo(456 / 100 + (6 * 44) / 1000, 10);
    expect(e.seconds.conductance).toBeCloseTo(0.5 * e.conductanceDocs, 10);
    expect(e.seconds.total).toBeCloseTo(e.seconds.single + e.seconds.transfer + e.seconds.conductance, 10);
    // With lanes: one lane is the total; more lanes never take longer, and two take at least half.
    const l = e.lanesSeconds!;
    expect(l).toHaveLength(8);
    expect(l[0]).toBeCloseTo(e.seconds.total, 6);
    for (let i = 1; i < l.length; i++) expect(l[i]).toBeLessThanOrEqual(l[i - 1] + 1e-9);
    expect(l[1]).toBeGreaterThanOrEqual(e.seconds.total / 2 - 1e-9);
    expect(l[1]).toBeLessThan(e.seconds.total);
    expect(speedHintOf(t, experimentPlanOf((await store.experiments.get('e'))!).spec)).toEqual({ trainUnitsPerMs: 0.1, conductanceUnitsPerMs: 5 / 500 });
    await store.close();
  });

  it('measures the throughput with the experiment\'s model and data, stores the estimate and leaks no tensors', async () => {
    const store = await openFolderStore(join(dir, 'b'));
    await store.datasets.put({ id: 'syn', savedAt: 'now', dataset: syntheticDataset() });
    const env = { store, modelSource: async () => folderSource(FIXTURE) };
    await createExperiment(env, SPEC, { id: 'e' });
    const before = tf.memory().numTensors;
    const e = await estimateExperiment(env, 'e', { steps: 2 });
    expect(tf.memory().numTensors).toBe(before);
    expect(e.throughput.backend).toBe('wasm');
    expect(e.throughput.measured).toMatchObject({ trainSteps: 2, batch: 16, conductanceDocs: 2, nSteps: 4 });
    for (const v of [e.throughput.trainExamplesPerSec, e.throughput.evalExamplesPerSec, e.throughput.conductanceSecPerDoc!, e.seconds.total]) {
      expect(v).toBeGreaterThan(0);
      expect(Number.isFinite(v)).toBe(true);
    }
    expect(experimentPlanOf((await store.experiments.get('e'))!).estimate).toEqual(e);
    await store.close();
  });
});
