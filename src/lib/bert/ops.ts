/**
 * BERT's building blocks with hand-written gradients. Why: tfjs-wasm runs a 2-D matMul through
 * XNNPACK only when neither operand is transposed (≈25 GFLOP/s); with a transposed operand it
 * falls back to a naive loop (≈1–2 GFLOP/s), and tfjs's own matMul gradient uses transposed
 * operands. Explicit transposes cost a few ms, so `linear` transposes first and multiplies on the
 * fast path, forward and backward. LayerNorm and GELU get closed-form gradients with far fewer
 * ops than autodiff through their pieces. All of this is exact math, only reordered.
 */
import * as tf from '@tensorflow/tfjs';
import type { HiddenAct } from './config';
import type { Rng } from '../util/rng';
import { PER_BATCH_MATMUL } from '../runtime/wasm-per-batch-matmul-kernel';

/**
 * Switches for the wasm-only fast paths below (both on by default). They exist so that the training
 * benchmark can measure what each one buys (`npm run bench -- train --plain-attention --plain-gelu`).
 */
export const wasmFastPaths = { perBatchMatMul: true, vectorisedGelu: true };

type CustomOpBody = (...args: never[]) => { value: tf.Tensor; gradFunc: (dy: never, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[] };

/** tf.customGrad with the typing tfjs does not export: the body gets its tensors, then `save`. */
function customOp<A extends tf.Tensor[], R extends tf.Tensor>(body: CustomOpBody): (...args: A) => R {
  return tf.customGrad(body as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (...args: A) => R;
}

/**
 * Column sums of a 2-D tensor. On wasm a plain sum (src/lib/runtime/wasm-column-sum-kernel.ts makes
 * it one pass); elsewhere a [1, N]·[N, M] product, as the GPU backends have run it all along.
 */
export function sumRows(x: tf.Tensor2D): tf.Tensor1D {
  if (tf.getBackend() === 'wasm') return tf.sum(x, 0);
  return tf.tidy(() => tf.matMul(tf.ones([1, x.shape[0]]), x).reshape([x.shape[1]]));
}

/**
 * `x·Wᵀ + b` for x [N, in], W [out, in] (PyTorch layout), b [out].
 * Backward: dx = dy·W; dW = dyᵀ·x or (xᵀ·dy)ᵀ (see below); db = Σ_rows dy.
 */
export const linear = customOp<[tf.Tensor2D, tf.Tensor, tf.Tensor], tf.Tensor2D>(((x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
  save([x, w]);
  const value = tf.fused.matMul({ a: x, b: tf.transpose(w), bias: b });
  return {
    value,
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
      const [n, inDim] = sx.shape;
      const outDim = sw.shape[0];
      const dx = tf.matMul(dy, sw);
      // On wasm, XNNPACK packs a product's right-hand operand anew on every call (it takes it for
      // weights), and packing [n, k] costs more than transposing it with our Transpose kernel
      // (src/lib/runtime/wasm-transpose-kernel.ts): keep the narrower of x [n, in] and dy [n, out] on
      // the right (measured per call for n = 1024: 0.6–1.3 ms less on the bundled model's layers).
      // Elsewhere transpose whichever side is smaller: dy directly, or x plus the result.
      const dyOnTheLeft = tf.getBackend() === 'wasm' ? inDim <= outDim : n * outDim <= n * inDim + inDim * outDim;
      const dw = dyOnTheLeft
        ? tf.matMul(tf.transpose(dy), sx)
        : tf.transpose(tf.matMul(tf.transpose(sx), dy));
      return [dx, dw, sumRows(dy)];
    },
  };
}) as CustomOpBody);

/**
 * a [n, m, k] · b [n, k, p] as n separate 2-D products (each on XNNPACK's fast path): one kernel call
 * (src/lib/runtime/wasm-per-batch-matmul-kernel.ts) where it is registered, else unstack, n matMuls
 * and a stack.
 */
function matMulPerBatch(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  if (tf.getBackend() === 'wasm' && tf.getKernel(PER_BATCH_MATMUL, 'wasm')) return tf.engine().runKernel(PER_BATCH_MATMUL, { a, b }, {}) as tf.Tensor3D;
  const as = tf.unstack(a) as tf.Tensor2D[];
  const bs = tf.unstack(b) as tf.Tensor2D[];
  return tf.stack(as.map((ai, i) => tf.matMul(ai, bs[i]))) as tf.Tensor3D;
}

const swapLast = (t: tf.Tensor3D) => tf.transpose(t, [0, 2, 1]);

const matMulPerBatchOp = customOp<[tf.Tensor3D, tf.Tensor3D], tf.Tensor3D>(((a: tf.Tensor3D, b: tf.Tensor3D, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: matMulPerBatch(a, b),
    gradFunc: (dy: tf.Tensor3D, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor3D, tf.Tensor3D];
      return [matMulPerBatch(dy, swapLast(sb)), matMulPerBatch(swapLast(sa), dy)];
    },
  };
}) as CustomOpBody);

/**
 * Below this many multiply-adds per 2-D product, the fixed cost of a separate XNNPACK call
 * (≈40 µs: operator creation, weight packing, tfjs dispatch) outweighs its speed.
 */
const PER_BATCH_MIN_MACS = 32_768;

/**
 * Batched matmul a [n, m, k] · b [n, k, p] (attention). tfjs-wasm runs batched products through a
 * naive loop (≈2 GFLOP/s); there, for products big enough (BERT-mini: 64×64×64), n separate 2-D
 * products on XNNPACK make a whole training step ~2× faster. Other backends, and small products,
 * keep the native batched kernel.
 */
export function batchMatMul(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  const macs = a.shape[1] * a.shape[2] * b.shape[2];
  if (wasmFastPaths.perBatchMatMul && tf.getBackend() === 'wasm' && macs >= PER_BATCH_MIN_MACS) return matMulPerBatchOp(a, b);
  return tf.matMul(a, b);
}

/**
 * LayerNorm over the last axis with the biased variance, as torch: (x-μ)/sqrt(σ²+eps)·γ + β.
 * x is 2-D [N, H].
 */
export function layerNorm(x: tf.Tensor2D, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor2D {
  const f = customOp<[tf.Tensor2D, tf.Tensor, tf.Tensor], tf.Tensor2D>(((xi: tf.Tensor2D, g: tf.Tensor1D, bt: tf.Tensor1D, save: tf.GradSaveFunc) => {
    const mean = tf.mean(xi, -1, true);
    const centered = tf.sub(xi, mean);
    const variance = tf.mean(tf.square(centered), -1, true);
    const rstd = tf.rsqrt(tf.add(variance, eps));
    const xhat = tf.mul(centered, rstd);
    save([xhat, rstd, g]);
    return {
      value: tf.add(tf.mul(xhat, g), bt),
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
        const [sxhat, srstd, sg] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
        const dxhat = tf.mul(dy, sg);
        const dx = tf.mul(
          srstd,
          tf.sub(tf.sub(dxhat, tf.mean(dxhat, -1, true)), tf.mul(sxhat, tf.mean(tf.mul(dxhat, sxhat), -1, true))),
        );
        return [dx, sumRows(tf.mul(dy, sxhat) as tf.Tensor2D), sumRows(dy)];
      },
    };
  }) as CustomOpBody);
  return f(x, gamma, beta);
}

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Abramowitz & Stegun 7.1.26: erfc(a) ≈ t·(a1 + t·(a2 + t·(a3 + t·(a4 + t·a5))))·exp(−a²), t = 1/(1 + p·a), a ≥ 0. */
const AS_P = 0.3275911;
const AS_A = [0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429] as const;

/**
 * Φ(z) and exp(−z²/2) with only ops that tfjs-wasm runs vectorised through XNNPACK. Its Erf and Exp
 * kernels are scalar libm loops (≈40 ns per value: ~90 ms per erf of BERT-mini's FFN activations,
 * while a multiply takes <1 ms). Here exp(−u) = s/(1−s) with s = sigmoid(−u) (XNNPACK's sigmoid is
 * vectorised and accurate to a few ulps; 1−s ≥ ½ so nothing cancels), and erf comes from A&S 7.1.26
 * (|error| ≤ 1.5e-7, the formula tfjs's own cpu backend uses).
 */
function normalCdfAndGauss(z: tf.Tensor): { cdf: tf.Tensor; gauss: tf.Tensor } {
  const s = tf.sigmoid(tf.mul(tf.square(z), -0.5));
  const gauss = tf.div(s, tf.sub(1, s)); // exp(−z²/2)
  const a = tf.mul(tf.abs(z), SQRT1_2);
  const t = tf.reciprocal(tf.add(1, tf.mul(a, AS_P)));
  // Coefficients halved: the polynomial times exp gives ½·erfc(|z|/√2) = Φ(−|z|) directly.
  let poly: tf.Tensor = tf.mul(t, AS_A[4] / 2);
  for (let i = 3; i >= 0; i--) poly = tf.mul(t, tf.add(poly, AS_A[i] / 2));
  const tail = tf.mul(poly, gauss);
  // Φ(z) = tail for z ≤ 0 and 1 − tail for z > 0, i.e. |step(z) − tail| since tail ≤ ½.
  const cdf = tf.abs(tf.sub(tf.step(z), tail));
  return { cdf, gauss };
}

/** Exact GELU z·Φ(z), Φ(z) = ½(1 + erf(z/√2)); gradient Φ(z) + z·φ(z), φ(z) = exp(−z²/2)/√(2π). */
export const geluErf = customOp<[tf.Tensor], tf.Tensor>(((z: tf.Tensor, save: tf.GradSaveFunc) => {
  let cdf: tf.Tensor;
  let gauss: tf.Tensor | null = null;
  if (wasmFastPaths.vectorisedGelu && tf.getBackend() === 'wasm') ({ cdf, gauss } = normalCdfAndGauss(z));
  else cdf = tf.mul(0.5, tf.add(1, tf.erf(tf.mul(z, SQRT1_2))));
  save(gauss ? [z, cdf, gauss] : [z, cdf]);
  return {
    value: tf.mul(z, cdf),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sz, scdf, sgauss] = saved;
      const pdf = tf.mul(sgauss ?? tf.exp(tf.mul(tf.square(sz), -0.5)), INV_SQRT_2PI);
      return tf.mul(dy, tf.add(scdf, tf.mul(sz, pdf)));
    },
  };
}) as CustomOpBody);

/** The tanh approximation of GELU ("gelu_new"), through autodiff. */
function geluTanh(z: tf.Tensor): tf.Tensor {
  const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(z, tf.mul(0.044715, tf.pow(z, 3))));
  return tf.mul(tf.mul(0.5, z), tf.add(1, tf.tanh(inner)));
}

export function activation(z: tf.Tensor, act: HiddenAct): tf.Tensor {
  switch (act) {
    case 'gelu': return geluErf(z);
    case 'gelu_new':
    case 'gelu_pytorch_tanh': return geluTanh(z);
    case 'relu': return tf.relu(z);
  }
}

/**
 * Inverted dropout (kept values scaled by 1/(1-rate), as torch). The mask is drawn from the JS
 * PRNG, so a seed gives the same mask on every backend.
 */
export function dropout<T extends tf.Tensor>(x: T, rate: number, rng: Rng | undefined): T {
  if (!rng || rate <= 0) return x;
  const keep = 1 / (1 - rate);
  const draws = new Uint32Array(x.size);
  rng.fillUint32(draws);
  // draw / 2^32 >= rate ⟺ draw >= rate·2^32 (exact in float64): the same mask as rng.next() >= rate.
  const threshold = rate * 4294967296;
  const mask = new Float32Array(x.size);
  for (let i = 0; i < mask.length; i++) mask[i] = draws[i] >= threshold ? keep : 0;
  return tf.tidy(() => tf.mul(x, tf.tensor(mask, x.shape, 'float32'))) as T;
}
