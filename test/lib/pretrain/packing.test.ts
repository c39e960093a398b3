import { describe, expect, it } from 'vitest';
import { packSequences } from '../../../src/lib/pretrain/packing';

const CLS = 2;
const SEP = 3;
const pack = (lines: (number[] | null)[], maxLength: number, documentBoundary?: 'separator' | 'flush') =>
  [...packSequences(lines, { maxLength, clsId: CLS, sepId: SEP, documentBoundary })].map((s) => Array.from(s));

describe('packSequences', () => {
  it('packs consecutive sentences into [CLS] … [SEP] sequences of at most maxLength', () => {
    expect(pack([[10, 11], [12, 13, 14], [15, 16, 17, 18]], 8)).toEqual([
      [CLS, 10, 11, 12, 13, 14, SEP],
      [CLS, 15, 16, 17, 18, SEP],
    ]);
  });

  it('puts a [SEP] between documents by default, or starts a new sequence with "flush"', () => {
    const lines = [[10, 11], null, [20], null, [30, 31, 32, 33, 34]];
    expect(pack(lines, 8)).toEqual([
      [CLS, 10, 11, SEP, 20, SEP],
      [CLS, 30, 31, 32, 33, 34, SEP],
    ]);
    expect(pack(lines, 8, 'flush')).toEqual([
      [CLS, 10, 11, SEP],
      [CLS, 20, SEP],
      [CLS, 30, 31, 32, 33, 34, SEP],
    ]);
  });

  it('cuts a sentence longer than a sequence into full pieces and keeps every token in order', () => {
    const long = Array.from({ length: 13 }, (_, i) => 100 + i);
    const out = pack([[10], long, [20]], 6);
    expect(out).toEqual([
      [CLS, 10, SEP],
      [CLS, 100, 101, 102, 103, SEP],
      [CLS, 104, 105, 106, 107, SEP],
      [CLS, 108, 109, 110, 111, SEP],
      [CLS, 112, 20, SEP],
    ]);
    for (const s of out) expect(s.length).toBeLessThanOrEqual(6);
  });

  it('skips empty lines and rejects a maxLength with no room for tokens', () => {
    expect(pack([[], [10], []], 4)).toEqual([[CLS, 10, SEP]]);
    expect(() => pack([[10]], 2)).toThrow(/maxLength must be an integer ≥ 3/);
  });
});
