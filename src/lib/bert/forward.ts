/**
 * The forward pass of Hugging Face `BertForSequenceClassification` (post-LN encoder, exact erf GELU,
 * biased-variance LayerNorm, additive mask (1-mask)·float32_min on padded keys), batched.
 *
 * Built for layer conductance too: `classifyFromEmbeds` starts from word embeddings that are
 * already looked up, returns every encoder layer's output, and takes optional per-layer additive
 * tensors `layerAdds[l]` (added to h_l before it feeds layer l+1 and the pooler). With zero
 * `layerAdds`, ONE `tf.grads` call with respect to all of them yields ∂F/∂h_l for every layer.
 *
 * Every function here creates tensors: call inside tf.tidy (or dispose the results).
 */
import * as tf from '@tensorflow/tfjs';
import { classifierDropout, headSize, type BertConfig } from './config';
import type { BertModel } from './model';
import { EMB, layerPrefix } from './names';
import { activation, batchMatMul, dropout, layerNorm, linear } from './ops';
import type { Rng } from '../util/rng';

/** The most negative float32: HF's additive mask value for padded keys. */
export const FLOAT32_MIN = -3.4028234663852886e38;

export interface ForwardOptions {
  /** [B, T] of 1 (real token) / 0 (padding), int32 or float32. Omitted: all ones. */
  attentionMask?: tf.Tensor2D;
  /** Per-layer additive tensors [B, T, H] (or null to skip a layer); see the module comment. */
  layerAdds?: readonly (tf.Tensor | null | undefined)[];
  /** Present = training: dropout with the config's rates, masks drawn from this PRNG. */
  dropout?: Rng;
}

/** Word embeddings of token ids [B, T] → [B, T, H]. */
export function wordEmbeddings(model: BertModel, inputIds: tf.Tensor2D): tf.Tensor3D {
  return tf.tidy(() => tf.gather(model.get(`${EMB}.word_embeddings.weight`), tf.cast(inputIds, 'int32')) as tf.Tensor3D);
}

/** inputs_embeds [B,T,H] → (x + token_type[0]) + position[0..T-1] → LayerNorm → dropout, as 2-D [B·T, H]. */
function embeddingOutput(model: BertModel, inputsEmbeds: tf.Tensor3D, opts: ForwardOptions): tf.Tensor2D {
  const c = model.config;
  const [B, T, H] = inputsEmbeds.shape;
  if (H !== c.hidden_size) throw new Error(`inputsEmbeds hidden size ${H} differs from the model's ${c.hidden_size}`);
  if (T > c.max_position_embeddings) {
    throw new Error(`sequence length ${T} exceeds max_position_embeddings ${c.max_position_embeddings}`);
  }
  // token_type_ids are all 0 here (single-sentence tasks), so the token-type embedding is row 0.
  const tokenType = tf.slice(model.get(`${EMB}.token_type_embeddings.weight`), [0, 0], [1, H]);
  const position = tf.slice(model.get(`${EMB}.position_embeddings.weight`), [0, 0], [T, H]);
  const summed = tf.add(tf.add(inputsEmbeds, tokenType), position).reshape([B * T, H]) as tf.Tensor2D;
  const normed = layerNorm(summed, model.get(`${EMB}.LayerNorm.weight`), model.get(`${EMB}.LayerNorm.bias`), c.layer_norm_eps);
  return dropout(normed, c.hidden_dropout_prob, opts.dropout);
}

/** Additive attention mask [B, 1, 1, T]: 0 on real keys, float32_min on padded keys. */
function maskAdd(mask: tf.Tensor2D): tf.Tensor4D {
  const [B, T] = mask.shape;
  return tf.mul(tf.sub(1, tf.cast(mask, 'float32')), FLOAT32_MIN).reshape([B, 1, 1, T]);
}

/**
 * One encoder layer on x [B·T, H]. Q, K and V come from one fused linear (the three weights
 * concatenated), which halves the work of the backward pass on x.
 */
function encoderLayer(model: BertModel, l: number, x: tf.Tensor2D, B: number, T: number, mask: tf.Tensor4D | null, opts: ForwardOptions): tf.Tensor2D {
  const c = model.config;
  const H = c.hidden_size;
  const nh = c.num_attention_heads;
  const dh = headSize(c);
  const p = layerPrefix(l);
  const g = (n: string) => model.get(`${p}.${n}`);

  const wQkv = tf.concat([g('attention.self.query.weight'), g('attention.self.key.weight'), g('attention.self.value.weight')], 0);
  const bQkv = tf.concat([g('attention.self.query.bias'), g('attention.self.key.bias'), g('attention.self.value.bias')], 0);
  const qkv = linear(x, wQkv, bQkv) // [B·T, 3H], features ordered (q|k|v, head, d)
    .reshape([B, T, 3 * nh, dh])
    .transpose([0, 2, 1, 3]); // [B, 3·nh, T, dh]
  const heads = (i: number) => tf.slice(qkv, [0, i * nh, 0, 0], [B, nh, T, dh]).reshape([B * nh, T, dh]) as tf.Tensor3D;
  const q = heads(0);
  const k = heads(1);
  const v = heads(2);

  let scores = tf.div(batchMatMul(q, tf.transpose(k, [0, 2, 1])), Math.sqrt(dh)).reshape([B, nh, T, T]);
  if (mask) scores = tf.add(scores, mask);
  const probs = dropout(tf.softmax(scores, -1), c.attention_probs_dropout_prob, opts.dropout).reshape([B * nh, T, T]) as tf.Tensor3D;
  const context = batchMatMul(probs, v) // [B·nh, T, dh]
    .reshape([B, nh, T, dh])
    .transpose([0, 2, 1, 3])
    .reshape([B * T, H]) as tf.Tensor2D;

  const attnOut = dropout(linear(context, g('attention.output.dense.weight'), g('attention.output.dense.bias')), c.hidden_dropout_prob, opts.dropout);
  const a = layerNorm(tf.add(attnOut, x), g('attention.output.LayerNorm.weight'), g('attention.output.LayerNorm.bias'), c.layer_norm_eps);

  const inter = activation(linear(a, g('intermediate.dense.weight'), g('intermediate.dense.bias')), c.hidden_act) as tf.Tensor2D;
  const ffnOut = dropout(linear(inter, g('output.dense.weight'), g('output.dense.bias')), c.hidden_dropout_prob, opts.dropout);
  return layerNorm(tf.add(ffnOut, a), g('output.LayerNorm.weight'), g('output.LayerNorm.bias'), c.layer_norm_eps);
}

/**
 * Embeddings + encoder from inputs_embeds [B, T, H]. Returns every layer's output h_l [B, T, H]
 * (h_l already includes layerAdds[l], i.e. it is the value that flows on).
 */
export function encodeFromEmbeds(model: BertModel, inputsEmbeds: tf.Tensor3D, opts: ForwardOptions = {}): tf.Tensor3D[] {
  const c = model.config;
  const [B, T, H] = inputsEmbeds.shape;
  if (opts.layerAdds && opts.layerAdds.length > c.num_hidden_layers) {
    throw new Error(`layerAdds has ${opts.layerAdds.length} entries; the model has ${c.num_hidden_layers} layers`);
  }
  if (opts.attentionMask && (opts.attentionMask.shape[0] !== B || opts.attentionMask.shape[1] !== T)) {
    throw new Error(`attentionMask shape [${opts.attentionMask.shape}] does not match the batch [${B}, ${T}]`);
  }
  const mask = opts.attentionMask ? maskAdd(opts.attentionMask) : null;
  let x = embeddingOutput(model, inputsEmbeds, opts);
  const hidden: tf.Tensor3D[] = [];
  for (let l = 0; l < c.num_hidden_layers; l++) {
    x = encoderLayer(model, l, x, B, T, mask, opts);
    const add = opts.layerAdds?.[l];
    if (add) x = tf.add(x, add.reshape([B * T, H])) as tf.Tensor2D;
    hidden.push(x.reshape([B, T, H]));
  }
  return hidden;
}

/** Pooler: tanh(dense(h_last[:, 0])) → [B, H]. */
export function pool(model: BertModel, lastHidden: tf.Tensor3D): tf.Tensor2D {
  const [B, , H] = lastHidden.shape;
  const cls = tf.slice(lastHidden, [0, 0, 0], [B, 1, H]).reshape([B, H]) as tf.Tensor2D;
  return tf.tanh(linear(cls, model.get('bert.pooler.dense.weight'), model.get('bert.pooler.dense.bias')));
}

/** Classifier head on the pooled output (dropout first when training) → logits [B, labels]. */
export function classifierLogits(model: BertModel, pooled: tf.Tensor2D, opts: ForwardOptions = {}): tf.Tensor2D {
  const dropped = dropout(pooled, classifierDropout(model.config), opts.dropout);
  return linear(dropped, model.get('classifier.weight'), model.get('classifier.bias'));
}

export interface ClassifierOutput {
  logits: tf.Tensor2D;
  /** h_0 … h_{L-1}, each [B, T, H]. */
  hidden: tf.Tensor3D[];
}

/** The full classifier from inputs_embeds: what conductance differentiates. */
export function classifyFromEmbeds(model: BertModel, inputsEmbeds: tf.Tensor3D, opts: ForwardOptions = {}): ClassifierOutput {
  const hidden = encodeFromEmbeds(model, inputsEmbeds, opts);
  const logits = classifierLogits(model, pool(model, hidden[hidden.length - 1]), opts);
  return { logits, hidden };
}

/** Logits [B, labels] for token ids [B, T] (padded with an attention mask when lengths differ). */
export function classify(model: BertModel, inputIds: tf.Tensor2D, opts: ForwardOptions = {}): tf.Tensor2D {
  return tf.tidy(() => classifyFromEmbeds(model, wordEmbeddings(model, inputIds), opts).logits);
}
