/**
 * A whole store as plain data, and what a job changed in it. The queue ships a job's inputs as a
 * snapshot of the coordinator's store (every record and model file; v8-serialized so typed arrays
 * survive) and returns the records the job put or deleted. Sending the whole store is the simplest
 * sound choice (a job reads whatever it reads, unchanged code path); its cost grows with the store,
 * so payloads are capped (QUEUE_MAX_PAYLOAD_BYTES) and a too-big one is refused with that reason.
 */
import { deserialize, serialize } from 'node:v8';
import type { ModelFiles } from '../../lib/store/records';
import type { Store } from '../../lib/store/store';

export const TABLES = ['datasets', 'models', 'runs', 'attributions', 'features', 'regressors', 'experiments'] as const;
export type TableName = (typeof TABLES)[number];

/** 512 MiB: far above the demo and tiny-model experiments, below what one Redis string may hold. */
export const QUEUE_MAX_PAYLOAD_BYTES = 512 * 1024 * 1024;

export interface StoreSnapshot {
  records: Record<TableName, { id: string }[]>;
  modelFiles: Record<string, ModelFiles>;
}

/** What a job did to the store: records put (new or changed) and ids deleted, per table. */
export interface StoreChanges {
  put: Record<TableName, { id: string }[]>;
  deleted: Record<TableName, string[]>;
  modelFiles: Record<string, ModelFiles>;
}

type AnyTable = { list(): Promise<{ id: string }[]>; put(r: { id: string }): Promise<void>; delete(id: string): Promise<void> };
const table = (s: Store, t: TableName) => s[t] as unknown as AnyTable;

export async function takeSnapshot(store: Store): Promise<StoreSnapshot> {
  const records = {} as StoreSnapshot['records'];
  for (const t of TABLES) records[t] = await table(store, t).list();
  const modelFiles: Record<string, ModelFiles> = {};
  for (const m of records.models) {
    const files = await store.models.getFiles(m.id);
    if (files) modelFiles[m.id] = files;
  }
  return { records, modelFiles };
}

export async function seedStore(store: Store, snap: StoreSnapshot): Promise<void> {
  for (const t of TABLES) {
    if (t === 'models') continue;
    for (const r of snap.records[t]) await table(store, t).put(r);
  }
  for (const m of snap.records.models) {
    const files = snap.modelFiles[m.id];
    if (files) await store.models.putWithFiles(m as never, files);
    else await store.models.put(m as never);
  }
}

export async function changesSince(store: Store, before: StoreSnapshot): Promise<StoreChanges> {
  const after = await takeSnapshot(store);
  const put = {} as StoreChanges['put'];
  const deleted = {} as StoreChanges['deleted'];
  const modelFiles: Record<string, ModelFiles> = {};
  for (const t of TABLES) {
    const old = new Map(before.records[t].map((r) => [r.id, serialize(r)]));
    put[t] = after.records[t].filter((r) => { const o = old.get(r.id); return !o || !o.equals(serialize(r)); });
    const now = new Set(after.records[t].map((r) => r.id));
    deleted[t] = [...old.keys()].filter((id) => !now.has(id));
  }
  for (const m of put.models) if (after.modelFiles[m.id]) modelFiles[m.id] = after.modelFiles[m.id];
  return { put, deleted, modelFiles };
}

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
