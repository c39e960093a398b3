/**
 * Rule-based English sentence splitting for the pretraining corpus (one sentence per line, so that
 * the packer can fill 128-token sequences with whole consecutive sentences, as BERT's
 * create_pretraining_data does). Good enough for edited prose (speeches, novels, package
 * descriptions); it errs on the side of NOT splitting, since a missed split only makes a line longer.
 */

/** Words that end with a full stop without ending a sentence (lower-case, without the stop). */
const ABBREVIATIONS = new Set(
  (
    'mr mrs ms messrs dr st jr sr gen col capt lt sgt maj adm cmdr gov sen rep pres hon rev prof ' +
    'vs etc e.g i.e cf al viz approx dept est fig figs no nos vol vols ed eds p pp ch sec art inc ltd co corp bros ' +
    'jan feb mar apr jun jul aug sep sept oct nov dec mt ft u.s u.s.a u.k a.m p.m d.c b.c a.d ca'
  ).split(' '),
);

/** Sentence end: terminal punctuation, optional closing quotes/brackets, then whitespace. */
const BOUNDARY = /([.!?]+)(["'”’)\]]*)(\s+)/g;
/** What a new sentence starts with: an upper-case letter or digit, possibly after an opening quote or bracket. */
const STARTS_SENTENCE = /^["'“‘(\[]*[\p{Lu}\p{Nd}]/u;

export function splitSentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  BOUNDARY.lastIndex = 0;
  for (let m = BOUNDARY.exec(text); m; m = BOUNDARY.exec(text)) {
    const end = m.index + m[1].length + m[2].length;
    const next = m.index + m[0].length;
    if (!STARTS_SENTENCE.test(text.slice(next, next + 4))) continue;
    if (m[1] === '.' && m[2] === '' && isAbbreviation(text, m.index)) continue;
    const sentence = text.slice(start, end).trim();
    if (sentence) out.push(sentence);
    start = next;
  }
  const rest = text.slice(start).trim();
  if (rest) out.push(rest);
  return out;
}

/** Is the word ending at `dot` (exclusive) an abbreviation or an initial ("J. F. Kennedy")? */
function isAbbreviation(text: string, dot: number): boolean {
  let i = dot;
  while (i > 0 && !/\s/.test(text[i - 1])) i--;
  const word = text.slice(i, dot).replace(/^["'“‘(\[]+/, '').toLowerCase();
  if (word.length === 1 && /\p{L}/u.test(word)) return true;
  return ABBREVIATIONS.has(word);
}
