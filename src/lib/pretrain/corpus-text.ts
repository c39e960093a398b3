/**
 * Small text helpers shared by the corpus builder: line normalisation, word counts, and the key used
 * to recognise the same sentence in two places (to keep the demo test split out of pretraining).
 */

/** Collapse whitespace (including the NBSP and line/paragraph separators) to single spaces. */
export function normalizeLine(s: string): string {
  return s.replace(/[\s\u00a0\u2028\u2029]+/g, ' ').trim();
}

export function wordCount(s: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const space = s.charCodeAt(i) <= 32;
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}

/** Case, punctuation and spacing ignored: "Foo, the BAR." and "foo the bar" are the same sentence. */
export function sentenceKey(s: string): string {
  return s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** Splits a line of more than `maxWords` words into chunks of `maxWords` (the last may be shorter):
 *  run-on lists and tables have no sentence ends, and the packer works best with short lines. */
export function chunkWords(line: string, maxWords: number): string[] {
  const words = line.split(' ');
  if (words.length <= maxWords) return [line];
  const out: string[] = [];
  for (let i = 0; i < words.length; i += maxWords) out.push(words.slice(i, i + maxWords).join(' '));
  return out;
}
