/**
 * The masked-language-model head of Hugging Face `BertForMaskedLM`, evaluated ONLY at the masked
 * positions: transform (dense → activation → LayerNorm), then the decoder, whose weight is the word
 * embedding matrix (tied, as in BERT) and whose bias is `cls.predictions.bias`.
 * Why only the masked rows: the decoder is a [H × vocab] product, the largest in a small model; at
 * 15 % masking, computing it for every token would spend ~6× more on it for nothing.
 * The encoder is the project's forward pass (src/lib/bert/forward.ts), reused as it is.
 *
 * Every function here creates tensors: call inside tf.tidy (or dispose the results).
 */
import * as tf from '@tensorflow/tfjs';
import { encodeFromEmbeds, wordEmbeddings, type ForwardOptions } from '../bert/forward';
import type { BertModel } from '../bert/model';
import { EMB } from '../bert/names';
import { activation, layerNorm, linear } from '../bert/ops';

export interface MlmInputs {
  /** [B, T] token ids (with the masked replacements in place). */
  inputIds: tf.Tensor2D;
  /** [B, T] 1 real / 0 padding; omit when no row is padded. */
  attentionMask?: tf.Tensor2D;
  /** [N] indices into the flattened [B·T] tokens of the positions to predict (int32). */
  flatPositions: tf.Tensor1D;
}

/** Vocabulary logits [N, vocab] at the given positions. */
export function mlmLogits(model: BertModel, inputs: MlmInputs, opts: Pick<ForwardOptions, 'dropout'> = {}): tf.Tensor2D {
  const c = model.config;
  const [B, T] = inputs.inputIds.shape;
  const hidden = encodeFromEmbeds(model, wordEmbeddings(model, inputs.inputIds), { attentionMask: inputs.attentionMask, dropout: opts.dropout });
  const last = hidden[hidden.length - 1].reshape([B * T, c.hidden_size]) as tf.Tensor2D;
  const picked = tf.gather(last, inputs.flatPositions) as tf.Tensor2D;
  const transformed = layerNorm(
    activation(linear(picked, model.get('cls.predictions.transform.dense.weight'), model.get('cls.predictions.transform.dense.bias')), c.hidden_act) as tf.Tensor2D,
    model.get('cls.predictions.transform.LayerNorm.weight'),
    model.get('cls.predictions.transform.LayerNorm.bias'),
    c.layer_norm_eps,
  );
  // Tied decoder: logits = t·Eᵀ + b with E the [vocab, H] word embeddings, i.e. a `linear` whose
  // weight is E; its gradient reaches the embeddings as well as the lookup's.
  return linear(transformed, model.get(`${EMB}.word_embeddings.weight`), model.get('cls.predictions.bias'));
}

type CustomOpBody = (...args: never[]) => { value: tf.Tensor; gradFunc: (dy: never, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[] };

/**
 * Mean cross-entropy of logits [N, V] against integer labels [N], with the closed-form gradient
 * (softmax − onehot)/N: one op instead of autodiff through logSoftmax, a one-hot and a reduction.
 */
export function sparseCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const [n, v] = logits.shape;
  if (labels.shape[0] !== n) throw new Error(`sparseCrossEntropy: ${labels.shape[0]} labels for ${n} rows of logits`);
  const f = tf.customGrad(((z: tf.Tensor2D, y: tf.Tensor1D, save: tf.GradSaveFunc) => {
    const onehot = tf.oneHot(tf.cast(y, 'int32'), v);
    const logp = tf.logSoftmax(z);
    save([logp, onehot]);
    return {
      value: tf.div(tf.neg(tf.sum(tf.mul(logp, onehot))), n),
      gradFunc: (dy: tf.Scalar, saved: tf.Tensor[]) => [tf.mul(tf.sub(tf.exp(saved[0]), saved[1]), tf.div(dy, n)), tf.zerosLike(y)],
    };
  }) as CustomOpBody as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(logits, labels) as tf.Scalar;
}

/** Mean MLM loss over the N predicted positions. */
export function mlmLoss(model: BertModel, inputs: MlmInputs, labels: tf.Tensor1D, opts: Pick<ForwardOptions, 'dropout'> = {}): tf.Scalar {
  return sparseCrossEntropy(mlmLogits(model, inputs, opts), labels);
}
