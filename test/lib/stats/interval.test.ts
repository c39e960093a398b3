import { describe, expect, it } from 'vitest';
import { excludesZero, percentileInterval, quantileOfSorted, resolveBootstrapOptions } from '../../../src/lib/stats/interval';

describe('quantileOfSorted', () => {
  it('interpolates linearly between order statistics (R type 7)', () => {
    const v = [1, 2, 3, 4, 5];
    expect(quantileOfSorted(v, 0)).toBe(1);
    expect(quantileOfSorted(v, 1)).toBe(5);
    expect(quantileOfSorted(v, 0.5)).toBe(3);
    expect(quantileOfSorted(v, 0.1)).toBeCloseTo(1.4, 12);
    expect(quantileOfSorted([7], 0.3)).toBe(7);
    expect(() => quantileOfSorted([], 0.5)).toThrow(/no values/);
  });
});

describe('percentileInterval', () => {
  it('takes the 2.5 % and 97.5 % quantiles of the replicates, in any order', () => {
    const reps = Float64Array.from({ length: 401 }, (_, i) => (i * 37) % 401); // 0 … 400, shuffled
    const iv = percentileInterval(123, reps, 0.95);
    expect(iv).toMatchObject({ estimate: 123, confidence: 0.95, replicates: 401 });
    expect(iv.low).toBeCloseTo(10, 9);
    expect(iv.high).toBeCloseTo(390, 9);
    expect(excludesZero(iv)).toBe(true);
    expect(excludesZero({ ...iv, low: -1 })).toBe(false);
    expect(excludesZero({ ...iv, low: -3, high: -1 })).toBe(true);
  });
});

describe('resolveBootstrapOptions', () => {
  it('fills the defaults and names a bad option', () => {
    expect(resolveBootstrapOptions({ seed: 1 }, 'f')).toEqual({ seed: 1, replicates: 2000, confidence: 0.95 });
    expect(() => resolveBootstrapOptions({ seed: 1, replicates: 0 }, 'f')).toThrow(/f: replicates must be an integer ≥ 1, got 0/);
    expect(() => resolveBootstrapOptions({ seed: 1, confidence: 1 }, 'f')).toThrow(/f: confidence must be in \(0, 1\)/);
    expect(() => resolveBootstrapOptions({ seed: NaN }, 'f')).toThrow(/f: seed must be a finite number/);
  });
});
