import { describe, expect, it } from 'vitest';
import { binMatrix, midpoint, quantileCuts } from '../../../src/lib/gbdt/quantile';

const f32 = Math.fround;

describe('quantileCuts', () => {
  it('one bin per distinct value when they fit, cut at float32 midpoints', () => {
    const sorted = Float32Array.from([0, 0, 1, 3, 3, 3, 4, 9]);
    expect(Array.from(quantileCuts(sorted, 256))).toEqual([0.5, 2, 3.5, 6.5]);
  });

  it('at most maxBin bins, about equal counts, on many distinct values', () => {
    const n = 10000;
    const sorted = Float32Array.from({ length: n }, (_, i) => f32(Math.sqrt(i)));
    const cuts = quantileCuts(sorted, 16);
    expect(cuts.length).toBe(15);
    const counts = Array.from({ length: 16 }, () => 0);
    for (const v of sorted) counts[cuts.filter((c) => c <= v).length]++;
    for (const c of counts) expect(Math.abs(c - n / 16)).toBeLessThanOrEqual(2);
    for (let i = 1; i < cuts.length; i++) expect(cuts[i]).toBeGreaterThan(cuts[i - 1]);
  });

  it('a heavy tie never gets split and never yields more than maxBin bins', () => {
    const sorted = Float32Array.from([...Array(900).fill(1), ...Array.from({ length: 100 }, (_, i) => 2 + i)]);
    const cuts = quantileCuts(sorted, 8);
    expect(cuts.length).toBeLessThanOrEqual(7);
    expect(cuts[0]).toBe(1.5);
  });

  it('midpoint stays strictly above the lower value even for adjacent floats', () => {
    const a = f32(1);
    const b = f32(1 + 2 ** -23);
    const m = midpoint(a, b);
    expect(a < m && m <= b).toBe(true);
  });
});

describe('binMatrix', () => {
  it('x < cut[k] exactly when bin(x) ≤ k, missing values get their own code', () => {
    const n = 500;
    const d = 3;
    const X = new Float32Array(n * d);
    for (let r = 0; r < n; r++) {
      X[r * d] = f32(Math.sin(r) * 100);
      X[r * d + 1] = r % 7 === 0 ? NaN : r % 5;
      X[r * d + 2] = f32(r * 0.001);
    }
    const b = binMatrix(X, n, d, 32);
    expect(Array.from(b.hasMissing)).toEqual([0, 1, 0]);
    expect(Array.from(b.nBins)).toEqual([32, 5, 32]);
    expect(b.codes8).not.toBeNull();
    for (let f = 0; f < d; f++) {
      const cuts = b.cuts.subarray(b.cutStart[f], b.cutStart[f + 1]);
      for (let r = 0; r < n; r++) {
        const x = X[r * d + f];
        const bin = b.colBins[f * n + r];
        expect(b.codes8![r * d + f]).toBe(bin);
        if (Number.isNaN(x)) {
          expect(bin).toBe(b.nBins[f]);
          continue;
        }
        for (let k = 0; k < cuts.length; k++) expect(x < cuts[k]).toBe(bin <= k);
        expect(b.binMin[b.slotStart[f] + bin]).toBeLessThanOrEqual(x);
        expect(b.binMax[b.slotStart[f] + bin]).toBeGreaterThanOrEqual(x);
      }
    }
  });
});

describe('binMatrix code layouts', () => {
  const n = 2000;
  const X = Float32Array.from({ length: n * 2 }, (_, i) => (i % 2 === 1 && i % 7 === 0 ? NaN : f32(Math.sin(i) * 10)));
  it('max_bin 256: byte codes; a feature with missing values keeps one code for them (≤ 255 bins)', () => {
    const b = binMatrix(X, n, 2, 256);
    expect(b.slots).toBeNull();
    expect(Array.from(b.nBins)).toEqual([256, 255]);
    expect(Math.max(...b.codes8!)).toBe(255);
  });
  it('max_bin above 256: row-major histogram slots', () => {
    const b = binMatrix(X, n, 2, 1000);
    expect(b.codes8).toBeNull();
    expect(b.slots).toBeInstanceOf(Uint16Array);
    expect(Array.from(b.nBins)).toEqual([1000, 1000]);
    for (let r = 0; r < n; r++) for (let f = 0; f < 2; f++) expect(b.slots![r * 2 + f]).toBe(b.slotStart[f] + b.colBins[f * n + r]);
  });
});
