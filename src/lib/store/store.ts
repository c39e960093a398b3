/**
 * The store interface: one per entity, the same in the browser (IndexedDB, `idb.ts`) and in Node
 * (a folder of files, `folder.node.ts`). Guarantees shared by both:
 * - a write resolves only once it is durable (IndexedDB: the transaction completed; folder: the file
 *   was renamed into place), so "done" after a write survives a reload or a kill;
 * - each record is written atomically: after a failure (quota, disk full, crash) a reader sees the
 *   previous version or the new one, never a mix; `putMany` is atomic per record (IndexedDB: as a
 *   batch too);
 * - running out of space raises StorageFullError and changes nothing;
 * - `list`/`listBy`/`keys` return records in id order.
 */
import type { SpaceInfo } from './errors';
import type {
  AttributionRecord, DatasetRecord, ExperimentRecord, FeatureRecord, ModelFiles, ModelRecord, RegressorRecord, RunRecord,
} from './records';
import type { IndexName, TableName } from './schema';

export interface Table<T extends { id: string }, I extends string = never> {
  readonly name: TableName;
  get(id: string): Promise<T | undefined>;
  put(record: T): Promise<void>;
  putMany(records: readonly T[]): Promise<void>;
  /** Deleting a missing id is not an error. */
  delete(id: string): Promise<void>;
  list(): Promise<T[]>;
  keys(): Promise<string[]>;
  count(): Promise<number>;
  /** Records whose indexed field equals `value`. */
  listBy(index: I, value: string): Promise<T[]>;
  keysBy(index: I, value: string): Promise<string[]>;
  /** Deletes the records whose indexed field equals `value`; returns how many. */
  deleteBy(index: I, value: string): Promise<number>;
  /**
   * Read-modify-write of one record in one step (IndexedDB: one transaction). `fn` gets the current
   * record (or undefined) and returns the new one, or undefined to leave it as it is. `fn` must be
   * synchronous. Returns the stored record.
   */
  update(id: string, fn: (current: T | undefined) => T | undefined): Promise<T | undefined>;
}

export interface ModelTable extends Table<ModelRecord, IndexName<'models'>> {
  /** Writes metadata and bytes together (atomically). `put` alone keeps the stored bytes. */
  putWithFiles(record: ModelRecord, files: ModelFiles): Promise<void>;
  getFiles(id: string): Promise<ModelFiles | undefined>;
}

export interface PersistenceResult {
  /** Whether the platform can be asked at all. */
  supported: boolean;
  /** Whether the data is now protected from eviction. */
  persisted: boolean;
}

export interface Store {
  readonly kind: 'indexeddb' | 'folder';
  /** Where: the database name or the folder path. */
  readonly location: string;
  readonly schemaVersion: number;
  readonly datasets: Table<DatasetRecord, IndexName<'datasets'>>;
  readonly models: ModelTable;
  readonly runs: Table<RunRecord, IndexName<'runs'>>;
  readonly attributions: Table<AttributionRecord, IndexName<'attributions'>>;
  readonly features: Table<FeatureRecord, IndexName<'features'>>;
  readonly regressors: Table<RegressorRecord, IndexName<'regressors'>>;
  readonly experiments: Table<ExperimentRecord, IndexName<'experiments'>>;
  /** Usage and room, as far as the platform tells. */
  estimate(): Promise<SpaceInfo>;
  /** Browser: navigator.storage.persist(); folder: always persistent. */
  requestPersistence(): Promise<PersistenceResult>;
  close(): Promise<void>;
}
