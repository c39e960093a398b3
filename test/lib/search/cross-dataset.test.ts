import { describe, expect, it } from 'vitest';
import { gbdtRegressor } from '../../../src/lib/gbdt/regressor';
import { labelOf, pairRowsOf, rankScaler, scaleTargets } from '../../../src/lib/search/cross-dataset';
import { replay, type StrategyReport } from '../../../src/lib/search/replay';
import { readReplayData } from '../../../src/lib/search/replay-input';
import { exhaustiveFolder, runFolderTexts } from './replay-run-folder';

describe('rank scaling', () => {
  it('gives mid-rank percentiles among the population, ties shared, NaN kept, new values placed', () => {
    const rank = rankScaler([{ x: 3 }, { x: 1 }, { x: 2 }, { x: 2 }, { x: NaN }], ['x', 'y']);
    expect(rank({ x: 1 }).x).toBe(0.5 / 4);
    expect(rank({ x: 2 }).x).toBe((1 + 1) / 4);
    expect(rank({ x: 3 }).x).toBe(3.5 / 4);
    expect(rank({ x: 0 }).x).toBe(0);
    expect(rank({ x: 9 }).x).toBe(1);
    expect(rank({ x: 2.5 }).x).toBe(3 / 4);
    expect(rank({ x: NaN }).x).toBeNaN();
    expect(rank({}).y).toBeNaN(); // a feature no population row has
  });

  it('raw leaves a run as measured; ranks relabel as gains over the target\'s single-task F1', () => {
    const targets = [{ target: 'T', singleValue: 0.3, candidates: [{ source: 'A', value: 0.5, features: { x: 10 } }, { source: 'B', value: 0.2, features: { x: 20 } }] }];
    expect(scaleTargets(targets, ['x'], 'raw')).toEqual(targets);
    const ranked = scaleTargets(targets, ['x'], 'ranks');
    expect(ranked[0]!.candidates.map((c) => c.features.x)).toEqual([0.25, 0.75]);
    expect(pairRowsOf(ranked, 'ranks').map((r) => r.value)).toEqual([0.5 - 0.3, 0.2 - 0.3]);
    expect(pairRowsOf(targets, 'raw').map((r) => r.value)).toEqual([0.5, 0.2]);
    expect(labelOf(0.4, 0.1, 'raw')).toBe(0.4);
  });
});

describe('replay with a prior from another data set', () => {
  const fit = gbdtRegressor({ n_estimators: 30, max_depth: 2, learning_rate: 0.3 });
  const value = (i: number, j: number) => 0.2 + 0.1 * ((i * 5 + j * 2) % 7);
  // One relation in two units: here the feature is 3·value, in the prior 30·value + 50 (another
  // data set's scale), with other task names and another single-task level.
  const run = (tasks: string[], unit: (v: number) => number, single: number) =>
    readReplayData(runFolderTexts(exhaustiveFolder(
      tasks,
      (s, t) => {
        const v = value(tasks.indexOf(s), tasks.indexOf(t));
        return { value: v, ms: 10, features: { 'ansat_D_A_0.05': unit(v) } };
      },
      () => single,
      ['ansat_D_A_0.05'],
      { conductanceMs: 40 },
    )));
  const here = run(['A', 'B', 'C', 'D', 'E'], (v) => 3 * v, 0.15);
  const prior = run(['P', 'Q', 'R', 'S', 'T', 'U'], (v) => 30 * v + 50, 0.05);
  const guided = (o: Parameters<typeof replay>[1]) => replay(here, { ...o, strategies: ['guided'] }).strategies.guided as StrategyReport;

  it('learns from the prior alone on ranks, and not on raw values out of its range', () => {
    expect(guided({ fit, prior: [prior], context: 'prior', scale: 'ranks' }).regret_at_k['1']!.mean).toBe(0);
    expect(guided({ fit, prior: [prior], context: 'prior', scale: 'raw' }).regret_at_k['1']!.mean).toBeGreaterThan(0);
  });

  it('the default context is the run itself, and a prior context needs a prior', () => {
    expect(guided({ fit })).toEqual(guided({ fit, prior: [prior], context: 'run' }));
    expect(replay(here, { fit, strategies: ['guided'], context: 'prior' }).strategies.guided).toEqual({ unavailable: 'guided with context "prior" learns from prior runs, and none was given' });
  });
});
