/**
 * BERT's BasicTokenizer, as Hugging Face `tokenizers` runs it for a `BertNormalizer` +
 * `BertPreTokenizer` tokenizer.json (and google-research/bert `tokenization.py` does):
 * 1. clean text: drop U+0000, U+FFFD and control/format characters (category C*, except \t \n \r);
 *    every whitespace character becomes a space;
 * 2. put spaces around CJK ideographs (each becomes its own word);
 * 3. lower-case, and strip accents: NFD, then drop non-spacing marks (category Mn);
 * 4. split on whitespace, and make every punctuation character (Unicode P*, plus all ASCII
 *    symbols such as $ + < = > ^ ` | ~) a word of its own.
 * The vocabulary trainer and the coverage measure use this, so the pieces they count are the pieces
 * the tokenizer will see.
 */

const CONTROL = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/u;
const PUNCT_CLASS = '\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E';
const WORD_OR_PUNCT = new RegExp(`[^\\s${PUNCT_CLASS}]+|[${PUNCT_CLASS}]`, 'gu');
const NON_SPACING_MARK = /\p{Mn}/gu;
// Fast path: pure printable ASCII needs no cleaning, CJK or accent handling.
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export function isChineseChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/** Steps 1–3 (BertNormalizer with clean_text, handle_chinese_chars, lowercase, strip_accents). */
export function bertNormalize(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return text.toLowerCase();
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0 || cp === 0xfffd) continue;
    if (ch === '\t' || ch === '\n' || ch === '\r' || /\s/u.test(ch)) {
      out += ' ';
      continue;
    }
    if (CONTROL.test(ch)) continue;
    out += isChineseChar(cp) ? ` ${ch} ` : ch;
  }
  return out.normalize('NFD').replace(NON_SPACING_MARK, '').toLowerCase();
}

/** Step 4 (BertPreTokenizer) on already normalised text. */
export function bertPreTokenize(normalized: string): string[] {
  return normalized.match(WORD_OR_PUNCT) ?? [];
}

/** The words BERT's tokenizer will look up in the vocabulary. */
export function basicTokenize(text: string): string[] {
  return bertPreTokenize(bertNormalize(text));
}
