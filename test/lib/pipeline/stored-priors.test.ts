/**
 * Finished experiments of the store as prior rows for a recommendation (src/lib/pipeline/
 * stored-priors.ts): a finished tiny experiment gives one prior with a row per measured pair, named
 * after it and carrying its base model; the experiment asking is left out, an unfinished one is
 * not used; and runRecommend counts the prior's rows in rows_used.
 */
import 'fake-indexeddb/auto';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { folderSource } from '../../../src/lib/bert/file-source.node.js';
import { createExperiment } from '../../../src/lib/pipeline/experiment';
import { runRecommend } from '../../../src/lib/pipeline/recommend-run';
import { runExperiment } from '../../../src/lib/pipeline/runner';
import { storedPriors } from '../../../src/lib/pipeline/stored-priors';
import type { PipelineEnv } from '../../../src/lib/pipeline/types';
import { openIdbStore } from '../../../src/lib/store/idb';
import { useWasmBackend } from '../../helpers/wasm-backend';
import { syntheticDataset } from './synthetic';

useWasmBackend();

const FIXTURE = fileURLToPath(new URL('../../../models/fixture-tiny/', import.meta.url));
const SPEC = {
  name: 'finished tiny',
  dataset: { kind: 'stored', id: 'syn' },
  model: { kind: 'folder', path: FIXTURE },
  tasks: ['flood', 'fire', 'aid'],
  grids: { single: 'tiny', transfer: 'tiny' },
  conductance: { nSteps: 4, maxDocsPerTask: 3 },
  minPositives: { train: 5, test: 2 },
  seed: 3,
};
let env: PipelineEnv;

beforeAll(async () => {
  const store = await openIdbStore({ name: `stored-priors-${process.pid}`, storage: {} });
  await store.datasets.put({ id: 'syn', savedAt: '2025-01-01T00:00:00Z', dataset: syntheticDataset() });
  env = { store, modelSource: async () => folderSource(FIXTURE) };
  await createExperiment(env, SPEC, { id: 'finished' });
  expect((await runExperiment(env, 'finished')).status).toBe('done');
  // Planned, never run: not a prior.
  await createExperiment(env, { ...SPEC, name: 'planned', seed: 4 }, { id: 'planned' });
}, 180_000);

describe('storedPriors', () => {
  it('gives the finished experiment as a prior, with a row per measured pair and its base model', async () => {
    const { priors, skipped } = await storedPriors(env, 'asking');
    expect(priors).toHaveLength(1);
    const [p] = priors;
    expect(p.dir).toBe('experiment "finished tiny"');
    expect(p.rows).toHaveLength(6);
    expect(new Set(p.rows.map((r) => r.origin))).toEqual(new Set(['prior experiment "finished tiny"']));
    expect(p.featureNames).toContain('f1_source');
    expect(p.modelFingerprint).toMatch(/^[0-9a-f]+$/);
    expect(skipped).toEqual([]);
  });

  it('leaves out the experiment that asks', async () => {
    expect((await storedPriors(env, 'finished')).priors).toEqual([]);
  });

  it('lends its rows to a recommendation in another experiment, counted in rows_used', async () => {
    const { priors } = await storedPriors(env, 'rec');
    const opened = await createExperiment(env, { ...SPEC, name: 'rec', seed: 9 }, { id: 'rec' });
    const out = await runRecommend(env, opened, { experimentId: 'rec', targets: ['fire'], budget: { kind: 'count', n: 1 }, priors });
    expect(out.status).toBe('done');
    if (out.status !== 'done') return;
    const used = out.results[0].rows_used;
    // The prior's two rows into "fire" are dropped (same target name); its other four are used.
    expect(used.priors['experiment "finished tiny"']).toBe(4);
    expect(used.dropped_rows_into_target).toBe(2);
  }, 120_000);
});
