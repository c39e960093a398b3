/**
 * A faster `Sum` for tfjs-wasm over axis 0 of a 2-D float32 tensor: the bias and LayerNorm
 * gradients (`sumRows` in src/lib/bert/ops.ts), 26 per training step of the bundled model. The stock
 * kernel first transposes the whole input so that the reduced axis is innermost; a product with a
 * row of ones, the earlier workaround, makes XNNPACK pack the whole input as weights (≈0.5 ms for
 * [1024, 128]). Adding row after row into a float64 accumulator reads the input once, in order.
 * Other sums go to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { replaceWasmKernel } from './wasm-kernel-replacement';
import type { WasmHeapBackend, WasmKernelArgs } from './wasm-kernel-args';

/**
 * Column sums of a row-major [rows, cols] array into `out` (length cols). Four rows per pass: the
 * accumulator is read and written a quarter as often (0.1 ms instead of 0.2 for [1024, 128]).
 */
export function columnSums(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
  const acc = new Float64Array(cols);
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const s0 = i * cols;
    const s1 = s0 + cols;
    const s2 = s1 + cols;
    const s3 = s2 + cols;
    for (let j = 0; j < cols; j++) acc[j] += x[s0 + j] + x[s1 + j] + (x[s2 + j] + x[s3 + j]);
  }
  for (; i < rows; i++) {
    const s = i * cols;
    for (let j = 0; j < cols; j++) acc[j] += x[s + j];
  }
  out.set(acc);
}

export function registerWasmColumnSumKernel(): void {
  replaceWasmKernel('Sum', (stock) => ((args: WasmKernelArgs): tf.TensorInfo => {
    const x = args.inputs.x as tf.TensorInfo;
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const axes = x.shape.length === 2 ? tf.util.parseAxisParam(axis, x.shape) : [];
    if (x.dtype !== 'float32' || axes.length !== 1 || axes[0] !== 0) {
      return stock(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    }
    const b = args.backend as WasmHeapBackend;
    const [rows, cols] = x.shape;
    const out = b.makeOutput(keepDims ? [1, cols] : [cols], 'float32');
    // Views after makeOutput: allocating may grow (and detach) the heap. Both are float32.
    columnSums(b.typedArrayFromHeap(x) as Float32Array, rows, cols, b.typedArrayFromHeap(out) as Float32Array);
    return out;
  }) as unknown as tf.KernelFunc);
}
