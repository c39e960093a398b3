/**
 * Gradient boosting with squared error, XGBoost semantics: every round computes g = pred − y
 * (float32) and h = 1, grows one tree (exact or hist), prunes it with γ, and adds its leaf values to
 * the predictions in float32. With a validation set and `early_stopping_rounds`, training stops
 * once the validation RMSE has not improved (strictly) for that many rounds, and the trees after
 * the best round are dropped.
 */
import { growExactTree, prepareExact, ExactWorkspace } from './exact';
import { HistGrower } from './hist';
import type { GbdtModel } from './model';
import { resolveParams, type GbdtParams } from './params';
import { addTreePredictions, checkMatrix } from './predict';
import { pruneTree } from './prune';
import { ColumnSampler, samplingRng } from './sampling';
import { splitParams } from './split-math';
import type { RegTree, TreeBuilder } from './tree';

const f32 = Math.fround;

export interface ValidationSet {
  X: Float32Array;
  n: number;
  y: Float32Array;
}

export interface FitOptions {
  /** Evaluated every round; needed for early stopping. Same columns as the training matrix. */
  valid?: ValidationSet;
  featureNames?: string[];
  /** Called after every round with the RMSE on the training rows (and on `valid`). */
  onRound?: (round: number, trainRmse: number, validRmse?: number) => void;
  /** Checked between rounds; an aborted fit throws the signal's reason. */
  signal?: AbortSignal;
  /**
   * `hist` only: 'js' forces the JavaScript histogram loop instead of the WebAssembly SIMD one
   * (both give identical models; for tests and benchmarks).
   */
  histKernel?: 'auto' | 'js';
}

/** RMSE in float64 over float32 predictions, as XGBoost's `rmse` metric. */
export function rmse(pred: Float32Array, y: Float32Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const e = pred[i] - y[i];
    s += e * e;
  }
  return y.length === 0 ? NaN : Math.sqrt(s / y.length);
}

function checkInputs(X: Float32Array, n: number, d: number, y: Float32Array, what: string): void {
  if (!Number.isInteger(d) || d < 1) throw new Error(`${what}: feature count must be a positive integer, got ${d}`);
  checkMatrix(X, n, d, what);
  if (y.length !== n) throw new Error(`${what}: ${n} rows but ${y.length} labels`);
  for (let r = 0; r < n; r++) {
    if (!Number.isFinite(y[r])) throw new Error(`${what}: label of row ${r} is ${y[r]}; labels must be finite numbers`);
  }
  // NaN marks a missing value; an infinite one is an error (XGBoost refuses it too).
  for (let i = 0; i < X.length; i++) {
    const v = X[i];
    if (v === Infinity || v === -Infinity) {
      throw new Error(`${what}: row ${Math.floor(i / d)}, column ${i % d} is ${v}; use NaN for a missing value`);
    }
  }
}

/** What a tree method needs: grow a tree, then add its (pruned) leaf values to the training predictions. */
interface Grower {
  grow(grad: Float32Array, hess: Float32Array, sampled: Uint8Array | null): TreeBuilder;
  addLeafValues(tree: RegTree, pred: Float32Array): void;
}

function exactGrower(X: Float32Array, n: number, d: number, p: GbdtParams, sampler: ColumnSampler): Grower {
  const data = prepareExact(X, n, d);
  const ws = new ExactWorkspace(n);
  const sp = splitParams(p);
  return {
    grow: (grad, hess, sampled) => growExactTree(data, ws, { sp, maxDepth: p.max_depth, grad, hess, sampled, sampler }),
    addLeafValues: (tree, pred) => {
      const pos = ws.position;
      for (let r = 0; r < n; r++) {
        let nid = ~pos[r];
        while (tree.deleted[nid]) nid = tree.parent[nid];
        pred[r] = f32(pred[r] + tree.splitCondition[nid]);
      }
    },
  };
}

/**
 * Trains a regressor on the row-major n × d matrix `X` (NaN = missing) with labels `y`.
 * `params` uses XGBoost's names; unknown names throw.
 */
export function fitGbdt(
  X: Float32Array,
  n: number,
  d: number,
  y: Float32Array,
  params: Partial<GbdtParams> | Record<string, unknown> = {},
  opts: FitOptions = {},
): GbdtModel {
  const p = resolveParams(params);
  checkInputs(X, n, d, y, 'training data');
  if (n === 0) throw new Error('training data: no rows');
  const valid = opts.valid;
  if (valid) checkInputs(valid.X, valid.n, d, valid.y, 'validation data');
  if (p.early_stopping_rounds !== undefined && !valid) {
    throw new Error('early_stopping_rounds needs a validation set (opts.valid)');
  }
  if (opts.featureNames && opts.featureNames.length !== d) {
    throw new Error(`featureNames has ${opts.featureNames.length} names for ${d} columns`);
  }

  const rng = samplingRng(p.seed);
  const sampler = new ColumnSampler(d, rng, p.colsample_bytree, p.colsample_bylevel, p.colsample_bynode);
  const grower =
    p.tree_method === 'hist' ? new HistGrower(X, n, d, p, sampler, opts.histKernel) : exactGrower(X, n, d, p, sampler);
  const sp = splitParams(p);

  const base = f32(p.base_score);
  const pred = new Float32Array(n).fill(base);
  const grad = new Float32Array(n);
  const hess = new Float32Array(n).fill(1);
  const sampled = p.subsample < 1 ? new Uint8Array(n) : null;
  const validPred = valid ? new Float32Array(valid.n).fill(base) : null;

  const trees: RegTree[] = [];
  let bestScore = Infinity;
  let bestIteration = -1;
  let rounds = 0;
  for (let round = 0; round < p.n_estimators; round++) {
    opts.signal?.throwIfAborted();
    for (let r = 0; r < n; r++) grad[r] = f32(pred[r] - y[r]);
    if (sampled) for (let r = 0; r < n; r++) sampled[r] = rng.next() < p.subsample ? 1 : 0;
    sampler.startTree();
    const builder = grower.grow(grad, hess, sampled);
    pruneTree(builder, sp.gamma, sp.eta, p.max_depth);
    const tree = builder.finish();
    grower.addLeafValues(tree, pred);
    trees.push(tree);
    rounds++;
    let validRmse: number | undefined;
    if (valid && validPred) {
      addTreePredictions(tree, valid.X, valid.n, d, validPred);
      validRmse = rmse(validPred, valid.y);
    }
    opts.onRound?.(round, rmse(pred, y), validRmse);
    if (p.early_stopping_rounds !== undefined && validRmse !== undefined) {
      if (validRmse < bestScore) {
        bestScore = validRmse;
        bestIteration = round;
      } else if (round - bestIteration >= p.early_stopping_rounds) {
        break;
      }
    }
  }
  const model: GbdtModel = {
    baseScore: base,
    numFeature: d,
    featureNames: opts.featureNames ? [...opts.featureNames] : null,
    trees,
    params: p,
    roundsTrained: rounds,
  };
  if (p.early_stopping_rounds !== undefined && bestIteration >= 0) {
    model.trees = trees.slice(0, bestIteration + 1);
    model.bestIteration = bestIteration;
  }
  return model;
}
