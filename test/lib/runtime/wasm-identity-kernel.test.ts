import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/lib/runtime/backend.node.js';

describe('wasm Identity kernel', () => {
  it('shares the buffer instead of copying it, and the clone outlives its source', async () => {
    await initBackend('wasm');
    const backend = tf.engine().backend;
    const before = tf.memory().numTensors;
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const buffers = backend.numDataIds();
    const y = tf.clone(x);
    expect(backend.numDataIds()).toBe(buffers); // the stock kernel allocates a second buffer here
    x.dispose();
    expect(y.arraySync()).toEqual([[1, 2, 3], [4, 5, 6]]);
    y.dispose();
    expect(backend.numDataIds()).toBe(buffers - 1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives the same gradients as tfjs-cpu through ops that save tensors for the backward pass', async () => {
    const f = (x: tf.Tensor) => tf.tanh(tf.matMul(x, x, false, true)).mul(tf.sigmoid(x).sum()).sum();
    const grad = async (backend: 'wasm' | 'cpu') => {
      await initBackend(backend);
      return tf.tidy(() => tf.grad(f)(tf.tensor2d([[0.5, -1, 2], [0.25, 3, -0.75]])).arraySync() as number[][]);
    };
    const cpu = await grad('cpu');
    const wasm = await grad('wasm');
    cpu.flat().forEach((v, i) => expect(wasm.flat()[i]).toBeCloseTo(v, 5));
  });
});
