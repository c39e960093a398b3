/**
 * A mean over targets with its 95 % percentile-bootstrap interval over targets: resample the targets
 * with replacement, take each resample's mean, report the 2.5th and 97.5th percentiles of those
 * means (linear interpolation between order statistics). Targets are the unit that varies between
 * data sets, so they are what is resampled; the draws come from the project's seeded PRNG, and
 * the same seed and number of targets give the same resamples, so every strategy of one replay is
 * judged on the same resampled target sets (a paired comparison).
 *
 * Local to replay for now; a general helper for the stats of other commands may replace it.
 */
import { createRng } from '../util/rng';

export interface MeanInterval {
  mean: number;
  ci95: [number, number];
}

export const DEFAULT_BOOTSTRAP_RESAMPLES = 2000;

function quantileSorted(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

export function bootstrapMeanInterval(values: readonly number[], seed: number, resamples = DEFAULT_BOOTSTRAP_RESAMPLES): MeanInterval {
  const n = values.length;
  if (n === 0) throw new Error('bootstrap: no values (no targets)');
  if (!Number.isInteger(resamples) || resamples < 1) throw new Error(`bootstrap: resamples must be a positive integer, got ${resamples}`);
  for (const v of values) if (!Number.isFinite(v)) throw new Error(`bootstrap: every value must be finite, got ${v}`);
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const rng = createRng(seed);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += values[rng.int(n)]!;
    means[b] = s / n;
  }
  means.sort();
  return { mean, ci95: [quantileSorted(means, 0.025), quantileSorted(means, 0.975)] };
}
