import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/lib/runtime/backend.node.js';
import { PER_BATCH_MATMUL } from '../../../src/lib/runtime/wasm-per-batch-matmul-kernel';
import { createRng } from '../../../src/lib/util/rng';

const rand = (shape: number[], seed: number) => {
  const rng = createRng(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), shape);
};

describe('wasm PerBatchMatMul kernel', () => {
  it('gives, bit for bit, the products of separate 2-D matMuls, without leaving tensors or XNNPACK views', async () => {
    await initBackend('wasm');
    const backend = tf.engine().backend;
    const before = tf.memory().numTensors;
    const buffers = backend.numDataIds();
    for (const [n, m, k, p] of [[3, 64, 32, 48], [5, 7, 3, 9], [1, 16, 16, 16]]) {
      const a = rand([n, m, k], n + m);
      const b = rand([n, k, p], k + p);
      const ours = tf.engine().runKernel(PER_BATCH_MATMUL, { a, b }, {}) as tf.Tensor;
      expect(ours.shape).toEqual([n, m, p]);
      const separate = tf.tidy(() => tf.stack(tf.unstack(a).map((ai, i) => tf.matMul(ai, tf.unstack(b)[i]))));
      expect(Array.from(ours.dataSync())).toEqual(Array.from(separate.dataSync()));
      // The same a with another b: a stale XNNPACK operator cached under a reused view id would
      // give the old product.
      const b2 = tf.mul(b, 2);
      const twice = tf.engine().runKernel(PER_BATCH_MATMUL, { a, b: b2 }, {}) as tf.Tensor;
      expect(Array.from(twice.dataSync())).toEqual(Array.from(ours.dataSync()).map((v) => v * 2));
      tf.dispose([a, b, b2, ours, separate, twice]);
    }
    expect(backend.numDataIds()).toBe(buffers);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses shapes that do not pair up, with the shapes in the message', async () => {
    await initBackend('wasm');
    const a = tf.zeros([2, 3, 4]);
    const b = tf.zeros([2, 5, 6]);
    expect(() => tf.engine().runKernel(PER_BATCH_MATMUL, { a, b }, {})).toThrow(/\[2,3,4\] and \[2,5,6\]/);
    tf.dispose([a, b]);
  });
});
