/**
 * XGBoost 1.7's leaf-weight and gain formulas, with its float32/float64 mix reproduced exactly
 * (src/tree/param.h and split_evaluator.h). Gradient sums are float64; XGBoost's TrainParam holds
 * λ, α, η, γ, min_child_weight and max_delta_step as float32, weights and gains are float32. Getting
 * any of these roundings different changes which of two near-equal splits wins, and then the trees.
 */
import type { GbdtParams } from './params';

const f32 = Math.fround;

/** XGBoost's kRtEps: a split must reduce the loss by more than this. */
export const RT_EPS = f32(1e-6);

/** The parameters the formulas read, already rounded to float32 as XGBoost stores them. */
export interface SplitParams {
  lambda: number;
  alpha: number;
  minChildWeight: number;
  maxDeltaStep: number;
  eta: number;
  gamma: number;
}

export function splitParams(p: GbdtParams): SplitParams {
  return {
    lambda: f32(p.reg_lambda),
    alpha: f32(p.reg_alpha),
    minChildWeight: f32(p.min_child_weight),
    maxDeltaStep: f32(p.max_delta_step),
    eta: f32(p.learning_rate),
    gamma: f32(p.gamma),
  };
}

function thresholdL1(g: number, alpha: number): number {
  if (g > alpha) return g - alpha;
  if (g < -alpha) return g + alpha;
  return 0;
}

/** Optimal leaf weight −T_α(G)/(H+λ), clipped by max_delta_step, as float32 (before η). */
export function leafWeight(sp: SplitParams, G: number, H: number): number {
  if (H < sp.minChildWeight || H <= 0) return 0;
  let w = -thresholdL1(G, sp.alpha) / (H + sp.lambda);
  if (sp.maxDeltaStep !== 0 && Math.abs(w) > sp.maxDeltaStep) w = w < 0 ? -sp.maxDeltaStep : sp.maxDeltaStep;
  return f32(w);
}

/**
 * Structure score of one side, float32. Without max_delta_step XGBoost divides the float32-rounded
 * numerator by the float32-rounded denominator (its `Divide(float, float)`); with it, it evaluates
 * −(2Gw + (H+λ)w²) in float32 arithmetic.
 */
export function sideGain(sp: SplitParams, G: number, H: number): number {
  if (H <= 0) return 0;
  if (sp.maxDeltaStep === 0) {
    const t = thresholdL1(G, sp.alpha);
    return f32(f32(t * t) / f32(H + sp.lambda));
  }
  const w = leafWeight(sp, G, H);
  const g = f32(G);
  const h = f32(H);
  return -f32(f32(f32(2 * g) * w) + f32(f32(h + sp.lambda) * f32(w * w)));
}

/** Loss reduction of a split, as XGBoost computes it: f32(f32(gainL + gainR) − parentGain). */
export function lossChange(sp: SplitParams, GL: number, HL: number, GR: number, HR: number, parentGain: number): number {
  return f32(f32(sideGain(sp, GL, HL) + sideGain(sp, GR, HR)) - parentGain);
}
