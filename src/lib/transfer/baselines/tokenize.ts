/**
 * The baselines' tokeniser: lower-case the text, then take every maximal run of Unicode letters and
 * digits, `/[\p{L}\p{N}]+/gu`. Everything else separates words: "Don't" → ["don", "t"],
 * "#Flood2020!" → ["flood2020"], "http://t.co/x1" → ["http", "t", "co", "x1"]. Deliberately simple and
 * model-free (not the BERT WordPiece tokeniser) so that the baselines cost nothing and mean the same in
 * every deployment. Combining marks (\p{M}) are separators too, so decomposed accents split a word;
 * the text is NFC-normalised first to keep precomposed letters whole.
 */
const WORD = /[\p{L}\p{N}]+/gu;

export function tokenize(text: string): string[] {
  return text.normalize('NFC').toLowerCase().match(WORD) ?? [];
}
