/**
 * What a kernel written here for tfjs-wasm is given, and the part of the wasm backend it uses:
 * tfjs does not export BackendWasm's type, so the kernels name the two methods they call.
 */
import type * as tf from '@tensorflow/tfjs';

/** A view of a tensor's values in the wasm heap (`typedArrayFromHeap`). */
export type HeapArray = Float32Array | Int32Array | Uint8Array;

export interface WasmKernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}

export interface WasmHeapBackend {
  /** Allocates an output tensor in the heap (may grow the heap and so detach earlier views). */
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): HeapArray;
}
