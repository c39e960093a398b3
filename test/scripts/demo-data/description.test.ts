import { describe, expect, it } from 'vitest';
import { cleanDescription, truncateWords } from '../../../scripts/demo-data/description';

describe('cleanDescription', () => {
  it('drops paragraph dots, keeps verbatim lines as words and collapses whitespace', () => {
    const d = cleanDescription(
      'Real-time strategy game of ancient warfare\n0 A.D. is a free,   open-source\ngame.\n.\nFeatures:\n  * fast\n  * free\n.\nEnd.',
    );
    expect(d.short).toBe('Real-time strategy game of ancient warfare');
    expect(d.long).toBe('0 A.D. is a free, open-source game. Features: * fast * free End.');
    expect(d.text).toBe('Real-time strategy game of ancient warfare. 0 A.D. is a free, open-source game. Features: * fast * free End.');
    expect(d.firstParagraph).toBe('0 a.d. is a free, open-source game.');
  });

  it('does not add a full stop after a synopsis that already ends a sentence, and handles an empty body', () => {
    expect(cleanDescription('Is this a question?\nYes.').text).toBe('Is this a question? Yes.');
    const d = cleanDescription('Only a synopsis');
    expect(d.text).toBe('Only a synopsis.');
    expect(d.long).toBe('');
    expect(d.firstParagraph).toBe('');
  });
});

describe('truncateWords', () => {
  it('keeps at most n words', () => {
    expect(truncateWords('a b c d', 2)).toBe('a b');
    expect(truncateWords('a b', 5)).toBe('a b');
  });
});
