/**
 * What the store keeps. Every record has a stable string `id` chosen by the writer (the pipeline
 * derives ids from what a record is, e.g. experiment + task + settings, so a resumed run finds
 * the records it wrote before). Records hold plain data: strings, numbers (NaN allowed: an F1
 * can be undefined), booleans, arrays, objects and typed arrays.
 */
import type { PackedPredictions } from '../stats/packed-predictions';
import type { Dataset } from '../data/schema';
import type { ConductanceMethod } from '../explain/interpolation';
import type { Analysis } from '../search/analysis';
import type { TrainingSettings } from '../train/training-settings';

/** Named parameters, flat so they fit a CSV row (a regressor's XGBoost parameters). */
export type Settings = Record<string, number | string | boolean>;

/**
 * What a fine-tuning run was trained with: the training settings (one type with the grid and
 * `fineTune`), and what else decided it. Flat, so it fits a CSV row. This is the shape every
 * pipeline run has stored since the first schema version, so typing it needed no upgrade.
 */
export interface RunSettings extends TrainingSettings {
  keepHead: boolean;
  /** The token sequence length the documents were cut to. */
  maxLength: number;
  /** Training documents seen per epoch (after the cap). */
  trainDocs: number;
}
/** Named numbers: f1, accuracy, loss… */
export type Metrics = Record<string, number>;

export interface DatasetRecord {
  id: string;
  savedAt: string;
  dataset: Dataset;
}

export type ModelKind = 'base' | 'single' | 'transfer';

/** A model's metadata; the weights live beside it (see ModelFiles) so that listing stays cheap. */
export interface ModelRecord {
  id: string;
  kind: ModelKind;
  /** The base checkpoint everything started from ("fixture-tiny", "google/bert_uncased_L-2_H-128_A-2"). */
  base: string;
  experimentId?: string;
  datasetId?: string;
  /** The task the classifier head predicts (single: A; transfer: B). */
  task?: string;
  /** Transfer only: the source task A and the model M_A it started from. */
  sourceTask?: string;
  sourceModelId?: string;
  /** The run that produced it. */
  runId?: string;
  /** Hugging Face config.json. */
  config: unknown;
  /** Fine-tuned models: the run's settings. */
  settings?: RunSettings;
  metrics?: Metrics;
  createdAt: string;
}

/** A model's bytes: safetensors weights plus any other files (tokenizer.json, vocab.txt…). */
export interface ModelFiles {
  safetensors: Uint8Array;
  files?: Record<string, Uint8Array>;
}

/** One fine-tuning run (a row of the runs table and a label of the regressor for transfers). */
export interface RunRecord {
  id: string;
  experimentId?: string;
  kind: 'single' | 'transfer';
  /** The target task. */
  task: string;
  sourceTask?: string;
  base: string;
  /** The model this run produced, when it was kept. */
  modelId?: string;
  sourceModelId?: string;
  settings: RunSettings;
  /** f1, accuracy, … on the test split; `validationF1` (and its counts) on the validation part, when the experiment has one. */
  metrics: Metrics;
  /** One bit per test document (the experiment's test order), for bootstrap intervals; absent in runs stored before. */
  testPredictions?: PackedPredictions;
  wallTimeMs: number;
  examplesSeen: number;
  /** The tfjs backend it ran on (wall times are comparable only on the same one). */
  backend?: string;
  createdAt: string;
}

/** What a conductance result depends on besides the model and the document. */
export interface AttributionSettings {
  method: ConductanceMethod;
  nSteps: number;
  /** The explained logit. */
  target: number;
}

/**
 * Conductance of one model on one document under one setting: the cache the conductance step
 * writes and ANSAT reads. `perLayer` is [layers × tokens] row-major, each layer's token scores
 * divided by their L2 norm. The raw sums, input ids, F(x), F(x′) and the convergence deltas are
 * kept too, so the full attribution can be rebuilt exactly (float32 sums lose nothing in a
 * Float32Array).
 */
export interface AttributionRecord extends AttributionSettings {
  /** `attributionId(modelId, docId, settings)`. */
  id: string;
  modelId: string;
  docId: string;
  experimentId?: string;
  tokens: string[];
  inputIds: Int32Array;
  layers: number;
  perLayer: Float32Array;
  /** Mean over layers, per token. */
  layerMean: Float32Array;
  /** Whole words rebuilt from word pieces, and their scores (sum of their pieces' layer means). */
  terms: string[];
  termScores: Float32Array;
  /** [layers × tokens] raw per-token sums s_t, row-major. */
  rawTokenSums: Float32Array;
  /** Per layer: the completeness gap (sum of attributions minus F(x) − F(x′)). */
  convergenceDelta: Float64Array;
  /** The target logit at the input and at the baseline. */
  fInput: number;
  fBaseline: number;
  /** Time (or work, see pipeline/clock.ts) this document took: the conductance cost is their sum. */
  elapsedMs: number;
}

/** One row of pair features (source → target) for the regressor. */
export interface FeatureRecord {
  id: string;
  experimentId: string;
  source: string;
  target: string;
  values: Record<string, number>;
}

/** A fitted regressor in XGBoost's JSON model format, with what it was fitted on. */
export interface RegressorRecord {
  id: string;
  experimentId?: string;
  featureSet: string;
  featureNames: string[];
  /**
   * Leave-one-target-out: the target whose rows were held out. Absent: fitted on all transfer rows
   * (the regressor for predicting new pairs).
   */
  heldOutTarget?: string;
  params: Settings;
  model: unknown;
  metrics?: Metrics;
  createdAt: string;
}

export type JobStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface JobState {
  status: JobStatus;
  /** How long the job took, on the experiment's clock (pipeline/clock.ts). */
  elapsedMs?: number;
  /** Id of the record holding the job's result (a run, a model…). */
  resultId?: string;
  error?: string;
  attempts?: number;
  startedAt?: string;
  finishedAt?: string;
}

export interface ExperimentRecord {
  id: string;
  name: string;
  datasetId: string;
  /** The pipeline's plan (its own type). */
  plan: unknown;
  /** Job id → state. */
  jobs: Record<string, JobState>;
  /** Table 1, RMSE@K, Runtime@K and the headline, once the analysis job is done. */
  analysis?: Analysis;
  /** Time of the LogME pair features (the forward passes and the closed form), once the features job is done with LogME on. */
  logmeMs?: number;
  status?: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * The id of the attribution of `docId` under `modelId` with these settings: two settings for one
 * model and document are two records, neither overwrites the other.
 */
export function attributionId(modelId: string, docId: string, s: AttributionSettings): string {
  return `${modelId}::${docId}::${s.method}:${s.nSteps}:${s.target}`;
}
