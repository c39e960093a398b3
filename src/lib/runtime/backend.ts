/**
 * Backend choice shared by the browser, the worker and Node. The platform files
 * (`backend.browser.ts`, `backend.node.ts`) only say where the wasm binaries are and how to load
 * the WebGPU backend; everything else lives here.
 */
import * as tf from '@tensorflow/tfjs';
import { registerSegmentSumKernels } from './segment-sum-kernel';
import { registerWasmSliceKernels } from './wasm-slice-kernels';
import { registerWasmGatherKernel } from './wasm-gather-kernel';
import { registerWasmIdentityKernel } from './wasm-identity-kernel';
import { registerWasmTransposeKernel } from './wasm-transpose-kernel';
import { registerWasmColumnSumKernel } from './wasm-column-sum-kernel';
import { registerWasmPerBatchMatMulKernel } from './wasm-per-batch-matmul-kernel';
import { BACKEND_LABELS, chooseFastest, isSoftwareGpu, type ProbedBackend } from './backend-choice';

import type { BackendName, BackendPreference } from './backend-name';

export type { BackendName, BackendPreference };

export interface BackendInfo {
  name: BackendName;
  /** GPU adapter / renderer description, for webgpu and webgl. */
  adapter?: string;
  /** False when the backend computes in float16 (some webgl GPUs): numerical fixtures fail there. */
  float32: boolean;
  /** Why this backend, in one line: "wasm — no GPU found", "WebGPU — NVIDIA …, 9× wasm", "chosen in the settings". */
  reason?: string;
  /** What 'auto' found and measured on every candidate (for a tooltip). */
  details?: string;
}

export interface PlatformHooks {
  /** Points the wasm backend at its .wasm binaries; called once, before the wasm backend starts. */
  configureWasm(): void;
  /** Imports `@tensorflow/tfjs-backend-webgpu` (registers the backend); absent where none exists. */
  loadWebgpu?: () => Promise<unknown>;
}

/** Order of the fallback after a lost device, and of the candidates 'auto' probes (cpu only when none starts). */
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

/** Probe slice per candidate: 'auto' stays well under 3 s with three candidates, warm-ups included. */
const PROBE_MS = 600;
const PROBE_N = 256;

/**
 * Times a 256³ matrix product on the current backend (BERT training is dominated by such
 * products): one warm-up (shader compilation, wasm start), then repeats until the slice is spent.
 * Returns GFLOP/s.
 */
async function probeSpeed(sliceMs: number): Promise<number> {
  const [a, b] = tf.tidy(() => [tf.randomUniform([PROBE_N, PROBE_N]), tf.randomUniform([PROBE_N, PROBE_N])]);
  const once = async () => {
    const c = tf.matMul(a, b);
    try { await c.data(); } finally { c.dispose(); }
  };
  try {
    const warmStart = performance.now();
    await once();
    const warm = performance.now() - warmStart;
    let reps = 0;
    const start = performance.now();
    while (reps < 50 && performance.now() - start < sliceMs - warm) { await once(); reps++; }
    // A backend too slow for a second product within its slice is measured by its warm-up alone.
    const seconds = reps > 0 ? (performance.now() - start) / 1000 / reps : warm / 1000;
    return (2 * PROBE_N ** 3) / seconds / 1e9;
  } finally {
    a.dispose();
    b.dispose();
  }
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
async function tryBackend(name: BackendName, hooks: PlatformHooks, skipSoftwareGpu = false): Promise<BackendInfo | string> {
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
    // A fallback adapter (SwiftShader here) runs BERT ~100× slower than wasm: 'auto' never starts it.
    if (skipSoftwareGpu && isSoftwareGpu(adapter, found.isFallbackAdapter)) return `software adapter (${adapter}), skipped`;
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
 * 'auto': starts webgpu (hardware adapters only), webgl and wasm, times a short probe on each that
 * started (when more than one did), and keeps the fastest; cpu only when none of them starts.
 */
async function chooseAuto(hooks: PlatformHooks): Promise<BackendInfo> {
  const started: BackendInfo[] = [];
  const skipped: string[] = [];
  for (const name of ['webgpu', 'webgl', 'wasm'] as const) {
    const result = await tryBackend(name, hooks, true);
    if (typeof result === 'string') skipped.push(`${BACKEND_LABELS[name]}: ${result}`);
    else started.push(result);
  }
  if (started.length === 0) {
    const cpu = await tryBackend('cpu', hooks);
    if (typeof cpu === 'string') throw new Error(`no tfjs backend could be initialised (${[...skipped, `cpu: ${cpu}`].join('; ')})`);
    started.push(cpu);
  }
  const probed: ProbedBackend[] = [];
  for (const info of started) {
    const candidate: ProbedBackend = { name: info.name, software: isSoftwareGpu(info.adapter) && info.name !== 'wasm' && info.name !== 'cpu' };
    if (info.adapter) candidate.adapter = info.adapter;
    if (started.length > 1) {
      await tf.setBackend(info.name);
      try {
        candidate.gflops = await probeSpeed(PROBE_MS);
      } catch (err) {
        skipped.push(`${BACKEND_LABELS[info.name]}: the speed probe failed (${err instanceof Error ? err.message : String(err)})`);
        continue;
      }
    }
    probed.push(candidate);
  }
  const choice = chooseFastest(probed, skipped);
  const info = started.find((s) => s.name === choice.name)!;
  if (!(await tf.setBackend(info.name))) throw new Error(`the ${info.name} backend started, then could not be selected again`);
  return { ...info, reason: choice.reason, details: choice.details };
}

/**
 * Selects and initialises a tfjs backend. 'auto' measures the candidates and keeps the fastest
 * (`chooseAuto`); a named backend that fails is an error (no silent fallback).
 */
export async function initBackendWith(preference: BackendPreference, hooks: PlatformHooks): Promise<BackendInfo> {
  registerSegmentSumKernels();
  registerWasmSliceKernels();
  registerWasmGatherKernel();
  registerWasmIdentityKernel();
  registerWasmTransposeKernel();
  registerWasmColumnSumKernel();
  registerWasmPerBatchMatMulKernel();
  if (preference === 'auto') return chooseAuto(hooks);
  if (!AUTO_ORDER.includes(preference)) {
    throw new Error(`unknown backend "${preference}"; expected auto, ${AUTO_ORDER.join(', ')}`);
  }
  const result = await tryBackend(preference, hooks);
  if (typeof result === 'string') throw new Error(`no tfjs backend could be initialised (${preference}: ${result})`);
  return { ...result, reason: `${BACKEND_LABELS[preference]} — chosen in the settings` };
}
