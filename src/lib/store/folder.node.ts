/**
 * The Node store (for the CLI): a folder of files, one file per record.
 *
 *   DIR/store.json              {"format": "transferscope-store", "schemaVersion": 1}
 *   DIR/<table>/<id>.rec        one record (see record-file.ts); a model's bytes are in its file
 *
 * Each write goes to a temporary file in the same folder and is renamed over the record's file:
 * rename is atomic, so a reader, a crash, or a full disk leaves either the old record or the new
 * one. (No fsync: this protects against a killed process, which is what resuming needs, not
 * against power loss.) One process at a time per folder: `listBy` keeps an in-memory index.
 */
import * as nodeFs from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { CHECKSUM_SCHEMA_VERSION } from './checksum';
import { CorruptRecordError, StorageFullError, StoreVersionError, isQuotaError, type SpaceInfo } from './errors';
import {
  checkedBlob, containerLayout, CONTAINER_PREFIX_BYTES, decodeChecked, decodeRecordFile, encodeRecordFile, isContainer, parseContainerHeader, type ContainerHeader,
} from './record-file';
import type { ModelFiles, ModelRecord } from './records';
import { SCHEMA, TABLE_NAMES, migrationsBetween, type StoreSchema, type TableName } from './schema';
import { approxBytes } from './size';
import type { ModelTable, PersistenceResult, Store, Table } from './store';

/** The file operations the store uses: node:fs/promises by default; tests inject failures. */
export interface FolderFs {
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  stat(path: string): Promise<{ size: number; isDirectory(): boolean }>;
  open(path: string, flags: 'r'): Promise<{
    read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
    close(): Promise<void>;
  }>;
  statfs?(path: string): Promise<{ bavail: number; bsize: number }>;
}

export interface FolderStoreOptions {
  schema?: StoreSchema;
  fs?: FolderFs;
}

const STORE_FILE = 'store.json';
const FORMAT = 'transferscope-store';
const EXT = '.rec';

const isMissing = (e: unknown) => (e as { code?: string })?.code === 'ENOENT';

/**
 * Record id → file name, reversibly: [a-z0-9_-] as is, capitals as ^x (so ids differing only in
 * case stay distinct on case-insensitive file systems), every other byte as %XX. Names that would
 * be too long for a file system are cut and end in ~ plus a hash (reading the file gives the id).
 */
export function fileNameOf(id: string): string {
  let s = '';
  for (const ch of id) {
    if (/[a-z0-9_-]/.test(ch)) s += ch;
    else if (/[A-Z]/.test(ch)) s += '^' + ch.toLowerCase();
    else for (const b of new TextEncoder().encode(ch)) s += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  if (s.length > 180) s = s.slice(0, 120) + '~' + createHash('sha256').update(id).digest('hex').slice(0, 32);
  return s + EXT;
}

export function idOfFileName(name: string): string | undefined {
  if (!name.endsWith(EXT) || name.includes('~')) return undefined;
  return decodeURIComponent(name.slice(0, -EXT.length).replace(/\^([a-z])/g, (_, c: string) => c.toUpperCase()));
}

interface Ctx {
  fs: FolderFs;
  dir: string;
  schema: StoreSchema;
  /** Accept records without checksums: a store opened with a schema before CHECKSUM_SCHEMA_VERSION (tests of old versions). */
  legacy: boolean;
  write(path: string, bytes: Uint8Array, what: string): Promise<void>;
}

let tmpCounter = 0;

async function atomicWrite(ctx: Omit<Ctx, 'write' | 'legacy'>, path: string, bytes: Uint8Array, what: string, space: () => Promise<SpaceInfo>): Promise<void> {
  // Worker threads share the PID: the thread id keeps their temporary names apart.
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}-${threadId}-${++tmpCounter}.tmp`);
  try {
    await ctx.fs.writeFile(tmp, bytes);
    await ctx.fs.rename(tmp, path);
  } catch (e) {
    await ctx.fs.unlink(tmp).catch(() => undefined);
    if (isQuotaError(e)) throw new StorageFullError(what, bytes.byteLength, await space(), e);
    throw e;
  }
}

type FileHandle = Awaited<ReturnType<FolderFs['open']>>;

/** Reads exactly `into.byteLength` bytes at `position`, or says the file is truncated. */
async function readFully(fh: FileHandle, into: Uint8Array, position: number, path: string): Promise<void> {
  let done = 0;
  while (done < into.byteLength) {
    const { bytesRead } = await fh.read(into, done, into.byteLength - done, position + done);
    if (bytesRead === 0) throw new CorruptRecordError({ file: path }, `truncated: ${into.byteLength} bytes expected at byte ${position}, the file ends after ${done}`);
    done += bytesRead;
  }
}

/** Whether the process that wrote temporary file `name` (`.<file>.<pid>-<thread>-<n>.tmp`, or the older `.<file>.<pid>-<n>.tmp`) still runs. */
function writerAlive(name: string): boolean {
  const pid = Number(/\.(\d+)-(?:\d+-)?\d+\.tmp$/.exec(name)?.[1]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

/**
 * Opens a record file and reads its container header (only the header, after checking its stated
 * length against the file's size), then hands both to `read`; `header` is null when the file is not
 * a container (a plain JSON record: decode the whole file). Undefined when the file does not exist.
 * `legacy`: accept schema 1–2 files, which have no checksums (only while upgrading).
 */
async function withRecordHeader<R>(
  fs: FolderFs,
  path: string,
  legacy: boolean,
  read: (fh: FileHandle, header: ContainerHeader | null) => Promise<R>,
): Promise<R | undefined> {
  let fh: FileHandle;
  try {
    fh = await fs.open(path, 'r');
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
  try {
    const size = (await fs.stat(path)).size;
    const prefix = new Uint8Array(Math.min(CONTAINER_PREFIX_BYTES, size));
    await readFully(fh, prefix, 0, path);
    if (!isContainer(prefix)) return await read(fh, null);
    const layout = containerLayout(prefix, size, path);
    if (!layout.checked && !legacy) throw new CorruptRecordError({ file: path }, 'a container without checksums (schema 1–2) in a schema-3 store');
    const head = new Uint8Array(layout.headerLength);
    await readFully(fh, head, layout.headerStart, path);
    return await read(fh, parseContainerHeader(prefix, head, layout, size, path));
  } finally {
    await fh.close();
  }
}

/**
 * The record's top-level fields as stored, without decoding blobs (typed arrays stay as
 * references): enough for index fields, and for a container only its header is read.
 */
function readStoredFields(fs: FolderFs, path: string, legacy: boolean): Promise<Record<string, unknown> | undefined> {
  return withRecordHeader(fs, path, legacy, async (_fh, h) => (h ? h.record : decodeRecordFile(await fs.readFile(path), path, { legacy }).record) as Record<string, unknown>);
}

/** Reads a whole record file, or only what is needed for its record (not its attachments); every checksum is verified. */
async function readRecord(fs: FolderFs, path: string, withAttachments: boolean, legacy = false): Promise<{ record: unknown; attachments?: unknown } | undefined> {
  if (withAttachments) {
    try {
      return decodeRecordFile(await fs.readFile(path), path, { legacy });
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
  }
  return withRecordHeader(fs, path, legacy, async (fh, h) => {
    if (!h) return decodeRecordFile(await fs.readFile(path), path, { legacy });
    // The record part rarely holds blobs; when it does, read just those ranges (checked against the file size already).
    const blobs = new Map<number, Uint8Array>();
    const needed: unknown[] = [];
    JSON.stringify(h.record, (k, v) => { if (k === '$blob') needed.push(v); return v; });
    for (const i of needed) {
      const entry = typeof i === 'number' ? h.blobs[i] : undefined;
      const b = new Uint8Array(entry ? entry[1] : 0);
      if (entry) await readFully(fh, b, h.blobStart + entry[0], path);
      blobs.set(i as number, checkedBlob(h, i, b, path));
    }
    return { record: decodeChecked(h.record, (i) => blobs.get(i) ?? checkedBlob(h, i, new Uint8Array(0), path), path) };
  });
}

/** Names the table and the id (from the file name) in a corrupt-record error. */
function placed<R>(table: string, file: string, read: () => Promise<R>): Promise<R> {
  return read().catch((e: unknown) => {
    if (e instanceof CorruptRecordError) throw e.at({ table, id: e.place.id ?? idOfFileName(basename(file)) });
    throw e;
  });
}

class FolderTable<T extends { id: string }> implements Table<T, string> {
  /** id → indexed field values; built on first use, then kept in step with our own writes. */
  private index?: Map<string, Record<string, unknown>>;

  constructor(protected readonly ctx: Ctx, readonly name: TableName) {}

  protected get folder(): string {
    return join(this.ctx.dir, this.name);
  }

  protected pathOf(id: string): string {
    return join(this.folder, fileNameOf(id));
  }

  protected requireId(record: { id: unknown }): string {
    if (typeof record?.id !== 'string' || record.id === '') {
      throw new TypeError(`${this.name}: a record needs a non-empty string id, got ${JSON.stringify(record?.id)}`);
    }
    return record.id;
  }

  /** Models keep their bytes out of `get`/`list`. */
  protected readsAttachments(): boolean {
    return false;
  }

  private indexFields(): readonly string[] {
    return this.ctx.schema.tables[this.name] ?? [];
  }

  private remember(record: T): void {
    if (!this.index) return;
    const values: Record<string, unknown> = {};
    const r = record as unknown as Record<string, unknown>;
    for (const f of this.indexFields()) values[f] = r[f];
    this.index.set(record.id, values);
  }

  protected async readFile(file: string): Promise<T | undefined> {
    const path = join(this.folder, file);
    const got = await placed(this.name, path, () => readRecord(this.ctx.fs, path, this.readsAttachments(), this.ctx.legacy));
    return got?.record as T | undefined;
  }

  async get(id: string): Promise<T | undefined> {
    const r = await this.readFile(fileNameOf(id));
    return r && r.id === id ? r : undefined;
  }

  protected async writeRecord(record: T, attachments: unknown, what: string): Promise<void> {
    await this.ctx.write(this.pathOf(record.id), encodeRecordFile(record, attachments), what);
    this.remember(record);
  }

  async put(record: T): Promise<void> {
    this.requireId(record);
    await this.writeRecord(record, undefined, `${this.name} record "${record.id}"`);
  }

  async putMany(records: readonly T[]): Promise<void> {
    records.forEach((r) => this.requireId(r));
    for (const r of records) await this.put(r);
  }

  async delete(id: string): Promise<void> {
    try {
      await this.ctx.fs.unlink(this.pathOf(id));
    } catch (e) {
      if (!isMissing(e)) throw e;
    }
    this.index?.delete(id);
  }

  private async files(): Promise<string[]> {
    try {
      return (await this.ctx.fs.readdir(this.folder)).filter((n) => n.endsWith(EXT) && !n.startsWith('.'));
    } catch (e) {
      if (isMissing(e)) return [];
      throw e;
    }
  }

  async list(): Promise<T[]> {
    const out: T[] = [];
    for (const f of await this.files()) {
      const r = await this.readFile(f);
      if (r) out.push(r);
    }
    this.index = new Map();
    for (const r of out) this.remember(r);
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async keys(): Promise<string[]> {
    const ids: string[] = [];
    for (const f of await this.files()) {
      const id = idOfFileName(f) ?? (await this.readFile(f))?.id;
      if (id !== undefined) ids.push(id);
    }
    return ids.sort();
  }

  async count(): Promise<number> {
    return (await this.files()).length;
  }

  private async buildIndex(): Promise<Map<string, Record<string, unknown>>> {
    const index = new Map<string, Record<string, unknown>>();
    for (const f of await this.files()) {
      const path = join(this.folder, f);
      const r = await placed(this.name, path, () => readStoredFields(this.ctx.fs, path, this.ctx.legacy));
      if (!r || typeof r.id !== 'string') continue;
      const values: Record<string, unknown> = {};
      for (const field of this.indexFields()) values[field] = r[field];
      index.set(r.id, values);
    }
    return index;
  }

  async keysBy(index: string, value: string): Promise<string[]> {
    if (!this.indexFields().includes(index)) throw new Error(`${this.name} has no index "${index}" (indexes: ${this.indexFields().join(', ') || 'none'})`);
    this.index ??= await this.buildIndex();
    const ids: string[] = [];
    for (const [id, values] of this.index!) if (values[index] === value) ids.push(id);
    return ids.sort();
  }

  async listBy(index: string, value: string): Promise<T[]> {
    const out: T[] = [];
    for (const id of await this.keysBy(index, value)) {
      const r = await this.get(id);
      if (r) out.push(r);
    }
    return out;
  }

  async deleteBy(index: string, value: string): Promise<number> {
    const ids = await this.keysBy(index, value);
    for (const id of ids) await this.delete(id);
    return ids.length;
  }

  async update(id: string, fn: (current: T | undefined) => T | undefined): Promise<T | undefined> {
    const current = await this.get(id);
    const next = fn(current);
    if (next === undefined) return current;
    if (next.id !== id) throw new Error(`${this.name}.update("${id}"): the new record has id "${String(next.id)}"`);
    await this.put(next);
    return next;
  }
}

class FolderModelTable extends FolderTable<ModelRecord> implements ModelTable {
  async putWithFiles(record: ModelRecord, files: ModelFiles): Promise<void> {
    const id = this.requireId(record);
    if (!(files?.safetensors instanceof Uint8Array)) throw new TypeError(`models: putWithFiles("${id}") needs safetensors bytes (a Uint8Array)`);
    await this.writeRecord(record, files, `model "${id}"`);
  }

  override async put(record: ModelRecord): Promise<void> {
    const id = this.requireId(record);
    // Metadata changes keep the stored bytes: rewrite them into the new file.
    const old = await placed(this.name, this.pathOf(id), () => readRecord(this.ctx.fs, this.pathOf(id), true, this.ctx.legacy));
    await this.writeRecord(record, old?.attachments, `model "${id}"`);
  }

  async getFiles(id: string): Promise<ModelFiles | undefined> {
    const got = await placed(this.name, this.pathOf(id), () => readRecord(this.ctx.fs, this.pathOf(id), true, this.ctx.legacy));
    if (!got || (got.record as ModelRecord).id !== id) return undefined;
    return got.attachments as ModelFiles | undefined;
  }
}

async function usageOf(fs: FolderFs, path: string): Promise<number> {
  let total = 0;
  let names: string[];
  try {
    names = await fs.readdir(path);
  } catch {
    return 0;
  }
  for (const n of names) {
    const p = join(path, n);
    try {
      const s = await fs.stat(p);
      total += s.isDirectory() ? await usageOf(fs, p) : s.size;
    } catch { /* vanished meanwhile */ }
  }
  return total;
}

async function readStoreFile(fs: FolderFs, dir: string): Promise<number | undefined> {
  let text: string;
  try {
    text = new TextDecoder().decode(await fs.readFile(join(dir, STORE_FILE)));
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
  let parsed: { format?: unknown; schemaVersion?: unknown };
  try { parsed = JSON.parse(text); } catch { parsed = {}; }
  if (parsed.format !== FORMAT || typeof parsed.schemaVersion !== 'number') {
    throw new Error(`${join(dir, STORE_FILE)} is not a TransferScope store file (expected {"format": "${FORMAT}", "schemaVersion": N})`);
  }
  return parsed.schemaVersion;
}

export async function openFolderStore(dir: string, options: FolderStoreOptions = {}): Promise<Store> {
  const fs = options.fs ?? (nodeFs as unknown as FolderFs);
  const schema = options.schema ?? SCHEMA;
  const base = { fs, dir, schema, legacy: schema.version < CHECKSUM_SCHEMA_VERSION };
  const estimate = async (): Promise<SpaceInfo> => {
    const usage = await usageOf(fs, dir);
    let available: number | undefined;
    try {
      const s = await fs.statfs?.(dir);
      if (s) available = s.bavail * s.bsize;
    } catch { /* not supported here */ }
    return { usage, available };
  };
  const ctx: Ctx = { ...base, write: (path, bytes, what) => atomicWrite(base, path, bytes, what, estimate) };

  await fs.mkdir(dir, { recursive: true });
  const found = await readStoreFile(fs, dir);
  if (found !== undefined && found > schema.version) throw new StoreVersionError(`The store folder ${dir}`, found, schema.version);
  for (const t of Object.keys(schema.tables)) {
    await fs.mkdir(join(dir, t), { recursive: true });
    // Temporary files left by a process killed mid-write: never renamed, so never part of a record.
    // Only a dead writer's: the temp name carries its writer's PID, and a live process may be mid-write.
    for (const n of await fs.readdir(join(dir, t))) if (n.startsWith('.') && n.endsWith('.tmp') && !writerAlive(n)) await fs.unlink(join(dir, t, n)).catch(() => undefined);
  }
  if (found !== undefined && found < schema.version) {
    for (const m of migrationsBetween(schema, found, schema.version)) {
      const folder = join(dir, m.table);
      for (const n of (await fs.readdir(folder)).filter((x) => x.endsWith(EXT) && !x.startsWith('.'))) {
        const got = await placed(m.table, join(folder, n), () => readRecord(fs, join(folder, n), true, true));
        if (!got) continue;
        const record = got.record as Record<string, unknown>;
        const upgraded = m.upgrade(record);
        // A record whose id changes moves: the new file is written before the old one goes, so a
        // crash in between leaves both, and the re-run upgrade (idempotent) finishes the move.
        const moved = upgraded.id !== record.id;
        const path = moved ? join(folder, fileNameOf(String(upgraded.id))) : join(folder, n);
        await ctx.write(path, encodeRecordFile(upgraded, got.attachments), `the schema ${m.version} upgrade of ${m.table}`);
        if (moved) await fs.unlink(join(folder, n));
      }
    }
  }
  if (found !== schema.version) {
    await ctx.write(join(dir, STORE_FILE), new TextEncoder().encode(JSON.stringify({ format: FORMAT, schemaVersion: schema.version }) + '\n'), 'the store description');
  }

  const tables = Object.fromEntries(TABLE_NAMES.map((t) => [t, t === 'models' ? new FolderModelTable(ctx, t) : new FolderTable(ctx, t)]));
  return {
    kind: 'folder',
    location: dir,
    schemaVersion: schema.version,
    ...(tables as unknown as Pick<Store, TableName>),
    estimate,
    async requestPersistence(): Promise<PersistenceResult> {
      return { supported: true, persisted: true };
    },
    async close() { /* nothing is held open between calls */ },
  };
}
