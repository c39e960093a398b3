import { describe, expect, it } from 'vitest';
import { binaryMetrics } from '../../../src/lib/train/metrics';
import { chooseThreshold, predictAt } from '../../../src/lib/train/threshold';

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
