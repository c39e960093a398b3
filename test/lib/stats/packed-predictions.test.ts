import { describe, expect, it } from 'vitest';
import { packPredictions, unpackPredictions } from '../../../src/lib/stats/packed-predictions';
import { createRng } from '../../../src/lib/util/rng';

describe('packPredictions', () => {
  it('puts document i in bit i mod 8 of byte i / 8, least significant first, as base64', () => {
    expect(packPredictions([1, 0, 0, 0, 0, 0, 0, 0])).toEqual({ count: 8, bits: 'AQ==' });
    expect(packPredictions([0, 0, 0, 0, 0, 0, 0, 1, 1])).toEqual({ count: 9, bits: 'gAE=' });
    expect(packPredictions([])).toEqual({ count: 0, bits: '' });
    // 1,331 test documents take 167 bytes, 224 base64 characters.
    expect(packPredictions(new Array(1331).fill(1)).bits).toHaveLength(224);
  });

  it('round-trips any length', () => {
    const rng = createRng(4);
    for (const n of [0, 1, 5, 7, 8, 9, 23, 24, 25, 1331]) {
      const p = Array.from({ length: n }, () => (rng.next() < 0.3 ? 1 : 0));
      expect(Array.from(unpackPredictions(packPredictions(p))), `n = ${n}`).toEqual(p);
    }
  });

  it('refuses non-binary predictions and packed data of the wrong size or alphabet', () => {
    expect(() => packPredictions([0, 2])).toThrow(/prediction 1 is 2; expected 0 or 1/);
    expect(() => unpackPredictions({ count: 20, bits: 'AQ==' }, 'run r1')).toThrow(/run r1: 1 bytes for 20 documents, expected 3/);
    expect(() => unpackPredictions({ count: 8, bits: 'A*==' })).toThrow(/not base64/);
    expect(() => unpackPredictions({ count: -1, bits: '' })).toThrow(/count must be an integer ≥ 0/);
  });
});
