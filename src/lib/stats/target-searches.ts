/**
 * The per-target curves `orderVsRandom` resamples, built with the search module's own curve code
 * (`budgetCurveOfOrder`, `randomBudgetCurve`) one target at a time, so the bootstrap recomputes
 * exactly the figures the headline reports.
 */
import { budgetCurveOfOrder, randomBudgetCurve } from '../search/budget-curve';
import type { TargetCandidates } from '../search/candidates';
import type { TransferRow } from '../search/types';
import type { TargetSearch } from './order-vs-random';

/** `orders[t]`: target t's candidates (row indices) in the order's search order, as `groups[t]`. */
export function targetSearchesOf(
  rows: readonly TransferRow[],
  groups: readonly TargetCandidates[],
  orders: readonly (readonly number[])[],
): TargetSearch[] {
  if (orders.length !== groups.length) throw new Error(`targetSearchesOf: ${orders.length} orders for ${groups.length} targets`);
  return groups.map((g, t) => {
    const order = budgetCurveOfOrder(rows, [orders[t]!], { order: 'order', kind: 'predicted', overheadMs: 0 });
    const random = randomBudgetCurve(rows, [g], 0);
    return {
      target: g.target,
      orderBestF1: order.points.map((p) => p.meanBestF1),
      orderRuntimeMs: order.points.map((p) => p.runtimeMs),
      randomBestF1: random.points.map((p) => p.meanBestF1),
      randomRuntimeMs: random.points.map((p) => p.runtimeMs),
    };
  });
}
