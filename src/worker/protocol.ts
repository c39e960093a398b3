/**
 * Types that cross the worker boundary. The UI imports only these (and type-only lib types):
 * it never calls tfjs itself. Everything here is structured-clone data (no classes, no functions),
 * because comlink copies it between the page and the worker. Shapes the core already defines are
 * imported from it (type-only, so nothing of the core reaches the page's bundle); what is declared
 * here is the worker's own view of them.
 */
import type { ImportProblem } from '../lib/data/errors';
import type { DatasetFormat, Doc, ImportFormat } from '../lib/data/schema';
import type { Cooccurrence } from '../lib/data/tasks';
import type { SplitLeakage } from '../lib/data/leakage';
import type { SplitRequest } from '../lib/data/split-overview';
import type { LabelMerge } from '../lib/data/label-merges';
import type { ExperimentSpec } from '../lib/pipeline/spec-types';
import type { BundledModelEntry, DemoDatasetEntry } from '../lib/pipeline/app-index';
import type { ExperimentStatus, JobKind, PlanEstimate, Throughput } from '../lib/pipeline/types';
import type { ProgressEvent } from '../lib/pipeline/runner';
import type { AnalysisInfo } from '../lib/pipeline/results/analysis-info';
import type { AttributionView, ExplainDoc, ExplainTarget, TopTerm } from '../lib/pipeline/results/explain-results';
import type { RunRow } from '../lib/pipeline/results/run-rows';
import type { TransferMatrices } from '../lib/pipeline/results/transfer-matrices';
import type { BackendInfo, BackendName, BackendPreference } from '../lib/runtime/backend';
import type { SearchPoint } from '../lib/search/headline';
import type { JobStatus } from '../lib/store/records';

export type { BackendInfo, BackendName, BackendPreference, DatasetFormat, ImportFormat };

/** Where a base model comes from. `stored`: a model the user uploaded earlier, kept in IndexedDB. */
export type ModelRef =
  | { kind: 'bundled'; name: string }
  | { kind: 'hub'; id: string }
  | { kind: 'files'; label: string }
  | { kind: 'stored'; id: string };

export interface ModelSummary {
  ref: ModelRef;
  /** The id a stored copy of this model has (uploads are stored so that experiments can use them). */
  storedId?: string;
  layers: number;
  hidden: number;
  heads: number;
  intermediate: number;
  vocabSize: number;
  maxPositions: number;
  parameters: number;
  bytes: number;
  notes: string[];
}

/** One entry of models/index.json. */
export type BundledModel = BundledModelEntry;

/** One entry of datasets/index.json. */
export type DemoDataset = DemoDatasetEntry;

export interface ForwardResult {
  text: string;
  tokens: string[];
  inputIds: number[];
  logits: number[];
  probabilities: number[];
}

export interface DownloadProgress {
  file: string;
  loaded: number;
  total?: number;
}

/** What the worker says when it had to change backend by itself (WebGPU device lost). */
export interface BackendChange {
  from: BackendName;
  to: BackendInfo;
  reason: string;
}

export interface StorageInfo {
  usage?: number;
  quota?: number;
}

/** A stored data set, without its documents. */
export interface DatasetSummary {
  id: string;
  name: string;
  format: DatasetFormat;
  files: string[];
  notes: string[];
  tasks: string[];
  docs: number;
  /** Documents that already carry a split (the demo data set is pre-split). */
  presplit: number;
  events: number;
  savedAt: string;
  demo: boolean;
}

/** A located importer error, as fields (comlink would keep only the message of an Error). */
export interface ImportProblemInfo extends Partial<ImportProblem> {
  message: string;
  /** Set when the store ran out of room (nothing was saved). */
  storageFull?: boolean;
}

export type ImportOutcome = { ok: true; dataset: DatasetSummary } | { ok: false; error: ImportProblemInfo };

export interface ImportRequest {
  format: ImportFormat;
  /** Name shown in the list; default: taken from the files. */
  name?: string;
  files: { name: string; file: Blob }[];
  trecisMerge?: LabelMerge;
  crisislexFamily?: string;
  crisislexNotApplicable?: 'negative' | 'task' | 'drop';
  /** csv/jsonl: the text and labels columns when they are not the defaults. */
  textColumn?: string;
  labelsColumn?: string;
}

/** The rules of task selection and the split, as the experiment will apply them. */
export interface OverviewRequest {
  /** The split the experiment would make (the spec's `split`: seed, test fraction, grouping, validation part). */
  split: SplitRequest;
  minTrainPositives: number;
  minTestPositives: number;
}

export interface TaskRow {
  task: string;
  trainPositives: number;
  testPositives: number;
  trainNegatives: number;
  testNegatives: number;
  kept: boolean;
  reason?: string;
}

export interface DatasetOverview {
  dataset: DatasetSummary;
  /** The training side, validation part included (task counts count it as training, as the pipeline does). */
  trainDocs: number;
  /** The part of the training side that chooses settings. */
  validationDocs: number;
  testDocs: number;
  /** How much of the test (and validation) side has a duplicate on the training side. */
  leakage: SplitLeakage;
  /** The split note when the split was made here (seeded), absent for a pre-split data set. */
  splitNote?: string;
  tasks: TaskRow[];
  cooccurrence: Cooccurrence;
}

export type SampleDoc = Pick<Doc, 'id' | 'text' | 'labels' | 'event' | 'split'>;

// ---- experiments --------------------------------------------------------------------------------

export type ExperimentStatusName = ExperimentStatus;
export type JobKindName = JobKind;

/** One job as the job list shows it. */
export interface JobRow {
  id: string;
  kind: JobKindName;
  label: string;
  status: Exclude<JobStatus, 'skipped'>;
  elapsedMs?: number;
  error?: string;
}

/** The stored estimate (pipeline/estimate.ts), without what only the pipeline needs. */
export interface EstimateInfo extends Pick<Throughput, 'backend' | 'trainExamplesPerSec' | 'conductanceSecPerDoc'>, Pick<PlanEstimate, 'seconds' | 'lanesSeconds'> {}

/** An experiment as the list and the Experiment view show it (no results). */
export interface ExperimentInfo {
  id: string;
  name: string;
  status: ExperimentStatusName;
  datasetId: string;
  datasetName: string;
  model: string;
  tasks: string[];
  excluded: { task: string; reason: string }[];
  pairs: number;
  jobCounts: Record<JobKindName, number> & { total: number };
  done: number;
  failed: number;
  notes: string[];
  estimate?: EstimateInfo;
  /** The resolved spec, for the "copy settings" link and the Export view. */
  spec: ExperimentSpec;
  createdAt: string;
  updatedAt: string;
  /** This worker is running it now. */
  active: boolean;
  /** Stored as running, but nothing runs it: the page was closed or reloaded mid-run. */
  interrupted: boolean;
}

export interface ExperimentDetail extends ExperimentInfo {
  jobs: JobRow[];
}

/** A located spec problem or any other reason an experiment could not be planned. */
export type PlanOutcome = { ok: true; experiment: ExperimentDetail; existed: boolean } | { ok: false; error: string; path?: string };

/** The runner's events (src/lib/pipeline/runner.ts), passed through, and the worker's own. */
export type RunEvent =
  | Exclude<ProgressEvent, { type: 'job-step' }>
  /** Throttled by the worker; `losses` holds every step's loss since the previous event of the job. */
  | (Extract<ProgressEvent, { type: 'job-step' }> & { losses: number[]; firstStep: number })
  /** Added by the worker: the run stopped with an error (a failed job, a full store, a mismatch). */
  | { type: 'run-error'; error: string; storageFull?: boolean }
  /** Added by the worker: the backend changed under the run, which restarts on the new one. */
  | { type: 'run-restart'; reason: string };

export interface RunOutcomeInfo {
  status: 'done' | 'paused' | 'failed' | 'busy';
  error?: string;
  storageFull?: boolean;
}

// ---- results ------------------------------------------------------------------------------------
// Computed in the core (src/lib/pipeline/results), which declares their shapes.

export type { AnalysisInfo, AttributionView, ExplainDoc, ExplainTarget, RunRow, TopTerm, TransferMatrices };

export type HeadlinePoint = SearchPoint;

export interface ExperimentResults {
  experiment: ExperimentInfo;
  runs: RunRow[];
  analysis: AnalysisInfo | null;
  /** The clock the times are measured with ("work": units, not ms). */
  clock: 'wall' | 'work';
}

export interface ExportFile {
  name: string;
  text: string;
}

/** A stored regressor to export; `heldOutTarget` null: fitted on all transfer rows (for new pairs). */
export interface RegressorChoice {
  featureSet: string;
  heldOutTarget: string | null;
}
