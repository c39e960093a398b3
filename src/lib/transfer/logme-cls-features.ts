/**
 * The [CLS] representation of texts under a model: the last encoder layer's output at position 0,
 * before the pooler (what LogME scores; You et al. 2021 use the penultimate-layer features a new
 * head would be trained on, and for BERT that is the [CLS] hidden state). One forward pass per
 * batch, no dropout, every tensor disposed; float64 out, row-major texts × hidden.
 */
import * as tf from '@tensorflow/tfjs';
import { batchTensors } from '../bert/batch';
import { encodeFromEmbeds, wordEmbeddings } from '../bert/forward';
import type { BertModel } from '../bert/model';
import type { BertTokenizer } from '../bert/tokenizer';

export interface ClsFeatureOptions {
  /** Texts per forward pass (default 32). */
  batchSize?: number;
  /** Longest input, special tokens included (default: what both the tokenizer and the model allow). */
  maxLength?: number;
}

export async function clsFeatures(
  model: BertModel,
  tokenizer: BertTokenizer,
  texts: readonly string[],
  options: ClsFeatureOptions = {},
): Promise<Float64Array> {
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`clsFeatures: batchSize must be a positive integer, got ${batchSize}`);
  const maxLength = options.maxLength ?? Math.min(tokenizer.maxLength, model.config.max_position_embeddings);
  const H = model.config.hidden_size;
  const out = new Float64Array(texts.length * H);
  for (let start = 0; start < texts.length; start += batchSize) {
    const ids = texts.slice(start, start + batchSize).map((t) => tokenizer.encode(t, maxLength).inputIds);
    const cls = tf.tidy(() => {
      const { inputIds, attentionMask } = batchTensors(ids, tokenizer.padId);
      const hidden = encodeFromEmbeds(model, wordEmbeddings(model, inputIds), { attentionMask });
      const last = hidden[hidden.length - 1]!;
      return tf.slice(last, [0, 0, 0], [ids.length, 1, H]).reshape([ids.length, H]);
    });
    const values = await cls.data();
    cls.dispose();
    out.set(values, start * H);
  }
  return out;
}
