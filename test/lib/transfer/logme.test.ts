import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { logme } from '../../../src/lib/transfer/logme';
import { createRng } from '../../../src/lib/util/rng';

interface ReferenceCase {
  name: string;
  seed: number;
  n: number;
  d: number;
  labels: number[];
  features_check: { first: number; last: number; sum: number };
  logme: number;
  per_class: { evidence: number; alpha: number; beta: number }[];
}
const reference = JSON.parse(readFileSync(fileURLToPath(new URL('../../fixtures/logme/reference.json', import.meta.url)), 'utf8')) as { cases: ReferenceCase[] };

/** The reference script's generator: x ← (1664525 x + 1013904223) mod 2³², value x / 2³² · 2 − 1. */
function lcgUniform(seed: number, count: number): Float64Array {
  let state = seed >>> 0;
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    state = (Math.imul(1664525, state) + 1013904223) >>> 0;
    out[k] = (state / 2 ** 32) * 2 - 1;
  }
  return out;
}

describe('logme against numpy (the authors\' fixed-point algorithm)', () => {
  for (const c of reference.cases) {
    it(`${c.name} (n ${c.n}, d ${c.d}, ${c.per_class.length} classes)`, () => {
      const F = lcgUniform(c.seed, c.n * c.d);
      expect(F[0]).toBe(c.features_check.first);
      expect(F[F.length - 1]).toBe(c.features_check.last);
      expect(F.reduce((a, b) => a + b, 0)).toBeCloseTo(c.features_check.sum, 9);
      const r = logme(F, c.n, c.d, c.labels);
      expect(Math.abs(r.logme - c.logme)).toBeLessThan(1e-6);
      expect(r.classes).toHaveLength(c.per_class.length);
      r.classes.forEach((k, i) => {
        expect(Math.abs(k.evidence - c.per_class[i]!.evidence)).toBeLessThan(1e-6);
        expect(Math.abs(k.alpha - c.per_class[i]!.alpha) / c.per_class[i]!.alpha).toBeLessThan(1e-6);
        expect(Math.abs(k.beta - c.per_class[i]!.beta) / c.per_class[i]!.beta).toBeLessThan(1e-6);
      });
    });
  }
});

describe('logme as an estimator', () => {
  it('is higher when the features explain the labels than for the same features with shuffled labels', () => {
    const rng = createRng(5);
    const n = 200;
    const d = 16;
    // The last column is constant: the model has no intercept of its own, and real [CLS] features
    // are not centred either.
    const F = Float64Array.from({ length: n * d }, (_, i) => (i % d === d - 1 ? 1 : rng.normal()));
    const labels = Array.from({ length: n }, (_, r) => (F[r * d]! + 0.3 * rng.normal() > 0 ? 1 : 0));
    const shuffled = rng.shuffle([...labels]);
    expect(logme(F, n, d, labels).logme).toBeGreaterThan(logme(F, n, d, shuffled).logme + 0.1);
  });

  it('refuses mismatched sizes, non-class labels and non-finite features', () => {
    expect(() => logme([1, 2, 3], 2, 2, [0, 1])).toThrow('expected 4 feature values');
    expect(() => logme([1, 2, 3, 4], 2, 2, [0])).toThrow('expected 2 labels');
    expect(() => logme([1, 2, 3, 4], 2, 2, [0, 0.5])).toThrow('label 1 must be a class index');
    expect(() => logme([1, 2, NaN, 4], 2, 2, [0, 1])).toThrow('feature value 2 (row 1) is NaN');
  });
});
