/**
 * Record files as schema 1–2 wrote them (before checksums): a bare JSON record, or the "TSR1"
 * container (magic, u32 header length, header JSON, padding, blobs; no digests). Used to build
 * old stores in tests and check that they still open.
 */
const TYPED_NAMES = ['Float32Array', 'Float64Array', 'Int8Array', 'Int16Array', 'Int32Array', 'Uint8Array', 'Uint16Array', 'Uint32Array', 'Uint8ClampedArray'];

function encode(v: unknown, blobs: Uint8Array[]): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : { $num: String(v) };
  if (ArrayBuffer.isView(v)) {
    blobs.push(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    const name = TYPED_NAMES.find((n) => v.constructor.name === n)!;
    return { $blob: blobs.length - 1, $type: name };
  }
  if (Array.isArray(v)) return v.map((x) => encode(x, blobs));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, encode(x, blobs)]));
  return v;
}

const pad8 = (n: number) => (8 - (n % 8)) % 8;

export function legacyRecordFile(record: unknown, attachments?: unknown): Uint8Array {
  const blobs: Uint8Array[] = [];
  const rec = encode(record, blobs);
  const att = attachments === undefined ? undefined : encode(attachments, blobs);
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
  out.set([0x54, 0x53, 0x52, 0x31], 0);
  new DataView(out.buffer).setUint32(4, header.byteLength, true);
  out.set(header, 8);
  blobs.forEach((b, i) => out.set(b, blobStart + index[i][0]));
  return out;
}
