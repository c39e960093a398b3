/**
 * A compact binary file of packed token sequences (the pretraining input, ~80k × ≤128 ids), so the
 * pretraining run loads its data in milliseconds instead of re-tokenising 8M words, and can be
 * resumed with the same sequences in the same order.
 *
 * Layout (little-endian):
 *   0   8 bytes  magic "TSSEQ001"
 *   8   u32      count (number of sequences)
 *   12  u32      vocabSize (ids are < vocabSize ≤ 65536, stored as u16)
 *   16  u32      maxLength
 *   20  u32      reserved (0)
 *   24  u32 × (count+1)  offsets into the token array (sequence i = tokens[offsets[i]..offsets[i+1]))
 *   …   u16 × offsets[count]  tokens
 */
const MAGIC = 'TSSEQ001';
const HEADER_BYTES = 24;

export interface SequenceFile {
  count: number;
  vocabSize: number;
  maxLength: number;
  offsets: Uint32Array;
  tokens: Uint16Array;
  /** Sequence i as a view (no copy). */
  get(i: number): Uint16Array;
}

export function encodeSequenceFile(sequences: readonly ArrayLike<number>[], vocabSize: number, maxLength: number): Uint8Array {
  if (!(vocabSize >= 1 && vocabSize <= 65536)) throw new Error(`vocabSize must be in [1, 65536] to store ids as u16, got ${vocabSize}`);
  let total = 0;
  sequences.forEach((s, i) => {
    if (s.length > maxLength) throw new Error(`sequence ${i} has ${s.length} tokens, more than maxLength ${maxLength}`);
    total += s.length;
  });
  const count = sequences.length;
  const bytes = new Uint8Array(HEADER_BYTES + 4 * (count + 1) + 2 * total);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < MAGIC.length; i++) bytes[i] = MAGIC.charCodeAt(i);
  view.setUint32(8, count, true);
  view.setUint32(12, vocabSize, true);
  view.setUint32(16, maxLength, true);
  view.setUint32(20, 0, true);
  let offset = 0;
  let pos = HEADER_BYTES + 4 * (count + 1);
  for (let i = 0; i < count; i++) {
    view.setUint32(HEADER_BYTES + 4 * i, offset, true);
    const s = sequences[i];
    for (let j = 0; j < s.length; j++) {
      const id = s[j];
      if (!(Number.isInteger(id) && id >= 0 && id < vocabSize)) throw new Error(`sequence ${i}, position ${j}: id ${id} is outside [0, ${vocabSize})`);
      view.setUint16(pos, id, true);
      pos += 2;
    }
    offset += s.length;
  }
  view.setUint32(HEADER_BYTES + 4 * count, offset, true);
  return bytes;
}

export function decodeSequenceFile(bytes: Uint8Array, source = 'sequence file'): SequenceFile {
  if (bytes.length < HEADER_BYTES) throw new Error(`${source}: ${bytes.length} bytes, too short for the ${HEADER_BYTES}-byte header`);
  const magic = String.fromCharCode(...bytes.subarray(0, 8));
  if (magic !== MAGIC) throw new Error(`${source}: starts with ${JSON.stringify(magic)}, expected ${MAGIC}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(8, true);
  const vocabSize = view.getUint32(12, true);
  const maxLength = view.getUint32(16, true);
  const offsetsEnd = HEADER_BYTES + 4 * (count + 1);
  if (bytes.length < offsetsEnd) throw new Error(`${source}: truncated in the offsets (${count} sequences announced)`);
  const offsets = new Uint32Array(count + 1);
  for (let i = 0; i <= count; i++) offsets[i] = view.getUint32(HEADER_BYTES + 4 * i, true);
  const total = offsets[count];
  if (bytes.length !== offsetsEnd + 2 * total) {
    throw new Error(`${source}: ${bytes.length} bytes, expected ${offsetsEnd + 2 * total} for ${count} sequences of ${total} tokens`);
  }
  const tokens = new Uint16Array(total);
  for (let i = 0; i < total; i++) tokens[i] = view.getUint16(offsetsEnd + 2 * i, true);
  for (let i = 0; i < count; i++) {
    if (offsets[i + 1] < offsets[i] || offsets[i + 1] - offsets[i] > maxLength) throw new Error(`${source}: sequence ${i} has bad offsets ${offsets[i]}..${offsets[i + 1]}`);
  }
  return { count, vocabSize, maxLength, offsets, tokens, get: (i) => tokens.subarray(offsets[i], offsets[i + 1]) };
}
