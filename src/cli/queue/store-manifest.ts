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
import { TABLES, type TableName } from './store-changes';

export interface StoreManifest {
  /** Per table, [id, hash of the record] in id order. */
  records: Record<TableName, [string, string][]>;
  /** Model id → hash of its files (models without files have none). */
  modelFiles: Record<string, string>;
}

/** Upper bound on a manifest's entries: far above any experiment (one TREC-IS edition ≈ 3,000 records). */
export const MAX_MANIFEST_ENTRIES = 1_000_000;

type AnyTable = { list(): Promise<{ id: string }[]>; get(id: string): Promise<{ id: string } | undefined>; put(r: { id: string }): Promise<void>; delete(id: string): Promise<void> };
const table = (s: Store, t: TableName) => s[t] as unknown as AnyTable;

/**
 * The coordinator's side: the manifest of `store` now, and the blobs it names made present in Redis.
 * A model's files are read and hashed once: the files of a model id never change while this
 * coordinator runs, because it is the store's one writer and writes models only through `forget`'s
 * caller (a result's changes), which forgets the id first.
 */
export function manifestMaker(store: Store, client: Redis) {
  const fileHashes = new Map<string, { hash: string; bytes: Uint8Array | null }>();
  return {
    /** Call before a model id is written again (or deleted) in the store. */
    forget(modelId: string) {
      fileHashes.delete(modelId);
    },
    async make(): Promise<StoreManifest> {
      const blobs = new Map<string, () => Uint8Array>();
      const records = {} as StoreManifest['records'];
      for (const t of TABLES) {
        const rows = await table(store, t).list();
        records[t] = rows.map((r) => {
          const bytes = serialize(r);
          const hash = hashOf(bytes);
          blobs.set(hash, () => bytes);
          return [r.id, hash];
        });
      }
      const modelFiles: Record<string, string> = {};
      for (const [id] of records.models) {
        let known = fileHashes.get(id);
        if (!known) {
          const files = await store.models.getFiles(id);
          if (!files) continue;
          const bytes = serialize(files);
          known = { hash: hashOf(bytes), bytes };
          fileHashes.set(id, known);
        }
        modelFiles[id] = known.hash;
        const k = known;
        blobs.set(known.hash, () => {
          if (k.bytes) return k.bytes;
          throw new Error(`queue: the files of model ${id} were uploaded before and are gone from Redis; read them again`);
        });
      }
      // Bytes read for the upload are not kept: a model's files are 7.5 MB and Redis holds them now.
      // Should Redis lose them, the files are read again (the `forget` path) below.
      try {
        await ensureBlobs(client, blobs);
      } catch (e) {
        if (!(e instanceof Error && e.message.startsWith('queue: the files of model'))) throw e;
        for (const id of Object.keys(modelFiles)) fileHashes.delete(id);
        return this.make();
      } finally {
        for (const k of fileHashes.values()) k.bytes = null;
      }
      return { records, modelFiles };
    },
  };
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
    const need: { t: TableName; id: string; hash: string }[] = [];
    for (const t of TABLES) {
      const want = new Map(m.records[t]);
      for (const key of [...this.held.keys()]) {
        const [kt, id] = splitKey(key);
        if (kt === t && !want.has(id)) {
          await table(this.store, t).delete(id);
          this.held.delete(key);
          if (t === 'models') this.held.delete(filesKey(id));
        }
      }
      for (const [id, hash] of want) if (this.held.get(recordKey(t, id)) !== hash) need.push({ t, id, hash });
    }
    const needFiles = Object.entries(m.modelFiles).filter(([id, h]) => this.held.get(filesKey(id)) !== h);
    const names = new Map<string, string>([...need.map((n) => [n.hash, `${n.t} record ${n.id}`] as const), ...needFiles.map(([id, h]) => [h, `files of model ${id}`] as const)]);
    const blobs = await fetchBlobs(this.client, [...names.keys()], (h) => names.get(h) ?? '?');
    const changedModels = new Set([...need.filter((n) => n.t === 'models').map((n) => n.id), ...needFiles.map(([id]) => id)]);
    for (const n of need) {
      if (n.t === 'models') continue;
      await table(this.store, n.t).put(deserialize(blobs.get(n.hash)!) as { id: string });
      this.held.set(recordKey(n.t, n.id), n.hash);
    }
    const recordHash = new Map(m.records.models);
    for (const id of changedModels) {
      const rh = recordHash.get(id)!;
      const record = deserialize(blobs.get(rh) ?? (await fetchBlobs(this.client, [rh], () => `models record ${id}`)).get(rh)!);
      const fh = m.modelFiles[id];
      if (fh !== undefined && this.held.get(filesKey(id)) === fh) {
        await this.store.models.put(record as never); // the bytes held are the manifest's: `put` keeps them
      } else if (fh !== undefined) {
        const files = deserialize(blobs.get(fh) ?? (await fetchBlobs(this.client, [fh], () => `files of model ${id}`)).get(fh)!) as ModelFiles;
        await this.store.models.putWithFiles(record as never, files);
        this.held.set(filesKey(id), fh);
      } else {
        await this.store.models.put(record as never);
      }
      this.held.set(recordKey('models', id), rh);
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

const recordKey = (t: TableName, id: string) => `${t}\u0000${id}`;
const filesKey = (id: string) => `files\u0000${id}`;
const splitKey = (k: string) => k.split('\u0000') as [string, string];
