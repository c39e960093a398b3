/**
 * Drop-in `Slice`, `Unpack` (unstack) and `SplitV` kernels for tfjs-wasm. The stock Slice kernel
 * (4.22), which the other two call per output, first copies the WHOLE input out of the wasm heap
 * (`readSync`) for every slice: unstacking a 2 MB tensor into 128 pieces moves 256 MB (~200 ms
 * instead of ~2 ms). These read the input through a heap view. Same semantics.
 */
import * as tf from '@tensorflow/tfjs';
import type { HeapArray, WasmHeapBackend, WasmKernelArgs } from './wasm-kernel-args';

/** Copies the box `begin`/`size` of a row-major array of shape `shape` into `out`. */
export function copyBox(x: HeapArray, shape: readonly number[], begin: readonly number[], size: readonly number[], out: HeapArray): void {
  const rank = shape.length;
  if (rank === 0) {
    out[0] = x[0];
    return;
  }
  const strides = new Array<number>(rank);
  strides[rank - 1] = 1;
  for (let d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1] * shape[d + 1];
  // Merge trailing dimensions that are taken whole into one contiguous run.
  let inner = rank - 1;
  while (inner > 0 && begin[inner] === 0 && size[inner] === shape[inner]) inner--;
  const run = size[inner] * strides[inner];
  let outPos = 0;
  const index = new Array<number>(inner).fill(0);
  for (;;) {
    let src = begin[inner] * strides[inner];
    for (let d = 0; d < inner; d++) src += (begin[d] + index[d]) * strides[d];
    out.set(x.subarray(src, src + run), outPos);
    outPos += run;
    let d = inner - 1;
    while (d >= 0 && ++index[d] === size[d]) index[d--] = 0;
    if (d < 0) break;
  }
}

function sliceBox(b: WasmHeapBackend, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  if (x.dtype === 'string') throw new Error('slicing string tensors is not supported on wasm here');
  const out = b.makeOutput(size, x.dtype);
  if (size.some((s) => s === 0)) return out;
  // Views taken after makeOutput: allocating may grow (and detach) the heap.
  copyBox(b.typedArrayFromHeap(x), x.shape, begin, size, b.typedArrayFromHeap(out));
  return out;
}

function slice({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo {
  const x = inputs.x as tf.TensorInfo;
  const a = attrs as unknown as { begin: number[]; size: number[] };
  const [begin, size] = tf.slice_util.parseSliceParams(x as unknown as tf.Tensor, a.begin, a.size);
  return sliceBox(backend as WasmHeapBackend, x, begin, size);
}

function unpack({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo[] {
  const value = inputs.value as tf.TensorInfo;
  const rank = value.shape.length;
  let axis = (attrs as unknown as { axis: number }).axis;
  if (axis < 0) axis += rank;
  const outShape = value.shape.filter((_, i) => i !== axis);
  const begin = new Array<number>(rank).fill(0);
  const size = [...value.shape];
  size[axis] = 1;
  const outs: tf.TensorInfo[] = [];
  for (let i = 0; i < value.shape[axis]; i++) {
    begin[axis] = i;
    const o = sliceBox(backend as WasmHeapBackend, value, begin, size);
    outs.push({ dataId: o.dataId, dtype: o.dtype, shape: outShape });
  }
  return outs;
}

function splitV({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo[] {
  const x = inputs.x as tf.TensorInfo;
  const a = attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
  const axis = tf.util.parseAxisParam(a.axis, x.shape)[0];
  const sizes = tf.backend_util.prepareSplitSize(x as unknown as tf.Tensor, a.numOrSizeSplits, axis);
  const begin = new Array<number>(x.shape.length).fill(0);
  return sizes.map((s) => {
    const size = [...x.shape];
    size[axis] = s;
    const out = sliceBox(backend as WasmHeapBackend, x, [...begin], size);
    begin[axis] += s;
    return out;
  });
}

let registered = false;

/** Replaces tfjs-wasm's Slice, Unpack and SplitV kernels (idempotent). */
export function registerWasmSliceKernels(): void {
  if (registered) return;
  registered = true;
  const kernels: [string, unknown][] = [['Slice', slice], ['Unpack', unpack], ['SplitV', splitV]];
  for (const [name, fn] of kernels) {
    if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: fn as tf.KernelFunc });
  }
}
