/**
 * Prediction: base_score plus every tree's leaf value, accumulated in float32 tree by tree, which is
 * XGBoost's CPU predictor's order and precision (its predictions are reproduced bit for bit).
 */
import type { GbdtModel } from './model';
import { leafIndex, type RegTree } from './tree';

const f32 = Math.fround;

/** Checks that `X` is a row-major n × numFeature matrix; the message names what is wrong. */
export function checkMatrix(X: Float32Array, n: number, d: number, what = 'X'): void {
  if (!Number.isInteger(n) || n < 0) throw new Error(`${what}: row count must be a non-negative integer, got ${n}`);
  if (X.length !== n * d) throw new Error(`${what}: expected ${n} rows × ${d} columns = ${n * d} values, got ${X.length}`);
}

/** Adds one tree's leaf values to `out` (float32 accumulation). */
export function addTreePredictions(tree: RegTree, X: Float32Array, n: number, d: number, out: Float32Array): void {
  const leafValue = tree.splitCondition;
  for (let r = 0; r < n; r++) out[r] = f32(out[r] + leafValue[leafIndex(tree, X, r, d)]);
}

/** Predicts every row of the row-major n × model.numFeature matrix `X`. Missing values are NaN. */
export function predictGbdt(model: GbdtModel, X: Float32Array, n: number, opts: { treeLimit?: number } = {}): Float32Array {
  const d = model.numFeature;
  checkMatrix(X, n, d);
  const out = new Float32Array(n).fill(model.baseScore);
  const limit = Math.min(opts.treeLimit ?? model.trees.length, model.trees.length);
  for (let t = 0; t < limit; t++) addTreePredictions(model.trees[t], X, n, d, out);
  return out;
}
