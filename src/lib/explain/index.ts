/** Layer conductance of every layer in one pass, token scores, terms and the attribution cache. */
export { CONDUCTANCE_METHODS, gaussLegendreNodes, interpolationAlphas, isConductanceMethod, type ConductanceMethod } from './interpolation';
export { conductanceBaseline, type SpecialTokenIds } from './baseline';
export { PlainBertForward, type AttributionForward } from './attributionForward';
export { FrozenBert } from './frozenForward';
export {
  activationFloatsPerPoint,
  DEFAULT_METHOD,
  DEFAULT_N_STEPS,
  DEFAULT_TARGET,
  defaultInternalBatchSize,
  layerConductance,
  type ConductanceOptions,
  type LayerConductanceResult,
} from './layerConductance';
export { l2Norm, layerMean, normalizeTokenSums } from './tokenScores';
export { buildTerms, type Term } from './terms';
export { attributeDocument, docAttributionFromSums, type ConductanceSums, type DocAttribution, type DocAttributionOptions, type LayerAttribution } from './docAttribution';
export { attributionKeyString, MemoryAttributionCache, type AttributionCache, type AttributionKey } from './attributionCache';
export { explainDocuments, type ExplainDocument, type ExplainOptions, type ExplainProgress, type ExplainResult } from './explainDocuments';
export { textHash } from './textHash';
