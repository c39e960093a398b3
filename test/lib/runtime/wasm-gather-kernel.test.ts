import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/lib/runtime/backend.node.js';

async function onBoth<T>(f: () => T): Promise<[T, T]> {
  await initBackend('cpu');
  const cpu = f();
  await initBackend('wasm');
  return [cpu, f()];
}

describe('wasm GatherV2 kernel', () => {
  it('matches the stock kernels for row gathers (2-D ids, int and float) and falls back for other axes', async () => {
    const table = Float32Array.from({ length: 7 * 3 * 2 }, (_, i) => i * 0.25);
    const [a1, a2] = await onBoth(() => tf.tidy(() => tf.gather(tf.tensor(table, [7, 3, 2]), tf.tensor2d([[6, 0, 2], [2, 2, 1]], undefined, 'int32')).arraySync()));
    expect(a2).toEqual(a1);
    const [b1, b2] = await onBoth(() => tf.tidy(() => tf.gather(tf.tensor1d([5, 6, 7], 'int32'), tf.tensor1d([2, 0], 'int32')).arraySync()));
    expect(b2).toEqual(b1);
    const [c1, c2] = await onBoth(() => tf.tidy(() => tf.gather(tf.tensor(table, [7, 6]), tf.tensor1d([5, 1], 'int32'), 1).arraySync()));
    expect(c2).toEqual(c1);
    // The embedding gradient (gather → UnsortedSegmentSum) agrees too.
    const [d1, d2] = await onBoth(() => tf.tidy(() => tf.grad((t: tf.Tensor) => tf.gather(t, tf.tensor1d([1, 1, 4], 'int32')).mul(tf.tensor2d([[1, 2], [3, 4], [5, 6]])).sum())(tf.tensor(table.slice(0, 12), [6, 2])).arraySync()));
    expect(d2).toEqual(d1);
  });

  it('rejects an out-of-range index without leaking', async () => {
    await initBackend('wasm');
    const before = tf.memory().numTensors;
    const t = tf.tensor2d([[1, 2], [3, 4]]);
    const i = tf.tensor1d([0, 2], 'int32');
    expect(() => tf.gather(t, i)).toThrow(/index value 2 is not in \[0, 1\]/);
    tf.dispose([t, i]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
