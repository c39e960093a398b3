import { describe, expect, it } from 'vitest';
import { gaussLegendreNodes, interpolationAlphas } from '../../../src/lib/explain/interpolation';
import { expected, maxAbsDiff } from './fixture';

/** P_n and P_n' by the recurrence, to check nodes independently of the implementation's Newton loop. */
function legendre(n: number, x: number): [number, number] {
  let p0 = 1;
  let p1 = x;
  for (let k = 2; k <= n; k++) [p0, p1] = [p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k];
  return [p1, (n * (p0 - x * p1)) / (1 - x * x)];
}

describe('Gauss–Legendre interpolation points', () => {
  it('equal the fixture alphas (Captum, n_steps 50 → 51 nodes) within 1e-12', () => {
    const alphas = interpolationAlphas('gausslegendre', 50);
    const want = expected.captum.variants.gausslegendre_50.alphas;
    expect(alphas).toHaveLength(51);
    expect(maxAbsDiff(alphas, want)).toBeLessThan(1e-12);
  });

  it('are the closed-form nodes for 1, 2 and 3 points', () => {
    expect(interpolationAlphas('gausslegendre', 1)).toEqual([0.5 * (1 - 1 / Math.sqrt(3)), 0.5 * (1 + 1 / Math.sqrt(3))].map((v) => expect.closeTo(v, 15)));
    expect(Array.from(gaussLegendreNodes(1))).toEqual([0]);
    const two = gaussLegendreNodes(2);
    expect(two[0]).toBeCloseTo(-1 / Math.sqrt(3), 15);
    expect(two[1]).toBeCloseTo(1 / Math.sqrt(3), 15);
    const three = gaussLegendreNodes(3);
    expect(three[0]).toBeCloseTo(-Math.sqrt(3 / 5), 15);
    expect(Math.abs(three[1])).toBe(0);
    expect(three[2]).toBeCloseTo(Math.sqrt(3 / 5), 15);
  });

  it('for other sizes: ascending, antisymmetric roots whose quadrature integrates x^k exactly for k < 2n', () => {
    for (const n of [5, 20, 64, 101]) {
      const x = gaussLegendreNodes(n);
      for (let i = 0; i < n; i++) {
        if (i > 0) expect(x[i]).toBeGreaterThan(x[i - 1]);
        expect(x[i] + x[n - 1 - i]).toBe(0);
        expect(Math.abs(legendre(n, x[i])[0])).toBeLessThan(1e-13);
      }
      const w = Array.from(x, (xi) => 2 / ((1 - xi * xi) * legendre(n, xi)[1] ** 2));
      for (const k of [0, 2, 2 * n - 2]) {
        const quad = x.reduce((s, xi, i) => s + w[i] * xi ** k, 0);
        expect(Math.abs(quad - 2 / (k + 1))).toBeLessThan(1e-12);
      }
    }
  });
});

describe('riemann_trapezoid interpolation points', () => {
  it('are linspace(0, 1, n_steps+1) in float32, within one float32 step of the fixture (torch) values', () => {
    const alphas = interpolationAlphas('riemann_trapezoid', 20);
    const want = expected.captum.variants.riemann_trapezoid_20.alphas;
    expect(alphas).toHaveLength(21);
    expect(alphas[0]).toBe(0);
    expect(alphas[20]).toBe(1);
    for (const a of alphas) expect(Math.fround(a)).toBe(a);
    expect(maxAbsDiff(alphas, want)).toBeLessThanOrEqual(2 ** -24);
    // All but at most one agree bit for bit (torch's vectorised linspace rounds one differently).
    expect(alphas.filter((a, i) => a !== want[i]).length).toBeLessThanOrEqual(1);
  });
});

describe('interpolation errors', () => {
  it('rejects a bad n_steps or method with a clear message', () => {
    expect(() => interpolationAlphas('gausslegendre', 0)).toThrow(/n_steps must be a positive integer, got 0/);
    expect(() => interpolationAlphas('gausslegendre', 2.5)).toThrow(/n_steps/);
    expect(() => interpolationAlphas('simpson' as never, 10)).toThrow(/unknown method "simpson"/);
  });
});
