import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/lib/runtime/backend.node.js';
import { swapsLastTwo, TALL_ROWS } from '../../../src/lib/runtime/wasm-transpose-kernel';

/** The same transpose on tfjs-cpu and on wasm (with the replacement kernel registered). */
async function both(shape: number[], perm: number[], dtype: 'float32' | 'int32' = 'float32') {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, (_, i) => (dtype === 'int32' ? i - 7 : Math.sin(i) * 3));
  const run = async (backend: 'cpu' | 'wasm') => {
    await initBackend(backend);
    return tf.tidy(() => tf.transpose(tf.tensor(values, shape, dtype), perm).dataSync());
  };
  const cpu = Array.from(await run('cpu'));
  const wasm = Array.from(await run('wasm'));
  return { cpu, wasm };
}

describe('wasm Transpose kernel', () => {
  it('recognises permutations that swap the last two axes only', () => {
    expect(swapsLastTwo([1, 0])).toBe(true);
    expect(swapsLastTwo([0, 2, 1])).toBe(true);
    expect(swapsLastTwo([0, 1, 3, 2])).toBe(true);
    expect(swapsLastTwo([0, 2, 1, 3])).toBe(false);
    expect(swapsLastTwo([2, 1, 0])).toBe(false);
    expect(swapsLastTwo([0])).toBe(false);
    expect(TALL_ROWS).toBeLessThanOrEqual(256); // the cases below reach the replacement kernel
  });

  it('gives the values of tfjs-cpu: tile-sized, ragged, batched, int32 and other permutations', async () => {
    const cases: [number[], number[], ('float32' | 'int32')?][] = [
      [[256, 32], [1, 0]],
      [[301, 19], [1, 0]],
      [[300, 1], [1, 0]],
      [[3, 270, 33], [0, 2, 1]],
      [[2, 1, 257, 5], [0, 1, 3, 2]],
      [[64, 32], [1, 0]], // short: stock kernel
      [[300, 18], [1, 0], 'int32'], // stock kernel
      [[2, 3, 4, 5], [0, 2, 1, 3]], // stock kernel
      [[0, 4], [1, 0]],
    ];
    for (const [shape, perm, dtype] of cases) {
      const { cpu, wasm } = await both(shape, perm, dtype);
      expect(wasm, `${shape} ${perm}`).toEqual(cpu);
    }
  });

  it('leaves no tensor behind and keeps gradients right', async () => {
    await initBackend('wasm');
    const before = tf.memory().numTensors;
    const g = tf.tidy(() => {
      const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
      const w = tf.tensor2d([[1, 0], [2, 1], [0, 3]]);
      return tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.transpose(a), w)))(x).arraySync();
    });
    expect(g).toEqual([[1, 2, 0], [0, 1, 3]]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
