/**
 * Masked-language-model logits and loss for pretraining. The head itself is the project's
 * `BertForMaskedLM` head (src/lib/bert/masked-lm.ts: transform, then the decoder tied to the word
 * embeddings, evaluated only at the masked positions); this file adds the loss with a closed-form
 * gradient, which matters at pretraining scale (thousands of steps over an 8,000-way softmax).
 *
 * Every function here creates tensors: call inside tf.tidy (or dispose the results).
 */
import * as tf from '@tensorflow/tfjs';
import type { ForwardOptions } from '../bert/forward';
import { maskedLmLogits } from '../bert/masked-lm';
import type { BertModel } from '../bert/model';

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
  // maskedLmLogits types the mask as required; the forward pass treats an absent one as "no padding".
  const batch = { inputIds: inputs.inputIds, attentionMask: inputs.attentionMask as tf.Tensor2D, positions: inputs.flatPositions };
  return maskedLmLogits(model, batch, opts);
}

type CustomOpBody = (...args: never[]) => { value: tf.Tensor; gradFunc: (dy: never, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[] };

/**
 * Mean cross-entropy of logits [N, V] against integer labels [N] (the value of bert/cross-entropy's),
 * with the closed-form gradient (softmax − onehot)/N: one backward op instead of autodiff through
 * logSoftmax, a one-hot product and two reductions.
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
