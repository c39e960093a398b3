/**
 * Candidates and their orders. The candidates of target B are the transfer rows whose target is B
 * (every source × setting that was trained). A search *order* is, per target, a permutation of its
 * candidates: the order in which one would train them.
 *
 * Tie rule (documented because it changes Fig. 2 when predictions tie, which boosted trees do often:
 * rows that fall in the same leaves get identical predictions): among equal scores, the candidate
 * whose source name is smaller (plain UTF-16 code-unit comparison, locale-independent) comes first;
 * then smaller lr, epochs, batch, seed; then the earlier input row. The result is a total, stable,
 * reproducible order that does not depend on the order of the input rows except as last resort.
 */
import type { TransferRow } from './types';

export interface TargetCandidates {
  target: string;
  /** Indices into the rows array, in input order. */
  rows: number[];
}

/** Groups row indices by target; targets sorted by name (code units) so output order is stable. */
export function candidatesByTarget(rows: readonly TransferRow[]): TargetCandidates[] {
  const groups = new Map<string, number[]>();
  rows.forEach((r, i) => {
    let g = groups.get(r.target);
    if (g === undefined) groups.set(r.target, (g = []));
    g.push(i);
  });
  return [...groups.keys()].sort(compareStrings).map((target) => ({ target, rows: groups.get(target)! }));
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The tie-break shared by every order: source name, then settings, then input position. */
export function compareTieBreak(rows: readonly TransferRow[], i: number, j: number): number {
  const a = rows[i]!;
  const b = rows[j]!;
  return (
    compareStrings(a.source, b.source) ||
    a.settings.lr - b.settings.lr ||
    a.settings.epochs - b.settings.epochs ||
    a.settings.batch - b.settings.batch ||
    a.settings.seed - b.settings.seed ||
    i - j
  );
}

/** Orders `indices` by descending `scores[index]` (scores aligned with rows), ties by `compareTieBreak`. */
export function orderByScore(
  rows: readonly TransferRow[],
  indices: readonly number[],
  scores: ArrayLike<number>,
): number[] {
  return [...indices].sort((i, j) => scores[j]! - scores[i]! || compareTieBreak(rows, i, j));
}

/**
 * The oracle order: descending actual F1; among equal F1 the shorter training first (the oracle would
 * pick the cheaper of two equally good models), then `compareTieBreak`.
 */
export function oracleOrder(rows: readonly TransferRow[], indices: readonly number[]): number[] {
  return [...indices].sort(
    (i, j) => rows[j]!.f1 - rows[i]!.f1 || rows[i]!.wallTimeMs - rows[j]!.wallTimeMs || compareTieBreak(rows, i, j),
  );
}

/** Per target, its candidates ordered by descending prediction. `predictions` is aligned with rows. */
export function predictedOrders(
  rows: readonly TransferRow[],
  groups: readonly TargetCandidates[],
  predictions: ArrayLike<number>,
): number[][] {
  if (predictions.length !== rows.length) {
    throw new Error(`predictions has ${predictions.length} values but there are ${rows.length} transfer rows`);
  }
  for (let i = 0; i < predictions.length; i++) {
    if (!Number.isFinite(predictions[i]!)) {
      throw new Error(`prediction for transfer row ${i} (${rows[i]!.source}→${rows[i]!.target}) is ${predictions[i]}, expected a finite number`);
    }
  }
  return groups.map((g) => orderByScore(rows, g.rows, predictions));
}

export function oracleOrders(rows: readonly TransferRow[], groups: readonly TargetCandidates[]): number[][] {
  return groups.map((g) => oracleOrder(rows, g.rows));
}
