/**
 * The store's schema: tables, their indexes, and how records written by an older version are
 * upgraded. Both implementations derive their structure from this one definition.
 *
 * To change the schema: bump `version`, adjust `tables`, and add a `RecordMigration` for each table
 * whose records change shape. Structure (tables, indexes) follows `tables` automatically; record
 * upgrades run in version order over every record of their table. Upgrade functions must be
 * idempotent: the folder store may re-run one after a crash in the middle of an upgrade.
 */

export const TABLE_INDEXES = {
  datasets: [],
  models: ['experimentId', 'task', 'kind'],
  runs: ['experimentId', 'task', 'modelId'],
  attributions: ['modelId', 'experimentId', 'docId'],
  features: ['experimentId'],
  regressors: ['experimentId'],
  experiments: ['datasetId'],
} as const;

export type TableName = keyof typeof TABLE_INDEXES;
export type IndexName<T extends TableName> = (typeof TABLE_INDEXES)[T][number];
export const TABLE_NAMES = Object.keys(TABLE_INDEXES) as TableName[];

export interface RecordMigration {
  /** The schema version this migration upgrades records to. */
  version: number;
  table: string;
  description: string;
  upgrade(record: Record<string, unknown>): Record<string, unknown>;
}

export interface StoreSchema {
  version: number;
  /** Table name → indexed fields (each index is on one top-level string field). */
  tables: Record<string, readonly string[]>;
  migrations: readonly RecordMigration[];
}

export const SCHEMA: StoreSchema = {
  version: 1,
  tables: TABLE_INDEXES,
  migrations: [],
};

/** Migrations that take records from `from` up to `to`, in order. */
export function migrationsBetween(schema: StoreSchema, from: number, to: number): RecordMigration[] {
  return schema.migrations.filter((m) => m.version > from && m.version <= to).sort((a, b) => a.version - b.version);
}
