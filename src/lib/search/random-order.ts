/**
 * The random-order baseline of Fig. 2, as an exact expectation over all N! orders of a target's
 * candidates (no sampling noise, no seed).
 *
 * The first K candidates of a uniformly random order are a uniformly random K-subset. With the values
 * sorted v(1) ≤ … ≤ v(N) (ties kept as separate positions), the subset's maximum is v(i) exactly when
 * position i is chosen and the other K−1 come from the i−1 below it:
 *   P(max = v(i)) = C(i−1, K−1) / C(N, K).
 * Binomials overflow doubles long before N is large, so the probabilities are built by the ratio
 *   P(N) = K/N,   P(i−1) = P(i) · (i−K) / (i−1)   (i = N … K+1),   P(i) = 0 for i < K,
 * a product of factors in [0, 1] that neither overflows nor cancels.
 * The expected runtime of the first K is K/N of the target's total (each candidate is among the
 * first K with probability K/N).
 */

/** P(max of a random K-subset is the i-th smallest), i = 1..N, as an array indexed 0..N−1. */
export function maxOfRandomSubsetProbabilities(n: number, k: number): Float64Array {
  if (!Number.isInteger(n) || n < 1) throw new Error(`random order: the number of candidates must be a positive integer, got ${n}`);
  if (!Number.isInteger(k) || k < 1) throw new Error(`random order: K must be a positive integer, got ${k}`);
  const p = new Float64Array(n);
  if (k >= n) {
    p[n - 1] = 1;
    return p;
  }
  p[n - 1] = k / n;
  for (let i = n; i > k; i--) p[i - 2] = (p[i - 1]! * (i - k)) / (i - 1);
  return p;
}

/** E[max of the first K values in a uniformly random order of `values`]. */
export function expectedBestOfRandomK(values: ArrayLike<number>, k: number): number {
  const sorted = Float64Array.from(values).sort();
  const p = maxOfRandomSubsetProbabilities(sorted.length, k);
  let e = 0;
  for (let i = 0; i < sorted.length; i++) e += p[i]! * sorted[i]!;
  return e;
}

/** E[summed cost of the first K in a uniformly random order] = min(K, N)/N · Σ cost. */
export function expectedCostOfRandomK(costs: ArrayLike<number>, k: number): number {
  let total = 0;
  for (let i = 0; i < costs.length; i++) total += costs[i]!;
  return k >= costs.length ? total : (k / costs.length) * total;
}
