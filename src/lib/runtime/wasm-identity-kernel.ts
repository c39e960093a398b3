/**
 * `Identity` for tfjs-wasm without a copy. Why: tfjs saves every tensor a gradient needs through
 * `ENGINE.clone`, which runs `Identity`, and the stock wasm kernel (4.22) copies the whole buffer
 * each time — about 250 copies per training step of the bundled model. Tensors are immutable and
 * no kernel writes into its inputs, so the clone can share the buffer and raise its reference
 * count, as tfjs-cpu's Identity and tfjs-wasm's own Reshape do. Strings keep the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { replaceWasmKernel } from './wasm-kernel-replacement';
import type { WasmKernelArgs } from './wasm-kernel-args';

interface RefCountingBackend {
  incRef(dataId: tf.DataId): void;
}

export function registerWasmIdentityKernel(): void {
  replaceWasmKernel('Identity', (stock) => ((args: WasmKernelArgs): tf.TensorInfo => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === 'string') return stock(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    (args.backend as RefCountingBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  }) as unknown as tf.KernelFunc);
}
