/**
 * LogME (You et al., ICML 2021, "LogME: Practical Assessment of Pre-trained Models for Transfer
 * Learning"): how well a model's features F (n × d) explain labels y, as the maximum over α, β of the
 * log evidence, per example, of the Bayesian linear model y = F w + ε, w ~ N(0, I/α), ε ~ N(0, 1/β).
 * For classification each one-hot label column gets its own evidence and LogME is their mean.
 *
 * The maximisation is the authors' published fixed-point algorithm (the default of their LogME
 * package), step for step, so that the values equal theirs (test/fixtures/logme, made by
 * scripts/reference/logme_reference.py with numpy):
 * - from the SVD of F: when n > d through the eigen-decomposition of FᵀF (d × d; singular values
 *   s = √λ, kept where s > 1e-10; x = uᵀy = vᵀFᵀy / s), otherwise through that of FFᵀ (n × n;
 *   x = uᵀy, every one of the n singular values kept, as numpy's thin SVD does);
 * - at most 11 steps from α = β = 1 of, with t = α/β and σ = s²:
 *   γ = Σ σ/(σ+t), m² = Σ σx²/(t+σ)², r² = Σ x²/(1+σ/t)² + (‖y‖² − ‖x‖²),
 *   α = γ/(m² + 1e-5), β = (n − γ)/(r² + 1e-5), stopping when |α/β − t|/t ≤ 1e-3;
 * - evidence = (d/2 log α + n/2 log β − ½ Σ log(α + βσ) − β/2 r² − α/2 m² − n/2 log 2π) / n.
 * The spectrum is computed once and shared by the classes. Plain float64 arrays; no tfjs.
 */
import { symmetricEigen } from './logme-jacobi-eigen';

export interface LogmeClass {
  evidence: number;
  alpha: number;
  beta: number;
}

export interface LogmeResult {
  /** Mean over classes of the per-example log evidence. */
  logme: number;
  /** One entry per class 0 … max(label). */
  classes: LogmeClass[];
}

/** The spectrum of F as LogME uses it: σ = s² and the projection of a label vector on u. */
interface Spectrum {
  sigma: Float64Array;
  project(y: Float64Array): Float64Array;
}

function spectrum(F: ArrayLike<number>, n: number, d: number): Spectrum {
  if (n > d) {
    const G = new Float64Array(d * d);
    for (let r = 0; r < n; r++) {
      const o = r * d;
      for (let i = 0; i < d; i++) {
        const fi = F[o + i]!;
        if (fi === 0) continue;
        for (let j = i; j < d; j++) G[i * d + j] += fi * F[o + j]!;
      }
    }
    for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) G[i * d + j] = G[j * d + i]!;
    const { values, vectors } = symmetricEigen(G, d);
    const kept: number[] = [];
    for (let j = 0; j < d; j++) if (Math.sqrt(Math.max(0, values[j]!)) > 1e-10) kept.push(j);
    const sigma = Float64Array.from(kept, (j) => values[j]!);
    return {
      sigma,
      project(y) {
        const fty = new Float64Array(d);
        for (let r = 0; r < n; r++) {
          const yr = y[r]!;
          if (yr === 0) continue;
          for (let i = 0; i < d; i++) fty[i] += F[r * d + i]! * yr;
        }
        return Float64Array.from(kept, (j) => {
          let dot = 0;
          for (let i = 0; i < d; i++) dot += vectors[i * d + j]! * fty[i]!;
          return dot / Math.sqrt(values[j]!);
        });
      },
    };
  }
  const G = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      let dot = 0;
      for (let i = 0; i < d; i++) dot += F[a * d + i]! * F[b * d + i]!;
      G[a * n + b] = dot;
      G[b * n + a] = dot;
    }
  }
  const { values, vectors } = symmetricEigen(G, n);
  return {
    // Rounding can leave a zero eigenvalue slightly negative; a squared singular value is not.
    sigma: values.map((v) => Math.max(0, v)),
    project(y) {
      return Float64Array.from({ length: n }, (_, j) => {
        let dot = 0;
        for (let r = 0; r < n; r++) dot += vectors[r * n + j]! * y[r]!;
        return dot;
      });
    },
  };
}

function classEvidence(sigma: Float64Array, x: Float64Array, yy: number, n: number, d: number): LogmeClass {
  const k = sigma.length;
  let xx = 0;
  for (let i = 0; i < k; i++) xx += x[i]! * x[i]!;
  const unexplained = yy - xx;
  let alpha = 1;
  let beta = 1;
  let m2 = 0;
  let res2 = 0;
  for (let step = 0; step < 11; step++) {
    const t = alpha / beta;
    let gamma = 0;
    m2 = 0;
    res2 = unexplained;
    for (let i = 0; i < k; i++) {
      const s = sigma[i]!;
      const x2 = x[i]! * x[i]!;
      gamma += s / (s + t);
      m2 += (s * x2) / ((t + s) * (t + s));
      const shrink = 1 + s / t;
      res2 += x2 / (shrink * shrink);
    }
    alpha = gamma / (m2 + 1e-5);
    beta = (n - gamma) / (res2 + 1e-5);
    if (Math.abs(alpha / beta - t) / t <= 1e-3) break;
  }
  let logDet = 0;
  for (let i = 0; i < k; i++) logDet += Math.log(alpha + beta * sigma[i]!);
  const evidence = (d / 2) * Math.log(alpha) + (n / 2) * Math.log(beta) - 0.5 * logDet - (beta / 2) * res2 - (alpha / 2) * m2 - (n / 2) * Math.log(2 * Math.PI);
  return { evidence: evidence / n, alpha, beta };
}

/**
 * LogME of row-major features `F` (n × d) for class labels 0 … C−1 (C = max label + 1; a binary task
 * has labels 0/1 and two one-hot columns, as in the authors' classification setting).
 */
export function logme(F: ArrayLike<number>, n: number, d: number, labels: ArrayLike<number>): LogmeResult {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(d) || d < 1) throw new Error(`logme: n and d must be positive integers, got n = ${n}, d = ${d}`);
  if (F.length !== n * d) throw new Error(`logme: expected ${n * d} feature values for ${n} × ${d}, got ${F.length}`);
  if (labels.length !== n) throw new Error(`logme: expected ${n} labels (one per row of F), got ${labels.length}`);
  let classes = 0;
  for (let r = 0; r < n; r++) {
    const l = labels[r]!;
    if (!Number.isInteger(l) || l < 0) throw new Error(`logme: label ${r} must be a class index (integer ≥ 0), got ${l}`);
    classes = Math.max(classes, l + 1);
  }
  for (let i = 0; i < F.length; i++) if (!Number.isFinite(F[i]!)) throw new Error(`logme: feature value ${i} (row ${Math.floor(i / d)}) is ${F[i]}`);
  const spec = spectrum(F, n, d);
  const out: LogmeClass[] = [];
  for (let c = 0; c < classes; c++) {
    const y = Float64Array.from({ length: n }, (_, r) => (labels[r] === c ? 1 : 0));
    const yy = y.reduce((a, b) => a + b, 0);
    out.push(classEvidence(spec.sigma, spec.project(y), yy, n, d));
  }
  return { logme: out.reduce((s, c) => s + c.evidence, 0) / out.length, classes: out };
}
