import { describe, expect, it } from 'vitest';
import { wordnetGlosses } from '../../../src/lib/pretrain/wordnet-glosses';

describe('wordnetGlosses', () => {
  it('takes the text after " | " and skips the licence header', () => {
    const raw = [
      '  1 This software and database is being provided to you, the LICENSEE, by  ',
      '  2 Princeton University under the following license. | not a gloss',
      '00001740 03 n 01 entity 0 003 ~ 00001930 n 0000 | that which is perceived or known or inferred to have its own distinct existence (living or nonliving)  ',
      '00002137 03 n 02 abstraction 0 abstract_entity 0 010 @ 00001740 n 0000 | a general concept; "a  quoted example"  ',
      '',
    ].join('\n');
    expect(wordnetGlosses(raw)).toEqual([
      'that which is perceived or known or inferred to have its own distinct existence (living or nonliving)',
      'a general concept; "a quoted example"',
    ]);
  });
});
