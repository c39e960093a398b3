/** Softmax cross-entropy over class (or vocabulary) logits, as torch F.cross_entropy. */
import * as tf from '@tensorflow/tfjs';

/**
 * Mean cross-entropy over the rows, −(1/N)·Σ log softmax(z_i)[y_i]. With `classWeights`, torch's
 * weighted mean: Σ w_{y_i}·CE_i / Σ w_{y_i}.
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
