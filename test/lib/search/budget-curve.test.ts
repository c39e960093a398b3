import { describe, expect, it } from 'vitest';
import {
  budgetCurveOfOrder,
  exhaustiveSearch,
  randomBudgetCurve,
} from '../../../src/lib/search/budget-curve';
import { candidatesByTarget, oracleOrders, predictedOrders } from '../../../src/lib/search/candidates';
import { expectedBestOfRandomK } from '../../../src/lib/search/random-order';
import { FIXED_PREDICTIONS, syntheticTransferRows } from './synthetic-runs';

const rows = syntheticTransferRows();
const groups = candidatesByTarget(rows);

describe('budget curves (Fig. 2)', () => {
  it('exhaustive search: mean of each target’s best F1, all transfer time', () => {
    expect(exhaustiveSearch(rows, groups)).toEqual({
      meanBestF1: expect.closeTo((0.7 + 0.4 + 0.8) / 3, 14),
      runtimeMs: 135,
      targets: 3,
      candidates: 8,
    });
  });

  it('predicted order: best F1@K and Runtime@K; a finished target keeps its best and adds no time', () => {
    const curve = budgetCurveOfOrder(rows, predictedOrders(rows, groups, FIXED_PREDICTIONS), {
      order: 'predicted:F1',
      kind: 'predicted',
      overheadMs: 7,
    });
    // Orders B [r2 .6, r1 .7, r0 .5], C [r3 .3, r4 .2, r6 .25, r5 .4], D [r7 .8].
    expect(curve.points.map((p) => p.k)).toEqual([1, 2, 3, 4]);
    const expected = [
      { meanBestF1: (0.6 + 0.3 + 0.8) / 3, runtimeMs: 30 + 5 + 40 },
      { meanBestF1: (0.7 + 0.3 + 0.8) / 3, runtimeMs: 75 + 20 + 5 },
      { meanBestF1: (0.7 + 0.3 + 0.8) / 3, runtimeMs: 100 + 10 + 15 },
      { meanBestF1: (0.7 + 0.4 + 0.8) / 3, runtimeMs: 125 + 10 },
    ];
    curve.points.forEach((p, i) => {
      expect(p.meanBestF1).toBeCloseTo(expected[i]!.meanBestF1, 14);
      expect(p.runtimeMs).toBe(expected[i]!.runtimeMs);
    });
    expect(curve).toMatchObject({ order: 'predicted:F1', kind: 'predicted', overheadMs: 7 });
  });

  it('oracle order reaches the exhaustive best at K=1', () => {
    const curve = budgetCurveOfOrder(rows, oracleOrders(rows, groups), { order: 'oracle', kind: 'oracle', overheadMs: 0 });
    // B [r1, r2, r0], C [r5, r3, r6, r4], D [r7]
    expect(curve.points.map((p) => p.runtimeMs)).toEqual([20 + 10 + 40, 70 + 30 + 5, 105 + 10 + 15, 130 + 5]);
    curve.points.forEach((p) => expect(p.meanBestF1).toBeCloseTo((0.7 + 0.4 + 0.8) / 3, 14));
  });

  it('random order: exact expectations, hand-computed for K = 1, 2 and equal to exhaustive at the end', () => {
    const curve = randomBudgetCurve(rows, groups, 0);
    expect(curve.order).toBe('random');
    const [k1, k2, k3, k4] = curve.points;
    // K=1: means of each target's values; expected time 1/N of each target's total (60, 35, 40).
    expect(k1!.meanBestF1).toBeCloseTo((0.6 + 1.15 / 4 + 0.8) / 3, 14);
    expect(k1!.runtimeMs).toBeCloseTo(60 / 3 + 35 / 4 + 40, 12);
    // K=2: B (0.6·1 + 0.7·2)/3, C (0.25·1 + 0.3·2 + 0.4·3)/6, D 0.8.
    expect(k2!.meanBestF1).toBeCloseTo((2.0 / 3 + 2.05 / 6 + 0.8) / 3, 14);
    expect(k2!.runtimeMs).toBeCloseTo(40 + 17.5 + 40, 12);
    // K=3: B has all its candidates; C (0.3·1 + 0.4·3)/4 (C(i−1,2)/C(4,3): 0,0,1,3 over 4).
    expect(k3!.meanBestF1).toBeCloseTo((0.7 + 1.5 / 4 + 0.8) / 3, 14);
    expect(k3!.runtimeMs).toBeCloseTo(60 + 26.25 + 40, 12);
    expect(k4!.meanBestF1).toBeCloseTo((0.7 + 0.4 + 0.8) / 3, 14);
    expect(k4!.runtimeMs).toBeCloseTo(135, 12);
    // and it agrees with the per-target expectation function
    expect(k2!.meanBestF1).toBeCloseTo(
      (expectedBestOfRandomK([0.5, 0.7, 0.6], 2) + expectedBestOfRandomK([0.3, 0.2, 0.4, 0.25], 2) + 0.8) / 3,
      14,
    );
  });

  it('a single target with a single candidate gives a one-point curve', () => {
    const one = [rows[7]!];
    const g = candidatesByTarget(one);
    const curve = budgetCurveOfOrder(one, [[0]], { order: 'x', kind: 'predicted', overheadMs: 0 });
    expect(curve.points).toEqual([{ k: 1, meanBestF1: 0.8, runtimeMs: 40 }]);
    expect(randomBudgetCurve(one, g, 0).points).toEqual([{ k: 1, meanBestF1: 0.8, runtimeMs: 40 }]);
  });
});
