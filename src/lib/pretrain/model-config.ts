/**
 * The config.json of the bundled pretrained BERT, with every field Hugging Face's `BertConfig`
 * writes, and the masking setup derived from a vocabulary.
 */
import type { BertConfig } from '../bert/config';
import type { MaskingConfig } from './masking';
import { BERT_SPECIAL_TOKENS } from './wordpiece-trainer';

export interface ModelShape {
  hidden: number;
  layers: number;
  /** Default: hidden/64 (BERT's head size), at least 1. */
  heads?: number;
  /** Default: 4·hidden. */
  intermediate?: number;
  vocabSize: number;
  maxLength: number;
}

export function bundledConfig(shape: ModelShape): BertConfig {
  const heads = shape.heads ?? Math.max(1, Math.round(shape.hidden / 64));
  return {
    architectures: ['BertForMaskedLM'],
    model_type: 'bert',
    vocab_size: shape.vocabSize,
    hidden_size: shape.hidden,
    num_hidden_layers: shape.layers,
    num_attention_heads: heads,
    intermediate_size: shape.intermediate ?? 4 * shape.hidden,
    hidden_act: 'gelu',
    hidden_dropout_prob: 0.1,
    attention_probs_dropout_prob: 0.1,
    max_position_embeddings: shape.maxLength,
    type_vocab_size: 2,
    initializer_range: 0.02,
    layer_norm_eps: 1e-12,
    pad_token_id: 0,
    position_embedding_type: 'absolute',
    use_cache: true,
    classifier_dropout: null,
  };
}

/** 15 % masking (80/10/10), at most 20 predictions per sequence (BERT's setting for length 128). */
export function maskingFor(vocab: readonly string[], maxPredictions = 20): MaskingConfig & { padId: number; maxPredictions: number } {
  const id = (t: string) => {
    const i = vocab.indexOf(t);
    if (i < 0) throw new Error(`the vocabulary has no ${t} token`);
    return i;
  };
  return {
    vocabSize: vocab.length,
    maskId: id('[MASK]'),
    padId: id('[PAD]'),
    specialIds: BERT_SPECIAL_TOKENS.map(id),
    maskProbability: 0.15,
    maskTokenShare: 0.8,
    randomTokenShare: 0.1,
    maxPredictions,
  };
}
