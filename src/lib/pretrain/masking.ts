/**
 * Masked-language-model inputs, as in BERT's pretraining (Devlin et al. 2019; google-research/bert
 * create_pretraining_data.py): choose 15 % of the non-special positions (at least one, at most
 * `maxPredictions`), then replace 80 % of them with [MASK], 10 % with a random token and leave 10 %
 * unchanged; the model must predict the original token at every chosen position.
 * Differences from the original, on purpose: the random replacement is never a special token
 * (a random [CLS] or [PAD] mid-sentence teaches nothing), and masking is per piece, not whole-word.
 */
import type { Rng } from '../util/rng';

export interface MaskingConfig {
  vocabSize: number;
  maskId: number;
  /** Ids never chosen for prediction and never drawn as random replacements ([PAD] [UNK] [CLS] [SEP] [MASK]). */
  specialIds: readonly number[];
  /** Share of candidate positions to predict. Default 0.15. */
  maskProbability?: number;
  /** Of the chosen positions: share replaced by [MASK] (default 0.8) and by a random token (default 0.1); the rest stay. */
  maskTokenShare?: number;
  randomTokenShare?: number;
  /** Cap on predictions per sequence (BERT: 20 for length 128). Default: no cap. */
  maxPredictions?: number;
}

export interface MaskedSequence {
  /** The input with the chosen positions replaced. */
  inputIds: Int32Array;
  /** Chosen positions, ascending. */
  positions: Int32Array;
  /** Original ids at `positions` (the prediction targets). */
  labels: Int32Array;
}

function validate(config: MaskingConfig) {
  const { vocabSize, maskId, specialIds } = config;
  if (!(Number.isInteger(vocabSize) && vocabSize > specialIds.length)) {
    throw new Error(`MaskingConfig.vocabSize must be an integer larger than the number of special ids, got ${vocabSize}`);
  }
  if (!specialIds.includes(maskId)) throw new Error(`MaskingConfig.specialIds must include maskId ${maskId}`);
  for (const [name, v] of [['maskProbability', config.maskProbability], ['maskTokenShare', config.maskTokenShare], ['randomTokenShare', config.randomTokenShare]] as const) {
    if (v !== undefined && !(v >= 0 && v <= 1)) throw new Error(`MaskingConfig.${name} must be in [0, 1], got ${v}`);
  }
  if ((config.maskTokenShare ?? 0.8) + (config.randomTokenShare ?? 0.1) > 1 + 1e-12) {
    throw new Error('MaskingConfig.maskTokenShare + randomTokenShare must not exceed 1');
  }
}

/** Number of positions to predict among `candidates` (BERT: round(n·p), at least 1, capped). */
export function predictionCount(candidates: number, config: MaskingConfig): number {
  if (candidates === 0) return 0;
  const n = Math.max(1, Math.round(candidates * (config.maskProbability ?? 0.15)));
  return Math.min(candidates, n, config.maxPredictions ?? Infinity);
}

export function maskSequence(ids: ArrayLike<number>, config: MaskingConfig, rng: Rng): MaskedSequence {
  validate(config);
  const special = new Set(config.specialIds);
  const inputIds = Int32Array.from(ids as ArrayLike<number>);
  const candidates: number[] = [];
  for (let i = 0; i < inputIds.length; i++) {
    if (inputIds[i] < 0 || inputIds[i] >= config.vocabSize) {
      throw new Error(`token id ${inputIds[i]} at position ${i} is outside the vocabulary (size ${config.vocabSize})`);
    }
    if (!special.has(inputIds[i])) candidates.push(i);
  }
  const k = predictionCount(candidates.length, config);
  // Partial Fisher–Yates: the first k entries become a uniform sample without replacement.
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(candidates.length - i);
    const t = candidates[i];
    candidates[i] = candidates[j];
    candidates[j] = t;
  }
  const positions = Int32Array.from(candidates.slice(0, k)).sort();
  const labels = new Int32Array(k);
  const maskShare = config.maskTokenShare ?? 0.8;
  const randomShare = config.randomTokenShare ?? 0.1;
  for (let m = 0; m < k; m++) {
    const p = positions[m];
    labels[m] = inputIds[p];
    const r = rng.next();
    if (r < maskShare) inputIds[p] = config.maskId;
    else if (r < maskShare + randomShare) {
      let t: number;
      do t = rng.int(config.vocabSize);
      while (special.has(t));
      inputIds[p] = t;
    }
  }
  return { inputIds, positions, labels };
}

export interface MlmBatch {
  batchSize: number;
  seqLength: number;
  /** [batchSize·seqLength], row-major, padded with `padId`. */
  inputIds: Int32Array;
  /** [batchSize·seqLength], 1 for real tokens, 0 for padding. */
  attentionMask: Int32Array;
  /** [batchSize·maxPredictions] positions within each sequence; padding slots are 0. */
  maskedPositions: Int32Array;
  /** Same positions as indices into the flattened [batchSize·seqLength] tokens (for a gather). */
  maskedFlatPositions: Int32Array;
  /** [batchSize·maxPredictions] original ids; padding slots are 0. */
  maskedLabels: Int32Array;
  /** [batchSize·maxPredictions] 1 for real predictions, 0 for padding slots (weights of the loss). */
  maskedWeights: Float32Array;
  maxPredictions: number;
}

/**
 * Masks each sequence and lays the batch out in flat typed arrays, padded to the longest sequence
 * (or `seqLength`) and to a fixed number of prediction slots, ready for tf.tensor2d.
 */
export function makeMlmBatch(
  sequences: readonly ArrayLike<number>[],
  config: MaskingConfig & { padId: number; maxPredictions: number },
  rng: Rng,
  seqLength?: number,
): MlmBatch {
  const longest = sequences.reduce((m, s) => Math.max(m, s.length), 0);
  const L = seqLength ?? longest;
  if (longest > L) throw new Error(`a sequence has ${longest} tokens, more than seqLength ${L}`);
  const B = sequences.length;
  const P = config.maxPredictions;
  const batch: MlmBatch = {
    batchSize: B,
    seqLength: L,
    inputIds: new Int32Array(B * L).fill(config.padId),
    attentionMask: new Int32Array(B * L),
    maskedPositions: new Int32Array(B * P),
    maskedFlatPositions: new Int32Array(B * P),
    maskedLabels: new Int32Array(B * P),
    maskedWeights: new Float32Array(B * P),
    maxPredictions: P,
  };
  sequences.forEach((seq, b) => {
    const m = maskSequence(seq, config, rng);
    batch.inputIds.set(m.inputIds, b * L);
    batch.attentionMask.fill(1, b * L, b * L + seq.length);
    for (let j = 0; j < m.positions.length; j++) {
      batch.maskedPositions[b * P + j] = m.positions[j];
      batch.maskedFlatPositions[b * P + j] = b * L + m.positions[j];
      batch.maskedLabels[b * P + j] = m.labels[j];
      batch.maskedWeights[b * P + j] = 1;
    }
  });
  return batch;
}
