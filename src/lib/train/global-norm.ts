/**
 * The global L2 norm of many tensors, for gradient clipping. One tf.addN over every squared sum
 * would be one kernel with a storage buffer per input, and WebGPU allows 8 storage buffers per
 * shader stage unless the device asks for more (tfjs-backend-webgpu does not): with BERT-mini's 74
 * parameters its AddN pipeline is invalid and the norm silently wrong. So the sums are added at
 * most ADDN_MAX_INPUTS at a time (7 inputs + the output = 8 buffers), left to right.
 */
import * as tf from '@tensorflow/tfjs';

export const ADDN_MAX_INPUTS = 7;

export function globalNorm(tensors: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => {
    const squares = tensors.map((g) => tf.sum(tf.square(g)));
    let acc: tf.Tensor | undefined;
    for (let i = 0; i < squares.length;) {
      const take = acc ? ADDN_MAX_INPUTS - 1 : ADDN_MAX_INPUTS;
      const group = squares.slice(i, i + take);
      i += take;
      acc = tf.addN(acc ? [acc, ...group] : group);
    }
    return tf.sqrt(acc ?? tf.scalar(0)) as tf.Scalar;
  });
}
