import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { measureCoverage, WordPieceEncoder } from '../../../src/lib/pretrain/wordpiece-encoder';

const ROOT = join(import.meta.dirname, '../../..');
const fixtureVocab = readFileSync(join(ROOT, 'models/fixture-tiny/vocab.txt'), 'utf8').split('\n').slice(0, -1);
const expected = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/pretrain/fixture-tokenization.json'), 'utf8')) as {
  sentences: { text: string; tokens: string[]; input_ids: number[] }[];
};

describe('WordPieceEncoder', () => {
  it('gives the ids of google-research/bert tokenization.py on the fixture sentences', () => {
    const enc = new WordPieceEncoder(fixtureVocab);
    for (const s of expected.sentences) {
      expect(enc.encode(s.text), s.text).toEqual(s.input_ids.slice(1, -1));
      expect(enc.tokens(s.text)).toEqual(s.tokens.slice(1, -1));
    }
  });

  it('makes a word with an unknown character one [UNK], and measures coverage', () => {
    const enc = new WordPieceEncoder(['[PAD]', '[UNK]', 'a', 'b', '##b', 'ab']);
    expect(enc.encode('ab abb ac')).toEqual([5, 5, 4, 1]);
    const cov = measureCoverage(enc, ['ab abb', 'ac']);
    expect(cov.words).toBe(3);
    expect(cov.unkWordRate).toBeCloseTo(1 / 3);
    expect(cov.piecesPerWord).toBeCloseTo(4 / 3);
    expect(cov.wholeWordRate).toBeCloseTo(1 / 3);
  });

  it('requires an unknown token', () => {
    expect(() => new WordPieceEncoder(['a'])).toThrow(/no unknown token/);
  });
});
