/**
 * Predictive samples for new pairs from a bootstrap ensemble of the boosted trees.
 *
 * Why this method: the regressor of the recommend loop is fitted on few rows (a handful of
 * transfers into the target, plus what other targets and priors give), and the question the loop
 * asks of an untrained source is "could it still beat the best so far?". That needs a predictive
 * distribution of a NEW transfer's F1, not only of the regressor's mean. A bootstrap ensemble gives
 * the estimation part without any assumption on the trees (Efron & Tibshirani 1993; for tree
 * ensembles, e.g. Breiman's bagging): each member is fitted on rows drawn with replacement, and the
 * spread of the members' predictions is the spread of the fit under resampled data. The noise part
 * (seed noise of a transfer, ~±0.05 F1, and what the features do not explain) comes from each
 * member's out-of-bag residuals: rows the member did not see, so their residuals are honest
 * prediction errors, not training errors. A sample is a member's prediction plus one of its own
 * out-of-bag residuals (the "bootstrap with out-of-bag residuals" prediction interval); the
 * interval is a pair of quantiles of the pooled samples, clipped to [0, 1] (F1's range).
 *
 * Below MIN_ROWS_FOR_INTERVAL rows a bootstrap says nothing (with 1 row every member is the same),
 * so the interval is then the whole range [0, 1]: the loop cannot stop on it.
 */
import { createRng } from '../util/rng';
import { designRows } from './replay-order';
import type { FitFunction } from './types';

export interface LabelledRow {
  features: Readonly<Record<string, number>>;
  value: number;
}

export interface EnsembleOptions {
  fit: FitFunction;
  /** Bootstrap members (default 32). */
  members?: number;
  seed?: number;
}

export const DEFAULT_ENSEMBLE_MEMBERS = 32;
export const MIN_ROWS_FOR_INTERVAL = 4;

export interface PredictiveSamples {
  /** Mean of the members' predictions, per candidate. */
  mean: Float64Array;
  /** Pooled predictive samples per candidate (prediction + out-of-bag residual), clipped to [0, 1]. */
  samples: Float64Array[];
  /** False when there were too few rows for an interval (then `samples` are the bare predictions). */
  informative: boolean;
}

const clip01 = (v: number) => Math.min(1, Math.max(0, v));

export function predictiveSamples(
  rows: readonly LabelledRow[],
  candidates: readonly Readonly<Record<string, number>>[],
  featureNames: readonly string[],
  options: EnsembleOptions,
): PredictiveSamples {
  const n = rows.length;
  if (n === 0) throw new Error('recommend: the regressor has no rows to fit on');
  if (featureNames.length === 0) throw new Error('recommend: the regressor needs at least one feature');
  const members = options.members ?? DEFAULT_ENSEMBLE_MEMBERS;
  if (!Number.isInteger(members) || members < 1) throw new Error(`recommend: ensemble members must be a positive integer, got ${members}`);
  const d = featureNames.length;
  const Xall = designRows(rows.map((r) => r.features), featureNames);
  const Xc = designRows(candidates, featureNames);
  const m = candidates.length;
  const rng = createRng(options.seed ?? 0);
  const mean = new Float64Array(m);
  const pooled: number[][] = candidates.map(() => []);
  for (let b = 0; b < members; b++) {
    const idx = Array.from({ length: n }, () => rng.int(n));
    const inBag = new Set(idx);
    const X = new Float32Array(n * d);
    const y = new Float32Array(n);
    idx.forEach((i, r) => {
      X.set(Xall.subarray(i * d, (i + 1) * d), r * d);
      y[r] = rows[i]!.value;
    });
    const predict = options.fit(X, n, d, y);
    const oob = rows.map((_, i) => i).filter((i) => !inBag.has(i));
    const residuals: number[] = [];
    if (oob.length > 0) {
      const Xo = new Float32Array(oob.length * d);
      oob.forEach((i, r) => Xo.set(Xall.subarray(i * d, (i + 1) * d), r * d));
      const po = predict(Xo, oob.length);
      oob.forEach((i, r) => residuals.push(rows[i]!.value - po[r]!));
    }
    const pc = predict(Xc, m);
    for (let c = 0; c < m; c++) {
      mean[c] += pc[c]! / members;
      if (residuals.length === 0) pooled[c]!.push(clip01(pc[c]!));
      else for (const r of residuals) pooled[c]!.push(clip01(pc[c]! + r));
    }
  }
  return { mean, samples: pooled.map((p) => Float64Array.from(p).sort()), informative: n >= MIN_ROWS_FOR_INTERVAL };
}

/** Quantile of sorted samples (linear interpolation between order statistics). */
export function quantileOfSorted(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

/** E[max(0, S − best)] over the samples: the expected gain of training this source over the best so far. */
export function expectedImprovement(sorted: Float64Array, best: number): number {
  let s = 0;
  for (const v of sorted) s += Math.max(0, v - best);
  return s / sorted.length;
}
