/**
 * Eigen-decomposition of a small symmetric matrix by the cyclic Jacobi method, in float64.
 *
 * LogME needs the spectrum of a Gram matrix FᵀF (d × d, d = the hidden size, 128–256) or FFᵀ. Jacobi
 * is short, needs no library, and is accurate to rounding for every eigenvalue, the small ones
 * included (it works on the matrix itself, not on a reduced form), which is what the evidence's
 * sum of logarithms wants. Cost: O(d³) per sweep, a handful of sweeps; well under a second for
 * d = 256 in JavaScript, and this runs once per (source, target) pair.
 *
 * Each rotation zeroes A[p][q] with the numerically stable choice of Numerical Recipes (§11.1):
 * θ = (a_qq − a_pp) / (2 a_pq), t = sgn(θ) / (|θ| + √(θ² + 1)), c = 1/√(t² + 1), s = t·c.
 */

export interface SymmetricEigen {
  /** Eigenvalues, descending. */
  values: Float64Array;
  /** Row-major n × n; column j is the unit eigenvector of values[j]. */
  vectors: Float64Array;
}

const MAX_SWEEPS = 60;

/** `a` is row-major n × n and symmetric (only checked for finiteness); it is not modified. */
export function symmetricEigen(a: ArrayLike<number>, n: number): SymmetricEigen {
  if (!Number.isInteger(n) || n < 1) throw new Error(`symmetricEigen: n must be a positive integer, got ${n}`);
  if (a.length !== n * n) throw new Error(`symmetricEigen: expected ${n * n} entries for ${n} × ${n}, got ${a.length}`);
  const A = Float64Array.from(a);
  for (let i = 0; i < A.length; i++) if (!Number.isFinite(A[i]!)) throw new Error(`symmetricEigen: entry ${i} is ${A[i]}`);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;

  let frobenius = 0;
  for (let i = 0; i < A.length; i++) frobenius += A[i]! * A[i]!;
  const tolerance = (Number.EPSILON * Number.EPSILON) * frobenius;

  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p * n + q]! * A[p * n + q]!;
    if (2 * off <= tolerance) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q]!;
        if (apq === 0) continue;
        const theta = (A[q * n + q]! - A[p * n + p]!) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // A ← Jᵀ A J: columns p and q, then rows p and q.
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p]!;
          const akq = A[k * n + q]!;
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k]!;
          const aqk = A[q * n + k]!;
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        A[p * n + q] = 0;
        A[q * n + p] = 0;
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p]!;
          const vkq = V[k * n + q]!;
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }

  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => A[j * n + j]! - A[i * n + i]!);
  const values = Float64Array.from(order, (i) => A[i * n + i]!);
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => {
    for (let k = 0; k < n; k++) vectors[k * n + to] = V[k * n + from]!;
  });
  return { values, vectors };
}
