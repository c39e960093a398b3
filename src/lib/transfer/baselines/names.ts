/**
 * Names of the cheap transferability baselines, for an ordered pair (source A, target B).
 * Every value is computed from the labelled data alone (no model), from the TRAIN split.
 *
 * - `baseline_label_jaccard`: |P_A ∩ P_B| / |P_A ∪ P_B|, P_X = set of train documents positive for X
 *   (symmetric). 0 when both are empty.
 * - `baseline_p_target_given_source`: P(B | A) = |P_A ∩ P_B| / |P_A| (asymmetric). 0 when P_A is empty.
 * - `baseline_vocab_jaccard`: Jaccard of the word sets V_A, V_B, where V_X is the set of words
 *   (see `tokenize.ts`) of the positive train documents of X. 0 when both are empty.
 * - `baseline_tfidf_cosine`: cosine similarity between the centroids of the L2-normalised TF-IDF
 *   vectors of A's and B's positive train documents (see `tfidf-centroids.ts`). 0 when a centroid is 0.
 */
export const BASELINE_LABEL_JACCARD = 'baseline_label_jaccard';
export const BASELINE_P_TARGET_GIVEN_SOURCE = 'baseline_p_target_given_source';
export const BASELINE_VOCAB_JACCARD = 'baseline_vocab_jaccard';
export const BASELINE_TFIDF_COSINE = 'baseline_tfidf_cosine';

export const BASELINE_FEATURE_NAMES: readonly string[] = [
  BASELINE_LABEL_JACCARD,
  BASELINE_P_TARGET_GIVEN_SOURCE,
  BASELINE_VOCAB_JACCARD,
  BASELINE_TFIDF_COSINE,
];
