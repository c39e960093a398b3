import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordIds } from '../../../../src/lib/pipeline/ids';
import { runBestJob } from '../../../../src/lib/pipeline/jobs/best';
import type { JobContext } from '../../../../src/lib/pipeline/jobs/context';
import { planJobs } from '../../../../src/lib/pipeline/plan';
import { resolveSpec } from '../../../../src/lib/pipeline/spec';
import type { BestJob, SingleJob } from '../../../../src/lib/pipeline/types';
import { openFolderStore } from '../../../../src/lib/store/folder.node.js';
import type { RunRecord } from '../../../../src/lib/store/records';
import type { Store } from '../../../../src/lib/store/store';

const dir = mkdtempSync(join(tmpdir(), 'best-job-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spec = (seeds: number) => resolveSpec({
  dataset: { kind: 'stored', id: 'd' }, model: { kind: 'bundled', name: 'm' }, seeds,
  grids: { single: { lr: [1e-4, 1e-3], epochs: [1], batch: [16] }, transfer: 'tiny' }, featureSets: ['F1'],
});

/** Stores one run (and its model) per single job of task "a", with F1s given per job id. */
async function storeRuns(store: Store, jobs: SingleJob[], f1: (job: SingleJob) => { test: number; validation?: number }) {
  for (const job of jobs) {
    const id = recordIds.run('e', job.id);
    const { test, validation } = f1(job);
    const metrics: Record<string, number> = { f1: test, accuracy: 0.5, precision: 0.5, recall: 0.5, tp: 1, fp: 1, fn: 1, tn: 1 };
    if (validation !== undefined) metrics.validationF1 = validation;
    const run: RunRecord = {
      id, experimentId: 'e', kind: 'single', task: job.task, base: 'm', modelId: id,
      settings: { lr: job.setting.lr, epochs: 1, batch: 16, seed: job.seed } as unknown as RunRecord['settings'], metrics, wallTimeMs: 10, examplesSeen: 10, createdAt: '2026-01-01T00:00:00Z',
    };
    await store.runs.put(run);
    await store.models.putWithFiles({ id, kind: 'single', base: 'm', task: job.task, config: {}, createdAt: run.createdAt }, { safetensors: new Uint8Array([1, 2, 3]) });
  }
}

async function pick(seeds: number, f1: (job: SingleJob) => { test: number; validation?: number }) {
  const store = await openFolderStore(mkdtempSync(join(dir, 'store-')));
  const plan = planJobs(spec(seeds), ['a', 'b']);
  const singles = plan.jobs.filter((j): j is SingleJob => j.kind === 'single' && j.task === 'a');
  await storeRuns(store, singles, f1);
  const ctx = { env: { store, modelSource: async () => { throw new Error('unused'); } }, experimentId: 'e', plan } as unknown as JobContext;
  const best = plan.jobs.find((j): j is BestJob => j.kind === 'best' && j.task === 'a')!;
  const { resultId } = await runBestJob(ctx, best);
  const kept = (await store.models.list()).map((m) => m.id);
  await store.close();
  return { winner: singles.find((j) => recordIds.model('e', j.id) === resultId)!, kept, singles };
}

describe('best job: validation chooses, test is only reported on', () => {
  it('picks the setting with the higher validation F1 even where test F1 would pick the other', async () => {
    // lr 1e-4: test 0.9, validation 0.3; lr 1e-3: test 0.5, validation 0.6.
    const { winner, kept } = await pick(1, (j) => (j.setting.lr === 1e-4 ? { test: 0.9, validation: 0.3 } : { test: 0.5, validation: 0.6 }));
    expect(winner.setting.lr).toBe(1e-3);
    expect(kept).toEqual([recordIds.model('e', winner.id)]);
  });

  it('without validation F1 (an experiment stored before validation) it keeps the old rule: test F1', async () => {
    const { winner } = await pick(1, (j) => (j.setting.lr === 1e-4 ? { test: 0.9 } : { test: 0.5 }));
    expect(winner.setting.lr).toBe(1e-4);
  });

  it('with seeds: the setting of the best MEAN validation F1, then its seed with the best validation F1', async () => {
    // lr 1e-4 has one lucky seed (0.8) but a low mean (0.45); lr 1e-3 has a mean of 0.6.
    const table: Record<string, number[]> = { '0.0001': [0.8, 0.1, 0.45], '0.001': [0.55, 0.7, 0.55] };
    const { winner, kept, singles } = await pick(3, (j) => ({ test: 0.5, validation: table[String(j.setting.lr)]![j.seedIndex]! }));
    expect(singles).toHaveLength(6);
    expect(new Set(singles.map((j) => j.seed)).size).toBe(6);
    expect(winner.setting.lr).toBe(1e-3);
    expect(winner.seedIndex).toBe(1);
    expect(kept).toHaveLength(1);
  });
});
