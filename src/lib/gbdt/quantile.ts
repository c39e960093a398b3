/**
 * Feature binning for the `hist` method. Each feature's present values are cut into at most
 * `maxBin` bins at count quantiles; a cut is a split threshold (`x < cut` goes left), placed at the
 * midpoint of the two neighbouring distinct values exactly as the exact method places its
 * thresholds. A feature with at most `maxBin` distinct values gets one bin per value, so on small
 * data `hist` considers exactly the splits `exact` does.
 *
 * Bin of x = number of cuts ≤ x, hence `x < cuts[k]` ⇔ `bin(x) ≤ k`: a split "bins ≤ k go left"
 * sends every row where its float32 threshold comparison (the predictor's) sends it.
 */

import { ColumnSorter } from './sort-column';
import { BLOCK, toColumnMajor } from './transpose';

const f32 = Math.fround;

export interface BinnedMatrix {
  n: number;
  d: number;
  /**
   * Row-major n × d one-byte bin codes (missing: nBins[f]), when every feature fits in 256 codes
   * (max_bin ≤ 256; a feature with missing values then gets at most 255 bins). The histogram slot
   * of a code is slotStart[f] + code. Null when max_bin > 256: then `slots` is set.
   */
  codes8: Uint8Array | null;
  /** Row-major n × d histogram slots (slotStart[f] + bin), used when codes do not fit a byte. */
  slots: Uint16Array | Uint32Array | null;
  /** Column-major d × n bins (missing: nBins[f]); partitioning a node reads one column. */
  colBins: Uint8Array | Uint16Array;
  /** Feature f's cuts are cuts[cutStart[f] .. cutStart[f+1]); it has (that count + 1) bins. */
  cutStart: Int32Array;
  cuts: Float32Array;
  nBins: Int32Array;
  /** Histogram slot of feature f's bin 0; a feature with missing values has one more slot for them. */
  slotStart: Int32Array;
  totalSlots: number;
  hasMissing: Uint8Array;
  /** 1 when the feature's present values are not all equal. */
  varies: Uint8Array;
  /**
   * Smallest and largest training value in each bin, indexed like histogram slots. A split between
   * the node's non-empty bins i < j is placed at the midpoint of binMax[i] and binMin[j], the middle
   * of the gap as exact's midpoint is: with one value per bin, hist and exact choose the same splits.
   */
  binMin: Float32Array;
  binMax: Float32Array;
}

/** Midpoint threshold a < t ≤ b in float32, as XGBoost places its exact-method thresholds. */
export function midpoint(a: number, b: number): number {
  const mid = f32(f32(a + b) * 0.5);
  return mid === a ? b : mid;
}

export function quantileCuts(sorted: Float32Array, maxBin: number): Float32Array {
  const count = sorted.length;
  const cuts: number[] = [];
  let distinct = 0;
  for (let i = 0; i < count; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  if (distinct <= maxBin) {
    for (let i = 1; i < count; i++) if (sorted[i] !== sorted[i - 1]) cuts.push(midpoint(sorted[i - 1], sorted[i]));
    return Float32Array.from(cuts);
  }
  // Walk the distinct values; open a new bin once the values so far pass the next quantile target.
  let nextBin = 1;
  for (let i = 1; i < count && nextBin < maxBin; i++) {
    if (sorted[i] === sorted[i - 1]) continue;
    if (i >= (nextBin * count) / maxBin) {
      cuts.push(midpoint(sorted[i - 1], sorted[i]));
      while (nextBin < maxBin && (nextBin * count) / maxBin <= i) nextBin++;
    }
  }
  return Float32Array.from(cuts);
}

export function binMatrix(X: Float32Array, n: number, d: number, maxBin: number): BinnedMatrix {
  const columns = toColumnMajor(X, n, d);
  const order = new Int32Array(n);
  const sorted = new Float32Array(n);
  const sorter = new ColumnSorter(n);
  const byteCodes = maxBin <= 256;
  const perFeature: Float32Array[] = [];
  const hasMissing = new Uint8Array(d);
  const varies = new Uint8Array(d);
  const colBins = byteCodes ? new Uint8Array(n * d) : new Uint16Array(n * d);
  const binMinList: Float32Array[] = [];
  const binMaxList: Float32Array[] = [];
  for (let f = 0; f < d; f++) {
    const column = columns.subarray(f * n, (f + 1) * n);
    const k = sorter.sort(column, n, order);
    for (let i = 0; i < k; i++) sorted[i] = column[order[i]];
    hasMissing[f] = k < n ? 1 : 0;
    varies[f] = k > 0 && sorted[0] !== sorted[k - 1] ? 1 : 0;
    // One-byte codes hold 256 values: with a missing-value code, 255 bins remain.
    const cuts = quantileCuts(sorted.subarray(0, k), byteCodes && hasMissing[f] ? Math.min(maxBin, 255) : maxBin);
    perFeature.push(cuts);
    // Walk the sorted values once: bins are consecutive runs.
    const nb = cuts.length + 1;
    const lo = new Float32Array(nb + 1).fill(NaN);
    const hi = new Float32Array(nb + 1).fill(NaN);
    const base = f * n;
    colBins.fill(nb, base, base + n);
    let bin = 0;
    for (let i = 0; i < k; i++) {
      const v = sorted[i];
      while (bin < cuts.length && cuts[bin] <= v) bin++;
      colBins[base + order[i]] = bin;
      if (lo[bin] !== lo[bin]) lo[bin] = v;
      hi[bin] = v;
    }
    binMinList.push(lo);
    binMaxList.push(hi);
  }
  const cutStart = new Int32Array(d + 1);
  perFeature.forEach((c, f) => (cutStart[f + 1] = cutStart[f] + c.length));
  const cuts = new Float32Array(cutStart[d]);
  perFeature.forEach((c, f) => cuts.set(c, cutStart[f]));
  const nBins = new Int32Array(d);
  const slotStart = new Int32Array(d + 1);
  for (let f = 0; f < d; f++) {
    nBins[f] = perFeature[f].length + 1;
    slotStart[f + 1] = slotStart[f] + nBins[f] + hasMissing[f];
  }
  const totalSlots = slotStart[d];
  const binMin = new Float32Array(totalSlots);
  const binMax = new Float32Array(totalSlots);
  for (let f = 0; f < d; f++) {
    const width = nBins[f] + hasMissing[f];
    binMin.set(binMinList[f].subarray(0, width), slotStart[f]);
    binMax.set(binMaxList[f].subarray(0, width), slotStart[f]);
  }
  // Row-major codes for the histogram builder, transposed back block by block.
  const rowMajor = byteCodes ? new Uint8Array(n * d) : totalSlots <= 65536 ? new Uint16Array(n * d) : new Uint32Array(n * d);
  for (let r0 = 0; r0 < n; r0 += BLOCK) {
    const r1 = Math.min(n, r0 + BLOCK);
    for (let f = 0; f < d; f++) {
      const s0 = byteCodes ? 0 : slotStart[f];
      const base = f * n;
      for (let r = r0; r < r1; r++) rowMajor[r * d + f] = s0 + colBins[base + r];
    }
  }
  return {
    n, d,
    codes8: byteCodes ? (rowMajor as Uint8Array) : null,
    slots: byteCodes ? null : (rowMajor as Uint16Array | Uint32Array),
    colBins, cutStart, cuts, nBins, slotStart, totalSlots, hasMissing, varies, binMin, binMax,
  };
}
