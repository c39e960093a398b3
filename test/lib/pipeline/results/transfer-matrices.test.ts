import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordIds } from '../../../../src/lib/pipeline/ids';
import { transferGain, transferMatrices } from '../../../../src/lib/pipeline/results/transfer-matrices';
import type { SingleJob, TransferJob } from '../../../../src/lib/pipeline/types';
import { ANSAT_FEATURE_NAMES, F1_FEATURE_NAMES } from '../../../../src/lib/search/feature-names';
import type { RunRecord } from '../../../../src/lib/store/records';
import { BASELINE_LABEL_JACCARD } from '../../../../src/lib/transfer/baselines/names';
import { EXPERIMENT_ID, plannedExperiment, type PlannedExperiment } from './stored-fixture';
import { runSettings } from '../../store/contract';

const ANSAT = ANSAT_FEATURE_NAMES[0];
let e: PlannedExperiment;
beforeAll(async () => {
  e = await plannedExperiment();
});
afterAll(() => e.dispose());

describe('transferMatrices', () => {
  it('reads ANSAT and baseline values per ordered pair, and the gain of the best transfer over the best single run', async () => {
    const singles = e.jobs.jobs.filter((j): j is SingleJob => j.kind === 'single');
    const transfers = e.jobs.jobs.filter((j): j is TransferJob => j.kind === 'transfer');
    const tasks = e.jobs.tasks;
    expect(tasks.length).toBeGreaterThanOrEqual(2);
    // Two settings per task: F1 0.4 + 0.1·(task index) and 0.1 lower; the best is the first.
    const bestSingle = new Map<string, number>();
    for (const job of singles) {
      const f1 = 0.4 + 0.1 * tasks.indexOf(job.task) - (job.setting.lr === 1e-3 ? 0.1 : 0);
      await e.putRun(job, f1);
      bestSingle.set(job.task, Math.max(bestSingle.get(job.task) ?? -1, f1));
    }
    const [first, second] = transfers;
    await e.putRun(first, 0.9);
    await e.putRun(second, 0.05);
    const [s1, t1] = [first.source, first.target];
    await e.store.features.put({ id: recordIds.features(EXPERIMENT_ID, s1, t1), experimentId: EXPERIMENT_ID, source: s1, target: t1, values: { [ANSAT]: 0.25, [BASELINE_LABEL_JACCARD]: 0.5, [F1_FEATURE_NAMES[0]]: 0.3 } });

    const m = await transferMatrices(e.store, await e.stored());
    expect(m.tasks).toEqual(tasks);
    expect(m.hasAnsat).toBe(true);
    expect(m.ansat).toEqual({ [ANSAT]: { [s1]: { [t1]: 0.25 } } });
    // Only the baseline names are read as baselines (an F1 feature is neither).
    expect(m.baselines).toEqual({ [BASELINE_LABEL_JACCARD]: { [s1]: { [t1]: 0.5 } } });
    expect(m.gain[first.source][first.target]).toBeCloseTo(0.9 - bestSingle.get(first.target)!, 12);
    expect(m.gain[second.source][second.target]).toBeCloseTo(0.05 - bestSingle.get(second.target)!, 12);
    const pairsWithGain = Object.values(m.gain).reduce((n, row) => n + Object.keys(row).length, 0);
    expect(pairsWithGain).toBe(first.source === second.source && first.target === second.target ? 1 : 2);
  });
});

describe('transferGain', () => {
  const run = (kind: 'single' | 'transfer', task: string, f1: number, sourceTask?: string): RunRecord => ({
    id: `${kind}-${task}-${sourceTask}-${f1}`, kind, task, ...(sourceTask ? { sourceTask } : {}), base: 'b', settings: runSettings(1e-4, 1, 8), metrics: { f1 }, wallTimeMs: 1, examplesSeen: 1, createdAt: 'now',
  });

  it('takes the best of each side and leaves out targets without a single-task run', () => {
    const gain = transferGain([
      run('single', 'b', 0.5), run('single', 'b', 0.7),
      run('transfer', 'b', 0.6, 'a'), run('transfer', 'b', 0.8, 'a'),
      run('transfer', 'c', 0.9, 'a'), // no single run of c: no gain
    ]);
    expect(Object.keys(gain)).toEqual(['a']);
    expect(Object.keys(gain.a)).toEqual(['b']);
    expect(gain.a.b).toBeCloseTo(0.1, 12);
  });

  it('with validation F1: chooses on validation, averages a setting\'s seeds, reports test F1', () => {
    const withVal = (r: RunRecord, validationF1: number, id = r.id): RunRecord => ({ ...r, id, metrics: { ...r.metrics, validationF1 } });
    const gain = transferGain([
      // single b: setting x (test 0.9, validation 0.2) loses to setting y (seeds: test 0.4 and 0.6, validation 0.5 and 0.7).
      withVal(run('single', 'b', 0.9), 0.2, 'e::single/b/x'),
      withVal(run('single', 'b', 0.4), 0.5, 'e::single/b/y'), withVal(run('single', 'b', 0.6), 0.7, 'e::single/b/y/seed-1'),
      // transfer a → b: setting x (test 0.3, validation 0.9) beats y (test 0.95, validation 0.1).
      withVal(run('transfer', 'b', 0.3, 'a'), 0.9, 'e::transfer/a/b/x'), withVal(run('transfer', 'b', 0.95, 'a'), 0.1, 'e::transfer/a/b/y'),
    ]);
    expect(gain.a.b).toBeCloseTo(0.3 - 0.5, 12);
  });
});
