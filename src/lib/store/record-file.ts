/**
 * How the folder store writes one record to one file, with a SHA-256 content checksum that every
 * read verifies (checksum.ts). Records without binary data are JSON (readable with any editor):
 *
 *   {"$sha256":"<hex of the record's JSON text>","record":<the record's JSON text>}
 *
 * Records holding typed arrays (attributions, model bytes) use a small container so that binary
 * data is not inflated by base64 and a model's metadata can be read without reading its weights:
 *
 *   "TSR2" | u32 LE header length | SHA-256 of the header (32 bytes) | header JSON (UTF-8) | pad to 8 | blob 0 | pad | blob 1 | …
 *   header = {"record": …, "attachments": …, "blobs": [[offset, length, sha256 hex], …]}  (offsets from blob 0)
 *
 * The header's digest covers the record and the blob table; each blob's digest is checked when
 * that blob is read. Every length and offset is checked against the file's size before anything
 * is allocated, so no byte pattern makes a reader allocate gigabytes or abort.
 *
 * Schema 1–2 files (a bare JSON record; the "TSR1" container without digests) are still read when
 * `legacy` is allowed: while a store is upgraded to schema 3, which rewrites every record.
 *
 * In every form a typed array is written as {"$blob": i, "$type": "Float32Array"} and a non-finite
 * number as {"$num": "NaN"} (JSON has neither).
 */
import { equalBytes, sha256Bytes, sha256Hex } from './checksum';
import { CorruptRecordError } from './errors';

const MAGIC_V1 = [0x54, 0x53, 0x52, 0x31]; // "TSR1": schema 1–2, no digests
const MAGIC = [0x54, 0x53, 0x52, 0x32]; // "TSR2"
/** Fixed part of a TSR2 container: magic, header length, header digest. */
export const CONTAINER_PREFIX_BYTES = 40;
/** A header past this is garbage, not a record (real ones are a few kB; a model's config included). */
export const MAX_HEADER_BYTES = 64 * 1024 * 1024;
const PLAIN_PREFIX = '{"$sha256":"';
const PLAIN_MIDDLE = '","record":';

const TYPED = {
  Float32Array, Float64Array, Int8Array, Int16Array, Int32Array, Uint8Array, Uint16Array, Uint32Array, Uint8ClampedArray,
} as const;
type TypedName = keyof typeof TYPED;
type Typed = InstanceType<(typeof TYPED)[TypedName]>;

function typedName(v: ArrayBufferView): TypedName | undefined {
  for (const name of Object.keys(TYPED) as TypedName[]) if (v instanceof TYPED[name]) return name;
  return undefined;
}

function encodeValue(v: unknown, blobs: Uint8Array[], path: string): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v === undefined) return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? v : { $num: String(v) };
  if (ArrayBuffer.isView(v)) {
    const name = typedName(v);
    if (!name) throw new TypeError(`cannot store a ${v.constructor.name} at ${path}`);
    blobs.push(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    return { $blob: blobs.length - 1, $type: name };
  }
  if (Array.isArray(v)) return v.map((x, i) => encodeValue(x, blobs, `${path}[${i}]`) ?? null);
  if (typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === '$blob' || k === '$num' || k === '$sha256') throw new TypeError(`cannot store a field named "${k}" (reserved) at ${path}`);
      const e = encodeValue(x, blobs, `${path}.${k}`);
      if (e !== undefined) out[k] = e;
    }
    return out;
  }
  throw new TypeError(`cannot store ${typeof v === 'object' ? `a ${(v as object).constructor?.name ?? 'object'}` : `a ${typeof v}`} at ${path}`);
}

export function decodeValue(v: unknown, blob: (i: number) => Uint8Array): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => decodeValue(x, blob));
  const o = v as Record<string, unknown>;
  if (typeof o.$blob === 'number' && typeof o.$type === 'string' && o.$type in TYPED) {
    const bytes = blob(o.$blob);
    const Ctor = TYPED[o.$type as TypedName] as unknown as (new (b: ArrayBuffer) => Typed) & { BYTES_PER_ELEMENT: number };
    if (bytes.byteLength % Ctor.BYTES_PER_ELEMENT !== 0) {
      throw new RangeError(`blob ${o.$blob} has ${bytes.byteLength} bytes, not a whole number of ${o.$type} elements`);
    }
    // Copy into a fresh, aligned buffer: file buffers may sit at any offset.
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    return new Ctor(copy.buffer);
  }
  if (typeof o.$num === 'string' && Object.keys(o).length === 1) return Number(o.$num);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) out[k] = decodeValue(x, blob);
  return out;
}

const pad8 = (n: number) => (8 - (n % 8)) % 8;
const utf8 = new TextEncoder();

/** Encodes a record (and optional attachments, e.g. a model's bytes) into file contents. */
export function encodeRecordFile(record: unknown, attachments?: unknown): Uint8Array {
  const blobs: Uint8Array[] = [];
  const rec = encodeValue(record, blobs, 'record');
  const att = attachments === undefined ? undefined : encodeValue(attachments, blobs, 'attachments');
  if (blobs.length === 0 && att === undefined) {
    const json = JSON.stringify(rec);
    return utf8.encode(`${PLAIN_PREFIX}${sha256Hex(utf8.encode(json))}${PLAIN_MIDDLE}${json}}`);
  }
  const index: [number, number, string][] = [];
  let offset = 0;
  for (const b of blobs) {
    index.push([offset, b.byteLength, sha256Hex(b)]);
    offset += b.byteLength + pad8(b.byteLength);
  }
  const header = utf8.encode(JSON.stringify({ record: rec, attachments: att, blobs: index }));
  const headerEnd = CONTAINER_PREFIX_BYTES + header.byteLength;
  const blobStart = headerEnd + pad8(headerEnd);
  const out = new Uint8Array(blobStart + offset);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(4, header.byteLength, true);
  out.set(sha256Bytes(header), 8);
  out.set(header, CONTAINER_PREFIX_BYTES);
  blobs.forEach((b, i) => out.set(b, blobStart + index[i][0]));
  return out;
}

const hasMagic = (prefix: Uint8Array, magic: number[]) => prefix.length >= 8 && magic.every((b, i) => prefix[i] === b);

/** Whether the first bytes are a container of either version. */
export function isContainer(prefix: Uint8Array): boolean {
  return hasMagic(prefix, MAGIC) || hasMagic(prefix, MAGIC_V1);
}

export interface ContainerLayout {
  /** False for a schema 1–2 ("TSR1") container, which has no digests. */
  checked: boolean;
  headerStart: number;
  headerLength: number;
}

/**
 * Where the header lies, from the first bytes of a container (at least 8; 40 for TSR2), checked
 * against the file's size before anything is allocated.
 */
export function containerLayout(prefix: Uint8Array, fileSize: number, file: string): ContainerLayout {
  const checked = hasMagic(prefix, MAGIC);
  const headerStart = checked ? CONTAINER_PREFIX_BYTES : 8;
  if (fileSize < headerStart || prefix.byteLength < headerStart) throw new CorruptRecordError({ file }, `truncated: ${fileSize} bytes, shorter than the ${headerStart}-byte container prefix`);
  const headerLength = new DataView(prefix.buffer, prefix.byteOffset, 8).getUint32(4, true);
  if (headerLength > MAX_HEADER_BYTES || headerStart + headerLength > fileSize) {
    throw new CorruptRecordError({ file }, `the header length reads ${headerLength} bytes, but the file has ${fileSize} bytes${headerLength > MAX_HEADER_BYTES ? ` (and a header is at most ${MAX_HEADER_BYTES})` : ''}`);
  }
  return { checked, headerStart, headerLength };
}

export interface ContainerHeader {
  record: unknown;
  attachments?: unknown;
  /** [offset from blob 0, length, sha256 hex (absent in TSR1)]. */
  blobs: [number, number, string?][];
  /** File offset of blob 0. */
  blobStart: number;
  checked: boolean;
}

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Parses and checks a container header: `headerBytes` are the header JSON (layout.headerLength
 * bytes), `prefix` the bytes before it. Every blob must lie inside the file.
 */
export function parseContainerHeader(prefix: Uint8Array, headerBytes: Uint8Array, layout: ContainerLayout, fileSize: number, file: string): ContainerHeader {
  if (layout.checked && !equalBytes(sha256Bytes(headerBytes), prefix.subarray(8, CONTAINER_PREFIX_BYTES))) {
    throw new CorruptRecordError({ file }, 'checksum mismatch in the header (the record or its blob table was changed after it was written)');
  }
  let h: { record?: unknown; attachments?: unknown; blobs?: unknown };
  try {
    h = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes)) as typeof h;
  } catch (e) {
    throw new CorruptRecordError({ file }, `the header is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof h !== 'object' || h === null || !Array.isArray(h.blobs)) throw new CorruptRecordError({ file }, 'the header has no blob table');
  const headerEnd = layout.headerStart + layout.headerLength;
  const blobStart = headerEnd + pad8(headerEnd);
  const blobs = h.blobs as unknown[];
  blobs.forEach((b, i) => {
    if (!Array.isArray(b) || !isIndex(b[0]) || !isIndex(b[1]) || (layout.checked && typeof b[2] !== 'string')) {
      throw new CorruptRecordError({ file }, `blob ${i} has a malformed entry ${JSON.stringify(b)}`);
    }
    if (blobStart + b[0] + b[1] > fileSize) throw new CorruptRecordError({ file }, `truncated: blob ${i} ends at byte ${blobStart + b[0] + b[1]}, the file has ${fileSize}`);
  });
  return { record: h.record, attachments: h.attachments, blobs: blobs as ContainerHeader['blobs'], blobStart, checked: layout.checked };
}

/** Blob `i`'s bytes out of `bytesAt` (its range), checked against its digest. */
export function checkedBlob(h: ContainerHeader, i: unknown, bytes: Uint8Array, file: string): Uint8Array {
  const entry = typeof i === 'number' ? h.blobs[i] : undefined;
  if (!entry) throw new CorruptRecordError({ file }, `a value refers to blob ${String(i)}, which the blob table does not have`);
  if (h.checked && sha256Hex(bytes) !== entry[2]) throw new CorruptRecordError({ file }, `checksum mismatch in blob ${String(i)} (${bytes.byteLength} bytes)`);
  return bytes;
}

/** Decodes values, turning a malformed value (a blob of the wrong size…) into a corrupt-record error. */
export function decodeChecked(v: unknown, blob: (i: number) => Uint8Array, file: string): unknown {
  try {
    return decodeValue(v, blob);
  } catch (e) {
    if (e instanceof CorruptRecordError) throw e;
    throw new CorruptRecordError({ file }, e instanceof Error ? e.message : String(e));
  }
}

/** A plain (non-container) file: the checked JSON form, or (legacy) a bare JSON record. */
function decodePlain(bytes: Uint8Array, file: string, legacy: boolean): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CorruptRecordError({ file }, 'not UTF-8 text, and not a record container');
  }
  const noBlobs = () => { throw new CorruptRecordError({ file }, 'a JSON record refers to a blob'); };
  if (text.startsWith(PLAIN_PREFIX) && text.slice(PLAIN_PREFIX.length + 64, PLAIN_PREFIX.length + 64 + PLAIN_MIDDLE.length) === PLAIN_MIDDLE && text.endsWith('}')) {
    const want = text.slice(PLAIN_PREFIX.length, PLAIN_PREFIX.length + 64);
    const json = text.slice(PLAIN_PREFIX.length + 64 + PLAIN_MIDDLE.length, -1);
    if (sha256Hex(utf8.encode(json)) !== want) throw new CorruptRecordError({ file }, 'checksum mismatch (the record was changed after it was written)');
    try {
      return decodeChecked(JSON.parse(json), noBlobs, file);
    } catch (e) {
      if (e instanceof CorruptRecordError) throw e;
      throw new CorruptRecordError({ file }, `not valid JSON (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  if (!legacy) throw new CorruptRecordError({ file }, 'no checksum (every record of a schema-3 store has one): truncated, or changed after it was written');
  try {
    return decodeChecked(JSON.parse(text), noBlobs, file);
  } catch (e) {
    if (e instanceof CorruptRecordError) throw e;
    throw new CorruptRecordError({ file }, `not a readable record file (${e instanceof Error ? e.message : String(e)})`);
  }
}

export interface DecodeOptions {
  /** Accept schema 1–2 files, which have no checksums (only while upgrading a store). */
  legacy?: boolean;
}

/** Decodes whole file contents back into the record and attachments, checking every checksum. */
export function decodeRecordFile(bytes: Uint8Array, file: string, options: DecodeOptions = {}): { record: unknown; attachments?: unknown } {
  if (!isContainer(bytes)) return { record: decodePlain(bytes, file, options.legacy === true) };
  const layout = containerLayout(bytes, bytes.byteLength, file);
  if (!layout.checked && !options.legacy) throw new CorruptRecordError({ file }, 'a container without checksums (schema 1–2) in a schema-3 store');
  const h = parseContainerHeader(bytes, bytes.subarray(layout.headerStart, layout.headerStart + layout.headerLength), layout, bytes.byteLength, file);
  const blob = (i: number) => {
    const entry = h.blobs[i];
    const range = entry ? bytes.subarray(h.blobStart + entry[0], h.blobStart + entry[0] + entry[1]) : new Uint8Array(0);
    return checkedBlob(h, i, range, file);
  };
  return {
    record: decodeChecked(h.record, blob, file),
    attachments: h.attachments === undefined ? undefined : decodeChecked(h.attachments, blob, file),
  };
}

/**
 * The checksum of a record as a value (IndexedDB keeps records as structured clones, not files):
 * SHA-256 of the same JSON text and blob bytes the folder store would write, so it does not depend
 * on how the platform lays the value out.
 */
export function recordChecksum(value: unknown): string {
  const blobs: Uint8Array[] = [];
  const json = JSON.stringify(encodeValue(value, blobs, 'record') ?? null);
  return sha256Hex(utf8.encode(json), ...blobs);
}
