/**
 * A decision threshold chosen on validation data. A small model fine-tuned on a rare task often
 * ranks the positives well but keeps every probability below 0.5 (argmax predicts no positive:
 * F1 0) — or above it (all-positive). The threshold that maximises validation F1 turns such a
 * ranking into predictions; it is chosen on validation documents only, never on test documents.
 */
import { binaryMetrics, type BinaryMetrics } from './metrics';

/**
 * How a trained model's probabilities become predictions: `validation`, at the threshold that
 * maximises F1 on the validation documents (chooseThreshold); `argmax`, at 0.5 (the larger logit).
 * The model card's recipe sweep: with class-balanced loss and argmax, 5 of 24 debtags runs of the
 * reference run ended at F1 0 while the other seed of the same task learned; the validation
 * threshold turned every run of the sweep that had collapsed into one that predicts (0 of 40 at F1 0).
 */
export const THRESHOLD_RULES = ['validation', 'argmax'] as const;
export type ThresholdRule = (typeof THRESHOLD_RULES)[number];
export const DEFAULT_THRESHOLD_RULE: ThresholdRule = 'validation';

export interface ChosenThreshold {
  /** Predict positive when P(positive) ≥ threshold. */
  threshold: number;
  /** Validation F1 at that threshold. */
  f1: number;
}

/**
 * The threshold with the highest F1 on (labels, probabilities). Candidates are the midpoints
 * between consecutive distinct probabilities (so a threshold generalises rather than sitting on a
 * validation score); among equal F1s the one closest to 0.5 wins (argmax's rule when nothing
 * is gained). Without a positive label nothing can be chosen: 0.5.
 */
export function chooseThreshold(labels: readonly number[], probabilities: readonly number[]): ChosenThreshold {
  if (labels.length !== probabilities.length) throw new Error(`chooseThreshold: ${labels.length} labels but ${probabilities.length} probabilities`);
  if (!labels.some((y) => y === 1)) return { threshold: 0.5, f1: 0 };
  const sorted = [...new Set(probabilities)].sort((a, b) => a - b);
  const candidates = [0.5];
  for (let i = 1; i < sorted.length; i++) candidates.push((sorted[i - 1] + sorted[i]) / 2);
  // Below the lowest score everything is positive: the all-positive F1, a floor every candidate beats or ties.
  if (sorted.length > 0) candidates.push(sorted[0] / 2);
  let best: ChosenThreshold = { threshold: 0.5, f1: -1 };
  for (const t of candidates) {
    const f1 = binaryMetrics(labels, predictAt(probabilities, t)).f1;
    if (f1 > best.f1 + 1e-12 || (Math.abs(f1 - best.f1) <= 1e-12 && Math.abs(t - 0.5) < Math.abs(best.threshold - 0.5))) best = { threshold: t, f1 };
  }
  return best;
}

/** 1 where the probability reaches the threshold. */
export function predictAt(probabilities: readonly number[], threshold: number): number[] {
  return probabilities.map((p) => (p >= threshold ? 1 : 0));
}

/** Scored documents: labels and P(positive), with the argmax predictions of the same model. */
export interface Scored {
  labels: readonly number[];
  probabilities: readonly number[];
  predictions: readonly number[];
}

export interface Decided {
  /** The threshold applied, or null for argmax (the rule, or no validation positive to choose on). */
  threshold: number | null;
  test: BinaryMetrics & { predictions: number[] };
  validation: BinaryMetrics | null;
}

/**
 * Test and validation predictions under `rule`. `validation` chooses the threshold on the
 * validation documents alone and applies the same threshold to test; without validation documents
 * or without a validation positive there is nothing to choose on, and argmax stands.
 */
export function decide(rule: ThresholdRule, test: Scored, validation: Scored | null): Decided {
  const argmax = (s: Scored) => ({ ...binaryMetrics(s.labels, s.predictions), predictions: [...s.predictions] });
  if (rule === 'argmax' || !validation || !validation.labels.some((y) => y === 1)) {
    return { threshold: null, test: argmax(test), validation: validation ? binaryMetrics(validation.labels, validation.predictions) : null };
  }
  const { threshold } = chooseThreshold(validation.labels, validation.probabilities);
  const predictions = predictAt(test.probabilities, threshold);
  return {
    threshold,
    test: { ...binaryMetrics(test.labels, predictions), predictions },
    validation: binaryMetrics(validation.labels, predictAt(validation.probabilities, threshold)),
  };
}
