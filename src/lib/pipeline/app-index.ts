/**
 * The app's catalogues, `models/index.json`, `datasets/index.json` and `results/index.json`: the
 * worker fetches them, the command line reads them from disk, the pipeline resolves bundled models
 * through the first.
 */

/** One entry of models/index.json: a model shipped with the app. */
export interface BundledModelEntry {
  name: string;
  /** Its folder under models/, ending in "/". */
  path: string;
  title?: string;
  description?: string;
  /** The model preselected in the app. */
  default?: boolean;
}

/** One entry of datasets/index.json: a demo data set shipped with the app. */
export interface DemoDatasetEntry {
  name: string;
  /** Its Dataset JSON under datasets/. */
  path: string;
  /** Its data card (markdown) under datasets/. */
  card?: string;
  title?: string;
  description?: string;
}

/**
 * One entry of results/index.json: a finished experiment shipped with the app (an export zip of a
 * committed reference run, `cli export`), imported on the first visit so that the result views
 * show real numbers before anything is trained.
 */
export interface BundledResultEntry {
  /** The experiment id the zip stores it under. */
  id: string;
  /** Its zip under results/. */
  path: string;
  /** The demo data set (datasets/index.json name) it was run on; the zip leaves the data set out. */
  dataset: string;
  title?: string;
}

/** Where a bundled model's files are under models/: the path its entry gives, else a folder named after it. */
export function bundledModelPath(index: readonly Pick<BundledModelEntry, 'name' | 'path'>[], name: string): string {
  return index.find((m) => m.name === name)?.path || `${encodeURIComponent(name)}/`;
}
