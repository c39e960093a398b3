/**
 * How a replayed strategy orders one target's candidates, using only what it would know at that
 * point of a real search.
 *
 * `sequentialOrder` is the guard: a strategy is a `pickNext` function that sees the candidates it
 * has already "trained" WITH their values, and the untrained ones as source and pair features only
 * (the view objects are built without a value field, so a strategy cannot read one by accident).
 * A value is revealed only once its candidate has been picked.
 *
 * - `guidedPicker`: before every pick, refits the regressor on the other targets' candidates (all of
 *   them: in an exhaustive run they are known, as under leave-one-target-out) plus this target's
 *   trained candidates, then picks the untrained candidate with the highest prediction. One
 *   regressor row per (source, target) pair with the pair's value as its label: the pair is the
 *   unit that is decided, trained and valued, and all runs of a pair share its features, so
 *   per-run rows would only repeat the features and teach the mean over settings, not the best.
 * - `scorePicker`: a fixed score per candidate (e.g. the LogME feature), highest first.
 * - `oracleOrder`: by actual value (privileged by definition; the upper bound).
 *
 * Ties (boosted trees tie often): the smaller source name (code units) first.
 */
import { compareStrings } from './candidates';
import type { ReplayCandidate, ReplayTarget } from './replay-types';
import type { FitFunction } from './types';

export interface UntrainedView {
  /** Index into the target's candidates. */
  readonly index: number;
  readonly source: string;
  readonly features: Readonly<Record<string, number>>;
}

export interface TrainedView extends UntrainedView {
  readonly value: number;
}

/** Returns the `index` of the untrained candidate to train next. */
export type PickNext = (trained: readonly TrainedView[], untrained: readonly UntrainedView[]) => number;

export function sequentialOrder(target: ReplayTarget, pickNext: PickNext): number[] {
  let untrained: UntrainedView[] = target.candidates.map((c, index) => ({ index, source: c.source, features: c.features }));
  const trained: TrainedView[] = [];
  while (untrained.length > 0) {
    const picked = pickNext(trained, untrained);
    const view = untrained.find((u) => u.index === picked);
    if (!view) throw new Error(`replay: the strategy picked candidate ${picked} of target "${target.target}", which is not among the untrained ones`);
    trained.push({ ...view, value: target.candidates[picked]!.value });
    untrained = untrained.filter((u) => u !== view);
  }
  return trained.map((t) => t.index);
}

/** The untrained candidate with the highest score (NaN counts as lowest); ties: smaller source name. */
export function argmaxByScore(untrained: readonly UntrainedView[], scores: ArrayLike<number>): number {
  let best = 0;
  const s = (i: number) => (Number.isNaN(scores[i]!) ? -Infinity : scores[i]!);
  for (let i = 1; i < untrained.length; i++) {
    const a = s(i);
    const b = s(best);
    if (a > b || (a === b && compareStrings(untrained[i]!.source, untrained[best]!.source) < 0)) best = i;
  }
  return untrained[best]!.index;
}

export function scorePicker(score: (features: Readonly<Record<string, number>>) => number): PickNext {
  return (_trained, untrained) => argmaxByScore(untrained, untrained.map((u) => score(u.features)));
}

/** Row-major design matrix of `names` (a missing feature is NaN); also the recommend loop's. */
export function designRows(features: readonly Readonly<Record<string, number>>[], names: readonly string[]): Float32Array {
  const d = names.length;
  const X = new Float32Array(features.length * d);
  features.forEach((f, r) => {
    for (let c = 0; c < d; c++) X[r * d + c] = f[names[c]!] ?? NaN;
  });
  return X;
}

/**
 * The guided strategy for one target: `context` are the rows it may always learn from (the other
 * targets' candidates, with their values).
 */
export function guidedPicker(
  context: readonly { features: Readonly<Record<string, number>>; value: number }[],
  featureNames: readonly string[],
  fit: FitFunction,
  /** Subtracted from a trained candidate's value to make its label (the gain labels of cross-dataset.ts). */
  trainedOffset = 0,
): PickNext {
  if (featureNames.length === 0) throw new Error('replay: the guided strategy needs at least one feature');
  return (trained, untrained) => {
    if (untrained.length === 1) return untrained[0]!.index;
    const rows = [...context, ...trained.map((t) => ({ features: t.features, value: t.value - trainedOffset }))];
    if (rows.length === 0) throw new Error('replay: the guided strategy has no rows to fit on (one target, nothing trained)');
    const predict = fit(designRows(rows.map((r) => r.features), featureNames), rows.length, featureNames.length, Float32Array.from(rows, (r) => r.value));
    const pred = predict(designRows(untrained.map((u) => u.features), featureNames), untrained.length);
    if (pred.length !== untrained.length) throw new Error(`replay: the regressor returned ${pred.length} predictions for ${untrained.length} candidates`);
    return argmaxByScore(untrained, pred);
  };
}

/** Descending value; equal values: cheaper first, then smaller source name. */
export function oracleOrder(target: ReplayTarget): number[] {
  const c: readonly ReplayCandidate[] = target.candidates;
  return c.map((_, i) => i).sort((i, j) => c[j]!.value - c[i]!.value || c[i]!.costMs - c[j]!.costMs || compareStrings(c[i]!.source, c[j]!.source));
}
