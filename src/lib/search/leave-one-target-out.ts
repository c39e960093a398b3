/**
 * Leave-one-target-out evaluation (docs/DESIGN.md step 5): the prediction for every candidate of target B
 * comes from a regressor fitted on the rows whose target is not B. Rows whose SOURCE is B stay in B's
 * training fold: they carry no label of a transfer INTO B, and this is the paper's protocol
 * ("leave one target out", not "leave one task out").
 */
import { candidatesByTarget } from './candidates';
import type { FitFunction, TransferRow } from './types';
import { requireNonEmpty, validateTransferRows } from './validate';

export interface TargetFold {
  target: string;
  /** Row indices the regressor for this target is fitted on (target ≠ this target), in input order. */
  train: number[];
  /** Row indices of this target's candidates, in input order. */
  test: number[];
}

/** The folds, one per target (targets sorted by name). Exposed so a pipeline can run them as jobs. */
export function leaveOneTargetOutFolds(rows: readonly TransferRow[]): TargetFold[] {
  requireNonEmpty('leaveOneTargetOut', rows);
  const groups = candidatesByTarget(rows);
  if (groups.length < 2) {
    throw new Error(
      `leaveOneTargetOut: all transfer rows have target "${groups[0]!.target}"; at least two targets are needed so that each target's regressor has rows to learn from`,
    );
  }
  return groups.map((g) => {
    const test = new Set(g.rows);
    const train: number[] = [];
    for (let i = 0; i < rows.length; i++) if (!test.has(i)) train.push(i);
    return { target: g.target, train, test: g.rows };
  });
}

/** Row-major float32 design matrix of the given rows and feature names (the regressor's X). */
export function designMatrix(
  rows: readonly TransferRow[],
  indices: readonly number[],
  featureNames: readonly string[],
): Float32Array {
  const d = featureNames.length;
  const X = new Float32Array(indices.length * d);
  indices.forEach((rowIndex, r) => {
    const features = rows[rowIndex]!.features;
    for (let c = 0; c < d; c++) X[r * d + c] = features[featureNames[c]!]!;
  });
  return X;
}

export function labelVector(rows: readonly TransferRow[], indices: readonly number[]): Float32Array {
  return Float32Array.from(indices, (i) => rows[i]!.f1);
}

/**
 * Fits one regressor per target on the other targets' rows and predicts the target's rows.
 * Returns predictions aligned with `rows` (float64 copies of the regressor's float32 outputs).
 */
export function leaveOneTargetOut(
  rows: readonly TransferRow[],
  featureNames: readonly string[],
  fit: FitFunction,
): Float64Array {
  if (featureNames.length === 0) throw new Error('leaveOneTargetOut: the feature set is empty');
  if (new Set(featureNames).size !== featureNames.length) {
    throw new Error(`leaveOneTargetOut: duplicate feature names in [${featureNames.join(', ')}]`);
  }
  validateTransferRows(rows, featureNames);
  const folds = leaveOneTargetOutFolds(rows);
  const d = featureNames.length;
  const out = new Float64Array(rows.length).fill(Number.NaN);
  for (const fold of folds) {
    const predict = fit(designMatrix(rows, fold.train, featureNames), fold.train.length, d, labelVector(rows, fold.train));
    const pred = predict(designMatrix(rows, fold.test, featureNames), fold.test.length);
    if (pred.length !== fold.test.length) {
      throw new Error(
        `leaveOneTargetOut: the regressor for target "${fold.target}" returned ${pred.length} predictions for ${fold.test.length} rows`,
      );
    }
    fold.test.forEach((rowIndex, k) => {
      const v = pred[k]!;
      if (!Number.isFinite(v)) {
        throw new Error(`leaveOneTargetOut: the regressor for target "${fold.target}" predicted ${v} for row ${rowIndex}`);
      }
      out[rowIndex] = v;
    });
  }
  return out;
}
