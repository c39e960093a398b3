/** Cross-entropy for sequence classification. */
import * as tf from '@tensorflow/tfjs';
import { classify, type ForwardOptions } from '../bert/forward';
import type { BertModel } from '../bert/model';

export interface LabeledBatch {
  inputIds: tf.Tensor2D;
  attentionMask: tf.Tensor2D;
  /** Class index per example, int32 [B]. */
  labels: tf.Tensor1D;
}

/**
 * Mean cross-entropy over the batch, −(1/B)·Σ log softmax(z_i)[y_i] (torch F.cross_entropy). With
 * `classWeights`, torch's weighted mean: Σ w_{y_i}·CE_i / Σ w_{y_i}.
 */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, classWeights?: readonly number[]): tf.Scalar {
  return tf.tidy(() => {
    const numClasses = logits.shape[1];
    const onehot = tf.oneHot(tf.cast(labels, 'int32'), numClasses);
    const perExample = tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), onehot), -1));
    if (!classWeights) return tf.mean(perExample) as tf.Scalar;
    const w = tf.sum(tf.mul(onehot, tf.tensor1d(classWeights as number[], 'float32')), -1);
    return tf.div(tf.sum(tf.mul(perExample, w)), tf.sum(w)) as tf.Scalar;
  });
}

/** Loss of the classifier on a batch (dropout when `opts.dropout` is given). */
export function classificationLoss(model: BertModel, batch: LabeledBatch, opts: Pick<ForwardOptions, 'dropout'> & { classWeights?: readonly number[] } = {}): tf.Scalar {
  const logits = classify(model, batch.inputIds, { attentionMask: batch.attentionMask, dropout: opts.dropout });
  return crossEntropy(logits, batch.labels, opts.classWeights);
}

/** sklearn's "balanced" weights n/(k·n_c): each class contributes equally to the loss. */
export function balancedClassWeights(labels: readonly number[], numClasses = 2): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const y of labels) counts[y] += 1;
  return counts.map((c) => (c === 0 ? 0 : labels.length / (numClasses * c)));
}
