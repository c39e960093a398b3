/**
 * Stand-in for `onnxruntime-web` in the app bundle. TransferScope uses only the tokenizers of
 * `@xenova/transformers`, whose tensor module imports the ONNX runtime at load time; the real
 * runtime would add megabytes to the worker and is never called. This keeps the import working
 * with a plain data holder shaped like ort's Tensor.
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
