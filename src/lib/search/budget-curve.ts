/**
 * Fig. 2: quality found vs training time spent, per search order.
 *
 * For depth K = 1 … (largest number of candidates of any target):
 * - `meanBestF1` = mean over targets of the best ACTUAL F1 among the target's first K candidates;
 * - `runtimeMs`  = Runtime@K = the summed training wall time of those candidates over all targets.
 * A target with fewer than K candidates contributes all of its candidates (its search is over).
 * Every target weighs the same in the mean, whatever its number of candidates.
 *
 * `runtimeMs` counts transfer trainings only. `overheadMs` is what the order must pay before its first
 * transfer training under the honest accounting (single-task models, conductance; see `headline.ts`),
 * so its honest Runtime@K is `overheadMs + runtimeMs`.
 */
import type { TargetCandidates } from './candidates';
import { expectedBestOfRandomK, expectedCostOfRandomK } from './random-order';
import type { TransferRow } from './types';

export type OrderKind = 'predicted' | 'random' | 'oracle';

export interface BudgetPoint {
  k: number;
  meanBestF1: number;
  runtimeMs: number;
}

export interface BudgetCurve {
  /** e.g. "predicted:F1+ANSAT", "random", "oracle". */
  order: string;
  kind: OrderKind;
  /** Honest-accounting cost paid before any transfer training (ms). */
  overheadMs: number;
  points: BudgetPoint[];
}

/** The reference every order is measured against: every candidate of every target trained. */
export interface ExhaustiveSearch {
  /** Mean over targets of the best actual F1 among all its candidates. */
  meanBestF1: number;
  /** Summed wall time of all transfer trainings. */
  runtimeMs: number;
  targets: number;
  candidates: number;
}

export function maxDepth(groups: readonly TargetCandidates[]): number {
  return Math.max(...groups.map((g) => g.rows.length));
}

export function exhaustiveSearch(rows: readonly TransferRow[], groups: readonly TargetCandidates[]): ExhaustiveSearch {
  let bestSum = 0;
  let runtimeMs = 0;
  let candidates = 0;
  for (const g of groups) {
    let best = -Infinity;
    for (const i of g.rows) {
      best = Math.max(best, rows[i]!.f1);
      runtimeMs += rows[i]!.wallTimeMs;
    }
    bestSum += best;
    candidates += g.rows.length;
  }
  return { meanBestF1: bestSum / groups.length, runtimeMs, targets: groups.length, candidates };
}

/** The curve of a concrete order: `orders[t]` is target t's candidates (row indices) in search order. */
export function budgetCurveOfOrder(
  rows: readonly TransferRow[],
  orders: readonly (readonly number[])[],
  meta: { order: string; kind: OrderKind; overheadMs: number },
): BudgetCurve {
  const depth = Math.max(...orders.map((o) => o.length));
  const best = new Float64Array(orders.length).fill(-Infinity);
  let runtimeMs = 0;
  const points: BudgetPoint[] = [];
  for (let k = 1; k <= depth; k++) {
    let sum = 0;
    orders.forEach((order, t) => {
      if (k <= order.length) {
        const row = rows[order[k - 1]!]!;
        best[t] = Math.max(best[t]!, row.f1);
        runtimeMs += row.wallTimeMs;
      }
      sum += best[t]!;
    });
    points.push({ k, meanBestF1: sum / orders.length, runtimeMs });
  }
  return { ...meta, points };
}

/** The random order's EXPECTED curve (see `random-order.ts`); a target with N < K candidates gives all N. */
export function randomBudgetCurve(
  rows: readonly TransferRow[],
  groups: readonly TargetCandidates[],
  overheadMs: number,
): BudgetCurve {
  const f1s = groups.map((g) => g.rows.map((i) => rows[i]!.f1));
  const costs = groups.map((g) => g.rows.map((i) => rows[i]!.wallTimeMs));
  const points: BudgetPoint[] = [];
  for (let k = 1, depth = maxDepth(groups); k <= depth; k++) {
    let sum = 0;
    let runtimeMs = 0;
    for (let t = 0; t < groups.length; t++) {
      sum += expectedBestOfRandomK(f1s[t]!, k);
      runtimeMs += expectedCostOfRandomK(costs[t]!, k);
    }
    points.push({ k, meanBestF1: sum / groups.length, runtimeMs });
  }
  return { order: 'random', kind: 'random', overheadMs, points };
}
