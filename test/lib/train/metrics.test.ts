import { describe, expect, it } from 'vitest';
import { binaryMetrics } from '../../../src/lib/train/metrics';
import { linearScheduleFactor, warmupStepsFor } from '../../../src/lib/train/schedule';
import { balancedClassWeights, crossEntropy } from '../../../src/lib/train/loss';
import * as tf from '@tensorflow/tfjs';

describe('binaryMetrics', () => {
  it('computes positive-class precision, recall, F1 and accuracy', () => {
    const m = binaryMetrics([1, 1, 1, 0, 0, 0, 0, 1], [1, 1, 0, 1, 0, 0, 0, 0]);
    expect(m).toMatchObject({ tp: 2, fp: 1, fn: 2, tn: 3, count: 8 });
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    expect(m.recall).toBeCloseTo(0.5, 12);
    expect(m.f1).toBeCloseTo((2 * (2 / 3) * 0.5) / (2 / 3 + 0.5), 12);
    expect(m.accuracy).toBeCloseTo(5 / 8, 12);
  });

  it('gives F1 = 0 when there are no predicted and no true positives', () => {
    const m = binaryMetrics([0, 0, 0], [0, 0, 0]);
    expect(m).toMatchObject({ precision: 0, recall: 0, f1: 0, accuracy: 1 });
  });

  it('rejects mismatched lengths', () => {
    expect(() => binaryMetrics([1, 0], [1])).toThrow(/2 labels but 1 predictions/);
  });
});

describe('linear schedule', () => {
  it('warms up from 0 and decays linearly to 0 (HF get_linear_schedule_with_warmup)', () => {
    const total = 10;
    const warm = warmupStepsFor(total, 0.2);
    expect(warm).toBe(2);
    const f = Array.from({ length: total }, (_, s) => linearScheduleFactor(s, total, warm));
    expect(f[0]).toBe(0);
    expect(f[1]).toBe(0.5);
    expect(f[2]).toBe(1);
    expect(f[9]).toBeCloseTo(1 / 8, 12);
    expect(linearScheduleFactor(0, total, 0)).toBe(1);
    expect(() => warmupStepsFor(10, 1)).toThrow(/warm-up fraction/);
  });
});

describe('loss', () => {
  it('balanced class weights make both classes count equally (torch weighted mean)', async () => {
    const w = balancedClassWeights([1, 0, 0, 0]);
    expect(w).toEqual([4 / 6, 2]);
    await tf.setBackend('cpu');
    const logits = tf.tensor2d([[0, 1], [2, 0], [0, 0], [1, 1]]);
    const labels = tf.tensor1d([1, 0, 0, 0], 'int32');
    const ce = (z: number[], y: number) => -(z[y] - Math.log(Math.exp(z[0]) + Math.exp(z[1])));
    const rows = [[0, 1], [2, 0], [0, 0], [1, 1]];
    const per = rows.map((z, i) => ce(z, [1, 0, 0, 0][i]));
    const plain = crossEntropy(logits, labels);
    const weighted = crossEntropy(logits, labels, w);
    expect(plain.dataSync()[0]).toBeCloseTo(per.reduce((a, b) => a + b) / 4, 5);
    const wi = [2, 4 / 6, 4 / 6, 4 / 6];
    expect(weighted.dataSync()[0]).toBeCloseTo(per.reduce((a, b, i) => a + b * wi[i], 0) / wi.reduce((a, b) => a + b), 5);
    tf.dispose([logits, labels, plain, weighted]);
  });
});
