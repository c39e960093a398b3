import { describe, expect, it } from 'vitest';
import { candidatesByTarget, oracleOrders, predictedOrders } from '../../../src/lib/search/candidates';
import { FIXED_PREDICTIONS, syntheticTransferRows } from './synthetic-runs';

describe('candidate orders', () => {
  it('groups candidates by target, targets sorted by name', () => {
    const groups = candidatesByTarget(syntheticTransferRows());
    expect(groups).toEqual([
      { target: 'B', rows: [0, 1, 2] },
      { target: 'C', rows: [3, 4, 5, 6] },
      { target: 'D', rows: [7] },
    ]);
  });

  it('orders by descending prediction; ties go to the smaller source name, whatever the input order', () => {
    const rows = syntheticTransferRows();
    expect(predictedOrders(rows, candidatesByTarget(rows), FIXED_PREDICTIONS)).toEqual([[2, 1, 0], [3, 4, 6, 5], [7]]);
    // Swap r3 (A→C) and r4 (B→C) in the input: the tie still resolves to source A first.
    const swapped = [...rows];
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    const pred = [...FIXED_PREDICTIONS];
    const orders = predictedOrders(swapped, candidatesByTarget(swapped), pred);
    expect(orders[1]!.map((i) => swapped[i]!.source)).toEqual(['A', 'B', 'A', 'D']);
  });

  it('breaks a tie between equal predictions of the same source by settings (smaller lr first)', () => {
    const rows = syntheticTransferRows();
    const pred = [...FIXED_PREDICTIONS];
    pred[6] = pred[3]!; // r6 (A→C, lr 2e-5) ties r3 (A→C, lr 1e-5) and r4 (B→C)
    expect(predictedOrders(rows, candidatesByTarget(rows), pred)[1]).toEqual([3, 6, 4, 5]);
  });

  it('oracle: descending actual F1, equal F1 → shorter training first', () => {
    const rows = syntheticTransferRows();
    expect(oracleOrders(rows, candidatesByTarget(rows))).toEqual([[1, 2, 0], [5, 3, 6, 4], [7]]);
    rows[3]!.f1 = 0.4; // now r3 (5 ms) ties r5 (10 ms) at 0.4
    expect(oracleOrders(rows, candidatesByTarget(rows))[1]).toEqual([3, 5, 6, 4]);
  });

  it('rejects predictions of the wrong length or with NaN', () => {
    const rows = syntheticTransferRows();
    const groups = candidatesByTarget(rows);
    expect(() => predictedOrders(rows, groups, [0.1])).toThrow(/predictions has 1 values but there are 8 transfer rows/);
    const pred = [...FIXED_PREDICTIONS];
    pred[5] = Number.NaN;
    expect(() => predictedOrders(rows, groups, pred)).toThrow(/prediction for transfer row 5 \(D→C\) is NaN/);
  });
});
