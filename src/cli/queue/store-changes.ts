/**
 * What a queue job changed in a store (the records it put, the ids it deleted, the files of the
 * models it wrote), how the coordinator applies it, and the checks both sides make on what they
 * receive. Values travel v8-serialized, so typed arrays survive. A job's inputs travel as a
 * manifest of content hashes instead (store-manifest.ts).
 */
import { deserialize, serialize } from 'node:v8';
import type { ModelFiles } from '../../lib/store/records';
import type { Store } from '../../lib/store/store';

export const TABLES = ['datasets', 'models', 'runs', 'attributions', 'features', 'regressors', 'experiments'] as const;
export type TableName = (typeof TABLES)[number];

/** 512 MiB: a payload or a result (a job's new model included), below what one Redis string may hold. */
export const QUEUE_MAX_PAYLOAD_BYTES = 512 * 1024 * 1024;

/** What a job did to the store: records put (new or changed) and ids deleted, per table. */
export interface StoreChanges {
  put: Record<TableName, { id: string }[]>;
  deleted: Record<TableName, string[]>;
  modelFiles: Record<string, ModelFiles>;
}

/** What a job changed as it travels back: a written model's files are a blob in Redis, named by its hash. */
export type ResultChanges = Omit<StoreChanges, 'modelFiles'> & { modelFiles: Record<string, string> };

type AnyTable = { put(r: { id: string }): Promise<void>; delete(id: string): Promise<void> };
const table = (s: Store, t: TableName) => s[t] as unknown as AnyTable;

export async function applyChanges(store: Store, c: StoreChanges): Promise<void> {
  for (const t of TABLES) {
    for (const r of c.put[t]) {
      if (t === 'models' && c.modelFiles[r.id]) await store.models.putWithFiles(r as never, c.modelFiles[r.id]);
      else await table(store, t).put(r);
    }
  }
  for (const t of TABLES) for (const id of c.deleted[t]) await table(store, t).delete(id);
}

export const encode = (v: unknown): string => serialize(v).toString('base64');
export const decode = (s: string): unknown => deserialize(Buffer.from(s, 'base64'));

/** Checks that `v` has a record array (objects with a string id) per table; throws naming what is wrong. */
export function checkRecordTables(v: unknown, what: string): asserts v is Record<TableName, { id: string }[]> {
  if (typeof v !== 'object' || v === null) throw new Error(`${what}: not an object`);
  for (const t of TABLES) {
    const rows = (v as Record<string, unknown>)[t];
    if (!Array.isArray(rows)) throw new Error(`${what}.${t}: not an array`);
    for (const [i, r] of rows.entries()) if (typeof r !== 'object' || r === null || typeof (r as { id?: unknown }).id !== 'string') throw new Error(`${what}.${t}[${i}]: no string id`);
  }
}

export function checkModelFiles(v: unknown, what: string): asserts v is Record<string, ModelFiles> {
  if (typeof v !== 'object' || v === null) throw new Error(`${what}: not an object`);
  for (const [id, f] of Object.entries(v)) if (!(f && (f as ModelFiles).safetensors instanceof Uint8Array)) throw new Error(`${what}.${id}: no safetensors bytes`);
}
