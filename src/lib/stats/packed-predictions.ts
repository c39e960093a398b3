/**
 * Per-document predictions of a run, stored compactly so that F1 can be bootstrapped later without
 * the model: one bit per test document (1 = predicted positive), in the test-document order of the
 * experiment's split, as base64 text (fits a JSON record or a CSV cell: 1,331 TREC-IS test tweets
 * take 224 characters). Bit i is bit (i mod 8), least significant first, of byte ⌊i / 8⌋.
 */

export interface PackedPredictions {
  /** Number of documents (the last byte may carry unused zero bits). */
  count: number;
  /** Base64 of the bytes. */
  bits: string;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!, b = bytes[i + 1] ?? 0, c = bytes[i + 2] ?? 0;
    const n = (a << 16) | (b << 8) | c;
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? ALPHABET[n & 63]! : '=';
  }
  return out;
}

function fromBase64(text: string, what: string): Uint8Array {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new Error(`${what}: not base64 text`);
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let k = 0; k < 4; k++) n = (n << 6) | (text[i + k] === '=' ? 0 : ALPHABET.indexOf(text[i + k]!));
    const o = (i / 4) * 3;
    for (let k = 0; k < 3 && o + k < out.length; k++) out[o + k] = (n >> (16 - 8 * k)) & 255;
  }
  return out;
}

export function packPredictions(predictions: ArrayLike<number>): PackedPredictions {
  const bytes = new Uint8Array(Math.ceil(predictions.length / 8));
  for (let i = 0; i < predictions.length; i++) {
    const p = predictions[i];
    if (p !== 0 && p !== 1) throw new Error(`packPredictions: prediction ${i} is ${p}; expected 0 or 1`);
    if (p === 1) bytes[i >> 3]! |= 1 << (i & 7);
  }
  return { count: predictions.length, bits: toBase64(bytes) };
}

export function unpackPredictions(packed: PackedPredictions, what = 'packed predictions'): Uint8Array {
  if (!(Number.isInteger(packed.count) && packed.count >= 0)) throw new Error(`${what}: count must be an integer ≥ 0, got ${packed.count}`);
  const bytes = fromBase64(packed.bits, what);
  if (bytes.length !== Math.ceil(packed.count / 8)) throw new Error(`${what}: ${bytes.length} bytes for ${packed.count} documents, expected ${Math.ceil(packed.count / 8)}`);
  const out = new Uint8Array(packed.count);
  for (let i = 0; i < packed.count; i++) out[i] = (bytes[i >> 3]! >> (i & 7)) & 1;
  return out;
}
