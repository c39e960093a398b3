/**
 * The one place where feature names are defined. Every producer (pipeline, ANSAT, baselines) and every
 * consumer (regressor design matrix, CSV export, UI) uses these exact strings, so a CSV written by one
 * version of the app or by an external cluster can be read back by another.
 */
import { BASELINE_FEATURE_NAMES } from '../transfer/baselines/names';
import { LOGME_FEATURE_NAME } from '../transfer/logme-name';
import type { FeatureSet } from './types';

/** F1 of the best single-task model of the source task, F1(M_A). */
export const F1_SOURCE = 'f1_source';
/** F1 of the best single-task model of the target task, F1(M_B). */
export const F1_TARGET = 'f1_target';
export const F1_FEATURE_NAMES: readonly string[] = [F1_SOURCE, F1_TARGET];

/** The document sets ANSAT is measured on: positive test documents of A, of B, of both. */
export const ANSAT_DOC_SETS = ['D_A', 'D_B', 'D_AB'] as const;
export type AnsatDocSet = (typeof ANSAT_DOC_SETS)[number];

/** T ∈ {0.05, 0.10, …, 0.70}, built from integers so that no value carries a binary rounding tail. */
export const ANSAT_THRESHOLDS: readonly number[] = Array.from({ length: 14 }, (_, i) => (5 * (i + 1)) / 100);

/**
 * `ansat_<docSet>_<T with two decimals>`, e.g. `ansat_D_A_0.05`, `ansat_D_AB_0.70`.
 * The threshold is formatted, not stringified, so 0.1 gives "0.10" and 0.7 gives "0.70".
 */
export function ansatFeatureName(docSet: AnsatDocSet, threshold: number): string {
  if (!(ANSAT_DOC_SETS as readonly string[]).includes(docSet)) {
    throw new Error(`ansatFeatureName: unknown document set "${docSet}", expected one of ${ANSAT_DOC_SETS.join(', ')}`);
  }
  if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1) {
    throw new Error(`ansatFeatureName: threshold must be a number in [0, 1], got ${threshold}`);
  }
  return `ansat_${docSet}_${threshold.toFixed(2)}`;
}

/** The 42 ANSAT feature names: D_A × 14 thresholds, then D_B × 14, then D_AB × 14. */
export const ANSAT_FEATURE_NAMES: readonly string[] = ANSAT_DOC_SETS.flatMap((set) =>
  ANSAT_THRESHOLDS.map((t) => ansatFeatureName(set, t)),
);

/** True when a feature needs conductance (so its cost includes the conductance time). */
export function isAnsatFeature(name: string): boolean {
  return name.startsWith('ansat_');
}

export const FEATURE_SET_F1: FeatureSet = { name: 'F1', features: F1_FEATURE_NAMES };
export const FEATURE_SET_F1_ANSAT: FeatureSet = {
  name: 'F1+ANSAT',
  features: [...F1_FEATURE_NAMES, ...ANSAT_FEATURE_NAMES],
};
export const FEATURE_SET_F1_BASELINES: FeatureSet = {
  name: 'F1+baselines',
  features: [...F1_FEATURE_NAMES, ...BASELINE_FEATURE_NAMES],
};
export const FEATURE_SET_F1_ANSAT_BASELINES: FeatureSet = {
  name: 'F1+ANSAT+baselines',
  features: [...F1_FEATURE_NAMES, ...ANSAT_FEATURE_NAMES, ...BASELINE_FEATURE_NAMES],
};
/**
 * The F1 features and LogME (You et al. 2021): an opt-in regressor feature set (not among the
 * default feature sets, so the headline's sets stay the paper's and the baselines'); its honest
 * cost adds the LogME time (headline.ts).
 */
export const FEATURE_SET_F1_LOGME: FeatureSet = { name: 'F1+LogME', features: [...F1_FEATURE_NAMES, LOGME_FEATURE_NAME] };

/** The paper's two feature sets. */
export const PAPER_FEATURE_SETS: readonly FeatureSet[] = [FEATURE_SET_F1, FEATURE_SET_F1_ANSAT];
