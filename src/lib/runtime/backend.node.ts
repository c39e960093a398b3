/** Node entry of the backend choice: wasm binaries come straight from node_modules. */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
import { initBackendWith, type BackendInfo, type BackendPreference } from './backend';

export type { BackendInfo, BackendName, BackendPreference } from './backend';

function wasmDistDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + path.sep;
}

/** In Node 'auto' ends on wasm (no WebGPU, no WebGL there). */
export function initBackend(preference: BackendPreference = 'auto'): Promise<BackendInfo> {
  return initBackendWith(preference, { configureWasm: () => setWasmPaths(wasmDistDir()) });
}
