import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { registerSegmentSumKernels } from '../../../src/lib/runtime/segment-sum-kernel';
import { initBackend } from '../../../src/lib/runtime/backend.node.js';

// Grab tfjs's own cpu kernel before ours replaces it: it is the reference.
const reference = tf.getKernel('UnsortedSegmentSum', 'cpu');

function randomCase(seed: number, rows: number, inner: number[], numSegments: number) {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const size = rows * inner.reduce((a, b) => a * b, 1);
  const x = Float32Array.from({ length: size }, () => next() * 2 - 1);
  // Repeated ids (as in a batch of sentences) plus an out-of-range one, which must be dropped.
  const ids = Int32Array.from({ length: rows }, (_, i) => (i === rows - 1 ? numSegments + 3 : Math.floor(next() * numSegments)));
  return { x, ids, shape: [rows, ...inner] };
}

function runReference(x: tf.Tensor, ids: tf.Tensor, numSegments: number): Float32Array {
  const out = reference.kernelFunc({
    inputs: { x, segmentIds: ids },
    backend: tf.backend(),
    attrs: { numSegments },
  }) as tf.TensorInfo;
  const values = tf.backend().readSync(out.dataId) as Float32Array;
  tf.backend().disposeData(out.dataId);
  return Float32Array.from(values);
}

describe('UnsortedSegmentSum kernel', () => {
  it('matches tfjs cpu reference on cpu and wasm, for 2-D and 3-D inputs', async () => {
    expect(reference).toBeDefined();
    const cases = [randomCase(1, 50, [7], 13), randomCase(2, 40, [3, 4], 9)];

    await tf.setBackend('cpu');
    const expected = cases.map((c) => tf.tidy(() => runReference(tf.tensor(c.x, c.shape), tf.tensor1d(c.ids, 'int32'), 13)));

    registerSegmentSumKernels();
    expect(tf.getKernel('UnsortedSegmentSum', 'cpu')).not.toBe(reference);
    await initBackend('cpu');
    for (const [i, c] of cases.entries()) {
      const got = tf.tidy(() => tf.unsortedSegmentSum(tf.tensor(c.x, c.shape), tf.tensor1d(c.ids, 'int32'), 13).dataSync());
      // Same sums, possibly added in another order: float32 rounding only.
      expect(got.length).toBe(expected[i].length);
      for (let j = 0; j < got.length; j++) expect(Math.abs(got[j] - expected[i][j])).toBeLessThan(1e-6);
    }

    await initBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    for (const [i, c] of cases.entries()) {
      const got = tf.tidy(() => tf.unsortedSegmentSum(tf.tensor(c.x, c.shape), tf.tensor1d(c.ids, 'int32'), 13).dataSync());
      expect(got.length).toBe(expected[i].length);
      for (let j = 0; j < got.length; j++) expect(Math.abs(got[j] - expected[i][j])).toBeLessThan(1e-6);
    }
  });

  it('gives the gradient of gather (embedding lookup) on wasm without leaking', async () => {
    await initBackend('wasm');
    const before = tf.memory().numTensors;
    const init = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const table = tf.variable(init);
    init.dispose();
    const g = tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.gather(table, tf.tensor1d([2, 0, 2], 'int32')).mul(tf.tensor2d([[1, 1], [2, 2], [3, 3]])).sum() as tf.Scalar, [table]);
      return Object.values(grads)[0].arraySync();
    });
    expect(g).toEqual([[2, 2], [0, 0], [4, 4]]);
    table.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
