/**
 * XGBoost's JSON model format (what `Booster.save_model("m.json")` writes and `load_model` reads,
 * schema version 1.x: learner → gradient_booster → model → trees[] of parallel node arrays).
 * Out: the layout XGBoost 1.7.4 writes, with float32 values in their shortest round-trip decimal.
 * In: squared-error gbtree models from XGBoost 1.x–3.x (numeric splits only).
 */
import type { GbdtModel } from './model';
import { DELETED_SPLIT_INDEX, NO_PARENT, type RegTree } from './tree';

const f32 = Math.fround;

/** Shortest decimal that parses back to the same float32 (XGBoost writes floats this way). */
export function shortestFloat32(x: number): number {
  const v = f32(x);
  if (!Number.isFinite(v)) throw new Error(`cannot write ${x} to an XGBoost JSON model`);
  for (let p = 1; p < 9; p++) {
    const s = Number(v.toPrecision(p));
    if (f32(s) === v) return s;
  }
  return Number(v.toPrecision(9));
}

/** XGBoost's text form of a float parameter, e.g. 0.5 → "5E-1", 1 → "1E0", 0.25 → "2.5E-1". */
export function xgboostFloatString(x: number): string {
  const v = shortestFloat32(x);
  if (v === 0) return '0E0';
  const [mantissa, exponent] = v.toExponential().split('e');
  return `${mantissa}E${Number(exponent)}`;
}

function treeToJson(t: RegTree, id: number, numFeature: number): Record<string, unknown> {
  const n = t.numNodes;
  const floats = (a: Float32Array) => Array.from(a, shortestFloat32);
  let numDeleted = 0;
  const splitIndices = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    if (t.deleted[i]) numDeleted++;
    splitIndices[i] = t.deleted[i] ? DELETED_SPLIT_INDEX : t.splitIndex[i];
  }
  return {
    base_weights: floats(t.baseWeight),
    categories: [],
    categories_nodes: [],
    categories_segments: [],
    categories_sizes: [],
    // XGBoost marks a deleted node by setting all 32 bits of its split word, default-left bit included;
    // its loader recognises deleted nodes only that way.
    default_left: Array.from(t.defaultLeft, (b, i) => (t.deleted[i] ? 1 : b)),
    id,
    left_children: Array.from(t.left),
    loss_changes: floats(t.lossChange),
    parents: Array.from(t.parent, (p, i) => (i === 0 ? NO_PARENT : p)),
    right_children: Array.from(t.right),
    split_conditions: floats(t.splitCondition),
    split_indices: splitIndices,
    split_type: new Array<number>(n).fill(0),
    sum_hessian: floats(t.sumHessian),
    tree_param: {
      num_deleted: String(numDeleted),
      num_feature: String(numFeature),
      num_nodes: String(n),
      size_leaf_vector: '0',
    },
  };
}

/** The model as an XGBoost JSON document (serialize with JSON.stringify). */
export function toXgboostJson(model: GbdtModel): Record<string, unknown> {
  const attributes: Record<string, string> = {};
  if (model.bestIteration !== undefined) {
    // The trees after the best round were dropped, so the best is the last one kept.
    attributes.best_iteration = String(model.trees.length - 1);
    attributes.best_ntree_limit = String(model.trees.length);
  }
  return {
    learner: {
      attributes,
      feature_names: model.featureNames ? [...model.featureNames] : [],
      feature_types: model.featureNames ? model.featureNames.map(() => 'float') : [],
      gradient_booster: {
        model: {
          gbtree_model_param: {
            num_parallel_tree: '1',
            num_trees: String(model.trees.length),
            size_leaf_vector: '0',
          },
          tree_info: new Array<number>(model.trees.length).fill(0),
          trees: model.trees.map((t, i) => treeToJson(t, i, model.numFeature)),
        },
        name: 'gbtree',
      },
      learner_model_param: {
        base_score: xgboostFloatString(model.baseScore),
        // 0: base_score is given, never re-estimated from the labels.
        boost_from_average: '0',
        num_class: '0',
        num_feature: String(model.numFeature),
        num_target: '1',
      },
      objective: { name: 'reg:squarederror', reg_loss_param: { scale_pos_weight: '1' } },
    },
    version: [1, 7, 4],
  };
}

/** Keys whose arrays hold floats: XGBoost's JSON reader refuses an integer literal (`2`) there. */
const FLOAT_ARRAYS = new Set(['base_weights', 'loss_changes', 'split_conditions', 'sum_hessian']);

function floatLiteral(x: number): string {
  const s = JSON.stringify(x);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

function writeJson(v: unknown, floats: boolean): string {
  if (Array.isArray(v)) return `[${v.map((x) => writeJson(x, floats)).join(',')}]`;
  if (typeof v === 'number') return floats ? floatLiteral(v) : JSON.stringify(v);
  if (typeof v === 'object' && v !== null) {
    const parts = Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${writeJson(x, FLOAT_ARRAYS.has(k))}`);
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * The model as XGBoost JSON text, ready to save as `model.json` for `Booster.load_model`. Use this
 * rather than `JSON.stringify(toXgboostJson(m))`: XGBoost's parser types numbers by their literal,
 * and a float written as `2` instead of `2.0` is rejected.
 */
export function toXgboostJsonText(model: GbdtModel): string {
  return writeJson(toXgboostJson(model), false);
}

/** Thrown for a document that is not a model this code can predict with; names the JSON path. */
export class XgboostJsonError extends Error {
  constructor(path: string, problem: string) {
    super(`XGBoost JSON model, ${path}: ${problem}`);
    this.name = 'XgboostJsonError';
  }
}

type Json = Record<string, unknown>;

function obj(v: unknown, path: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new XgboostJsonError(path, 'expected an object');
  return v as Json;
}

function numArray(v: unknown, path: string, length: number): number[] {
  if (!Array.isArray(v)) throw new XgboostJsonError(path, 'expected an array');
  if (v.length !== length) throw new XgboostJsonError(path, `expected ${length} entries (num_nodes), got ${v.length}`);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x === 'boolean') continue;
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new XgboostJsonError(`${path}[${i}]`, `expected a number, got ${JSON.stringify(x)}`);
  }
  return v.map(Number);
}

/** XGBoost stores numbers in parameter objects as strings; 3.x writes base_score as "[5E-1]". */
function paramNumber(v: unknown, path: string): number {
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.replace(/^\[|\]$/g, '') : undefined;
  const x = s === undefined || s.trim() === '' ? NaN : Number(s);
  if (!Number.isFinite(x)) throw new XgboostJsonError(path, `expected a number, got ${JSON.stringify(v)}`);
  return x;
}

function treeFromJson(t: Json, path: string, numFeature: number): RegTree {
  const param = obj(t.tree_param, `${path}.tree_param`);
  const n = paramNumber(param.num_nodes, `${path}.tree_param.num_nodes`);
  if (!Number.isInteger(n) || n < 1) throw new XgboostJsonError(`${path}.tree_param.num_nodes`, `expected a positive integer, got ${n}`);
  if (param.size_leaf_vector !== undefined && paramNumber(param.size_leaf_vector, `${path}.tree_param.size_leaf_vector`) > 1) {
    throw new XgboostJsonError(`${path}.tree_param.size_leaf_vector`, 'vector leaves (multi-target trees) are not supported');
  }
  const arr = (key: string, optional = false) =>
    optional && t[key] === undefined ? new Array<number>(n).fill(0) : numArray(t[key], `${path}.${key}`, n);
  const left = arr('left_children');
  const right = arr('right_children');
  const parents = arr('parents');
  const splitIndices = arr('split_indices');
  const splitConditions = arr('split_conditions');
  const defaultLeft = arr('default_left');
  const splitType = arr('split_type', true);
  const tree: RegTree = {
    numNodes: n,
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    parent: Int32Array.from(parents, (p, i) => (i === 0 ? NO_PARENT : p)),
    splitIndex: Int32Array.from(splitIndices, (s) => (s === DELETED_SPLIT_INDEX ? 0 : s)),
    splitCondition: Float32Array.from(splitConditions),
    defaultLeft: Uint8Array.from(defaultLeft, (b) => (b ? 1 : 0)),
    deleted: Uint8Array.from(splitIndices, (s) => (s === DELETED_SPLIT_INDEX ? 1 : 0)),
    baseWeight: Float32Array.from(arr('base_weights', true)),
    lossChange: Float32Array.from(arr('loss_changes', true)),
    sumHessian: Float32Array.from(arr('sum_hessian', true)),
  };
  // Check every node reachable from the root, so prediction can never index out of bounds or loop.
  const seen = new Uint8Array(n);
  const stack = [0];
  while (stack.length) {
    const i = stack.pop()!;
    if (seen[i]) throw new XgboostJsonError(`${path}`, `node ${i} is reached twice (the tree has a cycle or shared child)`);
    seen[i] = 1;
    if (tree.left[i] === -1) continue;
    if (tree.deleted[i]) throw new XgboostJsonError(`${path}`, `node ${i} is marked deleted but reachable`);
    if (splitType[i] !== 0) throw new XgboostJsonError(`${path}.split_type[${i}]`, 'categorical splits are not supported');
    const f = tree.splitIndex[i];
    if (!(f >= 0 && f < numFeature)) throw new XgboostJsonError(`${path}.split_indices[${i}]`, `feature ${f} outside 0..${numFeature - 1}`);
    for (const c of [tree.left[i], tree.right[i]]) {
      if (!(Number.isInteger(c) && c > 0 && c < n)) throw new XgboostJsonError(`${path}`, `node ${i} has child ${c} outside 1..${n - 1}`);
      stack.push(c);
    }
  }
  return tree;
}

const SQUARED_ERROR = new Set(['reg:squarederror', 'reg:linear']);

/** Reads a model saved by XGBoost (the parsed JSON document, or its text). */
export function fromXgboostJson(json: unknown): GbdtModel {
  let doc = json;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch (e) {
      throw new XgboostJsonError('(document)', `not valid JSON: ${(e as Error).message}`);
    }
  }
  const learner = obj(obj(doc, '(document)').learner, 'learner');
  const objective = obj(learner.objective, 'learner.objective');
  if (!SQUARED_ERROR.has(String(objective.name))) {
    throw new XgboostJsonError('learner.objective.name', `only reg:squarederror models are supported, got ${JSON.stringify(objective.name)}`);
  }
  const mp = obj(learner.learner_model_param, 'learner.learner_model_param');
  const numFeature = paramNumber(mp.num_feature, 'learner.learner_model_param.num_feature');
  if (mp.num_class !== undefined && paramNumber(mp.num_class, 'learner.learner_model_param.num_class') > 1) {
    throw new XgboostJsonError('learner.learner_model_param.num_class', 'multi-class models are not supported');
  }
  if (mp.num_target !== undefined && paramNumber(mp.num_target, 'learner.learner_model_param.num_target') > 1) {
    throw new XgboostJsonError('learner.learner_model_param.num_target', 'multi-target models are not supported');
  }
  const baseScore = f32(paramNumber(mp.base_score, 'learner.learner_model_param.base_score'));
  const booster = obj(learner.gradient_booster, 'learner.gradient_booster');
  if (booster.name !== 'gbtree') {
    throw new XgboostJsonError('learner.gradient_booster.name', `only gbtree is supported, got ${JSON.stringify(booster.name)}`);
  }
  const model = obj(booster.model, 'learner.gradient_booster.model');
  if (!Array.isArray(model.trees)) throw new XgboostJsonError('learner.gradient_booster.model.trees', 'expected an array');
  const trees = model.trees.map((t, i) => {
    const path = `learner.gradient_booster.model.trees[${i}]`;
    return treeFromJson(obj(t, path), path, numFeature);
  });
  const names = learner.feature_names;
  const featureNames = Array.isArray(names) && names.length === numFeature ? names.map(String) : null;
  return { baseScore, numFeature, featureNames, trees };
}
