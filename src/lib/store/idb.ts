/**
 * The browser store: IndexedDB through `idb`. One object store per table (key path `id`) plus
 * `modelFiles` for model bytes, so that listing models never loads weights.
 *
 * Every write runs in its own readwrite transaction and resolves only when the transaction has
 * completed (`tx.done`): tf.io's IndexedDB saving resolves before commit, and a reload right after
 * it can lose the data while the app believes it saved. A failed write aborts its transaction, so
 * a model's metadata and bytes are stored together or not at all.
 */
import { openDB, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { CHECKSUM_SCHEMA_VERSION } from './checksum';
import { CorruptRecordError, StorageFullError, StoreVersionError, isQuotaError, type SpaceInfo } from './errors';
import { recordChecksum } from './record-file';
import type { ModelFiles, ModelRecord } from './records';
import { SCHEMA, TABLE_NAMES, migrationsBetween, type StoreSchema, type TableName } from './schema';
import { approxBytes } from './size';
import type { ModelTable, PersistenceResult, Store, Table } from './store';

const MODEL_FILES = 'modelFiles';

/** The parts of `navigator.storage` we use (injectable for tests and non-window contexts). */
export interface StorageLike {
  estimate?(): Promise<{ usage?: number; quota?: number }>;
  persist?(): Promise<boolean>;
  persisted?(): Promise<boolean>;
}

export interface IdbStoreOptions {
  /** Database name; default "transferscope". */
  name?: string;
  schema?: StoreSchema;
  /** Default: navigator.storage when present. */
  storage?: StorageLike;
}

type Db = IDBPDatabase<unknown>;
type WriteTx = IDBPTransaction<unknown, string[], 'readwrite'>;

interface Ctx {
  db: Db;
  /** Accept records without a checksum (a database opened with a schema before CHECKSUM_SCHEMA_VERSION). */
  legacy: boolean;
  write(what: string, stores: string[], run: (tx: WriteTx) => unknown, size: () => number | undefined): Promise<void>;
}

/**
 * Marks a request's promise as observed. When one request of a transaction fails or we abort it,
 * the other requests' promises reject too; they are still awaited through Promise.all, but one
 * created before a synchronous failure would otherwise be reported as an unhandled rejection.
 */
function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/**
 * Every stored value carries `$sha256`, the checksum of the value without it (record-file.ts
 * `recordChecksum`), added on every write and verified (then removed) on every read.
 */
const CHECKSUM_FIELD = '$sha256';

function seal<T extends object>(value: T): T & { [CHECKSUM_FIELD]: string } {
  const { [CHECKSUM_FIELD]: _old, ...rest } = value as Record<string, unknown>;
  return { ...rest, [CHECKSUM_FIELD]: recordChecksum(rest) } as T & { [CHECKSUM_FIELD]: string };
}

/** The value without its checksum field, unchecked (for upgrades, which re-seal what they write). */
function unsealed(value: unknown): Record<string, unknown> {
  const { [CHECKSUM_FIELD]: _sum, ...rest } = value as Record<string, unknown>;
  return rest;
}

/** The stored value checked against its checksum, without the checksum field. */
function opened<T>(value: unknown, table: string, legacy: boolean): T | undefined {
  if (value === undefined || value === null || typeof value !== 'object') return value as T | undefined;
  const { [CHECKSUM_FIELD]: sum, ...rest } = value as Record<string, unknown>;
  const id = typeof rest.id === 'string' ? rest.id : undefined;
  if (sum === undefined) {
    if (legacy) return rest as T;
    throw new CorruptRecordError({ table, id, file: `IndexedDB object store "${table}"` }, 'no checksum (every record of a schema-3 store has one)');
  }
  if (sum !== recordChecksum(rest)) {
    throw new CorruptRecordError({ table, id, file: `IndexedDB object store "${table}"` }, 'checksum mismatch (the record was changed after it was written)');
  }
  return rest as T;
}

function requireId(table: string, record: { id: unknown }): string {
  if (typeof record?.id !== 'string' || record.id === '') {
    throw new TypeError(`${table}: a record needs a non-empty string id, got ${JSON.stringify(record?.id)}`);
  }
  return record.id;
}

class IdbTable<T extends { id: string }> implements Table<T, string> {
  constructor(protected readonly ctx: Ctx, readonly name: TableName) {}

  /** Stores written together with this table (models also write their bytes). */
  protected stores(): string[] {
    return [this.name];
  }

  protected open(value: unknown): T | undefined {
    return opened<T>(value, this.name, this.ctx.legacy);
  }

  async get(id: string): Promise<T | undefined> {
    return this.open(await this.ctx.db.get(this.name, id));
  }

  async put(record: T): Promise<void> {
    const id = requireId(this.name, record);
    const sealed = seal(record);
    return this.ctx.write(`${this.name} record "${id}"`, [this.name], (tx) => quiet(tx.objectStore(this.name).put(sealed)), () => approxBytes(record));
  }

  async putMany(records: readonly T[]): Promise<void> {
    if (records.length === 0) return;
    records.forEach((r) => requireId(this.name, r));
    const sealed = records.map((r) => seal(r));
    return this.ctx.write(
      `${records.length} ${this.name} records`,
      [this.name],
      (tx) => Promise.all(sealed.map((r) => quiet(tx.objectStore(this.name).put(r)))),
      () => approxBytes(records),
    );
  }

  async delete(id: string): Promise<void> {
    return this.ctx.write(`the deletion of ${this.name} record "${id}"`, this.stores(), (tx) => Promise.all(this.stores().map((s) => quiet(tx.objectStore(s).delete(id)))), () => undefined);
  }

  async list(): Promise<T[]> {
    return (await this.ctx.db.getAll(this.name)).map((v) => this.open(v)!);
  }

  async keys(): Promise<string[]> {
    return (await this.ctx.db.getAllKeys(this.name)) as string[];
  }

  async count(): Promise<number> {
    return this.ctx.db.count(this.name);
  }

  async listBy(index: string, value: string): Promise<T[]> {
    return (await this.ctx.db.getAllFromIndex(this.name, index, value)).map((v) => this.open(v)!);
  }

  async keysBy(index: string, value: string): Promise<string[]> {
    return (await this.ctx.db.getAllKeysFromIndex(this.name, index, value)) as string[];
  }

  async deleteBy(index: string, value: string): Promise<number> {
    let n = 0;
    await this.ctx.write(`the deletion of ${this.name} records with ${index} "${value}"`, this.stores(), async (tx) => {
      const keys = await tx.objectStore(this.name).index(index).getAllKeys(value);
      n = keys.length;
      await Promise.all(keys.flatMap((k) => this.stores().map((s) => quiet(tx.objectStore(s).delete(k)))));
    }, () => undefined);
    return n;
  }

  async update(id: string, fn: (current: T | undefined) => T | undefined): Promise<T | undefined> {
    let result: T | undefined;
    await this.ctx.write(`${this.name} record "${id}"`, [this.name], async (tx) => {
      const store = tx.objectStore(this.name);
      const current = this.open(await store.get(id));
      const next = fn(current);
      result = next ?? current;
      if (next === undefined) return;
      if (next.id !== id) throw new Error(`${this.name}.update("${id}"): the new record has id "${String(next.id)}"`);
      await store.put(seal(next));
    }, () => approxBytes(result));
    return result;
  }
}

class IdbModelTable extends IdbTable<ModelRecord> implements ModelTable {
  protected override stores(): string[] {
    return [this.name, MODEL_FILES];
  }

  async putWithFiles(record: ModelRecord, files: ModelFiles): Promise<void> {
    const id = requireId(this.name, record);
    if (!(files?.safetensors instanceof Uint8Array)) throw new TypeError(`models: putWithFiles("${id}") needs safetensors bytes (a Uint8Array)`);
    const sealedRecord = seal(record);
    const sealedFiles = seal({ id, ...files });
    return this.ctx.write(
      `model "${id}"`,
      this.stores(),
      (tx) => {
        const meta = quiet(tx.objectStore(this.name).put(sealedRecord));
        return Promise.all([meta, quiet(tx.objectStore(MODEL_FILES).put(sealedFiles))]);
      },
      () => approxBytes(record) + approxBytes(files),
    );
  }

  async getFiles(id: string): Promise<ModelFiles | undefined> {
    const v = opened<ModelFiles & { id: string }>(await this.ctx.db.get(MODEL_FILES, id), MODEL_FILES, this.ctx.legacy);
    if (!v) return undefined;
    return v.files ? { safetensors: v.safetensors, files: v.files } : { safetensors: v.safetensors };
  }
}

async function openDatabase(name: string, schema: StoreSchema): Promise<Db> {
  let upgradeError: unknown;
  let fromVersion = 0;
  try {
    const db = await openDB(name, schema.version, {
      upgrade(database, oldVersion, newVersion, tx) {
        fromVersion = oldVersion;
        quiet(tx.done); // a failed upgrade surfaces through openDB
        const wanted: Record<string, readonly string[]> = { ...schema.tables, [MODEL_FILES]: [] };
        for (const [table, indexes] of Object.entries(wanted)) {
          const store = database.objectStoreNames.contains(table) ? tx.objectStore(table) : database.createObjectStore(table, { keyPath: 'id' });
          for (const i of indexes) if (!store.indexNames.contains(i)) store.createIndex(i, i);
          for (const i of [...store.indexNames]) if (!indexes.includes(i)) store.deleteIndex(i);
        }
        // Tables dropped from the schema are kept: deleting data on upgrade is never worth the risk.
        const target = newVersion ?? schema.version;
        const steps = migrationsBetween(schema, oldVersion, target);
        // From the checksum schema on, what an upgrade writes is sealed (model bytes included).
        const sealIfChecked = (r: Record<string, unknown>) => (target >= CHECKSUM_SCHEMA_VERSION ? seal(r) : r);
        const sealModelFiles = oldVersion > 0 && oldVersion < CHECKSUM_SCHEMA_VERSION && target >= CHECKSUM_SCHEMA_VERSION;
        if (steps.length === 0 && !sealModelFiles) return;
        void (async () => {
          try {
            if (sealModelFiles) {
              for (let c = await tx.objectStore(MODEL_FILES).openCursor(); c; c = await c.continue()) await c.update(seal(unsealed(c.value)));
            }
            for (const m of steps) {
              let cursor = await tx.objectStore(m.table).openCursor();
              while (cursor) {
                const before = unsealed(cursor.value);
                const after = sealIfChecked(m.upgrade(before));
                if (after.id === before.id) await cursor.update(after);
                else {
                  // The record moves; if the cursor meets it again under its new id, the
                  // (idempotent) upgrade leaves it where it is.
                  await cursor.delete();
                  await tx.objectStore(m.table).put(after);
                }
                cursor = await cursor.continue();
              }
            }
          } catch (e) {
            upgradeError = e;
            tx.abort();
          }
        })();
      },
      // Another tab wants a newer schema: let it, rather than leaving it blocked forever.
      blocking(_current, _blocked, event) {
        (event.target as IDBDatabase).close();
      },
    });
    return db;
  } catch (e) {
    if (upgradeError !== undefined) {
      const msg = upgradeError instanceof Error ? upgradeError.message : String(upgradeError);
      throw new Error(`IndexedDB "${name}": upgrading the store from schema ${fromVersion} to ${schema.version} failed, nothing was changed: ${msg}`, { cause: upgradeError });
    }
    if ((e as { name?: string })?.name === 'VersionError') {
      const current = await openDB(name);
      const found = current.version;
      current.close();
      throw new StoreVersionError(`IndexedDB "${name}"`, found, schema.version);
    }
    throw e;
  }
}

export async function openIdbStore(options: IdbStoreOptions = {}): Promise<Store> {
  const name = options.name ?? 'transferscope';
  const schema = options.schema ?? SCHEMA;
  const storage: StorageLike | undefined = options.storage ?? (globalThis as { navigator?: { storage?: StorageLike } }).navigator?.storage;
  const db = await openDatabase(name, schema);
  const legacy = schema.version < CHECKSUM_SCHEMA_VERSION;

  const estimate = async (): Promise<SpaceInfo> => {
    try {
      const e = await storage?.estimate?.();
      return { usage: e?.usage, quota: e?.quota };
    } catch {
      return {};
    }
  };

  const ctx: Ctx = {
    db,
    legacy,
    async write(what, stores, run, size) {
      let tx: WriteTx | undefined;
      try {
        tx = db.transaction(stores, 'readwrite');
        const done = tx.done;
        done.catch(() => undefined); // awaited below; this only keeps an early abort from going unhandled
        await run(tx);
        await done;
      } catch (e) {
        try { tx?.abort(); } catch { /* already committed or aborted */ }
        if (isQuotaError(e) || isQuotaError(tx?.error)) throw new StorageFullError(what, size(), await estimate(), e);
        throw e;
      }
    },
  };

  const tables = Object.fromEntries(TABLE_NAMES.map((t) => [t, t === 'models' ? new IdbModelTable(ctx, t) : new IdbTable(ctx, t)]));
  return {
    kind: 'indexeddb',
    location: name,
    schemaVersion: schema.version,
    ...(tables as unknown as Pick<Store, TableName>),
    estimate,
    async requestPersistence(): Promise<PersistenceResult> {
      if (!storage?.persist) return { supported: false, persisted: false };
      try {
        if (storage.persisted && (await storage.persisted())) return { supported: true, persisted: true };
        return { supported: true, persisted: await storage.persist() };
      } catch {
        return { supported: true, persisted: false };
      }
    },
    async close() {
      db.close();
    },
  };
}
