/**
 * One trained model's test outcome, as the warnings and the collapse rate read it, and the two ways
 * a model shows it learned nothing: F1 0, or calling (almost) every document positive.
 */

/** A model that predicts the positive class for at least this share of the test documents is "mostly positive". */
export const MOSTLY_POSITIVE_FRACTION = 0.95;

/** One trained model's test outcome: a RunRecord's task and metrics (tp, fp, fn, tn, f1). */
export interface ModelOutcome {
  /** How the message names it, e.g. "A→B lr 2e-5 seed 1" or the run id. */
  name: string;
  /** The task it predicts (a transfer model's target). */
  task: string;
  /**
   * Models with the same group are the seeds of one setting (e.g. the job id without its seed
   * suffix); the collapse rate compares them. Absent: not counted there.
   */
  group?: string;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export function predictsMostlyPositive(m: ModelOutcome): boolean {
  const n = m.tp + m.fp + m.fn + m.tn;
  return n > 0 && (m.tp + m.fp) / n >= MOSTLY_POSITIVE_FRACTION;
}

/** F1 0 or mostly positive: the model's F1 says nothing about what it learned. */
export function learnedNothing(m: ModelOutcome): boolean {
  return m.f1 === 0 || predictsMostlyPositive(m);
}
