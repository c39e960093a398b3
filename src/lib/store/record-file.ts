/**
 * How the folder store writes one record to one file. Records without binary data are plain JSON
 * (readable with any editor). Records holding typed arrays (attributions, model bytes) use a small
 * container so that binary data is not inflated by base64 and a model's metadata can be read
 * without reading its weights:
 *
 *   "TSR1" | u32 LE header length | header JSON (UTF-8) | padding to 8 | blob 0 | pad | blob 1 | …
 *   header = {"record": …, "attachments": …, "blobs": [[offset, length], …]}  (offsets from blob 0)
 *
 * In both forms a typed array is written as {"$blob": i, "$type": "Float32Array"} and a non-finite
 * number as {"$num": "NaN"} (JSON has neither).
 */

const MAGIC = [0x54, 0x53, 0x52, 0x31]; // "TSR1"

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
      if (k === '$blob' || k === '$num') throw new TypeError(`cannot store a field named "${k}" (reserved) at ${path}`);
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
    // Copy into a fresh, aligned buffer: file buffers may sit at any offset.
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    const Ctor = TYPED[o.$type as TypedName] as unknown as new (b: ArrayBuffer) => Typed;
    return new Ctor(copy.buffer);
  }
  if (typeof o.$num === 'string' && Object.keys(o).length === 1) return Number(o.$num);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) out[k] = decodeValue(x, blob);
  return out;
}

const pad8 = (n: number) => (8 - (n % 8)) % 8;

/** Encodes a record (and optional attachments, e.g. a model's bytes) into file contents. */
export function encodeRecordFile(record: unknown, attachments?: unknown): Uint8Array {
  const blobs: Uint8Array[] = [];
  const rec = encodeValue(record, blobs, 'record');
  const att = attachments === undefined ? undefined : encodeValue(attachments, blobs, 'attachments');
  if (blobs.length === 0 && att === undefined) return new TextEncoder().encode(JSON.stringify(rec));
  const index: [number, number][] = [];
  let offset = 0;
  for (const b of blobs) {
    index.push([offset, b.byteLength]);
    offset += b.byteLength + pad8(b.byteLength);
  }
  const header = new TextEncoder().encode(JSON.stringify({ record: rec, attachments: att, blobs: index }));
  const blobStart = 8 + header.byteLength + pad8(8 + header.byteLength);
  const out = new Uint8Array(blobStart + offset);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(4, header.byteLength, true);
  out.set(header, 8);
  blobs.forEach((b, i) => out.set(b, blobStart + index[i][0]));
  return out;
}

export function isContainer(prefix: Uint8Array): boolean {
  return prefix.length >= 8 && MAGIC.every((b, i) => prefix[i] === b);
}

/** The header length stated in the first 8 bytes of a container. */
export function containerHeaderLength(prefix: Uint8Array): number {
  return new DataView(prefix.buffer, prefix.byteOffset, 8).getUint32(4, true);
}

export interface ContainerHeader {
  record: unknown;
  attachments?: unknown;
  blobs: [number, number][];
  /** File offset of blob 0. */
  blobStart: number;
}

/** Parses the header from the first 8 + header-length bytes of a container. */
export function parseContainerHeader(bytes: Uint8Array, file: string): ContainerHeader {
  const len = containerHeaderLength(bytes);
  if (bytes.byteLength < 8 + len) throw new Error(`${file}: truncated record file (header of ${len} bytes, file has ${bytes.byteLength})`);
  const h = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + len))) as Omit<ContainerHeader, 'blobStart'>;
  return { ...h, blobStart: 8 + len + pad8(8 + len) };
}

/** Decodes whole file contents back into the record and attachments. */
export function decodeRecordFile(bytes: Uint8Array, file: string): { record: unknown; attachments?: unknown } {
  if (!isContainer(bytes)) {
    try {
      return { record: decodeValue(JSON.parse(new TextDecoder().decode(bytes)), () => { throw new Error('no blobs'); }) };
    } catch (e) {
      throw new Error(`${file}: not a readable record file (${e instanceof Error ? e.message : String(e)})`, { cause: e });
    }
  }
  const h = parseContainerHeader(bytes, file);
  const blob = (i: number) => {
    const [o, n] = h.blobs[i];
    if (h.blobStart + o + n > bytes.byteLength) throw new Error(`${file}: truncated record file (blob ${i})`);
    return bytes.subarray(h.blobStart + o, h.blobStart + o + n);
  };
  return { record: decodeValue(h.record, blob), attachments: h.attachments === undefined ? undefined : decodeValue(h.attachments, blob) };
}
