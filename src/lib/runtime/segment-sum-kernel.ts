/**
 * `UnsortedSegmentSum` is the gradient of `gather`, i.e. of every embedding lookup. tfjs 4.22's wasm
 * backend has no such kernel (training fails), and the cpu one loops over EVERY segment (every
 * vocabulary row) with four tensor ops each: minutes per step. Both get a plain scatter-add over the
 * rows that actually occur, which costs O(x.size) and takes a few milliseconds.
 */
import * as tf from '@tensorflow/tfjs';
import type { WasmHeapBackend } from './wasm-kernel-args';

type TypedNumbers = Float32Array | Int32Array | Uint8Array;

/** Scatter-adds row r of `x` (rows of `rowSize` values) into output row `ids[r]`; ids outside
 * [0, numSegments) are dropped, as TensorFlow does. */
export function scatterAddRows(x: TypedNumbers, ids: TypedNumbers, rowSize: number, numSegments: number, out: Float32Array): void {
  out.fill(0);
  const rows = ids.length;
  for (let r = 0; r < rows; r++) {
    const id = ids[r];
    if (id < 0 || id >= numSegments || !Number.isInteger(id)) continue;
    const src = r * rowSize;
    const dst = id * rowSize;
    for (let j = 0; j < rowSize; j++) out[dst + j] += x[src + j];
  }
}

function outputShape(x: tf.TensorInfo, segmentIds: tf.TensorInfo, numSegments: number): { shape: number[]; rowSize: number } {
  const idsRank = segmentIds.shape.length;
  for (let i = 0; i < idsRank; i++) {
    if (segmentIds.shape[i] !== x.shape[i]) {
      throw new Error(`UnsortedSegmentSum: segmentIds shape [${segmentIds.shape}] must be a prefix of x shape [${x.shape}]`);
    }
  }
  const inner = x.shape.slice(idsRank);
  return { shape: [numSegments, ...inner], rowSize: inner.reduce((a, b) => a * b, 1) };
}

/** Minimal view of the cpu backend. */
interface CpuBackendLike {
  readSync(dataId: tf.DataId): TypedNumbers;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

function wasmSegmentSum({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = Number((attrs as { numSegments: number }).numSegments);
  const b = backend as WasmHeapBackend;
  const { shape, rowSize } = outputShape(x, segmentIds, numSegments);
  const out = b.makeOutput(shape, 'float32');
  // Views into the wasm heap: no copies; nothing allocates between taking them and the loop.
  scatterAddRows(b.typedArrayFromHeap(x), b.typedArrayFromHeap(segmentIds), rowSize, numSegments, b.typedArrayFromHeap(out) as Float32Array);
  return out;
}

function cpuSegmentSum({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = Number((attrs as { numSegments: number }).numSegments);
  const b = backend as CpuBackendLike;
  const { shape, rowSize } = outputShape(x, segmentIds, numSegments);
  const out = new Float32Array(shape.reduce((a, c) => a * c, 1));
  scatterAddRows(b.readSync(x.dataId), b.readSync(segmentIds.dataId), rowSize, numSegments, out);
  return b.makeTensorInfo(shape, 'float32', out);
}

const KERNEL = 'UnsortedSegmentSum';
let registered = false;

/**
 * Registers the wasm kernel and replaces the cpu one. Idempotent. Must run before the first
 * gradient of a gather on those backends; `initBackend` calls it. webgl/webgpu keep their own
 * (GPU) kernels, which are fine.
 */
export function registerSegmentSumKernels(): void {
  if (registered) return;
  registered = true;
  for (const [backendName, kernelFunc] of [['wasm', wasmSegmentSum], ['cpu', cpuSegmentSum]] as const) {
    if (tf.getKernel(KERNEL, backendName)) tf.unregisterKernel(KERNEL, backendName);
    tf.registerKernel({ kernelName: KERNEL, backendName, kernelFunc: kernelFunc as unknown as tf.KernelFunc });
  }
}
