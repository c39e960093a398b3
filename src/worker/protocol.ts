/**
 * Types that cross the worker boundary. The UI imports only these (and type-only lib types):
 * it never calls tfjs itself. Everything here is structured-clone data (no classes, no functions),
 * because comlink copies it between the page and the worker.
 */
import type { BackendInfo, BackendName, BackendPreference } from '../lib/runtime/backend';
import type { DatasetFormat } from '../lib/data/schema';

export type { BackendInfo, BackendName, BackendPreference, DatasetFormat };

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
export interface BundledModel {
  name: string;
  path: string;
  title?: string;
  description?: string;
  default?: boolean;
}

/** One entry of datasets/index.json. */
export interface DemoDataset {
  name: string;
  path: string;
  card?: string;
  title?: string;
  description?: string;
}

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
  format: string;
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
export interface ImportProblemInfo {
  message: string;
  file?: string;
  line?: number;
  record?: string | number;
  field?: string;
  problem?: string;
  /** Set when the store ran out of room (nothing was saved). */
  storageFull?: boolean;
}

export type ImportOutcome = { ok: true; dataset: DatasetSummary } | { ok: false; error: ImportProblemInfo };

export interface ImportRequest {
  format: DatasetFormat;
  /** Name shown in the list; default: taken from the files. */
  name?: string;
  files: { name: string; file: Blob }[];
  trecisMerge?: 'union' | 'intersection' | 'majority' | 'last';
  crisislexFamily?: string;
  crisislexNotApplicable?: 'negative' | 'task' | 'drop';
  /** csv/jsonl: the text and labels columns when they are not the defaults. */
  textColumn?: string;
  labelsColumn?: string;
}

/** The rules of task selection and the split, as the experiment will apply them. */
export interface OverviewRequest {
  seed: number;
  testFraction: number;
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
  trainDocs: number;
  testDocs: number;
  /** The split note when the split was made here (seeded), absent for a pre-split data set. */
  splitNote?: string;
  tasks: TaskRow[];
  cooccurrence: { tasks: string[]; docs: number; counts: number[][] };
}

export interface SampleDoc {
  id: string;
  text: string;
  labels: string[];
  event?: string;
  split?: string;
}
