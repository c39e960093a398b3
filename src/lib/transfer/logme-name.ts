/**
 * The name of the LogME pair feature (You et al. 2021) for an ordered pair (source A, target B): the
 * log maximum evidence, per document, of a Bayesian linear model from source model M_A's [CLS]
 * features on B's training documents to B's labels (`logme-feature.ts`). Higher = A's
 * representation fits B better. Kept beside the other pair-feature names
 * (`search/feature-names.ts` imports the baselines' names the same way).
 */
export const LOGME_FEATURE_NAME = 'logme';
