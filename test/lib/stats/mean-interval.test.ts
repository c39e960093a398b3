import { describe, expect, it } from 'vitest';
import { meanInterval } from '../../../src/lib/stats/mean-interval';
import { createRng } from '../../../src/lib/util/rng';

describe('meanInterval', () => {
  it('is a point for a constant', () => {
    const iv = meanInterval(new Array(25).fill(0.375), { seed: 1 });
    expect([iv.estimate, iv.low, iv.high]).toEqual([0.375, 0.375, 0.375]);
  });

  it('is reproducible from its seed and changes with it', () => {
    const v = Array.from({ length: 30 }, (_, i) => (i * 7) % 11);
    expect(meanInterval(v, { seed: 3 })).toEqual(meanInterval(v, { seed: 3 }));
    expect(meanInterval(v, { seed: 3 }).low).not.toBe(meanInterval(v, { seed: 4 }).low);
  });

  it('covers the true mean of a normal sample about 95 % of the time, with the width of ±1.96 σ/√n', () => {
    const data = createRng(99);
    const n = 60;
    const trials = 300;
    let covered = 0;
    let width = 0;
    for (let t = 0; t < trials; t++) {
      const sample = Array.from({ length: n }, () => 2 + data.normal());
      const iv = meanInterval(sample, { seed: t, replicates: 1000 });
      if (iv.low <= 2 && 2 <= iv.high) covered++;
      width += (iv.high - iv.low) / trials;
    }
    // Binomial sd of the coverage over 300 trials ≈ 0.013; the percentile bootstrap undercovers a little at n = 60.
    expect(covered / trials).toBeGreaterThan(0.9);
    expect(covered / trials).toBeLessThan(0.99);
    expect(width).toBeGreaterThan(0.9 * (2 * 1.96) / Math.sqrt(n));
    expect(width).toBeLessThan(1.05 * (2 * 1.96) / Math.sqrt(n));
  });

  it('refuses no values and non-finite ones', () => {
    expect(() => meanInterval([], { seed: 1 })).toThrow(/no values/);
    expect(() => meanInterval([1, NaN], { seed: 1 })).toThrow(/value 1 is NaN/);
  });
});
