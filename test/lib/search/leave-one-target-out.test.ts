import { describe, expect, it } from 'vitest';
import { designMatrix, leaveOneTargetOut, leaveOneTargetOutFolds } from '../../../src/lib/search/leave-one-target-out';
import type { FitFunction } from '../../../src/lib/search/types';
import { syntheticTransferRows } from './synthetic-runs';

interface FitCall {
  targetIdsSeen: number[];
  y: number[];
  d: number;
}

/** Records what each fit saw; predicts the mean of its training labels for every row. */
function recordingMeanFit(calls: FitCall[], predictedTargetIds: number[][]): FitFunction {
  return (X, n, d, y) => {
    calls.push({ targetIdsSeen: Array.from({ length: n }, (_, i) => X[i * d + 1]!), y: Array.from(y), d });
    const mean = y.reduce((a, b) => a + b, 0) / n;
    return (Xt, nt) => {
      predictedTargetIds.push(Array.from({ length: nt }, (_, i) => Xt[i * d + 1]!));
      return new Float32Array(nt).fill(mean);
    };
  };
}

describe('leaveOneTargetOut', () => {
  it("never lets a target's rows into its own fit, and predicts each target from the others", () => {
    const rows = syntheticTransferRows();
    const calls: FitCall[] = [];
    const predicted: number[][] = [];
    const pred = leaveOneTargetOut(rows, ['fixed_pred', 'target_id'], recordingMeanFit(calls, predicted));

    expect(calls).toHaveLength(3); // targets B, C, D
    expect(predicted).toEqual([[1, 1, 1], [2, 2, 2, 2], [3]]);
    calls.forEach((call, fold) => {
      const heldOut = predicted[fold]![0]!;
      expect(call.targetIdsSeen).not.toContain(heldOut);
      expect(call.d).toBe(2);
    });
    // Training sets are exactly "every other target": B's fit sees C and D rows, etc.
    expect(calls[0]!.targetIdsSeen).toEqual([2, 2, 2, 2, 3]);
    expect(calls[1]!.targetIdsSeen).toEqual([1, 1, 1, 3]);
    expect(calls[2]!.targetIdsSeen).toEqual([1, 1, 1, 2, 2, 2, 2]);

    // Means of the other targets' F1, worked out by hand (float32 from the predictor).
    const forB = (0.3 + 0.2 + 0.4 + 0.25 + 0.8) / 5;
    const forC = (0.5 + 0.7 + 0.6 + 0.8) / 4;
    const forD = (0.5 + 0.7 + 0.6 + 0.3 + 0.2 + 0.4 + 0.25) / 7;
    const expected = [forB, forB, forB, forC, forC, forC, forC, forD];
    expect(pred).toHaveLength(rows.length);
    expected.forEach((e, i) => expect(pred[i]).toBeCloseTo(e, 6));
  });

  it('gives predictions aligned with the input rows whatever their order', () => {
    const rows = syntheticTransferRows();
    const shuffled = [rows[7]!, rows[3]!, rows[0]!, rows[5]!, rows[1]!, rows[6]!, rows[2]!, rows[4]!];
    const fit: FitFunction = () => (X, n) => Float32Array.from({ length: n }, (_, i) => X[i * 1]! * 10);
    const pred = leaveOneTargetOut(shuffled, ['fixed_pred'], fit);
    shuffled.forEach((r, i) => expect(pred[i]).toBeCloseTo(r.features.fixed_pred! * 10, 5));
  });

  it('builds the row-major design matrix in feature-name order', () => {
    const rows = syntheticTransferRows();
    const X = designMatrix(rows, [7, 0], ['target_id', 'fixed_pred']);
    expect(Array.from(X)).toEqual([3, Math.fround(0.5), 1, Math.fround(0.4)]);
  });

  it('exposes the folds for a pipeline that runs them as separate jobs', () => {
    const folds = leaveOneTargetOutFolds(syntheticTransferRows());
    expect(folds.map((f) => f.target)).toEqual(['B', 'C', 'D']);
    expect(folds[1]).toEqual({ target: 'C', train: [0, 1, 2, 7], test: [3, 4, 5, 6] });
  });

  it('rejects bad input with a specific message', () => {
    const rows = syntheticTransferRows();
    const fit: FitFunction = () => (_X, n) => new Float32Array(n);
    expect(() => leaveOneTargetOut([], ['fixed_pred'], fit)).toThrow(/no transfer rows/);
    expect(() => leaveOneTargetOut(rows.slice(0, 3), ['fixed_pred'], fit)).toThrow(/all transfer rows have target "B"/);
    expect(() => leaveOneTargetOut(rows, ['fixed_pred', 'missing'], fit)).toThrow(/transfer row 0 \(A→B\): feature "missing" must be a finite number, got nothing/);
    expect(() => leaveOneTargetOut(rows, [], fit)).toThrow(/feature set is empty/);
    expect(() => leaveOneTargetOut(rows, ['fixed_pred', 'fixed_pred'], fit)).toThrow(/duplicate feature names/);
    const bad = syntheticTransferRows();
    bad[2]!.f1 = Number.NaN;
    expect(() => leaveOneTargetOut(bad, ['fixed_pred'], fit)).toThrow(/transfer row 2 \(D→B\): field "f1" must be a finite number in \[0, 1\], got NaN/);
    const short: FitFunction = () => () => new Float32Array(1);
    expect(() => leaveOneTargetOut(rows, ['fixed_pred'], short)).toThrow(/regressor for target "B" returned 1 predictions for 3 rows/);
    const nan: FitFunction = () => (_X, n) => new Float32Array(n).fill(Number.NaN);
    expect(() => leaveOneTargetOut(rows, ['fixed_pred'], nan)).toThrow(/predicted NaN for row 0/);
  });
});
