import { describe, expect, it } from 'vitest';
import { chunkWords, normalizeLine, sentenceKey, wordCount } from '../../../src/lib/pretrain/corpus-text';

describe('corpus text helpers', () => {
  it('normalises whitespace, counts words and chunks long lines', () => {
    expect(normalizeLine(' a\u00a0 b\t\nc ')).toBe('a b c');
    expect(wordCount('  one two\tthree ')).toBe(3);
    expect(wordCount('')).toBe(0);
    expect(chunkWords('a b c d e', 2)).toEqual(['a b', 'c d', 'e']);
    expect(chunkWords('a b', 2)).toEqual(['a b']);
  });

  it('treats sentences differing only in case, punctuation and spacing as the same', () => {
    expect(sentenceKey('Foo, the  BAR.')).toBe(sentenceKey('foo the bar'));
    expect(sentenceKey('Foo bar')).not.toBe(sentenceKey('Foo baz'));
  });
});
