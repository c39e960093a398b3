/**
 * The pipeline's shared types: the shapes its modules pass to one another (the environment, the
 * stored experiment plan, the job list, the estimate). The only pipeline module it imports is the
 * experiment contract's type module (spec-types.ts, types only), so any pipeline module can import
 * it without closing an import circle
 * (test/import-circles.test.ts checks the whole tree).
 */
import type { FileSource } from '../bert/file-source';
import type { Dataset } from '../data/schema';
import type { ExcludedTask } from '../data/tasks';
import type { Store } from '../store/store';
import type { GridPoint } from '../train/training-settings';
import type { ExperimentSpec, ModelRef } from './spec-types';

/** The format tag of the pipeline's part of an experiment record. */
export const EXPERIMENT_FORMAT = 'transferscope-experiment';

/** Where the pipeline finds a base model's files. */
export type ModelSourceResolver = (ref: ModelRef, store: Store) => Promise<FileSource>;

/** What the pipeline needs from its surroundings (the worker or the CLI). */
export interface PipelineEnv {
  store: Store;
  /** Files of the base model. */
  modelSource: ModelSourceResolver;
  /** A bundled demo data set by name (browser: fetched; Node: read from datasets/). */
  loadDemo?: (name: string) => Promise<Dataset>;
}

export interface BaseModelInfo {
  description: string;
  /** Hash of config.json and model.safetensors. */
  fingerprint: string;
  layers: number;
  hidden: number;
  vocab: number;
  /** The sequence length every job uses. */
  maxLength: number;
}

/** The pipeline's part of the experiment record (`ExperimentRecord.plan`). */
export interface ExperimentPlan {
  format: typeof EXPERIMENT_FORMAT;
  version: 1;
  spec: ExperimentSpec;
  dataset: {
    id: string;
    name: string;
    fingerprint: string;
    splitFingerprint: string;
    docs: number;
    /** The training side, validation included. */
    trainDocs: number;
    /** The validation part of the training side (absent in records stored before validation existed). */
    validationDocs?: number;
    testDocs: number;
    conductanceDocs: number;
  };
  model: BaseModelInfo;
  tasks: { kept: string[]; excluded: ExcludedTask[] };
  pairs: number;
  jobCounts: Record<JobKind, number> & { total: number };
  notes: string[];
  /** The clock the results are measured with, fixed by the first run (clock.ts). */
  clock?: 'wall' | 'work';
  /** Set by `estimateExperiment`. */
  estimate?: PlanEstimate;
}

export type ExperimentStatus = 'planned' | 'running' | 'paused' | 'failed' | 'done';

export type JobKind = 'single' | 'best' | 'conductance' | 'features' | 'transfer' | 'regressor' | 'analysis';

interface JobBase {
  id: string;
  kind: JobKind;
  /** For people: "train Location (lr 0.0003, 2 epochs, batch 32)". */
  label: string;
  /** Ids of the jobs that must be done first. */
  deps: string[];
}

export interface SingleJob extends JobBase {
  kind: 'single';
  /** For people: the model it trains, e.g. "A → B (lr 0.0003, 2 epochs, batch 16, seed 2 of 2)"; warnings name models by it. */
  model: string;
  task: string;
  setting: GridPoint;
  /** Which of the spec's `seeds` trainings of the setting (0 … seeds − 1). */
  seedIndex: number;
  seed: number;
}

export interface BestJob extends JobBase {
  kind: 'best';
  task: string;
}

export interface ConductanceJob extends JobBase {
  kind: 'conductance';
  task: string;
}

export interface FeaturesJob extends JobBase {
  kind: 'features';
}

export interface TransferJob extends JobBase {
  kind: 'transfer';
  /** For people: the model it trains, e.g. "A → B (lr 0.0003, 2 epochs, batch 16, seed 2 of 2)"; warnings name models by it. */
  model: string;
  source: string;
  target: string;
  setting: GridPoint;
  /** Which of the spec's `seeds` trainings of the setting (0 … seeds − 1). */
  seedIndex: number;
  seed: number;
}

export interface RegressorJob extends JobBase {
  kind: 'regressor';
  featureSet: string;
}

export interface AnalysisJob extends JobBase {
  kind: 'analysis';
}

export type Job = SingleJob | BestJob | ConductanceJob | FeaturesJob | TransferJob | RegressorJob | AnalysisJob;

/** The job list of an experiment: what `planJobs` derives from the spec and the kept tasks. */
export interface JobPlan {
  tasks: string[];
  /** Ordered pairs [source, target] that get transfer trainings. */
  pairs: [string, string][];
  jobs: Job[];
  /** Pairs of the spec left out (a task not kept), in sentences. */
  notes: string[];
}

export interface Throughput {
  backend: string;
  /** Training examples per second (forward + backward + update), after a warm-up step. */
  trainExamplesPerSec: number;
  /** Examples per second of evaluation (forward only). */
  evalExamplesPerSec: number;
  /** Seconds of conductance per document (null when not measured). */
  conductanceSecPerDoc: number | null;
  /** What was timed. */
  measured: { trainSteps: number; batch: number; evalExamples: number; conductanceDocs: number; nSteps: number };
}

export interface PlanEstimate {
  throughput: Throughput;
  trainExamples: { single: number; transfer: number };
  evalExamples: number;
  conductanceDocs: number;
  seconds: { single: number; transfer: number; conductance: number; total: number };
  /**
   * Wall time with N lanes, N = 1…8 (entry N − 1): the plan's job graph scheduled as the job pool
   * runs it (ready jobs in plan order, a job starts when its inputs are done), each job at the
   * one-lane speed. A lower bound: lanes that share cores and memory bandwidth can run slower
   * each (2 lanes on a 2-core machine: 1.55–1.88× one lane in `npm run bench -- experiment`, two
   * independent processes 1.9–2.0×). Absent in
   * estimates stored before it existed.
   */
  lanesSeconds?: number[];
}
