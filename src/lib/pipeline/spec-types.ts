/**
 * The shapes of the experiment contract: `ExperimentSpecInput` (what a user may give: a form, CLI
 * flags, a `--spec` file, a URL; everything optional but `dataset` and `model`) and `ExperimentSpec`
 * (resolved by `resolveSpec`: every field present, presets expanded). Types only, so the option
 * table (spec-options.ts), the resolver (spec.ts) and the codecs (spec-url.ts, spec-flags.ts) can
 * all use them without importing one another in a circle.
 */
import type { SplitBy } from '../data/split';
import type { ConductanceMethod } from '../explain/interpolation';
import type { ThresholdRule } from '../train/threshold';
import type { TrainingOptions } from '../train/training-settings';
import type { Grid, GridPresetName } from './grids';

export type { TrainingOptions };

export type DatasetRef =
  /** A data set in the store's `datasets` table. */
  | { kind: 'stored'; id: string }
  /** A bundled demo data set by name (datasets/index.json), stored as `demo:<name>` on first use. */
  | { kind: 'demo'; name: string };

export type ModelRef =
  /** A model shipped with the app (models/index.json). */
  | { kind: 'bundled'; name: string }
  /** A Hugging Face hub repository. */
  | { kind: 'hub'; id: string; revision?: string }
  /** A model in the store's `models` table. */
  | { kind: 'stored'; id: string }
  /** A Hugging Face folder on disk (Node only). */
  | { kind: 'folder'; path: string };

export type PairsSpec =
  | { kind: 'all' }
  /** A seeded sample of N ordered pairs (seed: the spec's seed). */
  | { kind: 'sample'; count: number }
  | { kind: 'list'; pairs: [string, string][] };

export interface ConductanceSpec {
  method: ConductanceMethod;
  /** Forward differences along the path (default 50, as the paper). */
  nSteps: number;
  /** Interpolation points per pass; null = as many as fit the memory budget. */
  internalBatchSize: number | null;
  /** Cap on each task's positive test documents (seeded choice); null = all. */
  maxDocsPerTask: number | null;
}

export interface AnalysisOptions {
  maxF1Cost: number;
  timeFraction: number;
}

/** A resolved spec: every field present. */
export interface ExperimentSpec {
  version: 1;
  name: string;
  dataset: DatasetRef;
  /** Tasks to consider; "all" = every task of the data set. Tasks below the minimums are left out. */
  tasks: 'all' | string[];
  /**
   * `by`: what stays on one side (data/split.ts). `validationFraction`: the part of the training side
   * that chooses settings (the best grid setting); 0 only in experiments stored before validation
   * existed (`LEGACY_SPLIT`), whose choices were made on test F1.
   */
  split: { seed: number; testFraction: number; by: SplitBy; validationFraction: number };
  minPositives: { train: number; test: number };
  model: ModelRef;
  grids: { single: Grid; transfer: Grid };
  pairs: PairsSpec;
  /** Transfer keeps M_A's classifier head instead of a fresh one. */
  keepHead: boolean;
  /** Every job's seed derives from it and the job's id. */
  seed: number;
  /** Trainings of every grid setting (single-task and transfer), each with its own seed. */
  seeds: number;
  /** Longest token sequence; null = min(AUTO_MAX_LENGTH (128), the model's max_position_embeddings). */
  maxLength: number | null;
  /** Cap on training documents per task (seeded, stratified subsample); null = all. */
  maxTrainDocs: number | null;
  /**
   * Under `maxTrainDocs`: the least share of a task's capped sample that is positive (every positive
   * it has when it has fewer); 0 = the task's own positive rate. Experiments stored before it
   * existed ran with 0.
   */
  minTrainPositiveShare: number;
  /** Cap on each target's training documents LogME is computed on; 0 = no LogME feature. */
  logmeDocs: number;
  training: TrainingOptions;
  /**
   * How a run's probabilities become its predictions (train/threshold.ts): at the threshold chosen
   * on validation F1, or at argmax. Experiments stored before it existed ran with argmax.
   */
  threshold: ThresholdRule;
  conductance: ConductanceSpec;
  regressor: { params: Record<string, number | string> };
  featureSets: string[];
  analysis: AnalysisOptions;
}

/** A grid as a user gives it: a preset's name or the lists (name optional, default "custom"). */
export type GridInput = GridPresetName | { name?: string; lr: number[]; epochs: number[]; batch: number[] };

/** What a user may give (all optional; `resolveSpec` requires `dataset` and `model`). */
export interface ExperimentSpecInput {
  version?: 1;
  name?: string;
  dataset?: DatasetRef;
  tasks?: 'all' | string[];
  /** `seed` defaults to the spec's seed. */
  split?: { seed?: number; testFraction?: number; by?: SplitBy; validationFraction?: number };
  minPositives?: { train?: number; test?: number };
  model?: ModelRef;
  grids?: { single?: GridInput; transfer?: GridInput };
  /** "all", a number N (a seeded sample of N ordered pairs) or the full form. */
  pairs?: 'all' | number | PairsSpec;
  keepHead?: boolean;
  seed?: number;
  seeds?: number;
  maxLength?: number | null;
  maxTrainDocs?: number | null;
  minTrainPositiveShare?: number;
  logmeDocs?: number;
  training?: Partial<TrainingOptions>;
  threshold?: ThresholdRule;
  conductance?: Partial<ConductanceSpec>;
  regressor?: { params?: Record<string, number | string> };
  featureSets?: string[];
  analysis?: Partial<AnalysisOptions>;
}

/** The settings part of a spec: what has a default (everything but the data set, the model and the split seed). */
export type SpecDefaults = Omit<ExperimentSpec, 'dataset' | 'model' | 'split'> & { split: Omit<ExperimentSpec['split'], 'seed'> };
