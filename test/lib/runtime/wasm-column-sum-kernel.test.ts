import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/lib/runtime/backend.node.js';

async function sumOn(backend: 'cpu' | 'wasm', values: number[], shape: number[], axis: number | number[], keepDims: boolean, dtype: 'float32' | 'int32' = 'float32') {
  await initBackend(backend);
  return tf.tidy(() => {
    const s = tf.sum(tf.tensor(values, shape, dtype), axis, keepDims);
    return { shape: s.shape, dtype: s.dtype, values: Array.from(s.dataSync()) };
  });
}

describe('wasm Sum kernel over axis 0', () => {
  it('matches tfjs-cpu on axis 0 (both spellings, keepDims or not) and leaves other sums to the stock kernel', async () => {
    const values = Array.from({ length: 41 * 7 }, (_, i) => Math.cos(i) * 10);
    const cases: [number[], number | number[], boolean, ('float32' | 'int32')?][] = [
      [[41, 7], 0, false],
      [[41, 7], [-2], true],
      [[41, 7], 1, false],
      [[41, 7], [0, 1], false],
      [[7, 41], 0, false],
      [[41, 7], 0, false, 'int32'],
    ];
    for (const [shape, axis, keepDims, dtype] of cases) {
      const vals = dtype === 'int32' ? values.map(Math.round) : values;
      const cpu = await sumOn('cpu', vals, shape, axis, keepDims, dtype);
      const wasm = await sumOn('wasm', vals, shape, axis, keepDims, dtype);
      expect(wasm.shape, `${shape} ${axis}`).toEqual(cpu.shape);
      expect(wasm.dtype).toBe(cpu.dtype);
      wasm.values.forEach((v, i) => expect(Math.abs(v - cpu.values[i]), `${shape} ${axis} [${i}]`).toBeLessThan(1e-4));
    }
  });

  it('sums 1024 rows more exactly than float32 accumulation, and leaves no tensor', async () => {
    await initBackend('wasm');
    const before = tf.memory().numTensors;
    // 1 + 1023 copies of 2^-24: float32 accumulation in order would stay at 1.
    const col = [1, ...Array.from({ length: 1023 }, () => 2 ** -24)];
    const got = tf.tidy(() => tf.sum(tf.tensor2d(col, [1024, 1]), 0).dataSync()[0]);
    expect(got).toBe(Math.fround(1 + 1023 * 2 ** -24));
    expect(tf.memory().numTensors).toBe(before);
  });
});
