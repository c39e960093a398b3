import { describe, expect, it } from 'vitest';
import { descriptionLines } from '../../../src/lib/pretrain/debian-description';

describe('descriptionLines', () => {
  it('gives the synopsis, then sentences per paragraph and one line per list item', () => {
    const desc = [
      'Real-time strategy game of ancient warfare',
      '0 A.D. is a free game. It is historically based.',
      '.',
      'Features:',
      ' * fast rendering',
      ' * free as in freedom',
      '- dash item',
      '.',
      '  verbatim line one',
      '  verbatim line two',
    ].join('\n');
    expect(descriptionLines(desc)).toEqual([
      'Real-time strategy game of ancient warfare',
      '0 A.D. is a free game.',
      'It is historically based.',
      'Features:',
      'fast rendering',
      'free as in freedom',
      'dash item',
      'verbatim line one',
      'verbatim line two',
    ]);
  });
});
