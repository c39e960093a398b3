import { describe, expect, it } from 'vitest';
import { binaryMetrics } from '../../../src/lib/train/metrics';
import { chooseThreshold, decide, predictAt } from '../../../src/lib/train/threshold';

describe('chooseThreshold', () => {
  it('finds the cut of a ranking whose every score is below 0.5 (argmax would predict no positive)', () => {
    const labels = [0, 0, 0, 1, 1, 0, 1];
    const probs = [0.05, 0.1, 0.12, 0.3, 0.35, 0.2, 0.4];
    expect(binaryMetrics(labels, predictAt(probs, 0.5)).f1).toBe(0);
    const { threshold, f1 } = chooseThreshold(labels, probs);
    expect(f1).toBe(1);
    // Midway between the highest negative (0.2) and the lowest positive (0.3).
    expect(threshold).toBeCloseTo(0.25, 12);
    expect(binaryMetrics(labels, predictAt(probs, threshold)).f1).toBe(1);
  });

  it('keeps 0.5 when no other threshold does better', () => {
    const labels = [0, 1, 0, 1];
    const probs = [0.1, 0.9, 0.2, 0.8];
    expect(chooseThreshold(labels, probs)).toEqual({ threshold: 0.5, f1: 1 });
  });

  it('never does worse on its own data than argmax or predicting all positive', () => {
    const labels = [1, 0, 1, 0, 0, 1, 0, 0, 1, 0];
    const probs = [0.6, 0.7, 0.4, 0.1, 0.55, 0.3, 0.52, 0.2, 0.9, 0.65];
    const { threshold, f1 } = chooseThreshold(labels, probs);
    expect(f1).toBeGreaterThanOrEqual(binaryMetrics(labels, predictAt(probs, 0.5)).f1);
    expect(f1).toBeGreaterThanOrEqual(binaryMetrics(labels, labels.map(() => 1)).f1);
    expect(binaryMetrics(labels, predictAt(probs, threshold)).f1).toBeCloseTo(f1, 12);
  });

  it('returns 0.5 without positives and refuses mismatched lengths', () => {
    expect(chooseThreshold([0, 0], [0.2, 0.7])).toEqual({ threshold: 0.5, f1: 0 });
    expect(() => chooseThreshold([0, 1], [0.2])).toThrow(/2 labels but 1 probabilities/);
  });
});

describe('decide', () => {
  // A "collapsed" model: it ranks positives first but every probability is below 0.5.
  const validation = { labels: [1, 0, 1, 0, 0], probabilities: [0.4, 0.1, 0.35, 0.2, 0.15], predictions: [0, 0, 0, 0, 0] };
  const test = { labels: [0, 1, 1, 0], probabilities: [0.05, 0.45, 0.3, 0.32], predictions: [0, 0, 0, 0] };

  it('validation: the threshold chosen on validation alone, applied to test', () => {
    const d = decide('validation', test, validation);
    expect(d.threshold).toBeCloseTo((0.35 + 0.2) / 2, 12);
    expect(d.validation!.f1).toBe(1);
    // 0.45 and 0.32 reach 0.275 on test: one true and one false positive; 0.3 too.
    expect(d.test.predictions).toEqual([0, 1, 1, 1]);
    expect(d.test.tp).toBe(2);
    expect(d.test.fp).toBe(1);
    expect(d.test.f1).toBeCloseTo(0.8, 12);
  });

  it('test labels never move the threshold', () => {
    const flipped = { ...test, labels: test.labels.map((y) => 1 - y) };
    expect(decide('validation', flipped, validation).threshold).toBe(decide('validation', test, validation).threshold);
  });

  it('argmax, no validation documents or no validation positive: the argmax predictions stand', () => {
    for (const d of [decide('argmax', test, validation), decide('validation', test, null), decide('validation', test, { ...validation, labels: [0, 0, 0, 0, 0] })]) {
      expect(d.threshold).toBeNull();
      expect(d.test.predictions).toEqual(test.predictions);
      expect(d.test.f1).toBe(0);
    }
  });
});
