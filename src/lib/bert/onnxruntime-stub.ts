/**
 * Stand-in for `onnxruntime-web` / `onnxruntime-node` in the app bundle (vite.config.ts aliases
 * both packages here). TransferScope uses only the tokenizers of `@xenova/transformers`; its
 * backends/onnx.js imports the ONNX runtime at load time, its env module reads `env.wasm`, and its
 * tensor module reads `Tensor` (for `instanceof`), but nothing here runs ONNX models. The real
 * runtime would add ~560 kB to the worker for code that is never called.
 */
export class Tensor {
  constructor(
    readonly type: string,
    readonly data: ArrayLike<unknown>,
    readonly dims: readonly number[],
  ) {}
}

export const env = { wasm: {} as Record<string, unknown> };
export default { Tensor, env };
