import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from '../../helpers/wasm-backend';
import { ADDN_MAX_INPUTS, globalNorm } from '../../../src/lib/train/global-norm';

useWasmBackend();

describe('globalNorm', () => {
  it('is the L2 norm of all entries of 74 tensors (BERT-mini), with no AddN of more than 7 inputs', async () => {
    const values = Array.from({ length: 74 }, (_, i) => Float32Array.from({ length: 3 + (i % 5) }, (_, j) => Math.sin(i * 7 + j) * (1 + i)));
    const tensors = values.map((v) => tf.tensor1d(v));
    const before = tf.memory().numTensors;
    let norm = NaN;
    const info = await tf.profile(async () => {
      const n = globalNorm(tensors);
      norm = (await n.data())[0];
      n.dispose();
    });
    let want = 0;
    for (const v of values) for (const x of v) want += x * x;
    expect(Math.abs(norm - Math.sqrt(want)) / Math.sqrt(want)).toBeLessThan(1e-6);
    const addN = info.kernels.filter((k) => k.name === 'AddN');
    expect(addN.length).toBeGreaterThan(1);
    for (const k of addN) expect(k.inputShapes.length).toBeLessThanOrEqual(ADDN_MAX_INPUTS);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(tensors);
  });

  it('handles one tensor and none', async () => {
    const t = tf.tensor1d([3, 4]);
    const one = globalNorm([t]);
    expect((await one.data())[0]).toBe(5);
    const none = globalNorm([]);
    expect((await none.data())[0]).toBe(0);
    tf.dispose([t, one, none]);
  });
});
