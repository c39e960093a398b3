import { describe, expect, it } from 'vitest';
import { cappedKs, DEFAULT_RMSE_KS, rmseAtK } from '../../../src/lib/search/rmse-at-k';
import { FIXED_PREDICTIONS, syntheticTransferRows } from './synthetic-runs';

// Errors (prediction − actual) per row: r0 −0.10, r1 −0.10, r2 +0.05, r3 +0.05, r4 +0.15, r5 −0.30,
// r6 +0.05, r7 −0.30. Predicted orders: B [r2, r1, r0], C [r3, r4, r6, r5], D [r7].
describe('rmseAtK', () => {
  it('caps K at the largest number of candidates', () => {
    expect(cappedKs([1, 2, 5, 10], 4)).toEqual([1, 2, 4]);
    expect(cappedKs(DEFAULT_RMSE_KS, 4)).toEqual([4]);
    expect(cappedKs(DEFAULT_RMSE_KS, 11)).toEqual([5, 10, 11]);
    expect(cappedKs(DEFAULT_RMSE_KS, 10)).toEqual([5, 10]);
    expect(cappedKs(DEFAULT_RMSE_KS, 352)).toEqual([5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(() => cappedKs([0, 5], 10)).toThrow(/K must be a positive integer, got 0/);
  });

  it('pooled and per-target RMSE over each target’s top-K by prediction', () => {
    const points = rmseAtK(syntheticTransferRows(), FIXED_PREDICTIONS, 'F1', [1, 2, 5, 10]);
    expect(points.map((p) => p.k)).toEqual([1, 2, 4]);
    const [k1, k2, k4] = points as [typeof points[0], typeof points[0], typeof points[0]];
    // K=1: r2, r3, r7.
    expect(k1.rmsePooled).toBeCloseTo(Math.sqrt((0.0025 + 0.0025 + 0.09) / 3), 12);
    expect(k1.rmsePerTargetMean).toBeCloseTo((0.05 + 0.05 + 0.3) / 3, 12);
    expect(k1.rowsPooled).toBe(3);
    // K=2: B r2,r1; C r3,r4 (the tie at 0.35 resolves to source A first — both are in either way); D r7 only.
    expect(k2.rmsePooled).toBeCloseTo(Math.sqrt((0.0025 + 0.01 + 0.0025 + 0.0225 + 0.09) / 5), 12);
    expect(k2.rmsePerTargetMean).toBeCloseTo((Math.sqrt(0.0125 / 2) + Math.sqrt(0.025 / 2) + 0.3) / 3, 12);
    expect(k2.rowsPooled).toBe(5);
    // K=4 (10 capped): every row.
    expect(k4.rmsePooled).toBeCloseTo(Math.sqrt(0.23 / 8), 12);
    expect(k4.rmsePerTargetMean).toBeCloseTo((Math.sqrt(0.0225 / 3) + Math.sqrt(0.1175 / 4) + 0.3) / 3, 12);
    expect(k4.rowsPooled).toBe(8);
    expect(points.every((p) => p.featureSet === 'F1' && p.targets === 3)).toBe(true);
  });

  it('a tie at the K boundary is resolved by source name', () => {
    const rows = syntheticTransferRows();
    const pred = [...FIXED_PREDICTIONS];
    pred[4] = 0.5; // r4 (B→C, error +0.30) now first in C; r3 (A→C) second
    pred[3] = 0.5; // tie: A before B, so K=1 picks r3 (error +0.20)
    const [k1] = rmseAtK(rows, pred, 'x', [1]);
    expect(k1!.rmsePooled).toBeCloseTo(Math.sqrt((0.0025 + 0.04 + 0.09) / 3), 12);
  });

  it('rejects empty input', () => {
    expect(() => rmseAtK([], [], 'F1')).toThrow(/rmseAtK: no transfer rows given/);
  });
});
