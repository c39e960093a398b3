import { describe, expect, it } from 'vitest';
import { gbdtRegressor } from '../../../src/lib/gbdt/regressor';
import {
  expectedImprovement, MIN_ROWS_FOR_INTERVAL, predictiveSamples, quantileOfSorted,
} from '../../../src/lib/search/recommend-ensemble';
import { createRng } from '../../../src/lib/util/rng';

const fit = gbdtRegressor({ n_estimators: 30, learning_rate: 0.3, max_depth: 2 });

describe('predictiveSamples', () => {
  it('carries the noise of the rows into the interval through out-of-bag residuals', () => {
    // The feature explains nothing: every F1 is 0.5 ± 0.2 (uniform). A new pair's 90 % interval must
    // cover most of that spread, which the members' mean predictions alone (all near 0.5) do not.
    const rng = createRng(11);
    const rows = Array.from({ length: 60 }, () => ({ features: { x: 0 }, value: 0.3 + 0.4 * rng.next() }));
    const p = predictiveSamples(rows, [{ x: 0 }], ['x'], { fit, members: 16, seed: 1 });
    expect(p.informative).toBe(true);
    const s = p.samples[0]!;
    const lo = quantileOfSorted(s, 0.05);
    const hi = quantileOfSorted(s, 0.95);
    expect(lo).toBeLessThan(0.38);
    expect(hi).toBeGreaterThan(0.62);
    expect(Math.abs(p.mean[0]! - 0.5)).toBeLessThan(0.05);
  });

  it('separates candidates the features tell apart, and clips samples to [0, 1]', () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ features: { x: i % 2 }, value: i % 2 ? 0.98 : 0.02 }));
    const p = predictiveSamples(rows, [{ x: 0 }, { x: 1 }], ['x'], { fit, members: 8, seed: 2 });
    expect(p.mean[1]! - p.mean[0]!).toBeGreaterThan(0.8);
    for (const s of p.samples) for (const v of s) expect(v >= 0 && v <= 1).toBe(true);
  });

  it(`is not informative below ${MIN_ROWS_FOR_INTERVAL} rows and refuses no rows or no features`, () => {
    const rows = [{ features: { x: 1 }, value: 0.4 }, { features: { x: 2 }, value: 0.6 }];
    expect(predictiveSamples(rows, [{ x: 1 }], ['x'], { fit }).informative).toBe(false);
    expect(() => predictiveSamples([], [{ x: 1 }], ['x'], { fit })).toThrow(/no rows/);
    expect(() => predictiveSamples(rows, [{ x: 1 }], [], { fit })).toThrow(/at least one feature/);
  });
});

describe('quantileOfSorted, expectedImprovement', () => {
  it('interpolate between order statistics; the expected gain over the best', () => {
    const s = Float64Array.from([0, 0.5, 1]);
    expect(quantileOfSorted(s, 0.25)).toBeCloseTo(0.25, 12);
    expect(quantileOfSorted(s, 1)).toBe(1);
    expect(expectedImprovement(s, 0.4)).toBeCloseTo((0.1 + 0.6) / 3, 12);
    expect(expectedImprovement(s, 1)).toBe(0);
  });
});
