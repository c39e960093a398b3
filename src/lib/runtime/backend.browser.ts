/**
 * Browser/worker entry of the backend choice. Vite serves the wasm binaries (`?url` imports give
 * their hashed URLs), so the app works offline with no CDN.
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { initBackendWith, type BackendInfo, type BackendPreference } from './backend';

export type { BackendInfo, BackendName, BackendPreference } from './backend';

export function initBackend(preference: BackendPreference = 'auto'): Promise<BackendInfo> {
  return initBackendWith(preference, {
    configureWasm: () =>
      setWasmPaths({
        'tfjs-backend-wasm.wasm': wasmUrl,
        'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
        'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
      }),
    loadWebgpu: () => import('@tensorflow/tfjs-backend-webgpu'),
  });
}
