import { describe, expect, it } from 'vitest';
import { bootstrapMeanInterval } from '../../../src/lib/search/replay-bootstrap';
import { createRng } from '../../../src/lib/util/rng';

describe('bootstrapMeanInterval', () => {
  it('is reproducible from its seed and brackets the mean', () => {
    const values = [0.1, 0.4, 0.35, 0.8, 0.2, 0.55];
    const a = bootstrapMeanInterval(values, 7);
    expect(bootstrapMeanInterval(values, 7)).toEqual(a);
    expect(a.mean).toBeCloseTo(2.4 / 6, 12);
    expect(a.ci95[0]).toBeLessThan(a.mean);
    expect(a.ci95[1]).toBeGreaterThan(a.mean);
    expect(a.ci95[0]).toBeGreaterThanOrEqual(0.1);
    expect(a.ci95[1]).toBeLessThanOrEqual(0.8);
  });

  it('is a point for constant values and for one target', () => {
    expect(bootstrapMeanInterval([0.3, 0.3, 0.3], 1)).toEqual({ mean: 0.3, ci95: [0.3, 0.3] });
    expect(bootstrapMeanInterval([0.7], 1)).toEqual({ mean: 0.7, ci95: [0.7, 0.7] });
  });

  it('matches the normal-theory interval of a mean for many normal values', () => {
    const rng = createRng(3);
    const values = Array.from({ length: 400 }, () => rng.normal());
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
    const half = (1.96 * sd) / Math.sqrt(values.length);
    const { ci95 } = bootstrapMeanInterval(values, 11, 4000);
    expect(ci95[0]).toBeCloseTo(mean - half, 1);
    expect(ci95[1]).toBeCloseTo(mean + half, 1);
    expect(Math.abs(ci95[1] - ci95[0] - 2 * half)).toBeLessThan(0.2 * half);
  });

  it('refuses no values and non-finite values', () => {
    expect(() => bootstrapMeanInterval([], 0)).toThrow('no values');
    expect(() => bootstrapMeanInterval([0.1, NaN], 0)).toThrow('finite');
  });
});
