/**
 * Node entry of the backend choice: wasm binaries come straight from node_modules; WebGPU, when
 * asked for by name, goes through Dawn's Node binding (npm `webgpu`).
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
import { initBackendWith, type BackendInfo, type BackendPreference } from './backend';

export type { BackendInfo, BackendName, BackendPreference } from './backend';

function wasmDistDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + path.sep;
}

/**
 * Sets navigator.gpu (and the GPU* constants tfjs reads) from Dawn. The tfjs WebGPU backend
 * registers itself at import only where navigator.gpu exists, so this runs before that import.
 * `webgpu` is a devDependency (a 130 MB package for benchmarks and GPU checks), hence the message.
 */
async function installDawnNavigatorGpu(): Promise<void> {
  if ((globalThis.navigator as { gpu?: unknown } | undefined)?.gpu) return;
  let dawn: typeof import('webgpu');
  try {
    dawn = await import('webgpu');
  } catch (err) {
    throw new Error(`backend "webgpu" in Node needs the npm package "webgpu" (Dawn's Node binding): ${err instanceof Error ? err.message : String(err)}`);
  }
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  // Node ≥ 21 has a navigator object; Node 20 has none.
  if (globalThis.navigator) Object.defineProperty(globalThis.navigator, 'gpu', { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
}

/** In Node 'auto' ends on wasm (no WebGPU unless asked for by name, no WebGL). */
export async function initBackend(preference: BackendPreference = 'auto'): Promise<BackendInfo> {
  if (preference === 'webgpu') await installDawnNavigatorGpu();
  return initBackendWith(preference, {
    configureWasm: () => setWasmPaths(wasmDistDir()),
    loadWebgpu: () => import('@tensorflow/tfjs-backend-webgpu'),
  });
}
