/**
 * Where along the straight line from the baseline to the input LayerConductance evaluates the
 * model: K = n_steps + 1 points α_0 < … < α_{K-1} in [0, 1] (LayerConductance needs n_steps
 * forward DIFFERENCES, hence one point more than Integrated Gradients would use).
 *
 * Captum's builders, reproduced:
 * - `gausslegendre`: the K Gauss–Legendre nodes mapped from [-1, 1] to [0, 1], α = (1 + x)/2.
 *   Endpoints are not included; the quadrature weights are not used by LayerConductance.
 * - `riemann_trapezoid`: `torch.linspace(0, 1, K)` as float32 values, both endpoints included.
 */

export const CONDUCTANCE_METHODS = ['gausslegendre', 'riemann_trapezoid'] as const;
export type ConductanceMethod = (typeof CONDUCTANCE_METHODS)[number];

/** The paper's defaults (here, free of tfjs, so the experiment contract can use them in the page). */
export const DEFAULT_N_STEPS = 50;
export const DEFAULT_METHOD: ConductanceMethod = 'gausslegendre';

export function isConductanceMethod(s: string): s is ConductanceMethod {
  return (CONDUCTANCE_METHODS as readonly string[]).includes(s);
}

/** Legendre polynomial P_n(x) and its derivative, by the three-term recurrence (float64). */
function legendreWithDerivative(n: number, x: number): { p: number; dp: number } {
  let pPrev = 1; // P_0
  let p = x; // P_1
  for (let k = 2; k <= n; k++) {
    const next = ((2 * k - 1) * x * p - (k - 1) * pPrev) / k;
    pPrev = p;
    p = next;
  }
  // (1 - x²) P_n'(x) = n (P_{n-1}(x) - x P_n(x)); nodes are strictly inside (-1, 1).
  const dp = (n * (pPrev - x * p)) / (1 - x * x);
  return { p, dp };
}

/**
 * The n roots of P_n on [-1, 1], ascending, in float64 (what numpy.polynomial.legendre.leggauss(n)[0]
 * returns). Newton from Tricomi's initial guess converges quadratically; the result is then made
 * exactly antisymmetric, as numpy does, so the mapped nodes satisfy α_k + α_{K-1-k} = 1.
 */
export function gaussLegendreNodes(n: number): Float64Array {
  if (!Number.isInteger(n) || n < 1) throw new Error(`gaussLegendreNodes: n must be a positive integer, got ${n}`);
  const roots = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // i-th largest root; reversed into ascending order below.
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    for (let iter = 0; iter < 100; iter++) {
      const { p, dp } = legendreWithDerivative(n, x);
      const dx = p / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    roots[n - 1 - i] = x;
  }
  const sym = new Float64Array(n);
  for (let i = 0; i < n; i++) sym[i] = (roots[i] - roots[n - 1 - i]) / 2;
  return sym;
}

/** torch.linspace(0, 1, K) in float32: the first half counts up from 0, the second down from 1. */
function linspaceFloat32(K: number): number[] {
  if (K === 1) return [0];
  const step = Math.fround(1 / (K - 1));
  const half = Math.floor(K / 2);
  return Array.from({ length: K }, (_, i) => (i < half ? Math.fround(step * i) : Math.fround(1 - step * (K - 1 - i))));
}

/**
 * The K = nSteps + 1 interpolation points of LayerConductance, ascending, as float64 numbers
 * (the gausslegendre ones exact to ~1e-16; the trapezoid ones are float32 values).
 */
export function interpolationAlphas(method: ConductanceMethod, nSteps: number): number[] {
  if (!Number.isInteger(nSteps) || nSteps < 1) {
    throw new Error(`conductance: n_steps must be a positive integer, got ${nSteps}`);
  }
  const K = nSteps + 1;
  switch (method) {
    case 'gausslegendre':
      return Array.from(gaussLegendreNodes(K), (x) => 0.5 * (1 + x));
    case 'riemann_trapezoid':
      return linspaceFloat32(K);
    default:
      throw new Error(`conductance: unknown method "${String(method)}", expected one of ${CONDUCTANCE_METHODS.join(', ')}`);
  }
}
