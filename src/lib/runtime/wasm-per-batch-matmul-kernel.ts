/**
 * `PerBatchMatMul` for tfjs-wasm: a [n, m, k] · b [n, k, p] as n 2-D products on XNNPACK, in one
 * kernel call. Why: tfjs-wasm runs batched products through a naive loop (≈2 GFLOP/s) and 2-D ones
 * through XNNPACK (≈30), so attention multiplies per sequence and head (src/lib/bert/ops.ts); done
 * with tfjs ops that is an unstack, n matMuls and a stack, each of them dispatched, tracked and
 * copied (768 products and 1,000 more ops per training step of the bundled model). Here each
 * product's operands and result are registered with the wasm backend as views into the batched
 * buffers, handed to the stock BatchMatMul function, and unregistered (which also drops XNNPACK's
 * operator cached for them); nothing is copied. The same function does the same arithmetic, so the
 * values are those of n separate tf.matMul calls.
 */
import * as tf from '@tensorflow/tfjs';
import type { WasmKernelArgs } from './wasm-kernel-args';

export const PER_BATCH_MATMUL = 'PerBatchMatMul';

interface WasmModule {
  cwrap(name: string, ret: null, args: string[]): (...args: unknown[]) => void;
  tfjs: { registerTensor(id: number, size: number, offset: number): void; disposeData(id: number): void };
}

interface WasmBackendInternals {
  wasm: WasmModule;
  dataIdNextNumber: number;
  dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

type BatchMatMulFn = (aId: number, aShape: Uint8Array, aRank: number, bId: number, bShape: Uint8Array, bRank: number, transposeA: boolean, transposeB: boolean, outId: number) => void;

let batchMatMul: BatchMatMulFn | null = null;
let boundTo: WasmModule | null = null;

const shapeBytes = (shape: number[]) => new Uint8Array(new Int32Array(shape).buffer);

function perBatchMatMul({ inputs, backend }: WasmKernelArgs): tf.TensorInfo {
  const a = inputs.a as tf.TensorInfo;
  const b = inputs.b as tf.TensorInfo;
  if (a.shape.length !== 3 || b.shape.length !== 3 || a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[1]) {
    throw new Error(`${PER_BATCH_MATMUL}: shapes [${a.shape}] and [${b.shape}] are not [n, m, k] and [n, k, p]`);
  }
  if (a.dtype !== 'float32' || b.dtype !== 'float32') throw new Error(`${PER_BATCH_MATMUL} needs float32 operands`);
  const be = backend as WasmBackendInternals;
  if (boundTo !== be.wasm) {
    // The stock kernel's C function, bound once per wasm module (the signature of its setup).
    batchMatMul = be.wasm.cwrap('BatchMatMul', null, ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number']) as unknown as BatchMatMulFn;
    boundTo = be.wasm;
  }
  const [n, m, k] = a.shape;
  const p = b.shape[2];
  const out = be.makeOutput([n, m, p], 'float32');
  const aOffset = be.dataIdMap.get(a.dataId).memoryOffset;
  const bOffset = be.dataIdMap.get(b.dataId).memoryOffset;
  const outOffset = be.dataIdMap.get(out.dataId).memoryOffset;
  const aShape = shapeBytes([1, m, k]);
  const bShape = shapeBytes([1, k, p]);
  const view = (size: number, offset: number) => {
    const id = be.dataIdNextNumber++;
    be.wasm.tfjs.registerTensor(id, size, offset);
    return id;
  };
  for (let i = 0; i < n; i++) {
    const ids = [view(m * k, aOffset + i * m * k * 4), view(k * p, bOffset + i * k * p * 4), view(m * p, outOffset + i * m * p * 4)];
    try {
      batchMatMul!(ids[0], aShape, 3, ids[1], bShape, 3, false, false, ids[2]);
    } finally {
      for (const id of ids) be.wasm.tfjs.disposeData(id);
    }
  }
  return out;
}

let registered = false;

/** Registers the kernel for the wasm backend (idempotent; nothing to do before wasm is loaded). */
export function registerWasmPerBatchMatMulKernel(): void {
  if (registered || !tf.getKernel('BatchMatMul', 'wasm')) return;
  registered = true;
  tf.registerKernel({ kernelName: PER_BATCH_MATMUL, backendName: 'wasm', kernelFunc: perBatchMatMul as unknown as tf.KernelFunc });
}
