/**
 * Hugging Face parameter names and shapes of a BERT, and the renaming real checkpoints need.
 * Linear weights are [out, in] as in PyTorch (`y = x·Wᵀ + b`); the model keeps that layout so
 * that every weight is addressable by the exact name and shape HF uses.
 */
import { numLabels, type BertConfig } from './config';

export type ParamShapes = Map<string, number[]>;

export const EMB = 'bert.embeddings';
export const layerPrefix = (i: number): string => `bert.encoder.layer.${i}`;

/** Embeddings and encoder: what every BERT checkpoint has. */
export function encoderShapes(c: BertConfig): ParamShapes {
  const H = c.hidden_size;
  const I = c.intermediate_size;
  const m: ParamShapes = new Map();
  m.set(`${EMB}.word_embeddings.weight`, [c.vocab_size, H]);
  m.set(`${EMB}.position_embeddings.weight`, [c.max_position_embeddings, H]);
  m.set(`${EMB}.token_type_embeddings.weight`, [c.type_vocab_size, H]);
  m.set(`${EMB}.LayerNorm.weight`, [H]);
  m.set(`${EMB}.LayerNorm.bias`, [H]);
  for (let i = 0; i < c.num_hidden_layers; i++) {
    const p = layerPrefix(i);
    for (const qkv of ['query', 'key', 'value']) {
      m.set(`${p}.attention.self.${qkv}.weight`, [H, H]);
      m.set(`${p}.attention.self.${qkv}.bias`, [H]);
    }
    m.set(`${p}.attention.output.dense.weight`, [H, H]);
    m.set(`${p}.attention.output.dense.bias`, [H]);
    m.set(`${p}.attention.output.LayerNorm.weight`, [H]);
    m.set(`${p}.attention.output.LayerNorm.bias`, [H]);
    m.set(`${p}.intermediate.dense.weight`, [I, H]);
    m.set(`${p}.intermediate.dense.bias`, [I]);
    m.set(`${p}.output.dense.weight`, [H, I]);
    m.set(`${p}.output.dense.bias`, [H]);
    m.set(`${p}.output.LayerNorm.weight`, [H]);
    m.set(`${p}.output.LayerNorm.bias`, [H]);
  }
  return m;
}

export function poolerShapes(c: BertConfig): ParamShapes {
  return new Map([
    ['bert.pooler.dense.weight', [c.hidden_size, c.hidden_size]],
    ['bert.pooler.dense.bias', [c.hidden_size]],
  ]);
}

export function classifierShapes(c: BertConfig, labels = numLabels(c)): ParamShapes {
  return new Map([
    ['classifier.weight', [labels, c.hidden_size]],
    ['classifier.bias', [labels]],
  ]);
}

/** `BertForMaskedLM`'s head; its decoder weight is tied to the word embeddings, and its decoder
 * bias is `cls.predictions.bias`, so neither is a separate parameter. */
export function maskedLmShapes(c: BertConfig): ParamShapes {
  const H = c.hidden_size;
  return new Map([
    ['cls.predictions.transform.dense.weight', [H, H]],
    ['cls.predictions.transform.dense.bias', [H]],
    ['cls.predictions.transform.LayerNorm.weight', [H]],
    ['cls.predictions.transform.LayerNorm.bias', [H]],
    ['cls.predictions.bias', [c.vocab_size]],
  ]);
}

/** The parameter groups a model may hold. */
export type ParamGroup = 'encoder' | 'pooler' | 'classifier' | 'masked-lm';

export function groupShapes(c: BertConfig, group: ParamGroup): ParamShapes {
  switch (group) {
    case 'encoder': return encoderShapes(c);
    case 'pooler': return poolerShapes(c);
    case 'classifier': return classifierShapes(c);
    case 'masked-lm': return maskedLmShapes(c);
  }
}

/** Tensors that checkpoints carry but that are not parameters here (buffers, tied copies). */
const IGNORED = [
  /(^|\.)position_ids$/,
  /^cls\.predictions\.decoder\.weight$/, // tied to the word embeddings
  /^cls\.predictions\.decoder\.bias$/, // tied to cls.predictions.bias
];

/**
 * Maps a checkpoint's tensor name to the name used here, or null when the tensor is not a
 * parameter (buffers, tied copies). Handles TF-converted LayerNorm names (gamma/beta) and
 * `BertModel` checkpoints whose names lack the `bert.` prefix.
 */
export function normalizeName(name: string): string | null {
  if (IGNORED.some((re) => re.test(name))) return null;
  let n = name.replace(/LayerNorm\.gamma$/, 'LayerNorm.weight').replace(/LayerNorm\.beta$/, 'LayerNorm.bias');
  if (/^(embeddings|encoder|pooler)\./.test(n)) n = `bert.${n}`;
  return n;
}
