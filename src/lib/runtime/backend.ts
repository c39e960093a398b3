/**
 * Backend choice shared by the browser, the worker and Node. The platform files
 * (`backend.browser.ts`, `backend.node.ts`) only say where the wasm binaries are and how to load
 * the WebGPU backend; everything else lives here.
 */
import * as tf from '@tensorflow/tfjs';
import { registerSegmentSumKernels } from './segmentSumKernel';
import { registerWasmSliceKernels } from './wasmSliceKernels';
import { registerWasmGatherKernel } from './wasmGatherKernel';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendPreference = 'auto' | BackendName;

export interface BackendInfo {
  name: BackendName;
  /** GPU adapter / renderer description, for webgpu and webgl. */
  adapter?: string;
  /** False when the backend computes in float16 (some webgl GPUs): numerical fixtures fail there. */
  float32: boolean;
}

export interface PlatformHooks {
  /** Points the wasm backend at its .wasm binaries; called once, before the wasm backend starts. */
  configureWasm(): void;
  /** Imports `@tensorflow/tfjs-backend-webgpu` (registers the backend); absent where none exists. */
  loadWebgpu?: () => Promise<unknown>;
}

/** Order tried by 'auto': fastest first where it exists. */
export const AUTO_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string };
  requestAdapterInfo?: () => Promise<{ vendor?: string; architecture?: string; description?: string }>;
  isFallbackAdapter?: boolean;
}
interface NavigatorGpuLike { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }

let wasmConfigured = false;

async function describeAdapter(adapter: GpuAdapterLike): Promise<string> {
  let info = adapter.info;
  if (!info && adapter.requestAdapterInfo) {
    try { info = await adapter.requestAdapterInfo(); } catch { /* older browsers: no info */ }
  }
  const parts = [info?.vendor, info?.architecture, info?.description].filter((s): s is string => !!s);
  if (adapter.isFallbackAdapter) parts.push('(fallback adapter)');
  return parts.join(' ') || 'unknown adapter';
}

function webglRenderer(): string | undefined {
  try {
    const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
    if (!gl) return undefined;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  } catch {
    return undefined;
  }
}

/** Tries one backend; returns its info, or a reason why it is unavailable. */
async function tryBackend(name: BackendName, hooks: PlatformHooks): Promise<BackendInfo | string> {
  let adapter: string | undefined;
  if (name === 'webgpu') {
    if (!hooks.loadWebgpu) return 'WebGPU backend not available on this platform';
    const gpu = (globalThis.navigator as NavigatorGpuLike | undefined)?.gpu;
    if (!gpu) return 'navigator.gpu is missing (no WebGPU in this browser)';
    // tf.setBackend('webgpu') resolves false rather than throwing when there is no adapter, and
    // tells nothing about it: ask for the adapter ourselves first.
    const found = await gpu.requestAdapter().catch(() => null);
    if (!found) return 'navigator.gpu.requestAdapter() returned no adapter';
    adapter = await describeAdapter(found);
    await hooks.loadWebgpu();
  } else if (name === 'webgl') {
    if (typeof document === 'undefined' && typeof OffscreenCanvas === 'undefined') return 'no canvas (not a browser)';
  } else if (name === 'wasm') {
    if (!wasmConfigured) { hooks.configureWasm(); wasmConfigured = true; }
  }
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch (err) {
    return `initialisation failed: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (!ok || tf.getBackend() !== name) return 'initialisation failed (tf.setBackend returned false)';
  if (name === 'webgl') adapter = webglRenderer();
  const float32 = name === 'webgl' ? tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED') : true;
  return adapter === undefined ? { name, float32 } : { name, adapter, float32 };
}

/**
 * Selects and initialises a tfjs backend. 'auto' takes the first of webgpu → webgl → wasm → cpu
 * that initialises; a named backend that fails is an error (no silent fallback).
 */
export async function initBackendWith(preference: BackendPreference, hooks: PlatformHooks): Promise<BackendInfo> {
  registerSegmentSumKernels();
  registerWasmSliceKernels();
  registerWasmGatherKernel();
  const order = preference === 'auto' ? AUTO_ORDER : [preference];
  if (!AUTO_ORDER.includes(order[0]) ) {
    throw new Error(`unknown backend "${preference}"; expected auto, ${AUTO_ORDER.join(', ')}`);
  }
  const reasons: string[] = [];
  for (const name of order) {
    const result = await tryBackend(name, hooks);
    if (typeof result !== 'string') return result;
    reasons.push(`${name}: ${result}`);
  }
  throw new Error(`no tfjs backend could be initialised (${reasons.join('; ')})`);
}
