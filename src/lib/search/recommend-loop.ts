/**
 * The recommend loop (issue 15, item 1): for one target, which source to train next, and when to
 * stop. Pure: the caller measures a transfer (`measure`), the loop decides.
 *
 * The unit is the source, as in `replay` (replay-types.ts): training a source runs its whole
 * transfer grid, its value is the best setting's mean-over-seeds F1. Each step refits a bootstrap
 * ensemble of the boosted trees (recommend-ensemble.ts) on
 *   - the transfers into the target measured so far (by this loop or an earlier run of it), and
 *   - context rows: transfers into OTHER targets (this experiment's store, `--prior` folders).
 * A context row whose target is the target itself is never used: a row into the target counts only
 * once it is measured here, so no held-out value of the target can leak into its own ranking.
 *
 * Next source: the highest expected improvement E[max(0, F1 − best so far)] under the predictive
 * samples, ties broken by the predicted mean, then by source name. Why not the plain mean: the
 * samples that give the interval also give the expected gain, which is the mean's ordering when the
 * candidates are equally uncertain, and prefers an uncertain candidate only when its upside above
 * the best so far is real; it also stops paying for candidates that cannot improve (EI 0).
 * Before any row exists there is nothing to fit: the first pick is the source with the best
 * single-task F1 (`f1_source`, the paper's F1 feature), said in `basis`.
 *
 * Stop: when the budget (sources measured into the target) is spent, when every candidate is
 * measured, or when no untrained candidate's upper interval end exceeds the best so far (the best
 * measured transfer, or the target's own single-task F1 when given and higher): with the default
 * 90 % interval, no untrained source has even a 5 % chance of beating it. With fewer than
 * MIN_ROWS_FOR_INTERVAL rows the interval is [0, 1], so this rule cannot fire on a bare guess.
 */
import { compareStrings } from './candidates';
import { F1_SOURCE } from './feature-names';
import {
  expectedImprovement, MIN_ROWS_FOR_INTERVAL, predictiveSamples, quantileOfSorted, type EnsembleOptions,
} from './recommend-ensemble';

export interface PairRow {
  source: string;
  target: string;
  features: Readonly<Record<string, number>>;
  value: number;
  /** Where the row comes from ("this run", a prior folder…), counted in `rowsUsed`. */
  origin: string;
}

export interface RecommendCandidate {
  source: string;
  features: Readonly<Record<string, number>>;
}

export interface RecommendInput {
  target: string;
  candidates: readonly RecommendCandidate[];
  /** Rows of other targets the regressor may learn from. */
  context: readonly PairRow[];
  featureNames: readonly string[];
  /** Most sources to measure into the target (those measured before included). */
  budget: number;
  /** The target's own single-task F1: the best so far before any transfer (optional). */
  singleTaskF1?: number | null;
}

export interface RecommendOptions extends EnsembleOptions {
  /** Central interval mass (default 0.9). */
  level?: number;
}

export interface RankedCandidate {
  source: string;
  /** Null when nothing could be fitted yet (no rows). */
  predicted_f1: number | null;
  interval: [number, number];
  measured_f1: number | null;
  expected_improvement: number | null;
}

export type StopReason = 'budget' | 'all-trained' | 'no-chance';

/** The origin of context rows measured in the same experiment (the others are priors). */
export const THIS_RUN_ORIGIN = 'this run';

/**
 * The least half-width of an interval: the seed-to-seed noise of one transfer's F1 measured here
 * (about ±0.05). When every row has the same label (all F1 0 on a run that learned nothing) the
 * ensemble's samples collapse to a point, and without this floor "no-chance" would stop the loop
 * with a certainty that no measurement supports.
 */
export const SEED_NOISE_F1 = 0.05;

function withNoiseFloor(mean: number, lo: number, hi: number): [number, number] {
  return [Math.max(0, Math.min(lo, mean - SEED_NOISE_F1)), Math.min(1, Math.max(hi, mean + SEED_NOISE_F1))];
}

export interface RecommendStep {
  ranking: RankedCandidate[];
  /** The source to train next; null when stopping. */
  next: string | null;
  stop: StopReason | null;
  bestSoFar: number;
  /** What the prediction rests on: rows per origin, the target's measured rows, dropped rows. */
  rowsUsed: { target: number; context: Record<string, number>; droppedSameTarget: number };
  basis: 'regressor' | 'f1_source (no rows yet)';
  intervalInformative: boolean;
}

export const DEFAULT_INTERVAL_LEVEL = 0.9;

function checkInput(input: RecommendInput, measured: ReadonlyMap<string, number>): void {
  if (!Number.isInteger(input.budget) || input.budget < 1) throw new Error(`recommend: the budget must be a positive integer of sources, got ${input.budget}`);
  if (input.candidates.length === 0) throw new Error(`recommend: target "${input.target}" has no candidate sources`);
  const names = new Set(input.candidates.map((c) => c.source));
  if (names.has(input.target)) throw new Error(`recommend: "${input.target}" is listed as a source of itself`);
  for (const s of measured.keys()) if (!names.has(s)) throw new Error(`recommend: a measured transfer from "${s}" is not among the candidates of "${input.target}"`);
}

/** One decision: the ranking with intervals, the next source, or why to stop. */
export function recommendStep(input: RecommendInput, measured: ReadonlyMap<string, number>, options: RecommendOptions): RecommendStep {
  checkInput(input, measured);
  const level = options.level ?? DEFAULT_INTERVAL_LEVEL;
  if (!(level > 0 && level < 1)) throw new Error(`recommend: the interval level must be in (0, 1), got ${level}`);
  const context = input.context.filter((r) => r.target !== input.target);
  const targetRows = input.candidates.filter((c) => measured.has(c.source)).map((c) => ({ features: c.features, value: measured.get(c.source)! }));
  const rows = [...context, ...targetRows];
  const contextCounts: Record<string, number> = {};
  for (const r of context) contextCounts[r.origin] = (contextCounts[r.origin] ?? 0) + 1;
  let bestSoFar = input.singleTaskF1 ?? -Infinity;
  for (const v of measured.values()) bestSoFar = Math.max(bestSoFar, v);
  const best = Number.isFinite(bestSoFar) ? bestSoFar : 0;

  let ranking: RankedCandidate[];
  let informative = false;
  if (rows.length === 0) {
    ranking = input.candidates.map((c) => ({ source: c.source, predicted_f1: null, interval: [0, 1], measured_f1: measured.get(c.source) ?? null, expected_improvement: null }));
  } else {
    const p = predictiveSamples(rows, input.candidates.map((c) => c.features), input.featureNames, options);
    informative = p.informative;
    ranking = input.candidates.map((c, i) => ({
      source: c.source,
      predicted_f1: p.mean[i]!,
      interval: informative ? withNoiseFloor(p.mean[i]!, quantileOfSorted(p.samples[i]!, (1 - level) / 2), quantileOfSorted(p.samples[i]!, (1 + level) / 2)) : [0, 1],
      measured_f1: measured.get(c.source) ?? null,
      expected_improvement: expectedImprovement(p.samples[i]!, best),
    }));
  }
  const estimate = (r: RankedCandidate) => r.measured_f1 ?? r.predicted_f1 ?? -Infinity;
  ranking.sort((a, b) => estimate(b) - estimate(a) || compareStrings(a.source, b.source));

  const untrained = ranking.filter((r) => r.measured_f1 === null);
  let stop: StopReason | null = null;
  if (untrained.length === 0) stop = 'all-trained';
  else if (measured.size >= input.budget) stop = 'budget';
  // Priors alone (rows of earlier runs, maybe of other data or base models) order the candidates but
  // do not decide that none deserves one training into this target: "no chance" before anything is
  // measured into it needs rows of this run (the same data and base model).
  else if (informative && (measured.size > 0 || context.some((r) => r.origin === THIS_RUN_ORIGIN)) && untrained.every((r) => r.interval[1] <= bestSoFar)) stop = 'no-chance';

  let next: string | null = null;
  if (stop === null) {
    if (rows.length === 0) {
      const f1 = (s: string) => input.candidates.find((c) => c.source === s)!.features[F1_SOURCE] ?? NaN;
      const score = (s: string) => (Number.isNaN(f1(s)) ? -Infinity : f1(s));
      next = [...untrained].sort((a, b) => score(b.source) - score(a.source) || compareStrings(a.source, b.source))[0]!.source;
    } else {
      next = [...untrained].sort((a, b) =>
        b.expected_improvement! - a.expected_improvement! || b.predicted_f1! - a.predicted_f1! || compareStrings(a.source, b.source),
      )[0]!.source;
    }
  }
  return {
    ranking, next, stop, bestSoFar,
    rowsUsed: { target: targetRows.length, context: contextCounts, droppedSameTarget: input.context.length - context.length },
    basis: rows.length === 0 ? 'f1_source (no rows yet)' : 'regressor',
    intervalInformative: informative,
  };
}

export interface RecommendOutcome {
  final: RecommendStep;
  /** Sources measured by this call, in order. */
  trainedNow: string[];
  measured: Map<string, number>;
}

/**
 * Runs the loop: step, measure the chosen source, refit, until a stop. `measured` holds the
 * transfers into the target measured before (a resumed run): they count toward the budget.
 */
export async function recommendLoop(
  input: RecommendInput,
  measuredBefore: ReadonlyMap<string, number>,
  measure: (source: string) => Promise<number>,
  options: RecommendOptions,
  onStep?: (step: RecommendStep) => void,
): Promise<RecommendOutcome> {
  const measured = new Map(measuredBefore);
  const trainedNow: string[] = [];
  for (;;) {
    const step = recommendStep(input, measured, options);
    onStep?.(step);
    if (step.next === null) return { final: step, trainedNow, measured };
    const value = await measure(step.next);
    if (!(value >= 0 && value <= 1)) throw new Error(`recommend: the measured F1 of ${step.next} → ${input.target} is ${value}, not in [0, 1]`);
    measured.set(step.next, value);
    trainedNow.push(step.next);
  }
}

/** Sources for a budget fraction: at least one, at most all candidates. */
export function budgetOfFraction(fraction: number, candidates: number): number {
  if (!(fraction > 0 && fraction <= 1)) throw new Error(`recommend: the budget fraction must be in (0, 1], got ${fraction}`);
  return Math.max(1, Math.min(candidates, Math.ceil(fraction * candidates - 1e-9)));
}

