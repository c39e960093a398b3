/**
 * XGBoost's exact greedy tree grower (`grow_colmaker`, 1.7), rule for rule, so that trees trained
 * here equal XGBoost's node for node (see shared fixtures README §3):
 *
 * - columns pre-sorted once (CSC, ascending, missing values absent);
 * - the tree grows level by level; every level scans each sampled column once for all open nodes;
 * - a column is scanned from its largest value down (the right child accumulates, the left is
 *   node − right, so missing values go left); columns that contain missing values are first also
 *   scanned upwards (missing values go right);
 * - a candidate sits between consecutive distinct values b > a of the node, threshold
 *   f32(f32(a + b)·0.5) (or b itself when that midpoint rounds onto a, XGBoost's guard), and
 *   needs both sides' hessian ≥ min_child_weight; after the scan, "all present values on one side,
 *   the missing ones on the other" is tried too;
 * - node sums are float64 sums in row order; gains are float32 (split-math.ts);
 * - a node splits when its best loss change > 1e-6, else it becomes a leaf f32(w)·η.
 */
import { RT_EPS, leafWeight, lossChange, sideGain, type SplitParams } from './split-math';
import { SplitEntries } from './split-entry';
import { ColumnSorter } from './sort-column';
import { toColumnMajor } from './transpose';
import { TreeBuilder } from './tree';
import type { ColumnSampler } from './sampling';
import { grown } from './grown';

const f32 = Math.fround;

/** The training matrix as sorted columns. Built once per fit. */
export interface ExactData {
  X: Float32Array;
  n: number;
  d: number;
  /** Column f's entries are colRow/colVal[colStart[f] .. colStart[f+1]), ascending by value. */
  colStart: Int32Array;
  colRow: Int32Array;
  colVal: Float32Array;
  /** XGBoost scans upwards too only for columns with missing values that are not constant. */
  scanForward: Uint8Array;
}

export function prepareExact(X: Float32Array, n: number, d: number): ExactData {
  const columns = toColumnMajor(X, n, d);
  const colStart = new Int32Array(d + 1);
  for (let f = 0; f < d; f++) {
    let count = 0;
    for (let i = f * n; i < (f + 1) * n; i++) if (columns[i] === columns[i]) count++;
    colStart[f + 1] = colStart[f] + count;
  }
  const nnz = colStart[d];
  const colRow = new Int32Array(nnz);
  const colVal = new Float32Array(nnz);
  const scanForward = new Uint8Array(d);
  const sorter = new ColumnSorter(n);
  for (let f = 0; f < d; f++) {
    const column = columns.subarray(f * n, (f + 1) * n);
    const start = colStart[f];
    // Ties in row order: a fixed order keeps the float64 partial sums reproducible.
    const k = start + sorter.sort(column, n, colRow.subarray(start));
    for (let i = start; i < k; i++) colVal[i] = column[colRow[i]];
    // XGBoost's column density is computed in float32: 1 − nmiss/n.
    const nmiss = n - (k - start);
    const density = f32(1 - f32(f32(nmiss) / f32(n)));
    const constant = k > start && colVal[start] === colVal[k - 1];
    scanForward[f] = density < 1 && !constant ? 1 : 0;
  }
  return { X, n, d, colStart, colRow, colVal, scanForward };
}

/** Scratch space reused across the trees of one fit (small-data fits are called many times). */
export class ExactWorkspace {
  readonly position: Int32Array;
  readonly best = new SplitEntries();
  nodeG = new Float64Array(0);
  nodeH = new Float64Array(0);
  nodeWeight = new Float32Array(0);
  nodeGain = new Float32Array(0);
  tempG = new Float64Array(0);
  tempH = new Float64Array(0);
  tempLast = new Float32Array(0);
  allowed = new Uint8Array(0);

  constructor(n: number) {
    this.position = new Int32Array(n);
  }

  ensure(nodes: number): void {
    this.best.ensure(nodes);
    if (this.nodeG.length >= nodes) return;
    const cap = Math.max(nodes, this.nodeG.length * 2);
    this.nodeG = grown(this.nodeG, cap);
    this.nodeH = grown(this.nodeH, cap);
    this.nodeWeight = grown(this.nodeWeight, cap);
    this.nodeGain = grown(this.nodeGain, cap);
    this.tempG = grown(this.tempG, cap);
    this.tempH = grown(this.tempH, cap);
    this.tempLast = grown(this.tempLast, cap);
    this.allowed = grown(this.allowed, cap);
  }
}

export interface GrowInput {
  sp: SplitParams;
  maxDepth: number;
  grad: Float32Array;
  hess: Float32Array;
  /** 1 = row is in this tree's sample; null = all rows. */
  sampled: Uint8Array | null;
  sampler: ColumnSampler;
}

/**
 * Grows one tree. Afterwards `ws.position[r]` holds the node row r ended in, encoded as ~node
 * (negative) — for every row, sampled or not — so the caller can add leaf values without walking.
 */
export function growExactTree(data: ExactData, ws: ExactWorkspace, input: GrowInput): TreeBuilder {
  const { n, d, X } = data;
  const { sp, grad, hess, sampled, sampler } = input;
  const pos = ws.position;
  for (let r = 0; r < n; r++) pos[r] = sampled && !sampled[r] ? ~0 : 0;
  const tree = new TreeBuilder();
  ws.ensure(1);
  const best = ws.best;

  const initNewNodes = (first: number, end: number) => {
    ws.ensure(end);
    for (let nid = first; nid < end; nid++) {
      ws.nodeG[nid] = 0;
      ws.nodeH[nid] = 0;
      ws.tempLast[nid] = 0;
      best.reset(nid);
    }
    const nodeG = ws.nodeG;
    const nodeH = ws.nodeH;
    for (let r = 0; r < n; r++) {
      const p = pos[r];
      if (p < 0) continue;
      nodeG[p] += grad[r];
      nodeH[p] += hess[r];
    }
    for (let nid = first; nid < end; nid++) {
      ws.nodeWeight[nid] = leafWeight(sp, nodeG[nid], nodeH[nid]);
      ws.nodeGain[nid] = sideGain(sp, nodeG[nid], nodeH[nid]);
    }
  };

  // The open nodes of a level are always a contiguous id range: children are allocated in pairs.
  let first = 0;
  let end = 1;
  initNewNodes(first, end);
  for (let depth = 0; depth < input.maxDepth; depth++) {
    findSplits(data, ws, input, first, end, depth);
    const childStart = tree.numNodes;
    for (let nid = first; nid < end; nid++) {
      if (best.loss[nid] > RT_EPS) {
        tree.split(nid, best.feature[nid], best.value[nid], best.defaultLeft[nid] === 1);
      } else {
        tree.setLeaf(nid, f32(ws.nodeWeight[nid] * sp.eta));
      }
    }
    // Route every row (sampled or not) one level down; rows in leaves are marked finished (~leaf).
    const left = tree.left;
    const right = tree.right;
    const splitIndex = tree.splitIndex;
    const cond = tree.splitCondition;
    const defLeft = tree.defaultLeft;
    for (let r = 0; r < n; r++) {
      const p = pos[r];
      const nid = p < 0 ? ~p : p;
      if (left[nid] === -1) {
        pos[r] = ~nid;
        continue;
      }
      const v = X[r * d + splitIndex[nid]];
      const child = v !== v ? (defLeft[nid] ? left[nid] : right[nid]) : v < cond[nid] ? left[nid] : right[nid];
      pos[r] = p < 0 ? ~child : child;
    }
    first = childStart;
    end = tree.numNodes;
    if (first === end) break;
    initNewNodes(first, end);
  }
  for (let nid = first; nid < end; nid++) tree.setLeaf(nid, f32(ws.nodeWeight[nid] * sp.eta));
  for (let r = 0; r < n; r++) if (pos[r] >= 0) pos[r] = ~pos[r];
  for (let nid = 0; nid < tree.numNodes; nid++) {
    tree.lossChange[nid] = best.loss[nid];
    tree.baseWeight[nid] = ws.nodeWeight[nid];
    tree.sumHessian[nid] = ws.nodeH[nid];
  }
  return tree;
}

/** One level: every open node's best split over its sampled features. */
function findSplits(data: ExactData, ws: ExactWorkspace, input: GrowInput, first: number, end: number, depth: number): void {
  const { d } = data;
  const sampler = input.sampler;
  // Both children need a hessian sum ≥ min_child_weight: a lighter node has no valid split, and
  // its rows are skipped in every column scan (the node becomes a leaf, as in XGBoost).
  const splittable = (nid: number) => (ws.nodeH[nid] >= 2 * input.sp.minChildWeight ? 1 : 0);
  if (sampler.samplesNothing) {
    for (let nid = first; nid < end; nid++) ws.allowed[nid] = splittable(nid);
    for (let f = 0; f < d; f++) scanFeature(data, ws, input, f, first, end);
    return;
  }
  // Per-node feature sets; a column is scanned once for all nodes that may use it.
  const sets: Int32Array[] = [];
  const union = new Uint8Array(d);
  for (let nid = first; nid < end; nid++) {
    const s = sampler.forNode(depth);
    sets.push(s);
    for (const f of s) union[f] = 1;
  }
  const mask = new Uint8Array((end - first) * d);
  sets.forEach((s, i) => s.forEach((f) => (mask[i * d + f] = 1)));
  for (let f = 0; f < d; f++) {
    if (!union[f]) continue;
    for (let nid = first; nid < end; nid++) ws.allowed[nid] = mask[(nid - first) * d + f] & splittable(nid);
    scanFeature(data, ws, input, f, first, end);
  }
}

function scanFeature(data: ExactData, ws: ExactWorkspace, input: GrowInput, f: number, first: number, end: number): void {
  if (data.scanForward[f]) enumerate(data, ws, input, f, first, end, +1);
  enumerate(data, ws, input, f, first, end, -1);
}

/**
 * XGBoost's EnumerateSplit for one column and direction. `step` −1 scans down (the accumulated side
 * is the right child, missing values default left); +1 scans up (accumulated side left, missing right).
 */
function enumerate(data: ExactData, ws: ExactWorkspace, input: GrowInput, f: number, first: number, end: number, step: 1 | -1): void {
  const { sp, grad, hess } = input;
  const pos = ws.position;
  const { nodeG, nodeH, nodeGain, tempG, tempH, tempLast, allowed, best } = ws;
  const mcw = sp.minChildWeight;
  const backward = step === -1;
  // Every distinct value of the column is a candidate: without L1 and max_delta_step the gain is
  // inlined (split-math.ts's roundings), and only a candidate beating the node's best is offered.
  const plain = sp.alpha === 0 && sp.maxDeltaStep === 0;
  const lambda = sp.lambda;
  const bestLoss = best.loss;
  for (let nid = first; nid < end; nid++) {
    tempG[nid] = 0;
    tempH[nid] = 0;
  }
  const colRow = data.colRow;
  const colVal = data.colVal;
  const lo = data.colStart[f];
  const hi = data.colStart[f + 1];
  const startK = backward ? hi - 1 : lo;
  const stopK = backward ? lo - 1 : hi;
  for (let k = startK; k !== stopK; k += step) {
    const r = colRow[k];
    const nid = pos[r];
    if (nid < 0 || !allowed[nid]) continue;
    const fv = colVal[k];
    if (tempH[nid] === 0) {
      tempG[nid] += grad[r];
      tempH[nid] += hess[r];
      tempLast[nid] = fv;
      continue;
    }
    const last = tempLast[nid];
    if (fv !== last && tempH[nid] >= mcw) {
      const cG = nodeG[nid] - tempG[nid];
      const cH = nodeH[nid] - tempH[nid];
      if (cH >= mcw) {
        let loss: number;
        if (plain) {
          const tG = tempG[nid];
          const tH = tempH[nid];
          const gt = tH <= 0 ? 0 : f32(f32(tG * tG) / f32(tH + lambda));
          const gc = cH <= 0 ? 0 : f32(f32(cG * cG) / f32(cH + lambda));
          // float32 addition is commutative: the same sum whichever side is left.
          loss = f32(f32(gc + gt) - nodeGain[nid]);
        } else {
          loss = backward
            ? lossChange(sp, cG, cH, tempG[nid], tempH[nid], nodeGain[nid])
            : lossChange(sp, tempG[nid], tempH[nid], cG, cH, nodeGain[nid]);
        }
        if (loss > bestLoss[nid]) {
          const proposed = f32(f32(fv + last) * 0.5);
          best.offer(nid, loss, f, proposed === fv ? last : proposed, backward);
        }
      }
    }
    tempG[nid] += grad[r];
    tempH[nid] += hess[r];
    tempLast[nid] = fv;
  }
  // All present values on one side, the missing ones on the other.
  for (let nid = first; nid < end; nid++) {
    if (!allowed[nid]) continue;
    const cG = nodeG[nid] - tempG[nid];
    const cH = nodeH[nid] - tempH[nid];
    if (tempH[nid] >= mcw && cH >= mcw) {
      const last = tempLast[nid];
      const gap = f32(Math.abs(last) + RT_EPS);
      const value = f32(backward ? last - gap : last + gap);
      const loss = backward
        ? lossChange(sp, cG, cH, tempG[nid], tempH[nid], nodeGain[nid])
        : lossChange(sp, tempG[nid], tempH[nid], cG, cH, nodeGain[nid]);
      best.offer(nid, loss, f, value, backward);
    }
  }
}
