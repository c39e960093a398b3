/**
 * A faster `Transpose` for tfjs-wasm on tall float32 matrices: a permutation that swaps the last two
 * axes (2-D `[1, 0]`, 3-D `[0, 2, 1]`, …) of matrices with at least `TALL_ROWS` rows, as `linear`'s
 * backward pass asks for ([1024, 128] per step of the bundled model, 17 times). The stock kernel
 * (4.22) writes the output in order and so reads the input a whole row apart for every value, which
 * leaves the cache once the input is tall (≈0.9 ms for [1024, 128], 7 ns a value, against under 1 ns
 * for [64, 64]); reading eight rows at a time in order takes about a ninth of that. Smaller
 * matrices, other permutations and other dtypes go to the stock kernel. Values are copied, not
 * computed: the result is bit-identical.
 */
import * as tf from '@tensorflow/tfjs';
import { replaceWasmKernel } from './wasm-kernel-replacement';
import type { WasmHeapBackend, WasmKernelArgs } from './wasm-kernel-args';

/** Below this many rows the stock kernel's reads stay in cache and it is as fast (measured). */
export const TALL_ROWS = 256;

/**
 * `batches` row-major [rows, cols] matrices of `x`, each written transposed into `out`. Eight input
 * rows per pass: eight reads that walk their rows in order and eight adjacent writes (0.1 ms for
 * [1024, 128]; tiling in 16×16 blocks took 0.5).
 */
export function transposeLastTwo(x: Float32Array, out: Float32Array, batches: number, rows: number, cols: number): void {
  const size = rows * cols;
  for (let b = 0; b < batches; b++) {
    const base = b * size;
    let i = 0;
    for (; i + 8 <= rows; i += 8) {
      const s = base + i * cols;
      for (let j = 0; j < cols; j++) {
        const d = base + j * rows + i;
        const p = s + j;
        out[d] = x[p];
        out[d + 1] = x[p + cols];
        out[d + 2] = x[p + 2 * cols];
        out[d + 3] = x[p + 3 * cols];
        out[d + 4] = x[p + 4 * cols];
        out[d + 5] = x[p + 5 * cols];
        out[d + 6] = x[p + 6 * cols];
        out[d + 7] = x[p + 7 * cols];
      }
    }
    for (; i < rows; i++) {
      const s = base + i * cols;
      for (let j = 0; j < cols; j++) out[base + j * rows + i] = x[s + j];
    }
  }
}

/** True when `perm` keeps every axis but the last two in place and swaps those two. */
export function swapsLastTwo(perm: readonly number[]): boolean {
  const r = perm.length;
  if (r < 2 || perm[r - 2] !== r - 1 || perm[r - 1] !== r - 2) return false;
  for (let i = 0; i < r - 2; i++) if (perm[i] !== i) return false;
  return true;
}

export function registerWasmTransposeKernel(): void {
  replaceWasmKernel('Transpose', (stock) => ((args: WasmKernelArgs): tf.TensorInfo => {
    const x = args.inputs.x as tf.TensorInfo;
    const perm = (args.attrs as unknown as { perm: number[] }).perm;
    const r = x.shape.length;
    if (x.dtype !== 'float32' || !swapsLastTwo(perm) || x.shape[r - 2] < TALL_ROWS) {
      return stock(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    }
    const b = args.backend as WasmHeapBackend;
    const rows = x.shape[r - 2];
    const cols = x.shape[r - 1];
    const out = b.makeOutput([...x.shape.slice(0, r - 2), cols, rows], 'float32');
    const n = x.shape.reduce((p, d) => p * d, 1);
    if (n === 0) return out;
    // Views after makeOutput: allocating may grow (and detach) the heap. Both are float32.
    transposeLastTwo(b.typedArrayFromHeap(x) as Float32Array, b.typedArrayFromHeap(out) as Float32Array, n / (rows * cols), rows, cols);
    return out;
  }) as unknown as tf.KernelFunc);
}
