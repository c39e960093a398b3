import { describe, expect, it } from 'vitest';
import { decodeSequenceFile, encodeSequenceFile } from '../../../src/lib/pretrain/sequence-file';

describe('sequence file', () => {
  it('round-trips sequences, including an empty one and ids up to 65535', () => {
    const seqs = [[2, 10, 11, 3], [], [2, 65535, 3]];
    const bytes = encodeSequenceFile(seqs, 65536, 8);
    expect(bytes.length).toBe(24 + 4 * 4 + 2 * 7);
    const f = decodeSequenceFile(bytes);
    expect(f.count).toBe(3);
    expect(f.vocabSize).toBe(65536);
    expect(f.maxLength).toBe(8);
    expect([0, 1, 2].map((i) => Array.from(f.get(i)))).toEqual(seqs);
  });

  it('decodes from a view into a larger buffer (unaligned offset)', () => {
    const inner = encodeSequenceFile([[5, 6, 7]], 10, 4);
    const outer = new Uint8Array(inner.length + 3);
    outer.set(inner, 3);
    expect(Array.from(decodeSequenceFile(outer.subarray(3)).get(0))).toEqual([5, 6, 7]);
  });

  it('rejects bad input with the reason', () => {
    expect(() => encodeSequenceFile([[1, 2, 3]], 10, 2)).toThrow(/sequence 0 has 3 tokens, more than maxLength 2/);
    expect(() => encodeSequenceFile([[1, 12]], 10, 4)).toThrow(/sequence 0, position 1: id 12 is outside \[0, 10\)/);
    expect(() => encodeSequenceFile([], 70000, 4)).toThrow(/u16/);
    const good = encodeSequenceFile([[1, 2]], 10, 4);
    expect(() => decodeSequenceFile(good.subarray(0, good.length - 1), 'x.seq')).toThrow(/x.seq: .* expected/);
    const bad = good.slice();
    bad[0] = 0x58;
    expect(() => decodeSequenceFile(bad, 'x.seq')).toThrow(/x.seq: starts with "XSSEQ001", expected TSSEQ001/);
  });
});
