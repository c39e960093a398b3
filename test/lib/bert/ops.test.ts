import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from '../../helpers/wasm-backend';
import { batchMatMul, dropout, geluErf, layerNorm, linear, sumRows } from '../../../src/lib/bert/ops';
import { createRng } from '../../../src/lib/util/rng';

useWasmBackend();

function rand(shape: number[], seed: number): tf.Tensor {
  const rng = createRng(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), shape);
}

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/**
 * The hand-written ops must equal plain tfjs formulas, values and gradients (w.r.t. every input),
 * up to float32 rounding.
 */
function checkAgainstReference(inputs: tf.Tensor[], ours: (...xs: tf.Tensor[]) => tf.Tensor, reference: (...xs: tf.Tensor[]) => tf.Tensor, tol: number) {
  tf.tidy(() => {
    expect(maxDiff(ours(...inputs), reference(...inputs))).toBeLessThan(tol);
    const weights = rand(ours(...inputs).shape, 99); // a random upstream gradient
    const g1 = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(ours(...xs), weights)))(inputs);
    const g2 = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(reference(...xs), weights)))(inputs);
    g1.forEach((g, i) => expect(maxDiff(g, g2[i]), `gradient ${i}`).toBeLessThan(tol));
  });
}

describe('custom-gradient ops', () => {
  it('linear = x·Wᵀ + b', () => {
    const before = tf.memory().numTensors;
    const xs = [rand([6, 5], 1), rand([3, 5], 2), rand([3], 3)];
    checkAgainstReference(xs, (x, w, b) => linear(x as tf.Tensor2D, w, b), (x, w, b) => tf.add(tf.matMul(x, w, false, true), b), 1e-5);
    // Both branches of dW (transposing dy or x): wide output.
    const wide = [rand([4, 3], 4), rand([9, 3], 5), rand([9], 6)];
    checkAgainstReference(wide, (x, w, b) => linear(x as tf.Tensor2D, w, b), (x, w, b) => tf.add(tf.matMul(x, w, false, true), b), 1e-5);
    tf.dispose([...xs, ...wide]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('layerNorm with biased variance', () => {
    const xs = [rand([5, 8], 7), tf.add(1, tf.mul(0.1, rand([8], 8))), rand([8], 9)];
    checkAgainstReference(
      xs,
      (x, g, b) => layerNorm(x as tf.Tensor2D, g, b, 1e-12),
      (x, g, b) => {
        const { mean, variance } = tf.moments(x, -1, true);
        return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-12))), g), b);
      },
      1e-5,
    );
    tf.dispose(xs);
  });

  it('exact GELU', () => {
    const xs = [tf.mul(3, rand([40], 10))];
    checkAgainstReference(xs, (z) => geluErf(z), (z) => tf.mul(tf.mul(0.5, z), tf.add(1, tf.erf(tf.div(z, Math.SQRT2)))), 1e-6);
    tf.dispose(xs);
  });

  it('exact GELU and its gradient on a fine grid agree with float64 to float32 precision', () => {
    // float64 erf: Taylor series below 3, continued fraction for erfc above.
    const erf64 = (x: number): number => {
      const a = Math.abs(x);
      let r: number;
      if (a < 3) {
        let sum = a;
        let term = a;
        for (let n = 1; n < 200; n++) {
          term *= (-a * a) / n;
          sum += term / (2 * n + 1);
        }
        r = (2 / Math.sqrt(Math.PI)) * sum;
      } else {
        let f = 0;
        for (let n = 60; n >= 1; n--) f = n / 2 / (a + f);
        r = 1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / (a + f);
      }
      return x < 0 ? -r : r;
    };
    const n = 24001;
    const zs = Float32Array.from({ length: n }, (_, i) => -12 + (24 * i) / (n - 1));
    const [value, grad] = tf.tidy(() => {
      const z = tf.tensor1d(zs);
      return [geluErf(z).dataSync(), tf.grad((x: tf.Tensor) => geluErf(x).sum())(z).dataSync()];
    });
    let worstValue = 0;
    let worstGrad = 0;
    for (let i = 0; i < n; i++) {
      const z = zs[i];
      const cdf = 0.5 * (1 + erf64(z / Math.SQRT2));
      worstValue = Math.max(worstValue, Math.abs(value[i] - z * cdf));
      worstGrad = Math.max(worstGrad, Math.abs(grad[i] - (cdf + (z * Math.exp((-z * z) / 2)) / Math.sqrt(2 * Math.PI))));
    }
    expect(worstValue).toBeLessThan(6e-7);
    expect(worstGrad).toBeLessThan(6e-7);
  });

  it('batchMatMul, on the per-batch XNNPACK path and the native one', () => {
    const big = [rand([3, 64, 32], 11), rand([3, 32, 48], 12)]; // 64·32·48 MACs: per-batch path
    const small = [rand([3, 4, 5], 13), rand([3, 5, 6], 14)]; // native path
    for (const xs of [big, small]) {
      checkAgainstReference(xs, (a, b) => batchMatMul(a as tf.Tensor3D, b as tf.Tensor3D), (a, b) => tf.matMul(a, b), 2e-5);
    }
    tf.dispose([...big, ...small]);
  });

  it('sumRows sums over the first axis', () => {
    tf.tidy(() => {
      const x = rand([37, 3], 15);
      const v = x.dataSync();
      const expected = [0, 1, 2].map((j) => Array.from({ length: 37 }, (_, i) => v[i * 3 + j]).reduce((a, b) => a + b, 0));
      const got = sumRows(x as tf.Tensor2D);
      expect(got.shape).toEqual([3]);
      got.dataSync().forEach((g, j) => expect(Math.abs(g - expected[j])).toBeLessThan(1e-5));
    });
  });

  it('dropout keeps a value exactly when rng.next() >= rate would, scaled by 1/(1 − rate)', () => {
    const before = tf.memory().numTensors;
    const rate = 0.1;
    const got = tf.tidy(() => dropout(tf.ones([50, 40]), rate, createRng(5)).dataSync());
    const reference = createRng(5);
    let kept = 0;
    for (const g of got) {
      const keep = reference.next() >= rate;
      expect(g).toBe(keep ? Math.fround(1 / (1 - rate)) : 0);
      if (keep) kept++;
    }
    expect(kept / got.length).toBeGreaterThan(0.85);
    expect(kept / got.length).toBeLessThan(0.95);
    expect(tf.memory().numTensors).toBe(before);
  });
});
