/**
 * The text two documents must share to count as duplicates (retweets, copies, the same message with
 * another short link). Exactly, in this order:
 *   1. lowercase;
 *   2. remove URLs: `http://` or `https://` up to the next whitespace;
 *   3. remove `@handles`: `@` followed by letters, digits or `_`;
 *   4. remove a leading `rt`: the word `rt` when only characters outside [0-9a-z] come before it
 *      (`RT @a: x`, `"RT x`); one only, and not the start of a longer word (`rtl` stays);
 *   5. replace every run of characters outside [0-9a-z] by one space;
 *   6. trim.
 * Letters outside a–z (accents, other scripts) fall under step 5, so a text in another script can
 * normalize to the empty string; the split then treats each such document as its own group.
 */

const URL = /https?:\/\/\S*/g;
const HANDLE = /@[a-z0-9_]+/g;
const LEADING_RT = /^[^0-9a-z]*rt(?![0-9a-z])/;
const NON_ALNUM_RUN = /[^0-9a-z]+/g;

export function normalizeText(text: string): string {
  return text
    .toLowerCase()
    .replace(URL, ' ')
    .replace(HANDLE, ' ')
    .replace(LEADING_RT, ' ')
    .replace(NON_ALNUM_RUN, ' ')
    .trim();
}
