import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/lib/runtime/backend.node.js';
import { copyBox } from '../../../src/lib/runtime/wasm-slice-kernels';

function values(n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => i * 0.5 - 3);
}

/** Runs `f` on cpu (stock kernels) and on wasm (ours); both results as nested arrays. */
async function onBoth<T>(f: () => T): Promise<[T, T]> {
  await initBackend('cpu');
  const cpu = f();
  await initBackend('wasm');
  return [cpu, f()];
}

describe('wasm Slice / Unpack / SplitV kernels', () => {
  it('copyBox extracts boxes of 1-D to 4-D arrays', () => {
    const x = Float32Array.from({ length: 24 }, (_, i) => i);
    const out = new Float32Array(4);
    copyBox(x, [2, 3, 4], [1, 1, 1], [1, 2, 2], out);
    expect(Array.from(out)).toEqual([17, 18, 21, 22]);
    const whole = new Float32Array(24);
    copyBox(x, [2, 3, 4], [0, 0, 0], [2, 3, 4], whole);
    expect(Array.from(whole)).toEqual(Array.from(x));
  });

  it('match the stock cpu kernels on contiguous and strided slices', async () => {
    const shapes: [number[], number[], number[]][] = [
      [[10], [3], [4]],
      [[4, 5], [1, 2], [2, 3]],
      [[3, 4, 5], [0, 1, 0], [3, 2, 5]],
      [[2, 3, 4, 5], [1, 0, 2, 1], [1, 3, 2, 3]],
      [[2, 3, 4, 5, 2], [0, 1, 1, 0, 1], [2, 2, 2, 5, 1]],
    ];
    for (const [shape, begin, size] of shapes) {
      const n = shape.reduce((a, b) => a * b, 1);
      const [cpu, wasm] = await onBoth(() => tf.tidy(() => tf.slice(tf.tensor(values(n), shape), begin, size).arraySync()));
      expect(wasm, `slice ${shape}`).toEqual(cpu);
    }
    const [u1, u2] = await onBoth(() => tf.tidy(() => tf.unstack(tf.tensor(values(60), [3, 4, 5]), 1).map((t) => t.arraySync())));
    expect(u2).toEqual(u1);
    const [s1, s2] = await onBoth(() => tf.tidy(() => tf.split(tf.tensor(values(60), [3, 4, 5]), [1, 3, 1], 2).map((t) => t.arraySync())));
    expect(s2).toEqual(s1);
    const [g1, g2] = await onBoth(() => tf.tidy(() => tf.grad((x: tf.Tensor) => tf.slice(x, [1, 1], [2, 2]).sum())(tf.tensor(values(12), [3, 4])).arraySync()));
    expect(g2).toEqual(g1);
  });
});
