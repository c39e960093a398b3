import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../../src/lib/pretrain/sentences';

describe('splitSentences', () => {
  it('splits on sentence-final punctuation followed by a capital, digit or opening quote', () => {
    expect(splitSentences('Call me Ishmael. Some years ago I sailed! Did I? "Yes," he said. 1790 was a year.')).toEqual([
      'Call me Ishmael.',
      'Some years ago I sailed!',
      'Did I?',
      '"Yes," he said.',
      '1790 was a year.',
    ]);
  });

  it('keeps closing quotes with their sentence', () => {
    expect(splitSentences('He said "stop." Then he left.')).toEqual(['He said "stop."', 'Then he left.']);
  });

  it('does not split after abbreviations, initials, decimals or before lower case', () => {
    expect(splitSentences('Mr. Smith met Dr. Jones in the U.S. Senate. It was 3.5 p.m. today.')).toEqual([
      'Mr. Smith met Dr. Jones in the U.S. Senate.',
      'It was 3.5 p.m. today.',
    ]);
    expect(splitSentences('Speech by J. F. Kennedy. Next.')).toEqual(['Speech by J. F. Kennedy.', 'Next.']);
    expect(splitSentences('Supports e.g. mp3 and ogg. version 2 works.')).toEqual(['Supports e.g. mp3 and ogg. version 2 works.']);
  });

  it('returns nothing for empty text and the whole text when there is no boundary', () => {
    expect(splitSentences('  ')).toEqual([]);
    expect(splitSentences('a fragment without end')).toEqual(['a fragment without end']);
  });
});
