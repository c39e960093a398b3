import { describe, expect, it } from 'vitest';
import { basicTokenize, bertNormalize } from '../../../src/lib/pretrain/bert-pre-tokenizer';

describe('BERT basic tokenisation', () => {
  it('lower-cases, strips accents and splits punctuation (ASCII symbols included) into words', () => {
    expect(basicTokenize('Café RÉSUMÉ: naïve $5+3=8, e-mail!')).toEqual(['cafe', 'resume', ':', 'naive', '$', '5', '+', '3', '=', '8', ',', 'e', '-', 'mail', '!']);
  });

  it('removes control characters, turns any whitespace into a space and isolates CJK ideographs', () => {
    expect(bertNormalize('a\u0000b\u200bc\td\u00a0e')).toBe('abc d e');
    expect(basicTokenize('豆腐 tofu中文')).toEqual(['豆', '腐', 'tofu', '中', '文']);
  });

  it('keeps non-CJK scripts and unicode punctuation rules', () => {
    expect(basicTokenize('Привет—мир… «да»')).toEqual(['привет', '—', 'мир', '…', '«', 'да', '»']);
  });
});
