/**
 * Stand-in for `onnxruntime-web` / `onnxruntime-node` in the browser bundle. The tokenizer module
 * of `@xenova/transformers` (src/tokenizers.js) reaches onnxruntime only through its env module,
 * which reads `ONNX.env.wasm` when present; nothing here runs ONNX models. Aliasing both packages
 * to this file in vite.config.ts cuts ~560 kB from the bundle:
 *   resolve: { alias: [{ find: /^onnxruntime-(web|node)$/, replacement: '<abs path>/src/lib/bert/onnxruntimeStub.ts' }] }
 */
export const env = {};
export default { env };
