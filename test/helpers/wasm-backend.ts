/**
 * Unit tests run on the tfjs wasm backend (float32, ~30× faster than cpu in Node).
 * Call `useWasmBackend()` at the top of a test file.
 */
import { beforeAll } from 'vitest';
import { initBackend, type BackendInfo } from '../../src/lib/runtime/backend.node.js';

export function useWasmBackend(): void {
  beforeAll(async () => {
    await initBackend('wasm');
  });
}

export function initWasm(): Promise<BackendInfo> {
  return initBackend('wasm');
}
