/**
 * Terms: whole words rebuilt from WordPiece pieces, the unit ANSAT compares between models.
 * [CLS] and [SEP] are dropped; a piece starting with `##` is appended (without `##`) to the
 * previous term; any other piece (a word, a punctuation mark, [UNK]) starts a new term. A term's
 * score is the sum of its pieces' scores (the layer-mean normalised conductance).
 */

export interface Term {
  term: string;
  pieces: string[];
  /** Positions of the pieces in the token sequence (with [CLS] at 0). */
  tokenIndices: number[];
  score: number;
}

const DROPPED = new Set(['[CLS]', '[SEP]']);
const CONTINUATION = '##';

export function buildTerms(tokens: readonly string[], scores: readonly number[]): Term[] {
  if (tokens.length !== scores.length) {
    throw new Error(`buildTerms: ${tokens.length} tokens but ${scores.length} scores`);
  }
  const terms: Term[] = [];
  // A continuation right after [CLS]/[SEP] (only in odd, truncated input) has no word to join,
  // so it starts a term of its own rather than gluing onto a word across the special token.
  let last: Term | undefined;
  tokens.forEach((piece, t) => {
    if (DROPPED.has(piece)) {
      last = undefined;
      return;
    }
    if (piece.startsWith(CONTINUATION) && last) {
      last.term += piece.slice(CONTINUATION.length);
      last.pieces.push(piece);
      last.tokenIndices.push(t);
      last.score += scores[t];
    } else {
      last = { term: piece, pieces: [piece], tokenIndices: [t], score: scores[t] };
      terms.push(last);
    }
  });
  return terms;
}
