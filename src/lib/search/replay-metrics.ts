/**
 * The per-target figures of a replayed search, for a concrete order and, exactly where it can be
 * done, in expectation over uniformly random orders.
 *
 * For a target with candidates c_1..c_N in search order, cumulative cost C_k (C_0 = 0) and
 * best-so-far B_k = max(single-task value, values of c_1..c_k) (B_0 = single-task value):
 *
 * - share_to_within_tolerance = C_k* / (base + total), k* the first k with B_k ≥ best available − tol,
 *   plus the accounting's overhead in the numerator: (overhead + C_k*) / (base + total).
 *   Transfer-only: overhead = base = 0. With overhead: overhead = what the strategy pays before its
 *   first transfer (single-task grid S, plus conductance where it uses ANSAT); base = S (exhaustive
 *   search pays S too: every transfer starts from the best single-task model).
 * - regret_at_share(s) = 100 · (best available − B_k) / best available, k the longest prefix whose
 *   cost fits the budget s · (base + total) − overhead (a negative budget trains nothing).
 * - regret_at_k(k) = 100 · (best source − max value of c_1..c_min(k,N))) / best source (Poth et al.
 *   2021: sources only, the single-task model is not a candidate).
 * A regret whose reference is 0 is 0 (nothing could be gained).
 *
 * Random orders, exactly: with G the candidates within tolerance, the expected spend until the first
 * of them is Σ_{g∈G} cost_g / |G| + Σ_{b∉G} cost_b / (|G| + 1) (a good candidate is paid when it is
 * the first of the goods, a bad one when it precedes all goods); E[max of the first k] by order
 * statistics (`random-order.ts`). regret_at_share has no such closed form (which prefix fits a budget
 * depends on the costs of the whole order), so it is averaged over sampled orders.
 */
import { expectedBestOfRandomK } from './random-order';
import { bestAvailable, bestSourceValue, totalCandidateCost, type ReplayTarget } from './replay-types';

/** Comparisons of F1 and cost allow this slack so that rounding in sums cannot move a step. */
const SLACK = 1e-9;

export interface Accounting {
  /** Paid before the first transfer. */
  overheadMs: number;
  /** Added to the target's total candidate cost in the denominator. */
  baseMs: number;
}

export const TRANSFER_ONLY: Accounting = { overheadMs: 0, baseMs: 0 };

function relativeRegret(reference: number, found: number): number {
  return reference <= 0 ? 0 : (100 * Math.max(0, reference - found)) / reference;
}

function checkOrder(t: ReplayTarget, order: readonly number[]): void {
  if (order.length !== t.candidates.length || new Set(order).size !== order.length || order.some((i) => !(i >= 0 && i < t.candidates.length))) {
    throw new Error(`replay: the order for target "${t.target}" is not a permutation of its ${t.candidates.length} candidates`);
  }
}

export function shareToWithinTolerance(t: ReplayTarget, order: readonly number[], tolerance: number, acc: Accounting = TRANSFER_ONLY): number {
  checkOrder(t, order);
  const goal = bestAvailable(t) - tolerance - SLACK;
  const denominator = acc.baseMs + totalCandidateCost(t);
  let best = t.singleValue;
  let spent = 0;
  for (const i of order) {
    if (best >= goal) break;
    const c = t.candidates[i]!;
    spent += c.costMs;
    best = Math.max(best, c.value);
  }
  return (acc.overheadMs + spent) / denominator;
}

/** B_k for the longest prefix of `order` whose cost fits the budget `share` · (base + total) − overhead. */
export function bestSoFarAtShare(t: ReplayTarget, order: readonly number[], share: number, acc: Accounting = TRANSFER_ONLY): number {
  checkOrder(t, order);
  const budget = share * (acc.baseMs + totalCandidateCost(t)) - acc.overheadMs;
  let best = t.singleValue;
  let spent = 0;
  for (const i of order) {
    const c = t.candidates[i]!;
    if (spent + c.costMs > budget + SLACK * Math.max(1, Math.abs(budget))) break;
    spent += c.costMs;
    best = Math.max(best, c.value);
  }
  return best;
}

export function regretAtShare(t: ReplayTarget, order: readonly number[], share: number, acc: Accounting = TRANSFER_ONLY): number {
  return relativeRegret(bestAvailable(t), bestSoFarAtShare(t, order, share, acc));
}

export function regretAtK(t: ReplayTarget, order: readonly number[], k: number): number {
  checkOrder(t, order);
  let found = -Infinity;
  for (let j = 0; j < Math.min(k, order.length); j++) found = Math.max(found, t.candidates[order[j]!]!.value);
  return relativeRegret(bestSourceValue(t), found);
}

/** E over uniformly random orders of `shareToWithinTolerance` (exact). */
export function expectedRandomShareToWithinTolerance(t: ReplayTarget, tolerance: number, acc: Accounting = TRANSFER_ONLY): number {
  const goal = bestAvailable(t) - tolerance - SLACK;
  const denominator = acc.baseMs + totalCandidateCost(t);
  if (t.singleValue >= goal) return acc.overheadMs / denominator;
  const good = t.candidates.filter((c) => c.value >= goal);
  const bad = t.candidates.filter((c) => c.value < goal);
  const sum = (cs: typeof good) => cs.reduce((s, c) => s + c.costMs, 0);
  const spent = sum(good) / good.length + sum(bad) / (good.length + 1);
  return (acc.overheadMs + spent) / denominator;
}

/** E over uniformly random orders of `regretAtK` (exact: regret is linear in the maximum found). */
export function expectedRandomRegretAtK(t: ReplayTarget, k: number): number {
  const values = t.candidates.map((c) => c.value);
  return relativeRegret(bestSourceValue(t), expectedBestOfRandomK(values, Math.min(k, values.length)));
}
