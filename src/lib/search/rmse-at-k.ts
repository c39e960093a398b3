/**
 * Fig. 1: RMSE@K, the regressor's error on the candidates it would put first.
 *
 * For each target, its top-K candidates by predicted F1 (order of `candidates.ts`, ties included);
 * a target with fewer than K candidates contributes all of them.
 * - `rmsePooled` (the figure's value): RMSE between predicted and actual F1 over the POOLED top-K rows
 *   of all targets, i.e. every selected row weighs the same. This is what "RMSE on each target's top-K"
 *   means when one number is reported per K, and it does not let targets with few candidates dominate.
 * - `rmsePerTargetMean`: the mean over targets of each target's own RMSE on its top-K, so that every
 *   target weighs the same; it differs from the pooled value when targets have different numbers of
 *   candidates or very different errors.
 */
import { candidatesByTarget, predictedOrders } from './candidates';
import type { TransferRow } from './types';
import { requireNonEmpty } from './validate';

/** The paper's K values. */
export const DEFAULT_RMSE_KS: readonly number[] = [5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100];

export interface RmseAtKPoint {
  featureSet: string;
  k: number;
  rmsePooled: number;
  rmsePerTargetMean: number;
  /** Number of rows in the pooled top-K (Σ_targets min(K, n_target)). */
  rowsPooled: number;
  targets: number;
}

/**
 * The K values actually reported: those of `ks` below the largest candidate count, then that count
 * itself if it is ≤ the largest requested K ("capped at the number of candidates"). Beyond the largest
 * candidate count every K selects all rows, so larger K values would only repeat the last point.
 */
export function cappedKs(ks: readonly number[], maxCandidates: number): number[] {
  const sorted = [...new Set(ks)].sort((a, b) => a - b);
  for (const k of sorted) {
    if (!Number.isInteger(k) || k < 1) throw new Error(`RMSE@K: K must be a positive integer, got ${k}`);
  }
  const out = sorted.filter((k) => k < maxCandidates);
  if (sorted.length > 0 && maxCandidates <= sorted[sorted.length - 1]!) out.push(maxCandidates);
  return out;
}

export function rmseAtK(
  rows: readonly TransferRow[],
  predictions: ArrayLike<number>,
  featureSet: string,
  ks: readonly number[] = DEFAULT_RMSE_KS,
): RmseAtKPoint[] {
  requireNonEmpty('rmseAtK', rows);
  const groups = candidatesByTarget(rows);
  const orders = predictedOrders(rows, groups, predictions);
  const maxCandidates = Math.max(...groups.map((g) => g.rows.length));
  return cappedKs(ks, maxCandidates).map((k) => {
    let pooledSq = 0;
    let pooledN = 0;
    let perTargetSum = 0;
    for (const order of orders) {
      const top = order.slice(0, k);
      let sq = 0;
      for (const i of top) {
        const e = predictions[i]! - rows[i]!.f1;
        sq += e * e;
      }
      pooledSq += sq;
      pooledN += top.length;
      perTargetSum += Math.sqrt(sq / top.length);
    }
    return {
      featureSet,
      k,
      rmsePooled: Math.sqrt(pooledSq / pooledN),
      rmsePerTargetMean: perTargetSum / orders.length,
      rowsPooled: pooledN,
      targets: orders.length,
    };
  });
}
