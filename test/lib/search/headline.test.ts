import { describe, expect, it } from 'vitest';
import { budgetCurveOfOrder, exhaustiveSearch, randomBudgetCurve } from '../../../src/lib/search/budget-curve';
import { candidatesByTarget, oracleOrders, predictedOrders } from '../../../src/lib/search/candidates';
import { headline, honestOverheadMs } from '../../../src/lib/search/headline';
import { FIXED_PREDICTIONS, syntheticTransferRows } from './synthetic-runs';

const rows = syntheticTransferRows();
const groups = candidatesByTarget(rows);
const exhaustive = exhaustiveSearch(rows, groups);
const costs = { singleTaskMs: 100, conductanceMs: 50 };
const best = (0.7 + 0.4 + 0.8) / 3;

function curves() {
  const predictedOrder = predictedOrders(rows, groups, FIXED_PREDICTIONS);
  return [
    budgetCurveOfOrder(rows, predictedOrder, { order: 'predicted:F1', kind: 'predicted', overheadMs: 100 }),
    budgetCurveOfOrder(rows, predictedOrder, { order: 'predicted:F1+ANSAT', kind: 'predicted', overheadMs: 150 }),
    randomBudgetCurve(rows, groups, 100),
    budgetCurveOfOrder(rows, oracleOrders(rows, groups), { order: 'oracle', kind: 'oracle', overheadMs: 100 }),
  ];
}

describe('headline savings', () => {
  const h = headline(curves(), exhaustive, costs);
  const [f1, ansat, random, oracle] = h.orders as [typeof h.orders[0], typeof h.orders[0], typeof h.orders[0], typeof h.orders[0]];

  it('exhaustive search in both accountings', () => {
    expect(h.exhaustive.meanBestF1).toBeCloseTo(best, 14);
    expect(h.exhaustive.transferRuntimeMs).toBe(135);
    expect(h.exhaustive.honestRuntimeMs).toBe(235); // single-task models 100 + transfer 135
    expect(h.maxF1Cost).toBe(0.034);
    expect(h.timeFraction).toBe(0.5);
    expect(h.definitions.honest).toMatch(/S = wall time of all single-task trainings/);
  });

  it('transfer-only: smallest K within 0.034 F1 and the time it saves', () => {
    // Predicted: F1 cost at K=1 is 0.2/3 = 0.0667 > 0.034; at K=2 it is 0.1/3 = 0.0333 ≤ 0.034.
    expect(f1.transferOnly.atF1Cost.k).toBe(2);
    expect(f1.transferOnly.atF1Cost.f1Cost).toBeCloseTo(0.1 / 3, 14);
    expect(f1.transferOnly.atF1Cost.runtimeMs).toBe(100);
    expect(f1.transferOnly.atF1Cost.timeSaved).toBeCloseTo(1 - 100 / 135, 14);
    // Random: cost at K=1 is best − 1.6875/3 = 0.0708; at K=2 best − (2/3 + 2.05/6 + 0.8)/3 = 0.0306.
    expect(random.transferOnly.atF1Cost.k).toBe(2);
    expect(random.transferOnly.atF1Cost.timeSaved).toBeCloseTo(1 - 97.5 / 135, 12);
    // Oracle: the best at K=1 for 70 ms.
    expect(oracle.transferOnly.atF1Cost).toMatchObject({ k: 1, f1Cost: 0, runtimeMs: 70 });
    expect(oracle.transferOnly.atF1Cost.timeSaved).toBeCloseTo(65 / 135, 14);
  });

  it('transfer-only: first K with ≥ 50 % of the exhaustive time, and its relative F1 cost', () => {
    // 0.5 · 135 = 67.5; the predicted order spends 75 at K=1.
    expect(f1.transferOnly.atTimeFraction.k).toBe(1);
    expect(f1.transferOnly.atTimeFraction.relativeF1Cost).toBeCloseTo(0.2 / 1.9, 14);
    expect(f1.transferOnly.atTimeFraction.runtimeFraction).toBeCloseTo(75 / 135, 14);
    // Random spends 68.75 at K=1.
    expect(random.transferOnly.atTimeFraction.k).toBe(1);
    expect(random.transferOnly.atTimeFraction.relativeF1Cost).toBeCloseTo((best - 1.6875 / 3) / best, 12);
  });

  it('honest: overheads in the order and in exhaustive search', () => {
    // Predicted F1: S + Runtime@2 = 100 + 100 against S + all = 235.
    expect(f1.honest.atF1Cost).toMatchObject({ k: 2, runtimeMs: 200, exhaustiveRuntimeMs: 235 });
    expect(f1.honest.atF1Cost.timeSaved).toBeCloseTo(35 / 235, 14);
    // F1+ANSAT also pays conductance: 250 > 235, a negative saving.
    expect(ansat.honest.atF1Cost).toMatchObject({ k: 2, runtimeMs: 250 });
    expect(ansat.honest.atF1Cost.timeSaved).toBeCloseTo(-15 / 235, 14);
    // 50 % of 235 = 117.5: predicted F1 pays 175 at K=1.
    expect(f1.honest.atTimeFraction).toMatchObject({ k: 1, runtimeMs: 175 });
    expect(oracle.honest.atF1Cost.timeSaved).toBeCloseTo(1 - 170 / 235, 14);
    expect(ansat.overheadMs).toBe(150);
  });

  it('a stricter F1 cost or a larger time fraction moves K', () => {
    const strict = headline(curves(), exhaustive, costs, { maxF1Cost: 0.01, timeFraction: 0.9 });
    expect(strict.orders[0]!.transferOnly.atF1Cost.k).toBe(4); // only the full search reaches cost 0 for the predicted order
    expect(strict.orders[0]!.transferOnly.atTimeFraction.k).toBe(3); // 125 ≥ 121.5
  });

  it('honest overhead of a feature set: conductance only when it has ANSAT features, or its own extra cost', () => {
    expect(honestOverheadMs(costs)).toBe(100);
    expect(honestOverheadMs(costs, { name: 'F1', features: ['f1_source', 'f1_target'] })).toBe(100);
    expect(honestOverheadMs(costs, { name: 'F1+ANSAT', features: ['f1_source', 'ansat_D_B_0.35'] })).toBe(150);
    expect(honestOverheadMs(costs, { name: 'b', features: ['baseline_tfidf_cosine'], extraCostMs: 3 })).toBe(103);
  });

  it('rejects nonsense', () => {
    expect(() => headline(curves(), { ...exhaustive, runtimeMs: 0 }, costs)).toThrow(/total wall time is 0 ms/);
    expect(() => headline(curves(), exhaustive, { singleTaskMs: -1, conductanceMs: 0 })).toThrow(/costs.singleTaskMs must be a finite number ≥ 0/);
    expect(() => headline(curves(), exhaustive, costs, { timeFraction: 1.5 })).toThrow(/timeFraction must be in \(0, 1\]/);
  });
});
