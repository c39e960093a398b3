/**
 * The store's schema: tables, their indexes, and how records written by an older version are
 * upgraded. Both implementations derive their structure from this one definition.
 *
 * To change the schema: bump `version`, adjust `tables`, and add a `RecordMigration` for each table
 * whose records change shape. Structure (tables, indexes) follows `tables` automatically; record
 * upgrades run in version order over every record of their table. Upgrade functions must be
 * idempotent: the folder store may re-run one after a crash in the middle of an upgrade, the
 * IndexedDB store may meet a moved record again, and imported exports are upgraded whatever their
 * version. An upgrade may change a record's id: the record moves (the old id is deleted).
 */
import { CHECKSUM_SCHEMA_VERSION } from './checksum';
import { attributionId, type AttributionSettings } from './records';

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

/**
 * Schema 3 adds a SHA-256 content checksum to every record (checksum.ts). The records themselves
 * do not change: the upgrade rewrites each one unchanged, and the store adds the checksum as it
 * writes (folder: in the file format, record-file.ts; IndexedDB: a `$sha256` field, idb.ts).
 */
const CHECKSUM_MIGRATIONS: RecordMigration[] = Object.keys(TABLE_INDEXES).map((table) => ({
  version: CHECKSUM_SCHEMA_VERSION,
  table,
  description: 'every record gets a SHA-256 content checksum, verified on every read (the record is unchanged)',
  upgrade: (r) => r,
}));

export const SCHEMA: StoreSchema = {
  version: CHECKSUM_SCHEMA_VERSION,
  tables: TABLE_INDEXES,
  migrations: [
    {
      version: 2,
      table: 'attributions',
      description: 'the id names the conductance settings (method, n_steps, target), so two settings keep two records',
      upgrade: (r) => (typeof r.method === 'string' && typeof r.nSteps === 'number' && typeof r.target === 'number'
        ? { ...r, id: attributionId(String(r.modelId), String(r.docId), r as unknown as AttributionSettings) }
        : r),
    },
    {
      version: 2,
      table: 'experiments',
      description: 'the analysis moves from plan.analysis to the record\'s own analysis field',
      upgrade: (r) => {
        const plan = r.plan as Record<string, unknown> | null | undefined;
        if (!plan || typeof plan !== 'object' || !('analysis' in plan)) return r;
        const { analysis, ...rest } = plan;
        return { ...r, plan: rest, ...(analysis !== undefined ? { analysis } : {}) };
      },
    },
    ...CHECKSUM_MIGRATIONS,
  ],
};

/** Migrations that take records from `from` up to `to`, in order. */
export function migrationsBetween(schema: StoreSchema, from: number, to: number): RecordMigration[] {
  return schema.migrations.filter((m) => m.version > from && m.version <= to).sort((a, b) => a.version - b.version);
}

/**
 * A record of `table` from any earlier version (e.g. in an imported export, which does not say
 * which version wrote it) in the current shape: every migration of the table, in order. Safe
 * because upgrades are idempotent.
 */
export function upgradeRecord<T>(table: TableName, record: T, schema: StoreSchema = SCHEMA): T {
  let r = record as unknown as Record<string, unknown>;
  for (const m of migrationsBetween(schema, 0, schema.version)) if (m.table === table) r = m.upgrade(r);
  return r as unknown as T;
}
