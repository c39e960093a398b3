/**
 * A bootstrap confidence interval and the options every bootstrap of this folder takes.
 *
 * Percentile intervals (Efron): the interval is the (1 − c)/2 and (1 + c)/2 quantiles of the
 * statistic over resamples. Chosen over BCa or studentized intervals because they need nothing but
 * the statistic (F1 has no closed-form standard error over documents AND seeds), are what readers of
 * "95 % bootstrap interval" expect, and are exact for the cases the tests can check (a constant gives
 * a point; identical paired arms give [0, 0]).
 */

export const DEFAULT_REPLICATES = 2000;
export const DEFAULT_CONFIDENCE = 0.95;

export interface BootstrapOptions {
  /** Seed of the resampling (the project's PRNG, `util/rng.ts`): the same seed gives the same interval. */
  seed: number;
  /** Number of resamples; default `DEFAULT_REPLICATES`; an integer ≥ 1. */
  replicates?: number;
  /** Coverage in (0, 1); default `DEFAULT_CONFIDENCE`. */
  confidence?: number;
}

export interface Interval {
  /** The statistic on the data as given (not the mean of the resamples). */
  estimate: number;
  low: number;
  high: number;
  confidence: number;
  replicates: number;
}

export function resolveBootstrapOptions(options: BootstrapOptions, caller: string): Required<BootstrapOptions> {
  const replicates = options.replicates ?? DEFAULT_REPLICATES;
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  if (!Number.isFinite(options.seed)) throw new Error(`${caller}: seed must be a finite number, got ${options.seed}`);
  if (!(Number.isInteger(replicates) && replicates >= 1)) throw new Error(`${caller}: replicates must be an integer ≥ 1, got ${replicates}`);
  if (!(confidence > 0 && confidence < 1)) throw new Error(`${caller}: confidence must be in (0, 1), got ${confidence}`);
  return { seed: options.seed, replicates, confidence };
}

/** The q-quantile of ascending `sorted` by linear interpolation between order statistics (R type 7). */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new Error('quantileOfSorted: no values');
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** The percentile interval of `replicates` (the statistic over resamples) around `estimate`. */
export function percentileInterval(estimate: number, replicates: Float64Array, confidence: number): Interval {
  const sorted = Float64Array.from(replicates).sort();
  const tail = (1 - confidence) / 2;
  return {
    estimate,
    low: quantileOfSorted(sorted, tail),
    high: quantileOfSorted(sorted, 1 - tail),
    confidence,
    replicates: replicates.length,
  };
}

/** Whether the interval excludes 0 (a difference that resampling does not explain away). */
export function excludesZero(interval: Interval): boolean {
  return interval.low > 0 || interval.high < 0;
}
