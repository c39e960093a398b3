/**
 * Fresh, seeded initialisation with Hugging Face's `BertPreTrainedModel._init_weights` rule:
 * linear weights and embeddings N(0, initializer_range²), biases 0, LayerNorm weight 1 / bias 0,
 * the padding row of the word embeddings 0. Values come from a JS PRNG, so a seed gives the same
 * weights on every backend.
 */
import * as tf from '@tensorflow/tfjs';
import type { BertConfig } from './config';
import { BertModel } from './model';
import { groupShapes, type ParamGroup } from './names';
import { createRng, subSeed, type Rng } from '../util/rng';

export function initialValue(name: string, shape: readonly number[], config: BertConfig, rng: Rng): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  if (/LayerNorm\.weight$/.test(name)) return out.fill(1);
  if (/(\.bias|^cls\.predictions\.bias)$/.test(name) || /LayerNorm\.bias$/.test(name)) return out;
  const std = config.initializer_range;
  for (let i = 0; i < size; i++) out[i] = rng.normal() * std;
  if (name === 'bert.embeddings.word_embeddings.weight') {
    const H = shape[1];
    out.fill(0, config.pad_token_id * H, (config.pad_token_id + 1) * H);
  }
  return out;
}

/**
 * Fresh variables for the given groups. Each group draws from its own stream derived from `seed`,
 * so e.g. a fresh classifier head is the same whether or not other groups are initialised too.
 */
export function initGroups(config: BertConfig, groups: readonly ParamGroup[], seed: number): Map<string, tf.Variable> {
  const params = new Map<string, tf.Variable>();
  for (const group of groups) {
    const rng = createRng(subSeed(seed, group));
    for (const [name, shape] of groupShapes(config, group)) {
      const data = initialValue(name, shape, config, rng);
      params.set(name, tf.tidy(() => tf.variable(tf.tensor(data, shape, 'float32'), true)));
    }
  }
  return params;
}

/** A brand-new BERT (e.g. to pretrain, or for tests). Default groups: encoder, pooler, classifier. */
export function createBertModel(
  config: BertConfig,
  options: { seed: number; groups?: readonly ParamGroup[] },
): BertModel {
  const groups = options.groups ?? ['encoder', 'pooler', 'classifier'];
  return new BertModel(config, initGroups(config, groups, options.seed));
}
