/**
 * A store named by content: every record and every model's files as the SHA-256 of its v8
 * serialization (typed arrays survive). The coordinator sends a job this manifest instead of its
 * store; the blobs themselves go to Redis once (blobs.ts). A worker keeps a replica store and brings
 * it to the manifest before each job, fetching only what it does not hold yet: in an experiment, a
 * job's new inputs are the few records the jobs before it wrote, while the data set and the models
 * stay (a snapshot of the whole store per job made the queue 70–86 % slower than local lanes).
 */
import { deserialize, serialize } from 'node:v8';
import type { Redis } from 'ioredis';
import type { ModelFiles } from '../../lib/store/records';
import type { Store } from '../../lib/store/store';
import { ensureBlobs, fetchBlobs, hashOf, isBlobHash } from './blobs';
import { applyChanges, checkModelFiles, TABLES, type ResultChanges, type StoreChanges, type TableName } from './store-changes';

export interface StoreManifest {
  /** Per table, [id, hash of the record] in id order. */
  records: Record<TableName, [string, string][]>;
  /** Model id → hash of its files (models without files have none). */
  modelFiles: Record<string, string>;
}

/** Upper bound on a manifest's entries: far above any experiment (one TREC-IS edition ≈ 3,000 records). */
export const MAX_MANIFEST_ENTRIES = 1_000_000;

type AnyTable = {
  list(): Promise<{ id: string }[]>; keys(): Promise<string[]>; get(id: string): Promise<{ id: string } | undefined>;
  put(r: { id: string }): Promise<void>; delete(id: string): Promise<void>;
};
const table = (s: Store, t: TableName) => s[t] as unknown as AnyTable;

/** The table whose records the coordinator itself rewrites while it runs (job states): read whole every time. */
const REWRITTEN_HERE: TableName = 'experiments';

/** A blob the coordinator hashed and uploaded; its bytes are dropped once Redis has them. */
interface Known { hash: string; bytes: Uint8Array | null }

/** Thrown by a dropped blob's bytes: Redis lost it, so the store is read again. */
class DroppedBlob extends Error {}

/**
 * The coordinator's side: the manifest of `store` now, and the blobs it names made present in Redis.
 *
 * A record or a model's files is read and hashed once, not for every job (on a 1,000-record store a
 * full read is 0.5–0.9 s per job). That is sound because this coordinator is the store's one writer
 * and the records of the lane tables change only (a) through a result's changes, whose ids the
 * caller `forget`s, or (b) by deletion (a re-run's clean-up), which the ids listed each time show.
 * The experiment record, which the runner rewrites after every job, is read whole every time.
 */
export function manifestMaker(store: Store, client: Redis) {
  const records = new Map<string, Known>();
  const files = new Map<string, Known>();
  const remember = (cache: Map<string, Known>, key: string, value: unknown): Known => {
    const bytes = serialize(value);
    const k = { hash: hashOf(bytes), bytes };
    cache.set(key, k);
    return k;
  };
  const bytesOf = (k: Known) => () => {
    if (k.bytes) return k.bytes;
    throw new DroppedBlob();
  };
  const forget = (t: TableName, id: string) => {
    records.delete(recordKey(t, id));
    if (t === 'models') files.delete(id);
  };
  const maker = {
    /** Call before a record of `t` is written again or deleted in the store by anyone but the runner. */
    forget,
    /** Writes a job's result into the store (store-changes.ts), forgetting what it rewrites. */
    async apply(changes: StoreChanges): Promise<void> {
      for (const t of TABLES) for (const id of [...changes.put[t].map((r) => r.id), ...changes.deleted[t]]) forget(t, id);
      await applyChanges(store, changes);
    },
    async make(): Promise<StoreManifest> {
      const blobs = new Map<string, () => Uint8Array>();
      const manifest: StoreManifest = { records: {} as StoreManifest['records'], modelFiles: {} };
      for (const t of TABLES) {
        const rows: [string, string][] = [];
        if (t === REWRITTEN_HERE) {
          for (const r of await table(store, t).list()) {
            const k = remember(records, recordKey(t, r.id), r);
            blobs.set(k.hash, bytesOf(k));
            rows.push([r.id, k.hash]);
          }
        } else {
          for (const id of await table(store, t).keys()) {
            let k = records.get(recordKey(t, id));
            if (!k) {
              const r = await table(store, t).get(id);
              if (!r) continue; // deleted between the listing and the read
              k = remember(records, recordKey(t, id), r);
            }
            blobs.set(k.hash, bytesOf(k));
            rows.push([id, k.hash]);
          }
        }
        manifest.records[t] = rows;
      }
      for (const [id] of manifest.records.models) {
        let k = files.get(id);
        if (!k) {
          const f = await store.models.getFiles(id);
          if (!f) continue;
          k = remember(files, id, f);
        }
        manifest.modelFiles[id] = k.hash;
        blobs.set(k.hash, bytesOf(k));
      }
      try {
        await ensureBlobs(client, blobs);
      } catch (e) {
        if (!(e instanceof DroppedBlob)) throw e;
        // Redis lost blobs uploaded before (restarted empty, evicted): read everything again.
        records.clear();
        files.clear();
        return maker.make();
      } finally {
        // Redis holds them now; a model's files are 7.5 MB, and a store may hold hundreds of records.
        for (const k of [...records.values(), ...files.values()]) k.bytes = null;
      }
      return manifest;
    },
  };
  return maker;
}

/** Checks a manifest's shape and size; throws naming the field. */
export function checkManifest(v: unknown, what: string): asserts v is StoreManifest {
  if (typeof v !== 'object' || v === null) throw new Error(`${what}: not an object`);
  const m = v as Partial<StoreManifest>;
  if (typeof m.records !== 'object' || m.records === null) throw new Error(`${what}.records: not an object`);
  let entries = 0;
  for (const t of TABLES) {
    const rows = (m.records as Record<string, unknown>)[t];
    if (!Array.isArray(rows)) throw new Error(`${what}.records.${t}: not an array`);
    entries += rows.length;
    for (const [i, r] of rows.entries()) {
      if (!Array.isArray(r) || r.length !== 2 || typeof r[0] !== 'string' || !isBlobHash(r[1])) throw new Error(`${what}.records.${t}[${i}]: not an [id, sha-256] pair`);
    }
  }
  if (typeof m.modelFiles !== 'object' || m.modelFiles === null) throw new Error(`${what}.modelFiles: not an object`);
  for (const [id, h] of Object.entries(m.modelFiles)) if (!isBlobHash(h)) throw new Error(`${what}.modelFiles.${id}: not a sha-256`);
  entries += Object.keys(m.modelFiles).length;
  if (entries > MAX_MANIFEST_ENTRIES) throw new Error(`${what}: ${entries} entries, over the ${MAX_MANIFEST_ENTRIES} allowed`);
}

/**
 * The worker's side: a store that follows the coordinator's manifests. `held` remembers the hash of
 * what the replica holds for each record and model's files, so a sync fetches only what changed.
 */
export class StoreReplica {
  private readonly held = new Map<string, string>();
  constructor(readonly store: Store, private readonly client: Redis) {}

  /** Brings the replica to `m`: deletes what it no longer has, fetches and writes what changed. */
  async sync(m: StoreManifest): Promise<{ fetched: number }> {
    const want = new Map<string, string>();
    for (const t of TABLES) for (const [id, hash] of m.records[t]) want.set(recordKey(t, id), hash);
    for (const [id, hash] of Object.entries(m.modelFiles)) want.set(filesKey(id), hash);
    for (const key of [...this.held.keys()].filter((k) => !want.has(k))) {
      const [kind, id] = splitKey(key);
      // A model's files go with its record (the folder store deletes both).
      if (kind !== FILES) await table(this.store, kind as TableName).delete(id);
      this.held.delete(key);
    }
    const changed = [...want].filter(([key, hash]) => this.held.get(key) !== hash).map(([key]) => key);
    // A model is written as its record (with its files when those changed too): a model whose files
    // alone changed needs its record's blob as well.
    const models = new Set(changed.map(splitKey).filter(([kind]) => kind === 'models' || kind === FILES).map(([, id]) => id));
    const fetch = new Set([...changed, ...[...models].map((id) => recordKey('models', id))]);
    const nameOf = (key: string) => {
      const [kind, id] = splitKey(key);
      return kind === FILES ? `files of model ${id}` : `${kind} record ${id}`;
    };
    const names = new Map([...fetch].map((k) => [want.get(k)!, nameOf(k)] as const));
    const blobs = await fetchBlobs(this.client, [...names.keys()], (h) => names.get(h) ?? '?');
    for (const key of changed) {
      const [kind, id] = splitKey(key);
      if (kind === 'models' || kind === FILES) continue;
      await table(this.store, kind as TableName).put(deserialize(blobs.get(want.get(key)!)!) as { id: string });
      this.held.set(key, want.get(key)!);
    }
    for (const id of models) {
      const rh = want.get(recordKey('models', id))!;
      const fh = want.get(filesKey(id));
      const record = deserialize(blobs.get(rh)!) as never;
      // `put` keeps the bytes stored, which are the manifest's when the files did not change.
      if (fh === undefined || this.held.get(filesKey(id)) === fh) await this.store.models.put(record);
      else await this.store.models.putWithFiles(record, deserialize(blobs.get(fh)!) as ModelFiles);
      this.held.set(recordKey('models', id), rh);
      if (fh !== undefined) this.held.set(filesKey(id), fh);
    }
    return { fetched: blobs.size };
  }

  /**
   * What a job wrote (ids from recordingStore), read back from the replica, as the result's store
   * changes; the replica then counts them as held, so the next manifest, which has them once the
   * coordinator has stored them, fetches nothing for them.
   */
  async changesOf(written: { put: Record<TableName, Set<string>>; deleted: Record<TableName, Set<string>> }) {
    const put = {} as Record<TableName, { id: string }[]>;
    const deleted = {} as Record<TableName, string[]>;
    const modelFiles: Record<string, ModelFiles> = {};
    for (const t of TABLES) {
      put[t] = [];
      for (const id of written.put[t]) {
        const r = await table(this.store, t).get(id);
        if (!r) continue;
        put[t].push(r);
        this.held.set(recordKey(t, id), hashOf(serialize(r)));
        if (t === 'models') {
          const files = await this.store.models.getFiles(id);
          if (files) {
            modelFiles[id] = files;
            this.held.set(filesKey(id), hashOf(serialize(files)));
          }
        }
      }
      deleted[t] = [...written.deleted[t]];
      for (const id of deleted[t]) {
        this.held.delete(recordKey(t, id));
        if (t === 'models') this.held.delete(filesKey(id));
      }
    }
    return { put, deleted, modelFiles };
  }
}

const SEP = '\u0000';
const FILES = 'files';
const recordKey = (t: TableName, id: string) => `${t}${SEP}${id}`;
const filesKey = (id: string) => `${FILES}${SEP}${id}`;
const splitKey = (k: string) => k.split(SEP) as [string, string];

/** The worker's side of a result: each written model's files go to Redis as a blob; the result names its hash. */
export async function filesToBlobs(client: Redis, changes: StoreChanges): Promise<ResultChanges> {
  const blobs = new Map<string, () => Uint8Array>();
  const modelFiles: Record<string, string> = {};
  for (const [id, f] of Object.entries(changes.modelFiles)) {
    const bytes = serialize(f);
    const hash = hashOf(bytes);
    blobs.set(hash, () => bytes);
    modelFiles[id] = hash;
  }
  await ensureBlobs(client, blobs);
  return { ...changes, modelFiles };
}

/** The coordinator's side: the files a result names, fetched (checked against their hashes) and checked as model files. */
export async function filesFromBlobs(client: Redis, changes: ResultChanges, what: string): Promise<StoreChanges> {
  const named = new Map(Object.entries(changes.modelFiles).map(([id, h]) => [h, id] as const));
  const blobs = await fetchBlobs(client, [...named.keys()], (h) => `files of model ${named.get(h)} from ${what}`);
  const modelFiles = Object.fromEntries(Object.entries(changes.modelFiles).map(([id, h]) => [id, deserialize(blobs.get(h)!) as ModelFiles]));
  checkModelFiles(modelFiles, `${what}.changes.modelFiles`);
  return { ...changes, modelFiles };
}
