/**
 * The safetensors format, read and written by hand: an 8-byte little-endian header length N, N bytes
 * of JSON `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}`, then the raw
 * little-endian tensor data (offsets relative to the end of the header).
 * Every malformed case gets its own error `kind`, so callers and tests can tell them apart.
 */

export type SafetensorsErrorKind =
  | 'truncated'
  | 'header-length'
  | 'header-json'
  | 'entry'
  | 'dtype'
  | 'size'
  | 'offsets'
  | 'overlap'
  | 'missing-tensor'
  | 'shape'
  | 'non-finite';

export class SafetensorsError extends Error {
  constructor(readonly kind: SafetensorsErrorKind, message: string) {
    super(message);
  }
}

const DTYPE_BYTES: Record<string, number> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1,
  F8_E4M3: 1, F8_E5M2: 1,
};

/** Header length limit: real BERT headers are a few tens of kB; this rejects garbage early. */
export const MAX_HEADER_BYTES = 100_000_000;

export interface TensorEntry {
  name: string;
  dtype: string;
  shape: number[];
  /** Byte offsets relative to the start of the data section. */
  begin: number;
  end: number;
}

export interface SafetensorsFile {
  source: string;
  bytes: Uint8Array;
  /** Absolute offset of the data section in `bytes`. */
  dataStart: number;
  tensors: Map<string, TensorEntry>;
  metadata: Record<string, string> | undefined;
}

function isNonNegInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Parses and validates the header; tensor data is read lazily by `readFloat32`. */
export function parseSafetensors(bytes: Uint8Array, source = 'model.safetensors'): SafetensorsFile {
  if (bytes.length < 8) {
    throw new SafetensorsError('truncated', `${source}: truncated: ${bytes.length} bytes, need at least 8 for the header length`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = Number(view.getBigUint64(0, true));
  if (headerLen < 2 || headerLen > MAX_HEADER_BYTES || headerLen > bytes.length - 8) {
    throw new SafetensorsError(
      'header-length',
      `${source}: bad header length ${headerLen} (file has ${bytes.length} bytes; the header must fit in the file and be at most ${MAX_HEADER_BYTES} bytes)`,
    );
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen)));
  } catch (err) {
    throw new SafetensorsError('header-json', `${source}: header is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new SafetensorsError('header-json', `${source}: header JSON must be an object`);
  }
  const dataStart = 8 + headerLen;
  const dataLength = bytes.length - dataStart;
  const tensors = new Map<string, TensorEntry>();
  let metadata: Record<string, string> | undefined;
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = value as Record<string, string>;
      continue;
    }
    const e = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
    if (!e || typeof e !== 'object' || typeof e.dtype !== 'string' || !Array.isArray(e.shape) || !Array.isArray(e.data_offsets)) {
      throw new SafetensorsError('entry', `${source}: tensor "${name}": header entry needs dtype (string), shape (array) and data_offsets (array)`);
    }
    const shape = e.shape as unknown[];
    const offsets = e.data_offsets as unknown[];
    if (!shape.every(isNonNegInt)) throw new SafetensorsError('entry', `${source}: tensor "${name}": shape ${JSON.stringify(shape)} must hold non-negative integers`);
    if (offsets.length !== 2 || !offsets.every(isNonNegInt)) {
      throw new SafetensorsError('entry', `${source}: tensor "${name}": data_offsets ${JSON.stringify(offsets)} must be two non-negative integers`);
    }
    const width = DTYPE_BYTES[e.dtype];
    if (width === undefined) {
      throw new SafetensorsError('dtype', `${source}: tensor "${name}" has unknown dtype "${e.dtype}"`);
    }
    const [begin, end] = offsets as number[];
    if (begin > end || end > dataLength) {
      throw new SafetensorsError(
        'offsets',
        `${source}: tensor "${name}": data_offsets [${begin}, ${end}] lie past the end of the data section (${dataLength} bytes)${end > dataLength ? '; the file is probably truncated' : ''}`,
      );
    }
    const expected = (shape as number[]).reduce((a, b) => a * b, 1) * width;
    if (expected !== end - begin) {
      throw new SafetensorsError(
        'size',
        `${source}: tensor "${name}": shape [${shape.join(', ')}] × ${e.dtype} (${width} bytes) = ${expected} bytes, but data_offsets span ${end - begin} bytes`,
      );
    }
    tensors.set(name, { name, dtype: e.dtype, shape: shape as number[], begin, end });
  }
  const byStart = [...tensors.values()].filter((t) => t.end > t.begin).sort((a, b) => a.begin - b.begin);
  for (let i = 1; i < byStart.length; i++) {
    if (byStart[i].begin < byStart[i - 1].end) {
      throw new SafetensorsError('overlap', `${source}: tensors "${byStart[i - 1].name}" and "${byStart[i].name}" overlap in the data section`);
    }
  }
  return { source, bytes, dataStart, tensors, metadata };
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Reads one tensor as float32. F32 is copied as is; F16 and BF16 (common in hub checkpoints) are
 * widened exactly. Any other dtype is an error: BERT weights are floating point.
 */
export function readFloat32(file: SafetensorsFile, name: string, expectedShape?: readonly number[]): Float32Array {
  const t = file.tensors.get(name);
  if (!t) throw new SafetensorsError('missing-tensor', `${file.source}: tensor "${name}" is missing`);
  if (expectedShape && (expectedShape.length !== t.shape.length || expectedShape.some((d, i) => d !== t.shape[i]))) {
    throw new SafetensorsError('shape', `${file.source}: tensor "${name}" has shape [${t.shape.join(', ')}], expected [${expectedShape.join(', ')}]`);
  }
  const start = file.dataStart + t.begin;
  const raw = file.bytes.subarray(start, file.dataStart + t.end);
  if (!LITTLE_ENDIAN) throw new Error('safetensors: big-endian hosts are not supported');
  switch (t.dtype) {
    case 'F32':
      // slice() copies into a fresh, 4-byte-aligned buffer (the data section need not be aligned).
      return new Float32Array(raw.slice().buffer);
    case 'F16': {
      const halves = new Uint16Array(raw.slice().buffer);
      const out = new Float32Array(halves.length);
      for (let i = 0; i < halves.length; i++) out[i] = halfToFloat(halves[i]);
      return out;
    }
    case 'BF16': {
      const halves = new Uint16Array(raw.slice().buffer);
      const words = new Uint32Array(halves.length);
      for (let i = 0; i < halves.length; i++) words[i] = halves[i] << 16;
      return new Float32Array(words.buffer);
    }
    default:
      throw new SafetensorsError('dtype', `${file.source}: tensor "${name}" has dtype ${t.dtype}; weights must be F32 (F16 and BF16 are converted)`);
  }
}

export interface NamedFloat32 {
  name: string;
  shape: readonly number[];
  data: Float32Array;
}

/**
 * Writes F32 tensors in the layout of `transformers`' files: names sorted, data in that order,
 * `__metadata__` {"format": "pt"} last, header padded with spaces to a multiple of 8 bytes.
 */
export function serializeSafetensors(tensors: readonly NamedFloat32[], metadata: Record<string, string> = { format: 'pt' }): Uint8Array {
  const sorted = [...tensors].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const t of sorted) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length) throw new Error(`safetensors: tensor "${t.name}" has ${t.data.length} values but shape [${t.shape.join(', ')}]`);
    if (t.name === '__metadata__' || t.name in header) throw new Error(`safetensors: duplicate or reserved tensor name "${t.name}"`);
    header[t.name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + n * 4] };
    offset += n * 4;
  }
  header.__metadata__ = metadata;
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let pos = 8 + json.length;
  for (const t of sorted) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), pos);
    pos += t.data.byteLength;
  }
  return out;
}
