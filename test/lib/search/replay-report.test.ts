import { describe, expect, it } from 'vitest';
import { gbdtRegressor } from '../../../src/lib/gbdt/regressor';
import { replay, type ReplayResult, type StrategyReport } from '../../../src/lib/search/replay';
import { readReplayData } from '../../../src/lib/search/replay-input';
import { bestSoFarAtShare } from '../../../src/lib/search/replay-metrics';
import { bestAvailable } from '../../../src/lib/search/replay-types';
import {
  compareWithRandom, CURVE_SHARES, regressorParamsOf, replayReport, replayVerdict,
} from '../../../src/lib/search/replay-report';
import { exhaustiveFolder, runFolderTexts } from './replay-run-folder';

const TASKS = ['A', 'B', 'C', 'D', 'E', 'F'];
const index = (t: string) => TASKS.indexOf(t);

/** A run where the `x` feature tells the value, so guided can learn it; costs differ per source. */
const texts = () => runFolderTexts(exhaustiveFolder(
  TASKS,
  (s, t) => {
    const value = 0.2 + 0.1 * ((index(s) * 5 + index(t) * 2) % 7);
    return { value, ms: 10 + 5 * index(s), features: { f1_source: 0.5, f1_target: 0.4, x: value * 3 - 0.1, logme: -1 + value } };
  },
  () => 0.15,
  ['f1_source', 'f1_target', 'x', 'logme'],
  { conductanceMs: 40 },
));

const report = (r: ReplayResult, name: string) => r.strategies[name] as StrategyReport;

describe('replay curve', () => {
  it('is the best-so-far F1 per share: from the single-task value at 0 to the best available at 1, never falling; oracle never below random', () => {
    const files = texts();
    const data = readReplayData(files);
    const r = replay(data, { fit: gbdtRegressor({ n_estimators: 20, max_depth: 2 }), randomOrders: 40, curveShares: CURVE_SHARES });
    const meanBestAvailable = data.targets.reduce((s, t) => s + bestAvailable(t), 0) / data.targets.length;
    const meanSingle = data.targets.reduce((s, t) => s + t.singleValue, 0) / data.targets.length;
    for (const name of ['guided', 'random', 'f1-only', 'logme', 'oracle']) {
      const curve = report(r, name).curve!;
      expect(curve.map((p) => p.share)).toEqual([...CURVE_SHARES]);
      expect(curve[0]!.best_f1.mean, name).toBeCloseTo(meanSingle, 9);
      expect(curve.at(-1)!.best_f1.mean, name).toBeCloseTo(meanBestAvailable, 9);
      for (let i = 1; i < curve.length; i++) expect(curve[i]!.best_f1.mean, `${name} at ${curve[i]!.share}`).toBeGreaterThanOrEqual(curve[i - 1]!.best_f1.mean - 1e-12);
      for (const p of curve) expect(p.best_f1.ci95[0]).toBeLessThanOrEqual(p.best_f1.ci95[1]);
    }
    const oracle = report(r, 'oracle').curve!;
    report(r, 'random').curve!.forEach((p, i) => expect(oracle[i]!.best_f1.mean).toBeGreaterThanOrEqual(p.best_f1.mean - 1e-12));
    // The curve is the per-target best-so-far, averaged: check one point by hand for the oracle.
    const t = data.targets[0]!;
    const order = [...t.candidates.keys()].sort((a, b) => t.candidates[b]!.value - t.candidates[a]!.value);
    expect(bestSoFarAtShare(t, order, 1)).toBe(bestAvailable(t));
  });

  it('leaves the other figures unchanged when it is asked for', () => {
    const data = readReplayData(texts());
    const fit = gbdtRegressor({ n_estimators: 20, max_depth: 2 });
    const plain = replay(data, { fit, randomOrders: 30 });
    const withCurve = replay(data, { fit, randomOrders: 30, curveShares: [0, 0.5, 1] });
    for (const name of Object.keys(plain.strategies)) {
      const { curve, ...rest } = withCurve.strategies[name] as StrategyReport;
      expect(curve).toHaveLength(3);
      expect(rest).toEqual(plain.strategies[name]);
    }
  });

  it('refuses a share outside [0, 1]', () => {
    expect(() => replay(readReplayData(texts()), { fit: gbdtRegressor({}), curveShares: [1.5] })).toThrow(/curve share must be in \[0, 1\], got 1.5/);
  });
});

describe('replay verdict', () => {
  it('calls a strategy better than random only when its whole interval is below random\'s mean', () => {
    expect(compareWithRandom({ mean: 0.2, ci95: [0.1, 0.29] }, { mean: 0.3, ci95: [0.25, 0.35] })).toBe('better');
    expect(compareWithRandom({ mean: 0.2, ci95: [0.1, 0.31] }, { mean: 0.3, ci95: [0.25, 0.35] })).toBe('not distinguishable');
    expect(compareWithRandom({ mean: 0.5, ci95: [0.31, 0.6] }, { mean: 0.3, ci95: [0.25, 0.35] })).toBe('worse');
  });

  it('names the best estimator, compares each with random, and warns on a run with few targets', () => {
    const r = replayReport(texts(), { randomOrders: 40 });
    expect(r.targets).toBe(6);
    expect(r.candidates).toBe(30);
    expect(r.tolerance).toBe(0.02);
    expect(r.regressor).toEqual({ n_estimators: 20, max_depth: 2, learning_rate: 0.3 });
    expect(r.verdict.vsRandom.map((v) => v.strategy)).toEqual(['guided', 'f1-only', 'logme']);
    const means = r.verdict.vsRandom.map((v) => v.share.mean);
    expect(r.verdict.best!.share.mean).toBe(Math.min(...means));
    // logme is the value itself here: it reaches the lowest share (guided may tie it, listed first).
    expect(r.verdict.vsRandom.find((v) => v.strategy === 'logme')!.share.mean).toBe(Math.min(...means));
    expect(r.verdict.best!.aheadOf).not.toBeNull();
    // One seed per pair: whether the sources differ beyond seed noise cannot be tested, and it says so.
    expect(r.verdict.warnings).toEqual([expect.stringMatching(/^every source has a single seed/)]);
    expect(r.sourceEffect.targets.every((t) => t.verdict === 'one seed')).toBe(true);

    const few = replayReport(runFolderTexts(exhaustiveFolder(['A', 'B', 'C'], () => ({ value: 0.1, ms: 5, features: { x: 1 } }), () => 0.5, ['x'])), { randomOrders: 10 });
    expect(few.verdict.warnings.join(' ')).toMatch(/no transfer beats its target's single-task F1/);
    expect(few.verdict.warnings.join(' ')).toMatch(/only 3 targets/);
    expect(few.verdict.best).toBeNull(); // no transfer helps: no estimator is named best
    expect(replayVerdict(few.result, readReplayData(runFolderTexts(exhaustiveFolder(['A', 'B'], () => ({ value: 0.1, ms: 5, features: { x: 1 } }), () => 0.5, ['x'])))).warnings).toHaveLength(3);
  });

  it('reads the regressor of summary.json, and the default without one', () => {
    expect(regressorParamsOf(JSON.stringify({ settings: { regressor: { params: { max_depth: 3 } } } }))).toEqual({ max_depth: 3 });
    expect(regressorParamsOf(undefined)).toMatchObject({ max_depth: expect.any(Number) });
    expect(regressorParamsOf('not json')).toEqual(regressorParamsOf(undefined));
  });
});
