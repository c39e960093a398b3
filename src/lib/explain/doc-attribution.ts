/**
 * Conductance of one model on one document, as plain JSON-serialisable data: what the attribution
 * cache stores, what ANSAT reads and what the explorer draws.
 */
import type { BertModel } from '../bert/model';
import type { AttributionForward } from './attribution-forward';
import type { Encoding } from '../bert/tokenizer';
import { conductanceBaseline, type SpecialTokenIds } from './baseline';
import type { ConductanceMethod } from './interpolation';
import { layerConductance, type ConductanceOptions } from './layer-conductance';
import { buildTerms, type Term } from './terms';
import { l2Norm, layerMean, normalizeTokenSums } from './token-scores';

export interface LayerAttribution {
  /** s_t = Σ_j A_l[t,j] (float32 values). */
  rawTokenSums: number[];
  /** ‖s‖₂ over all tokens. */
  l2Norm: number;
  /** c_t = s_t/‖s‖₂ (all 0 when ‖s‖₂ = 0). */
  normalized: number[];
  /** Σ_t s_t − (F(x) − F(x′)). */
  convergenceDelta: number;
}

export interface DocAttribution {
  tokens: string[];
  inputIds: number[];
  method: ConductanceMethod;
  nSteps: number;
  target: number;
  /** Target logit at the input and at the baseline. */
  fInput: number;
  fBaseline: number;
  /** One entry per encoder layer, layer 0 first. */
  layers: LayerAttribution[];
  /** Mean over layers of `normalized`, per token. */
  layerMeanNormalized: number[];
  /** Whole words with their scores (sum of their pieces' layer means). */
  terms: Term[];
}

/** Options of a document attribution: everything of ConductanceOptions except a layer subset. */
export type DocAttributionOptions = Omit<ConductanceOptions, 'layers'>;

/** All layers of one tokenised document, in one pass. */
export async function attributeDocument(
  model: BertModel | AttributionForward,
  encoding: Encoding,
  special: SpecialTokenIds,
  options: DocAttributionOptions = {},
): Promise<DocAttribution> {
  const { inputIds, tokens } = encoding;
  if (tokens.length !== inputIds.length) {
    throw new Error(`attributeDocument: ${tokens.length} tokens but ${inputIds.length} ids`);
  }
  const baseline = conductanceBaseline(inputIds.length, special);
  const r = await layerConductance(model, inputIds, baseline, options);
  return docAttributionFromSums({
    tokens, inputIds, method: r.method, nSteps: r.nSteps, target: r.target, fInput: r.fInput, fBaseline: r.fBaseline,
    rawTokenSums: r.rawTokenSums, convergenceDelta: r.convergenceDelta,
  });
}

/** What conductance measures of one document; everything else in a DocAttribution derives from it. */
export interface ConductanceSums {
  tokens: readonly string[];
  inputIds: ArrayLike<number>;
  method: ConductanceMethod;
  nSteps: number;
  target: number;
  fInput: number;
  fBaseline: number;
  /** Per layer, the raw per-token sums s_t. */
  rawTokenSums: readonly ArrayLike<number>[];
  /** Per layer. */
  convergenceDelta: ArrayLike<number>;
}

/**
 * The DocAttribution of measured sums: norms, normalised scores, layer means and terms are derived
 * here and only here, so an attribution rebuilt from stored sums equals the one first computed.
 */
export function docAttributionFromSums(m: ConductanceSums): DocAttribution {
  const layers = m.rawTokenSums.map((sums, i): LayerAttribution => ({
    rawTokenSums: Array.from(sums),
    l2Norm: l2Norm(sums),
    normalized: normalizeTokenSums(sums),
    convergenceDelta: m.convergenceDelta[i],
  }));
  const layerMeanNormalized = layerMean(layers.map((l) => l.normalized));
  return {
    tokens: [...m.tokens],
    inputIds: Array.from(m.inputIds),
    method: m.method,
    nSteps: m.nSteps,
    target: m.target,
    fInput: m.fInput,
    fBaseline: m.fBaseline,
    layers,
    layerMeanNormalized,
    terms: buildTerms(m.tokens, layerMeanNormalized),
  };
}
