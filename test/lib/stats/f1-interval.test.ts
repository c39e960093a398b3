import { describe, expect, it } from 'vitest';
import { f1Interval, weightedF1 } from '../../../src/lib/stats/f1-interval';
import { binaryMetrics } from '../../../src/lib/train/metrics';
import { createRng } from '../../../src/lib/util/rng';

/** n documents drawn i.i.d. from the joint distribution of (label, prediction): P(tp), P(fp), P(fn), rest tn. */
function draw(n: number, p: { tp: number; fp: number; fn: number }, seed: number) {
  const rng = createRng(seed);
  const labels: number[] = [];
  const predictions: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = rng.next();
    const [y, q] = u < p.tp ? [1, 1] : u < p.tp + p.fp ? [0, 1] : u < p.tp + p.fp + p.fn ? [1, 0] : [0, 0];
    labels.push(y);
    predictions.push(q);
  }
  return { labels, predictions };
}

describe('weightedF1', () => {
  it('is binaryMetrics\' F1 with unit weights, and counts a weight-k document k times', () => {
    const { labels, predictions } = draw(200, { tp: 0.1, fp: 0.1, fn: 0.05 }, 1);
    expect(weightedF1(labels, predictions)).toBeCloseTo(binaryMetrics(labels, predictions).f1, 14);
    const w = labels.map((_, i) => i % 3);
    const repeated = labels.flatMap((y, i) => new Array(w[i]).fill([y, predictions[i]]));
    expect(weightedF1(labels, predictions, w)).toBeCloseTo(binaryMetrics(repeated.map((r) => r[0]), repeated.map((r) => r[1])).f1, 14);
    expect(weightedF1([0, 0, 1], [0, 0, 0])).toBe(0);
  });
});

describe('f1Interval', () => {
  it('is the point 1 for perfect predictions and 0 for a model that never predicts positive', () => {
    const labels = [1, 0, 0, 1, 1, 0, 0, 0, 1, 0];
    const perfect = f1Interval(labels, [labels], { seed: 1, replicates: 500 });
    // A resample without positives has F1 0; with 4 positives in 10 that happens in 0.6 % of draws.
    expect(perfect.estimate).toBe(1);
    expect(perfect.high).toBe(1);
    expect(perfect.low).toBe(1);
    const never = f1Interval(labels, [labels.map(() => 0), labels.map(() => 0)], { seed: 1 });
    expect([never.estimate, never.low, never.high]).toEqual([0, 0, 0]);
  });

  it('covers the population F1 about 95 % of the time', () => {
    // Population F1 = 2·tp / (2·tp + fp + fn) = 0.2 / 0.3.
    const p = { tp: 0.1, fp: 0.05, fn: 0.05 };
    const truth = 2 / 3;
    let covered = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const { labels, predictions } = draw(500, p, 1000 + t);
      const iv = f1Interval(labels, [predictions], { seed: t, replicates: 800 });
      if (iv.low <= truth && truth <= iv.high) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.89);
    expect(covered / trials).toBeLessThan(0.99);
  });

  it('estimates the mean over seeds, and seed-to-seed spread widens the interval', () => {
    const { labels, predictions: good } = draw(400, { tp: 0.15, fp: 0.03, fn: 0.03 }, 7);
    const collapsed = good.map(() => 0); // a seed that learned nothing: F1 0
    const one = f1Interval(labels, [good], { seed: 5 });
    const same = f1Interval(labels, [good, good, good], { seed: 5 });
    // Repeating a seed's predictions changes nothing: documents are drawn from their own stream.
    for (const k of ['estimate', 'low', 'high'] as const) expect(same[k], k).toBeCloseTo(one[k], 12);
    const mixed = f1Interval(labels, [good, collapsed, good], { seed: 5 });
    expect(mixed.estimate).toBeCloseTo((2 * one.estimate) / 3, 12);
    expect(mixed.high - mixed.low).toBeGreaterThan(3 * (one.high - one.low));
    expect(mixed.low).toBeLessThan(0.4);
  });

  it('names what is wrong with its input', () => {
    expect(() => f1Interval([], [[]], { seed: 1 })).toThrow(/no test documents/);
    expect(() => f1Interval([1, 0], [], { seed: 1 })).toThrow(/no seeds/);
    expect(() => f1Interval([1, 0], [[1]], { seed: 1 })).toThrow(/seed 0 has 1 predictions for 2 test documents/);
  });
});
