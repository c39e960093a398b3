/**
 * The data model of the analysis (docs/DESIGN.md, "Pipeline" steps 5–6).
 *
 * Two kinds of records come out of an experiment:
 *
 * - `SingleTaskResult`: one trained BERT→A model (task A, one hyper-parameter setting). The grid gives
 *   several per task; the best one (see `bestSingleTask`) is the `M_A` that transfer starts from and
 *   whose F1 is a feature.
 * - `TransferRow`: one trained BERT→A→B model (source A, target B, one setting) with its measured F1
 *   and the features the regressor sees. Every transfer row of target B is a *candidate* for B: the
 *   search question is in which order to train B's candidates.
 *
 * Features live in a flat `Record<string, number>` so that new pair features (baselines, LogME …) can be
 * added without touching this file; the canonical names are in `feature-names.ts`.
 */

import type { TrainingSettings } from '../train/training-settings';

/** Hyper-parameters of one training run. `seed` distinguishes repeated runs of the same setting. */
export type TrainSettings = Pick<TrainingSettings, 'lr' | 'epochs' | 'batch' | 'seed'>;

/** One single-task model BERT→task, evaluated on the task's held-out test split. */
export interface SingleTaskResult {
  task: string;
  settings: TrainSettings;
  /** Positive-class F1 on the test split, in [0, 1]. */
  f1: number;
  /**
   * F1 on the validation part of the training side: what chooses the best setting when given
   * (`selectionF1`); absent for experiments without a validation part, which choose on `f1`.
   */
  validationF1?: number;
  accuracy: number;
  precision: number;
  recall: number;
  /** Wall-clock training time (ms); evaluation time is not part of it. */
  wallTimeMs: number;
  examplesSeen: number;
}

/** One transfer model BERT→source→target. */
export interface TransferRow {
  source: string;
  target: string;
  settings: TrainSettings;
  /** Positive-class F1 of the transfer model on the target's test split: the regression label. */
  f1: number;
  /** F1 on the target's validation part: chooses the best transfer into a target when given. */
  validationF1?: number;
  accuracy: number;
  /** Wall-clock time of the transfer training only (the source model already exists). */
  wallTimeMs: number;
  /** Regressor inputs, e.g. `f1_source`, `f1_target`, `ansat_D_A_0.05`, `baseline_tfidf_cosine`. */
  features: Record<string, number>;
}

/**
 * A named list of feature names (columns of the design matrix, in this order).
 * `extraCostMs` is what computing these features costs beyond the single-task models (e.g. the
 * conductance time for ANSAT); it is charged to the predicted search in the honest accounting.
 * When absent, the analysis charges the conductance time to every set that contains an `ansat_*`
 * feature and nothing to the others (see `headline.ts`).
 */
export interface FeatureSet {
  name: string;
  features: readonly string[];
  extraCostMs?: number;
}

/** A fitted regressor: predicts one value per row of the row-major `n × d` matrix `X`. */
export type Predictor = (X: Float32Array, n: number) => Float32Array;

/**
 * Trains a regressor on the row-major `n × d` matrix `X` with labels `y` and returns its predictor.
 * Injected so that the search code does not depend on a particular regressor (the pipeline passes
 * the boosted trees of `src/lib/gbdt`; tests pass stubs).
 */
export type FitFunction = (X: Float32Array, n: number, d: number, y: Float32Array) => Predictor;
