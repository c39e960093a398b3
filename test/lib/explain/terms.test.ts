import { describe, expect, it } from 'vitest';
import { buildTerms } from '../../../src/lib/explain/terms';
import { expected } from './fixture';

describe('buildTerms', () => {
  it('drops [CLS]/[SEP], joins ## pieces to the previous term and sums their scores', () => {
    const tokens = ['[CLS]', 'flood', '##ing', 'near', 'i', '##z', '##mir', '.', '[UNK]', '[SEP]'];
    const scores = [0.9, 0.1, 0.2, -0.3, 0.01, 0.02, 0.04, 0.5, -0.25, 0.7];
    const terms = buildTerms(tokens, scores);
    expect(terms.map((t) => t.term)).toEqual(['flooding', 'near', 'izmir', '.', '[UNK]']);
    expect(terms[0]).toEqual({ term: 'flooding', pieces: ['flood', '##ing'], tokenIndices: [1, 2], score: 0.1 + 0.2 });
    expect(terms[2].pieces).toEqual(['i', '##z', '##mir']);
    expect(terms[2].tokenIndices).toEqual([4, 5, 6]);
    expect(terms[2].score).toBe(0.01 + 0.02 + 0.04);
    expect(terms[4]).toEqual({ term: '[UNK]', pieces: ['[UNK]'], tokenIndices: [8], score: -0.25 });
  });

  it('keeps every occurrence of a repeated word as its own term', () => {
    const terms = buildTerms(['[CLS]', 'the', 'river', 'the', '[SEP]'], [0, 1, 2, 3, 0]);
    expect(terms.map((t) => [t.term, t.score])).toEqual([['the', 1], ['river', 2], ['the', 3]]);
  });

  it('never glues a ## piece across a special token', () => {
    const terms = buildTerms(['[CLS]', '##ing', 'a', '[SEP]', '##s'], [0, 1, 2, 0, 3]);
    expect(terms.map((t) => t.term)).toEqual(['##ing', 'a', '##s']);
  });

  it('rebuilds exactly the fixture terms (pieces, indices) of all 8 sentences', () => {
    for (const s of expected.sentences) {
      const want = s.conductance.gausslegendre_50;
      const terms = buildTerms(s.tokens, want.layer_mean_normalized);
      expect(terms.map((t) => [t.term, t.pieces, t.tokenIndices])).toEqual(want.terms.map((t) => [t.term, t.pieces, t.token_indices]));
      terms.forEach((t, i) => expect(Math.abs(t.score - want.terms[i].score)).toBeLessThan(1e-12));
    }
  });

  it('rejects mismatched lengths', () => {
    expect(() => buildTerms(['[CLS]', 'a'], [1])).toThrow(/2 tokens but 1 scores/);
  });
});
