/**
 * One bootstrap resample of n units (documents, seeds, targets) as multiplicities: `counts[i]` =
 * how often unit i was drawn in n draws with replacement. Statistics that are sums over units
 * (tp, fp, fn; runtimes) are then weighted sums, with no copy of the data per resample.
 */
import type { Rng } from '../util/rng';

export function resampleCounts(n: number, rng: Rng, counts: Int32Array = new Int32Array(n)): Int32Array {
  if (counts.length !== n) throw new Error(`resampleCounts: counts has length ${counts.length}, expected ${n}`);
  counts.fill(0);
  for (let k = 0; k < n; k++) counts[rng.int(n)]++;
  return counts;
}
