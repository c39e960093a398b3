/**
 * Prediction: base_score plus every tree's leaf value, accumulated in float32 tree by tree, which is
 * XGBoost's CPU predictor's order and precision (its predictions are reproduced bit for bit).
 */
import type { GbdtModel } from './model';
import type { RegTree } from './tree';

const f32 = Math.fround;

/** Checks that `X` is a row-major n × numFeature matrix; the message names what is wrong. */
export function checkMatrix(X: Float32Array, n: number, d: number, what = 'X'): void {
  if (!Number.isInteger(n) || n < 0) throw new Error(`${what}: row count must be a non-negative integer, got ${n}`);
  if (X.length !== n * d) throw new Error(`${what}: expected ${n} rows × ${d} columns = ${n * d} values, got ${X.length}`);
}

/** Adds one tree's leaf values for rows [begin, end) to `out` (float32 accumulation). */
export function addTreePredictions(tree: RegTree, X: Float32Array, n: number, d: number, out: Float32Array, begin = 0, end = n): void {
  const { left, right, splitIndex, defaultLeft } = tree;
  const cond = tree.splitCondition;
  for (let r = begin; r < end; r++) {
    const base = r * d;
    let nid = 0;
    while (left[nid] !== -1) {
      const v = X[base + splitIndex[nid]];
      const c = cond[nid];
      // Both comparisons fail only for NaN: the missing value takes the default branch.
      nid = v < c ? left[nid] : v >= c ? right[nid] : defaultLeft[nid] ? left[nid] : right[nid];
    }
    out[r] = f32(out[r] + cond[nid]);
  }
}

/** Rows per block: a block's features stay in cache while every tree walks them. */
const BLOCK = 128;

/** Predicts every row of the row-major n × model.numFeature matrix `X`. Missing values are NaN. */
export function predictGbdt(model: GbdtModel, X: Float32Array, n: number, opts: { treeLimit?: number } = {}): Float32Array {
  const d = model.numFeature;
  checkMatrix(X, n, d);
  const out = new Float32Array(n).fill(model.baseScore);
  const limit = Math.min(opts.treeLimit ?? model.trees.length, model.trees.length);
  for (let begin = 0; begin < n; begin += BLOCK) {
    const end = Math.min(n, begin + BLOCK);
    for (let t = 0; t < limit; t++) addTreePredictions(model.trees[t], X, n, d, out, begin, end);
  }
  return out;
}
