import { describe, expect, it } from 'vitest';
import { fitUnigram, scoreUnigram } from '../../../src/lib/pretrain/unigram-baseline';

describe('unigram baseline', () => {
  it('predicts the most frequent non-special token with add-one smoothed probabilities', () => {
    // vocab: 0 [PAD], 1 [CLS], 2 [SEP], 3 "the", 4 "cat", 5 "sat" (never seen)
    const m = fitUnigram([[1, 3, 4, 3, 2], [1, 3, 2, 0]], 6, [0, 1, 2]);
    expect(m.argmax).toBe(3);
    // counts + 1: the 4, cat 2, sat 1 → total 7
    expect(Math.exp(m.logProb[3])).toBeCloseTo(4 / 7);
    expect(Math.exp(m.logProb[5])).toBeCloseTo(1 / 7);
    expect(m.logProb[1]).toBe(-Infinity);
    const s = scoreUnigram(m, [3, 4, 3, 5]);
    expect(s.targets).toBe(4);
    expect(s.accuracy).toBe(0.5);
    expect(s.perplexity).toBeCloseTo(Math.exp(-(2 * Math.log(4 / 7) + Math.log(2 / 7) + Math.log(1 / 7)) / 4));
  });
});
