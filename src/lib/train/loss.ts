/** Cross-entropy for sequence classification. */
import * as tf from '@tensorflow/tfjs';
import { classify, type ForwardOptions } from '../bert/forward';
import type { BertModel } from '../bert/model';
import { crossEntropy } from '../bert/cross-entropy';

export { crossEntropy };

export interface LabeledBatch {
  inputIds: tf.Tensor2D;
  attentionMask: tf.Tensor2D;
  /** Class index per example, int32 [B]. */
  labels: tf.Tensor1D;
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
