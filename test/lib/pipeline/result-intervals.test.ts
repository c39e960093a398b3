import { describe, expect, it } from 'vitest';
import { planJobs } from '../../../src/lib/pipeline/plan';
import type { PreparedData } from '../../../src/lib/pipeline/prepare';
import { resultIntervals } from '../../../src/lib/pipeline/result-intervals';
import { resolveSpec } from '../../../src/lib/pipeline/spec';
import { bySetting } from '../../../src/lib/pipeline/stored-results';
import type { SingleJob, TransferJob } from '../../../src/lib/pipeline/types';
import type { Analysis } from '../../../src/lib/search/analysis';
import type { TransferRow } from '../../../src/lib/search/types';
import { weightedF1 } from '../../../src/lib/stats/f1-interval';
import { packPredictions } from '../../../src/lib/stats/packed-predictions';
import type { RunRecord } from '../../../src/lib/store/records';

const spec = resolveSpec({
  dataset: { kind: 'stored', id: 'd' }, model: { kind: 'bundled', name: 'm' }, seeds: 2, grids: { single: 'tiny', transfer: 'tiny' }, featureSets: ['F1'],
});
const plan = planJobs(spec, ['a', 'b']);
// 12 test documents: task a positive on 0–5, task b on 6–11.
const labelsOf = (task: string) => Array.from({ length: 12 }, (_, i) => (task === 'a' ? i < 6 : i >= 6) ? 1 : 0);
const prepared = {
  dataset: { docs: Array.from({ length: 12 }, (_, i) => ({ id: `d${i}`, text: '', labels: [i < 6 ? 'a' : 'b'], split: 'test' })) },
  testDocs: Array.from({ length: 12 }, (_, i) => i),
} as unknown as PreparedData;

/** A run whose test predictions are the labels with `flips` documents wrong (the first ones). */
function runOf<J extends SingleJob | TransferJob>(job: J, flips: number, withPredictions = true): { job: J; run: RunRecord } {
  const j = job as SingleJob | TransferJob;
  const task = j.kind === 'single' ? j.task : j.target;
  const labels = labelsOf(task);
  const p = labels.map((y, i) => (i < flips ? 1 - y : y));
  return {
    job,
    run: {
      id: j.id, kind: j.kind, task, ...(j.kind === 'transfer' ? { sourceTask: j.source } : {}), base: 'm',
      settings: { lr: 1, epochs: 1, batch: 1, seed: job.seed } as unknown as RunRecord['settings'], metrics: { f1: weightedF1(labels, p), validationF1: 0.5, tp: 0, fp: 0, fn: 0, tn: 0, accuracy: 0.5 },
      ...(withPredictions ? { testPredictions: packPredictions(p) } : {}), wallTimeMs: 1, examplesSeen: 1, createdAt: 'now',
    },
  };
}

function inputs(transferFlips: (j: TransferJob) => number, withPredictions = true) {
  const singles = plan.jobs.filter((j): j is SingleJob => j.kind === 'single').map((j) => runOf(j, j.seedIndex, withPredictions));
  const transfers = plan.jobs.filter((j): j is TransferJob => j.kind === 'transfer').map((j) => runOf(j, transferFlips(j), withPredictions));
  const groups = bySetting(transfers);
  const rows: TransferRow[] = groups.map((g) => ({
    source: g.runs[0]!.job.source, target: g.runs[0]!.job.target, settings: { lr: 1, epochs: 1, batch: 1, seed: 0 },
    f1: g.runs.reduce((a, r) => a + r.run.metrics.f1!, 0) / g.runs.length, validationF1: 0.5, accuracy: 0.5, wallTimeMs: 1, features: {},
  }));
  const analysis = { table1: { average: { tasks: 2 } }, predictions: [] } as unknown as Analysis;
  return { spec, prepared, singles: bySetting(singles), transfers: groups, rows, analysis };
}

describe('resultIntervals', () => {
  it('a transfer with the single-task model\'s predictions, seed for seed, gains exactly [0, 0]', () => {
    const r = resultIntervals(inputs((j) => j.seedIndex));
    expect(r.tasks.map((t) => t.task)).toEqual(['a', 'b']);
    for (const t of r.tasks) {
      expect(t.seeds).toBe(2);
      expect(t.gain).toMatchObject({ estimate: 0, low: 0, high: 0 });
      // Seed 0 is perfect, seed 1 has one document wrong: the estimate is their mean F1.
      expect(t.single!.estimate).toBeCloseTo((1 + weightedF1(labelsOf(t.task), labelsOf(t.task).map((y, i) => (i < 1 ? 1 - y : y)))) / 2, 12);
      expect(t.single!.low).toBeLessThan(t.single!.high);
    }
    expect(r.average!.gain).toMatchObject({ estimate: 0, low: 0, high: 0 });
  });

  it('worse transfers give a gain interval below 0; the same inputs give the same intervals', () => {
    const r = resultIntervals(inputs(() => 4));
    for (const t of r.tasks) expect(t.gain!.high).toBeLessThan(0);
    expect(resultIntervals(inputs(() => 4))).toEqual(r);
  });

  it('runs stored without predictions give null intervals, not made-up ones', () => {
    const r = resultIntervals(inputs((j) => j.seedIndex, false));
    for (const t of r.tasks) expect(t).toMatchObject({ single: null, transfer: null, gain: null });
    expect(r.average).toBeNull();
  });
});
