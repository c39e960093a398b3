/**
 * The one in-memory shape every importer produces and every later stage (split, task selection,
 * training, conductance, the store) consumes. Labels are task names: a document is positive for task
 * T exactly when `labels` contains T, so a document with no labels is a negative for every task.
 */

export type Split = 'train' | 'test';

export interface Doc {
  /** Unique within the data set (TREC-IS postID, CrisisLex tweet id, a CSV id column or a row number). */
  id: string;
  text: string;
  /** Task names this document is positive for; each one is listed in `Dataset.tasks`. */
  labels: string[];
  /** The crisis event (TREC-IS eventid, CrisisLex folder) or any grouping the source provides. */
  event?: string;
  /** Fixed by the source or by `splitDataset`; absent means "not assigned yet". */
  split?: Split;
}

/** The formats `importDataset` reads. */
export type ImportFormat = 'trecis' | 'crisislex' | 'csv' | 'jsonl';
/**
 * Where a data set came from: an importer's format, or `debtags`, the bundled demo snapshot
 * (datasets/debtags, built by scripts/demo-data): stored as a Dataset already, pre-split, so no
 * importer reads it.
 */
export type DatasetFormat = ImportFormat | 'debtags';

export interface DatasetSource {
  format: DatasetFormat;
  /** The input file names, as given (relative paths for a folder). */
  files: string[];
  /** What the importer decided, in sentences a user can read (merges, mappings, skipped records). */
  notes: string[];
}

export interface Dataset {
  name: string;
  source: DatasetSource;
  /** Every task the data set defines, in a stable order; some may have no positives. */
  tasks: string[];
  docs: Doc[];
}

/** One input file: the browser passes File bytes, the CLI reads them from disk. */
export interface InputFile {
  /** File name; for a folder, the path relative to it (`event/file.csv`), which importers may read. */
  name: string;
  bytes: Uint8Array;
}

export function isPositive(doc: Doc, task: string): boolean {
  return doc.labels.includes(task);
}
