/**
 * One regression tree in XGBoost's own node layout (RegTree): parallel arrays indexed by node id,
 * node 0 the root, children allocated in pairs level by level. Pruned nodes stay in the arrays,
 * marked deleted and unreachable, exactly as XGBoost keeps them, so a tree round-trips through
 * XGBoost's JSON model unchanged and trees trained here can be compared node by node with XGBoost's.
 */
import { grown } from './grown';

/** XGBoost writes this split index for a deleted node (its kDeletedNodeMarker, masked to 31 bits). */
export const DELETED_SPLIT_INDEX = 2147483647;
/** XGBoost writes this as the root's parent. */
export const NO_PARENT = 2147483647;

export interface RegTree {
  numNodes: number;
  /** Child ids, −1 for a leaf (and for a deleted node). */
  left: Int32Array;
  right: Int32Array;
  parent: Int32Array;
  /** Feature a split node tests; kept on a node that pruning turned into a leaf, as XGBoost does. */
  splitIndex: Int32Array;
  /** Split node: threshold (`x < t` goes left). Leaf: the leaf value (η already applied). float32. */
  splitCondition: Float32Array;
  /** Where a missing value (NaN) goes: 1 = left. */
  defaultLeft: Uint8Array;
  /** 1 for a node removed by pruning (unreachable from the root). */
  deleted: Uint8Array;
  /** Unscaled optimal weight of the node (before η), float32. */
  baseWeight: Float32Array;
  /** Loss reduction of the node's best split (0 if none was found), float32. */
  lossChange: Float32Array;
  /** Hessian sum of the rows in the node (= row count for squared error), float32. */
  sumHessian: Float32Array;
}

/** Index of the leaf that row `row` of the row-major matrix `X` (d columns) lands in. */
export function leafIndex(t: RegTree, X: Float32Array, row: number, d: number): number {
  const base = row * d;
  const left = t.left;
  let nid = 0;
  while (left[nid] !== -1) {
    const v = X[base + t.splitIndex[nid]];
    // float32 on both sides: the comparison is XGBoost's exactly.
    if (v !== v) nid = t.defaultLeft[nid] ? left[nid] : t.right[nid];
    else nid = v < t.splitCondition[nid] ? left[nid] : t.right[nid];
  }
  return nid;
}

/** Growable tree used while a tree is being grown; `finish()` trims it to a `RegTree`. */
export class TreeBuilder {
  numNodes = 0;
  left = new Int32Array(0);
  right = new Int32Array(0);
  parent = new Int32Array(0);
  splitIndex = new Int32Array(0);
  splitCondition = new Float32Array(0);
  defaultLeft = new Uint8Array(0);
  deleted = new Uint8Array(0);
  baseWeight = new Float32Array(0);
  lossChange = new Float32Array(0);
  sumHessian = new Float32Array(0);

  constructor(capacity = 15) {
    this.grow(capacity);
    this.allocNode(NO_PARENT);
  }

  private grow(capacity: number): void {
    this.left = grown(this.left, capacity);
    this.right = grown(this.right, capacity);
    this.parent = grown(this.parent, capacity);
    this.splitIndex = grown(this.splitIndex, capacity);
    this.splitCondition = grown(this.splitCondition, capacity);
    this.defaultLeft = grown(this.defaultLeft, capacity);
    this.deleted = grown(this.deleted, capacity);
    this.baseWeight = grown(this.baseWeight, capacity);
    this.lossChange = grown(this.lossChange, capacity);
    this.sumHessian = grown(this.sumHessian, capacity);
  }

  private allocNode(parent: number): number {
    if (this.numNodes === this.left.length) this.grow(this.left.length * 2 + 1);
    const id = this.numNodes++;
    this.left[id] = -1;
    this.right[id] = -1;
    this.parent[id] = parent;
    return id;
  }

  /** Turns leaf `nid` into a split node with two fresh leaf children; returns the left child's id. */
  split(nid: number, feature: number, threshold: number, defaultLeft: boolean): number {
    const l = this.allocNode(nid);
    const r = this.allocNode(nid);
    this.left[nid] = l;
    this.right[nid] = r;
    this.splitIndex[nid] = feature;
    this.splitCondition[nid] = threshold;
    this.defaultLeft[nid] = defaultLeft ? 1 : 0;
    return l;
  }

  setLeaf(nid: number, value: number): void {
    this.left[nid] = -1;
    this.right[nid] = -1;
    this.splitCondition[nid] = value;
  }

  finish(): RegTree {
    const n = this.numNodes;
    return {
      numNodes: n,
      left: this.left.slice(0, n),
      right: this.right.slice(0, n),
      parent: this.parent.slice(0, n),
      splitIndex: this.splitIndex.slice(0, n),
      splitCondition: this.splitCondition.slice(0, n),
      defaultLeft: this.defaultLeft.slice(0, n),
      deleted: this.deleted.slice(0, n),
      baseWeight: this.baseWeight.slice(0, n),
      lossChange: this.lossChange.slice(0, n),
      sumHessian: this.sumHessian.slice(0, n),
    };
  }
}
