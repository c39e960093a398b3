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

const f32 = Math.fround;

export interface BinnedMatrix {
  n: number;
  d: number;
  /** Row-major n × d bin codes; code `nBins[f]` marks a missing value. */
  codes: Uint8Array | Uint16Array;
  /** Feature f's cuts are cuts[cutStart[f] .. cutStart[f+1]); it has (that count + 1) bins. */
  cutStart: Int32Array;
  cuts: Float32Array;
  nBins: Int32Array;
  /** Histogram slot of feature f's bin 0; a feature with missing values has one more slot for them. */
  slotStart: Int32Array;
  totalSlots: number;
  hasMissing: Uint8Array;
  /** Smallest and largest present value (NaN when the column is all missing). */
  minValue: Float32Array;
  maxValue: Float32Array;
  /**
   * Smallest and largest training value in each bin, indexed like histogram slots. A split between
   * the node's non-empty bins i < j is placed at the midpoint of binMax[i] and binMin[j], the middle
   * of the gap as exact's midpoint is: with one value per bin, hist and exact choose the same splits.
   */
  binMin: Float32Array;
  binMax: Float32Array;
}

/** Thresholds (ascending) that cut the sorted present values `sorted` into ≤ maxBin count-quantile bins. */
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

/** Number of cuts ≤ x (upper bound by binary search). */
function binOf(cuts: Float32Array, lo: number, hi: number, x: number): number {
  const start = lo;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cuts[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - start;
}

export function binMatrix(X: Float32Array, n: number, d: number, maxBin: number): BinnedMatrix {
  const perFeature: Float32Array[] = [];
  const hasMissing = new Uint8Array(d);
  const minValue = new Float32Array(d);
  const maxValue = new Float32Array(d);
  const column = new Float32Array(n);
  for (let f = 0; f < d; f++) {
    let k = 0;
    for (let r = 0; r < n; r++) {
      const v = X[r * d + f];
      if (v === v) column[k++] = v;
    }
    hasMissing[f] = k < n ? 1 : 0;
    const sorted = column.slice(0, k).sort();
    minValue[f] = k ? sorted[0] : NaN;
    maxValue[f] = k ? sorted[k - 1] : NaN;
    perFeature.push(quantileCuts(sorted, maxBin));
  }
  const cutStart = new Int32Array(d + 1);
  perFeature.forEach((c, f) => (cutStart[f + 1] = cutStart[f] + c.length));
  const cuts = new Float32Array(cutStart[d]);
  perFeature.forEach((c, f) => cuts.set(c, cutStart[f]));
  const nBins = new Int32Array(d);
  const slotStart = new Int32Array(d + 1);
  let widest = 0;
  for (let f = 0; f < d; f++) {
    nBins[f] = perFeature[f].length + 1;
    slotStart[f + 1] = slotStart[f] + nBins[f] + hasMissing[f];
    widest = Math.max(widest, nBins[f] + hasMissing[f]);
  }
  const codes = widest <= 256 ? new Uint8Array(n * d) : new Uint16Array(n * d);
  const binMin = new Float32Array(slotStart[d]).fill(Infinity);
  const binMax = new Float32Array(slotStart[d]).fill(-Infinity);
  for (let r = 0; r < n; r++) {
    for (let f = 0; f < d; f++) {
      const v = X[r * d + f];
      if (v !== v) {
        codes[r * d + f] = nBins[f];
        continue;
      }
      const bin = binOf(cuts, cutStart[f], cutStart[f + 1], v);
      codes[r * d + f] = bin;
      const s = slotStart[f] + bin;
      if (v < binMin[s]) binMin[s] = v;
      if (v > binMax[s]) binMax[s] = v;
    }
  }
  return { n, d, codes, cutStart, cuts, nBins, slotStart, totalSlots: slotStart[d], hasMissing, minValue, maxValue, binMin, binMax };
}
