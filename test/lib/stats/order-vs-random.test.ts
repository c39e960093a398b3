import { describe, expect, it } from 'vitest';
import { budgetCurveOfOrder, exhaustiveSearch, randomBudgetCurve } from '../../../src/lib/search/budget-curve';
import { candidatesByTarget, oracleOrders, predictedOrders } from '../../../src/lib/search/candidates';
import { headline } from '../../../src/lib/search/headline';
import type { TransferRow } from '../../../src/lib/search/types';
import { orderVsRandom, type TargetSearch } from '../../../src/lib/stats/order-vs-random';
import { targetSearchesOf } from '../../../src/lib/stats/target-searches';
import { createRng } from '../../../src/lib/util/rng';

/** `targets` targets with 3–7 candidates each, random F1 and wall times. */
function runs(targets: number, seed: number): TransferRow[] {
  const rng = createRng(seed);
  const rows: TransferRow[] = [];
  for (let t = 0; t < targets; t++) {
    const n = 3 + rng.int(5);
    for (let c = 0; c < n; c++) {
      rows.push({ source: `s${c}`, target: `t${String(t).padStart(2, '0')}`, settings: { lr: 1e-5, epochs: 1, batch: 16, seed: 0 }, f1: rng.next(), accuracy: 0.9, wallTimeMs: 10 + rng.int(90), features: {} });
    }
  }
  return rows;
}

describe('orderVsRandom', () => {
  const rows = runs(12, 3);
  const groups = candidatesByTarget(rows);
  const oracle = oracleOrders(rows, groups);
  const worst = predictedOrders(rows, groups, rows.map((r) => -r.f1)); // the oracle backwards

  it('on all targets gives exactly the headline\'s transfer-only saving of each order', () => {
    const curves = [
      budgetCurveOfOrder(rows, oracle, { order: 'oracle', kind: 'oracle', overheadMs: 0 }),
      budgetCurveOfOrder(rows, worst, { order: 'worst', kind: 'predicted', overheadMs: 0 }),
      randomBudgetCurve(rows, groups, 0),
    ];
    const h = headline(curves, exhaustiveSearch(rows, groups), { singleTaskMs: 0, conductanceMs: 0 });
    for (const [k, orders] of [[0, oracle], [1, worst]] as const) {
      const r = orderVsRandom(targetSearchesOf(rows, groups, orders), { seed: 1, replicates: 200 });
      expect(r.order.estimate).toBeCloseTo(h.orders[k]!.transferOnly.atF1Cost.timeSaved, 12);
      expect(r.random.estimate).toBeCloseTo(h.orders[2]!.transferOnly.atF1Cost.timeSaved, 12);
      expect(r.difference.estimate).toBeCloseTo(r.order.estimate - r.random.estimate, 12);
      expect(r.targets).toBe(12);
    }
  });

  it('tells the oracle (better) and its reverse (worse) from random', () => {
    const best = orderVsRandom(targetSearchesOf(rows, groups, oracle), { seed: 2 });
    expect(best.distinguishable).toBe(true);
    expect(best.difference.low).toBeGreaterThan(0);
    const bad = orderVsRandom(targetSearchesOf(rows, groups, worst), { seed: 2 });
    expect(bad.distinguishable).toBe(true);
    expect(bad.difference.high).toBeLessThan(0);
  });

  it('does not call an order that wins on half the targets and loses on the other half distinguishable', () => {
    // Every candidate is equally good, so K* = 1 and only the first candidate's cost matters; the
    // order picks the cheapest (1 of 1+2+3+4) on even targets and the dearest (4) on odd ones, and
    // random pays 2.5 on average: the savings cancel.
    const targets: TargetSearch[] = Array.from({ length: 10 }, (_, t) => {
      const costs = t % 2 ? [4, 3, 2, 1] : [1, 2, 3, 4];
      const cum = costs.map((_, k) => costs.slice(0, k + 1).reduce((a, b) => a + b, 0));
      return { target: `t${t}`, orderBestF1: [0.5, 0.5, 0.5, 0.5], orderRuntimeMs: cum, randomBestF1: [0.5, 0.5, 0.5, 0.5], randomRuntimeMs: [2.5, 5, 7.5, 10] };
    });
    const r = orderVsRandom(targets, { seed: 3 });
    expect(r.order.estimate).toBeCloseTo(0.75, 12);
    expect(r.random.estimate).toBeCloseTo(0.75, 12);
    expect(r.difference.low).toBeLessThan(0);
    expect(r.difference.high).toBeGreaterThan(0);
    expect(r.distinguishable).toBe(false);
  });

  it('names bad input', () => {
    expect(() => orderVsRandom([], { seed: 1 })).toThrow(/no targets/);
    const t: TargetSearch = { target: 'x', orderBestF1: [0.1, 0.2], orderRuntimeMs: [1, 2], randomBestF1: [0.15], randomRuntimeMs: [1, 2] };
    expect(() => orderVsRandom([t], { seed: 1 })).toThrow(/target "x": randomBestF1 has 1 values, orderBestF1 2/);
    expect(() => orderVsRandom([{ ...t, randomBestF1: [0.1, 0.2], orderRuntimeMs: [0, 0] }], { seed: 1 })).toThrow(/total wall time is 0 ms/);
  });
});
