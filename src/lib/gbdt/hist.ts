/**
 * The `hist` tree method: features binned once per fit (quantile.ts), then per node a gradient
 * histogram over bins instead of sorted values. Trees grow level by level like `exact`, with the
 * same gain arithmetic, tie rules, default directions and γ pruning; only the candidate thresholds
 * differ (bin cuts). Per split, only the child with fewer rows gets a histogram built from its rows;
 * the other one is the parent's minus it (computed in place in the parent's buffer). Rows live in one
 * index array, partitioned in place node by node, so the training predictions are updated per leaf
 * range without walking the tree.
 */
import type { GbdtParams } from './params';
import { createHistKernel, type HistKernel } from './hist-kernel';
import { binMatrix, midpoint, type BinnedMatrix } from './quantile';
import type { ColumnSampler } from './sampling';
import { RT_EPS, leafWeight, lossChange, sideGain, splitParams, type SplitParams } from './split-math';
import { SplitEntries } from './split-entry';
import { TreeBuilder, leafIndex, type RegTree } from './tree';
import { grown } from './grown';

const f32 = Math.fround;

export class HistGrower {
  readonly bins: BinnedMatrix;
  readonly kernel: HistKernel;
  private readonly sp: SplitParams;
  private readonly maxDepth: number;
  private readonly rows: Int32Array;
  private readonly scratch: Int32Array;
  private readonly inSample: Uint8Array;
  private readonly best = new SplitEntries();
  private nodeBegin = new Int32Array(0);
  private nodeEnd = new Int32Array(0);
  private nodeG = new Float64Array(0);
  private nodeH = new Float64Array(0);
  private nodeWeight = new Float32Array(0);
  private nodeGain = new Float32Array(0);
  /** 1 for nodes that were leaves when growth ended (their row ranges tile the sample). */
  private grownLeaf = new Uint8Array(0);
  private hists: (Float64Array | undefined)[] = [];
  private readonly pool: Float64Array[] = [];
  private sampleSize = 0;

  constructor(
    private readonly X: Float32Array,
    private readonly n: number,
    private readonly d: number,
    p: GbdtParams,
    private readonly sampler: ColumnSampler,
    kernel: 'auto' | 'js' = 'auto',
  ) {
    this.bins = binMatrix(X, n, d, p.max_bin);
    // Histograms alive at once: one per open node of the deepest level that gets histograms
    // (children at the depth limit get none), plus the one being built; never more than rows.
    const live = Math.min(2 ** Math.min(Math.max(p.max_depth - 1, 0), 20), n) + 2;
    this.kernel = createHistKernel(this.bins, n, d, kernel, live);
    this.sp = splitParams(p);
    this.maxDepth = p.max_depth;
    this.rows = this.kernel.rows;
    this.scratch = new Int32Array(n);
    this.inSample = new Uint8Array(n);
  }

  private ensure(nodes: number): void {
    this.best.ensure(nodes);
    if (this.nodeBegin.length >= nodes) return;
    const cap = Math.max(nodes, this.nodeBegin.length * 2);
    this.nodeBegin = grown(this.nodeBegin, cap);
    this.nodeEnd = grown(this.nodeEnd, cap);
    this.nodeG = grown(this.nodeG, cap);
    this.nodeH = grown(this.nodeH, cap);
    this.nodeWeight = grown(this.nodeWeight, cap);
    this.nodeGain = grown(this.nodeGain, cap);
    this.grownLeaf = grown(this.grownLeaf, cap);
  }

  private takeHist(): Float64Array {
    return this.pool.pop() ?? this.kernel.newHistogram();
  }

  private setNode(nid: number, begin: number, end: number, G: number, H: number): void {
    this.nodeBegin[nid] = begin;
    this.nodeEnd[nid] = end;
    this.nodeG[nid] = G;
    this.nodeH[nid] = H;
    this.nodeWeight[nid] = leafWeight(this.sp, G, H);
    this.nodeGain[nid] = sideGain(this.sp, G, H);
    this.grownLeaf[nid] = 0;
    this.best.reset(nid);
  }

  grow(gradIn: Float32Array, hessIn: Float32Array, sampled: Uint8Array | null): TreeBuilder {
    const sp = this.sp;
    const grad = this.kernel.grad;
    const hess = this.kernel.hess;
    grad.set(gradIn);
    hess.set(hessIn);
    const rows = this.rows;
    let m = 0;
    let G = 0;
    let H = 0;
    for (let r = 0; r < this.n; r++) {
      const keep = !sampled || sampled[r] === 1;
      this.inSample[r] = keep ? 1 : 0;
      if (!keep) continue;
      rows[m++] = r;
      G += grad[r];
      H += hess[r];
    }
    this.sampleSize = m;
    const tree = new TreeBuilder();
    this.ensure(1);
    this.setNode(0, 0, m, G, H);
    this.hists = [this.takeHist()];
    this.kernel.build(this.hists[0]!, 0, m);

    let first = 0;
    let end = 1;
    for (let depth = 0; depth < this.maxDepth; depth++) {
      for (let nid = first; nid < end; nid++) this.evaluate(nid, depth);
      const childStart = tree.numNodes;
      for (let nid = first; nid < end; nid++) {
        const best = this.best;
        if (best.loss[nid] > RT_EPS) {
          const l = tree.split(nid, best.feature[nid], best.value[nid], best.defaultLeft[nid] === 1);
          this.ensure(l + 2);
          // Children at the depth limit become leaves: their histograms would never be read.
          this.splitRows(nid, l, depth + 1 < this.maxDepth);
        } else {
          tree.setLeaf(nid, f32(this.nodeWeight[nid] * sp.eta));
          this.grownLeaf[nid] = 1;
          this.release(nid);
        }
      }
      first = childStart;
      end = tree.numNodes;
      if (first === end) break;
    }
    for (let nid = first; nid < end; nid++) {
      tree.setLeaf(nid, f32(this.nodeWeight[nid] * sp.eta));
      this.grownLeaf[nid] = 1;
      this.release(nid);
    }
    for (let nid = 0; nid < tree.numNodes; nid++) {
      tree.lossChange[nid] = this.best.loss[nid];
      tree.baseWeight[nid] = this.nodeWeight[nid];
      tree.sumHessian[nid] = this.nodeH[nid];
    }
    return tree;
  }

  private release(nid: number): void {
    const h = this.hists[nid];
    if (h) this.pool.push(h);
    this.hists[nid] = undefined;
  }

  /** Partitions the node's rows (stable), builds the smaller child's histogram, derives the other's. */
  private splitRows(nid: number, leftId: number, childHistograms: boolean): void {
    const best = this.best;
    const f = best.feature[nid];
    const splitBin = best.bin[nid];
    const defaultLeft = best.defaultLeft[nid];
    const missingCode = this.bins.nBins[f];
    const colBins = this.bins.colBins;
    const colBase = f * this.n;
    const rows = this.rows;
    const scratch = this.scratch;
    const begin = this.nodeBegin[nid];
    const end = this.nodeEnd[nid];
    let l = begin;
    let nr = 0;
    // Branch-free: which side a row goes is a coin flip for the branch predictor, so both
    // destinations are written and only the matching cursor advances.
    for (let i = begin; i < end; i++) {
      const r = rows[i];
      const c = colBins[colBase + r];
      const below = ((splitBin - c) >>> 31) ^ 1; // c ≤ splitBin (never true for the missing code)
      const missing = ((c ^ missingCode) - 1) >>> 31; // c === missingCode
      const goLeft = below | (missing & defaultLeft);
      rows[l] = r;
      scratch[nr] = r;
      l += goLeft;
      nr += goLeft ^ 1;
    }
    rows.set(scratch.subarray(0, nr), l);
    const rightId = leftId + 1;
    this.setNode(leftId, begin, l, best.leftG[nid], best.leftH[nid]);
    this.setNode(rightId, l, end, best.rightG[nid], best.rightH[nid]);
    const parent = this.hists[nid]!;
    this.hists[nid] = undefined;
    if (!childHistograms) {
      this.pool.push(parent);
      return;
    }
    const leftSmaller = l - begin <= end - l;
    const small = this.takeHist();
    if (leftSmaller) this.kernel.buildAndSubtract(small, parent, begin, l);
    else this.kernel.buildAndSubtract(small, parent, l, end);
    this.hists[leftId] = leftSmaller ? small : parent;
    this.hists[rightId] = leftSmaller ? parent : small;
  }

  /** Best split of one node over its sampled features (same rules as exact.ts, over bins). */
  private evaluate(nid: number, depth: number): void {
    // Both children need a hessian sum ≥ min_child_weight: a lighter node has no valid split.
    if (this.nodeH[nid] < 2 * this.sp.minChildWeight) return;
    const features = this.sampler.samplesNothing ? null : this.sampler.forNode(depth);
    const count = features ? features.length : this.d;
    for (let i = 0; i < count; i++) {
      const f = features ? features[i] : i;
      if (this.bins.hasMissing[f] && this.bins.varies[f]) this.scan(nid, f, true);
      this.scan(nid, f, false);
    }
  }

  /**
   * One feature, one direction, exactly exact.ts's enumeration with bins for distinct values: a
   * candidate is evaluated on meeting a non-empty bin, splitting between it and the previous
   * non-empty bin, with the side scanned so far accumulated and the other side (missing values
   * included) as node − accumulated.
   */
  private scan(nid: number, f: number, forward: boolean): void {
    const sp = this.sp;
    const mcw = sp.minChildWeight;
    const hist = this.hists[nid]!;
    const { nBins, slotStart, hasMissing, binMin, binMax } = this.bins;
    const G = this.nodeG[nid];
    const H = this.nodeH[nid];
    const gain = this.nodeGain[nid];
    const nb = nBins[f];
    const s0 = slotStart[f];
    const best = this.best;
    let aG = 0;
    let aH = 0;
    let prev = -1;
    // The candidate loop runs for every non-empty bin of every feature of every node: without L1
    // and max_delta_step the gain is inlined (same float32 roundings as split-math.ts's sideGain),
    // and only a candidate that beats the node's best so far is offered.
    const plain = sp.alpha === 0 && sp.maxDeltaStep === 0;
    const lambda = sp.lambda;
    let bestLoss = best.loss[nid];
    const step = forward ? 2 : -2;
    let at = forward ? 2 * s0 : 2 * (s0 + nb - 1);
    const stop = forward ? 2 * (s0 + nb) : 2 * s0 - 2;
    // The first non-empty bin opens the scan; candidates sit between it and each later one.
    for (; at !== stop; at += step) {
      const hH = hist[at + 1];
      if (hH === 0) continue;
      aG = hist[at];
      aH = hH;
      prev = (at >> 1) - s0;
      at += step;
      break;
    }
    for (; at !== stop; at += step) {
      const hH = hist[at + 1];
      if (hH === 0) continue;
      if (aH >= mcw) {
        const cH = H - aH;
        if (cH >= mcw) {
          const cG = G - aG;
          let loss: number;
          if (plain) {
            const ga = f32(f32(aG * aG) / f32(aH + lambda));
            const gc = cH <= 0 ? 0 : f32(f32(cG * cG) / f32(cH + lambda));
            loss = f32(f32(ga + gc) - gain);
          } else {
            loss = forward ? lossChange(sp, aG, aH, cG, cH, gain) : lossChange(sp, cG, cH, aG, aH, gain);
          }
          if (loss > bestLoss) {
            const k = (at >> 1) - s0;
            if (forward) {
              // Left: bins ≤ prev; right: bins ≥ k and the missing values.
              const value = midpoint(binMax[s0 + prev], binMin[s0 + k]);
              if (best.offer(nid, loss, f, value, false)) this.recordSums(nid, prev, aG, aH, cG, cH);
            } else {
              // Right: bins ≥ prev; left: bins ≤ k and the missing values.
              const value = midpoint(binMax[s0 + k], binMin[s0 + prev]);
              if (best.offer(nid, loss, f, value, true)) this.recordSums(nid, k, cG, cH, aG, aH);
            }
            bestLoss = best.loss[nid];
          }
        }
      }
      aG += hist[at];
      aH += hH;
      prev = (at >> 1) - s0;
    }
    if (!hasMissing[f] || prev < 0) return;
    // All present values on one side, the missing ones on the other (XGBoost's threshold: just
    // beyond the node's last value met, by |value| + 1e-6).
    const cG = G - aG;
    const cH = H - aH;
    if (aH < mcw || cH < mcw) return;
    if (forward) {
      const last = binMax[s0 + prev];
      const value = f32(last + f32(Math.abs(last) + RT_EPS));
      if (best.offer(nid, lossChange(sp, aG, aH, cG, cH, gain), f, value, false)) this.recordSums(nid, nb - 1, aG, aH, cG, cH);
    } else {
      const last = binMin[s0 + prev];
      const value = f32(last - f32(Math.abs(last) + RT_EPS));
      if (best.offer(nid, lossChange(sp, cG, cH, aG, aH, gain), f, value, true)) this.recordSums(nid, -1, cG, cH, aG, aH);
    }
  }

  private recordSums(nid: number, bin: number, lG: number, lH: number, rG: number, rH: number): void {
    const best = this.best;
    best.bin[nid] = bin;
    best.leftG[nid] = lG;
    best.leftH[nid] = lH;
    best.rightG[nid] = rG;
    best.rightH[nid] = rH;
  }

  /** Adds the pruned tree's leaf values to the training predictions. */
  addLeafValues(tree: RegTree, pred: Float32Array): void {
    const rows = this.rows;
    const value = tree.splitCondition;
    for (let nid = 0; nid < tree.numNodes; nid++) {
      if (!this.grownLeaf[nid]) continue;
      let target = nid;
      while (tree.deleted[target]) target = tree.parent[target];
      const v = value[target];
      for (let i = this.nodeBegin[nid]; i < this.nodeEnd[nid]; i++) {
        const r = rows[i];
        pred[r] = f32(pred[r] + v);
      }
    }
    if (this.sampleSize < this.n) {
      for (let r = 0; r < this.n; r++) {
        if (!this.inSample[r]) pred[r] = f32(pred[r] + value[leafIndex(tree, this.X, r, this.d)]);
      }
    }
  }
}
