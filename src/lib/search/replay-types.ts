/**
 * The data model of `replay`: an exhaustive run reduced to what a search over SOURCES sees.
 *
 * Unlike the analysis (where every transfer row, i.e. every source × setting, is a candidate), the
 * unit of a replayed decision is the source: "which source do I train next into this target?".
 * Training a source means running its whole transfer grid (every setting and seed), so
 * - a candidate's cost  = the summed training time of all its transfer runs;
 * - a candidate's value = the F1 of its best setting, a setting's F1 being its mean over seeds.
 * The target's own single-task grid gives its single-task value by the same rule; the best available
 * F1 of a target is the best of that and its candidates' values.
 */

export interface ReplayCandidate {
  source: string;
  /** Best setting's mean-over-seeds F1. */
  value: number;
  /** Summed training time of all of this pair's transfer runs (ms, or work units). */
  costMs: number;
  /** Pair features (the same for every run of the pair); NaN where a cell was empty. */
  features: Readonly<Record<string, number>>;
  /** How many transfer runs were summed. */
  runs: number;
  /** The best setting's F1 of each seed (the source-effect test's replicates); absent: unknown. */
  seedF1s?: number[];
}

export interface ReplayTarget {
  target: string;
  /** The target's own single-task value (best setting's mean-over-seeds F1). */
  singleValue: number;
  /** Candidates sorted by source name (code units). */
  candidates: ReplayCandidate[];
}

export interface ReplayData {
  /** Targets sorted by name (code units). */
  targets: ReplayTarget[];
  /** Names of the pair feature columns found (in file order). */
  featureNames: string[];
  /** Wall time of every single-task run (all tasks, all settings and seeds). */
  singleTaskMs: number;
  /** Wall time of all conductance computations; null when the run folder does not say. */
  conductanceMs: number | null;
  /** Time of the LogME pair features (summary.json `timings.logmeMs`); null when the run folder does not say. */
  logmeMs?: number | null;
}

/** The best of the target's single-task value and its candidates' values. */
export function bestAvailable(t: ReplayTarget): number {
  return t.candidates.reduce((m, c) => Math.max(m, c.value), t.singleValue);
}

/** The best candidate value (the "best source" of regret@k). */
export function bestSourceValue(t: ReplayTarget): number {
  return t.candidates.reduce((m, c) => Math.max(m, c.value), -Infinity);
}

export function totalCandidateCost(t: ReplayTarget): number {
  return t.candidates.reduce((s, c) => s + c.costMs, 0);
}
