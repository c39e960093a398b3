import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../../../src/lib/transfer/logme-jacobi-eigen';
import { createRng } from '../../../src/lib/util/rng';

/** Q D Qᵀ with Q a Householder reflection I − 2vvᵀ/‖v‖²: a symmetric matrix with known eigenvalues D. */
function withSpectrum(eigenvalues: number[], seed: number): Float64Array {
  const n = eigenvalues.length;
  const rng = createRng(seed);
  const v = Array.from({ length: n }, () => rng.normal());
  const vv = v.reduce((s, x) => s + x * x, 0);
  const Q = (i: number, j: number) => (i === j ? 1 : 0) - (2 * v[i]! * v[j]!) / vv;
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) A[i * n + j] += Q(i, k) * eigenvalues[k]! * Q(j, k);
  return A;
}

function gram(n: number, d: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const F = Array.from({ length: n * d }, () => rng.normal());
  const G = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let r = 0; r < n; r++) G[i * d + j] += F[r * d + i]! * F[r * d + j]!;
  return G;
}

describe('symmetricEigen (cyclic Jacobi)', () => {
  it('solves a 2 × 2 by hand: [[2, 1], [1, 2]] has 3 along (1, 1)/√2 and 1 along (1, −1)/√2', () => {
    const { values, vectors } = symmetricEigen([2, 1, 1, 2], 2);
    expect(values[0]).toBeCloseTo(3, 14);
    expect(values[1]).toBeCloseTo(1, 14);
    expect(Math.abs(vectors[0]!)).toBeCloseTo(Math.SQRT1_2, 14);
    expect(vectors[0]! * vectors[2]!).toBeCloseTo(0.5, 14); // same sign: (1, 1)
  });

  it('recovers a known spectrum (with a zero and a repeated eigenvalue), sorted descending', () => {
    const eig = [5, -2, 0, 3, 3, 1e-9, 7.5, 0.25];
    const { values } = symmetricEigen(withSpectrum(eig, 4), eig.length);
    const sorted = [...eig].sort((a, b) => b - a);
    values.forEach((v, i) => expect(Math.abs(v - sorted[i]!)).toBeLessThan(1e-13));
  });

  it('A V = V Λ and Vᵀ V = I to rounding on a 128 × 128 Gram matrix; the input is left as it was', () => {
    const d = 128;
    const A = gram(300, d, 9);
    const copy = Float64Array.from(A);
    const { values, vectors: V } = symmetricEigen(A, d);
    expect(A).toEqual(copy);
    let residual = 0;
    let orth = 0;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let av = 0;
        let vv = 0;
        for (let k = 0; k < d; k++) {
          av += A[i * d + k]! * V[k * d + j]!;
          vv += V[k * d + i]! * V[k * d + j]!;
        }
        residual = Math.max(residual, Math.abs(av - V[i * d + j]! * values[j]!));
        orth = Math.max(orth, Math.abs(vv - (i === j ? 1 : 0)));
      }
    }
    expect(residual / values[0]!).toBeLessThan(1e-12);
    expect(orth).toBeLessThan(1e-12);
    const trace = Array.from({ length: d }, (_, i) => A[i * d + i]!).reduce((a, b) => a + b, 0);
    expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(trace, 8);
  });

  it('refuses a wrong size and non-finite entries', () => {
    expect(() => symmetricEigen([1, 2, 3], 2)).toThrow('expected 4 entries');
    expect(() => symmetricEigen([1, NaN, NaN, 1], 2)).toThrow('entry 1 is NaN');
  });
});
