import { describe, expect, it } from 'vitest';
import { BERT_SPECIAL_TOKENS, countWords, trainWordPiece } from '../../../src/lib/pretrain/wordpiece-trainer';

// The classic BPE toy corpus. Worked by hand (ties go to the pair with the smaller ids):
// ##e ##s (9, ties with ##s ##t), ##es ##t (9), l ##o (7, ties with ##o ##w), lo ##w (7),
// n ##e (6, ties ##e ##w, ##w ##est), ##w ##est (6), ne ##west (6), w ##i (3), ##d ##est (3),
// wi ##dest (3), ##e ##r (2, ties low ##e), low ##er (2); then no pair is left.
const TOY = new Map([
  ['low', 5],
  ['lower', 2],
  ['newest', 6],
  ['widest', 3],
]);
const LETTERS = ['d', 'e', 'i', 'l', 'n', 'o', 'r', 's', 't', 'w'];
const EXPECTED_MERGED = ['##es', '##est', 'lo', 'low', 'ne', '##west', 'newest', 'wi', '##dest', 'widest', '##er', 'lower'];

describe('trainWordPiece', () => {
  it('learns the expected vocabulary on a toy corpus', () => {
    const r = trainWordPiece(TOY, { vocabSize: 100 });
    expect(r.vocab).toEqual([...BERT_SPECIAL_TOKENS, ...LETTERS, ...LETTERS.map((c) => '##' + c), ...EXPECTED_MERGED]);
    expect(r.merges[0]).toEqual(['##e', '##s']);
    expect(r.merges.at(-1)).toEqual(['low', '##er']);
    expect(r.alphabetSize).toBe(20);
    expect(r.stoppedBy).toBe('minPairFrequency');
  });

  it('stops at the requested vocabulary size', () => {
    const r = trainWordPiece(TOY, { vocabSize: 30 });
    expect(r.vocab).toHaveLength(30);
    expect(r.vocab.slice(25)).toEqual(EXPECTED_MERGED.slice(0, 5));
    expect(r.stoppedBy).toBe('vocabSize');
  });

  it('does not depend on the order of the word table', () => {
    const reversed = new Map([...TOY.entries()].reverse());
    expect(trainWordPiece(reversed, { vocabSize: 100 }).vocab).toEqual(trainWordPiece(TOY, { vocabSize: 100 }).vocab);
  });

  it('never merges pairs rarer than minPairFrequency', () => {
    const r = trainWordPiece(TOY, { vocabSize: 100, minPairFrequency: 3 });
    expect(r.vocab).not.toContain('##er');
    expect(r.vocab).toContain('widest');
  });

  it('keeps punctuation without a ## form and drops characters rarer than minCharFrequency', () => {
    const counts = countWords('Hello, hello, hello. Zebra');
    expect(counts.get('hello')).toBe(3);
    const r = trainWordPiece(counts, { vocabSize: 60, minCharFrequency: 2 });
    expect(r.vocab).toContain(',');
    expect(r.vocab).not.toContain('##,');
    expect(r.vocab).toContain('##l');
    expect(r.vocab).not.toContain('z'); // seen once
    expect(r.vocab).toContain('hello');
  });

  it('refuses a vocabulary too small for the alphabet', () => {
    expect(() => trainWordPiece(TOY, { vocabSize: 10 })).toThrow(/smaller than the special tokens \+ alphabet/);
  });
});
