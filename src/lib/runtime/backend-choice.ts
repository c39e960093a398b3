/**
 * How 'auto' picks a backend, as a pure decision over what was found and measured: the candidates
 * that initialised, each with the speed of a short probe, and the ones set aside with the reason.
 * A software GPU (SwiftShader, llvmpipe) is ~10-100× slower than wasm for BERT training on these
 * machines, so the choice is made by measurement, never by the order webgpu → webgl → wasm alone;
 * and the reason is said in words the header can show ("wasm — no GPU found").
 */
import type { BackendName } from './backend-name';

/** A backend that initialised, with its probe's throughput (absent when there was nothing to compare). */
export interface ProbedBackend {
  name: BackendName;
  adapter?: string;
  /** True for a software rasteriser posing as a GPU (SwiftShader, llvmpipe, a fallback adapter). */
  software: boolean;
  /** Matrix-product throughput of the probe, GFLOP/s. */
  gflops?: number;
}

export interface BackendChoice {
  name: BackendName;
  /** One line for the header: "wasm — no GPU found", "WebGPU — NVIDIA …, 9× wasm". */
  reason: string;
  /** Every candidate and what happened to it, for a tooltip. */
  details: string;
}

/** How backends are named in sentences. */
export const BACKEND_LABELS: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'wasm', cpu: 'cpu' };

/** Names that a software rasteriser reports as its GPU adapter or WebGL renderer. */
const SOFTWARE_GPU = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render/i;

export function isSoftwareGpu(description: string | undefined, isFallbackAdapter = false): boolean {
  return isFallbackAdapter || (description !== undefined && SOFTWARE_GPU.test(description));
}

function times(x: number): string {
  return x >= 10 ? `${Math.round(x)}×` : `${x.toFixed(1)}×`;
}

function describe(c: ProbedBackend, wasm: ProbedBackend | undefined): string {
  const parts = [BACKEND_LABELS[c.name]];
  if (c.adapter) parts.push(`(${c.adapter}${c.software ? ', software' : ''})`);
  if (c.gflops !== undefined) {
    parts.push(`${c.gflops.toFixed(2)} GFLOP/s`);
    if (wasm?.gflops && c !== wasm) parts.push(`${times(c.gflops / wasm.gflops)} wasm`);
  }
  return parts.join(' ');
}

/**
 * Picks the fastest probed candidate (the first one when none was probed). `skipped` lists the
 * backends set aside before probing, as "WebGPU: <why>".
 */
export function chooseFastest(candidates: readonly ProbedBackend[], skipped: readonly string[]): BackendChoice {
  if (candidates.length === 0) throw new Error(`no tfjs backend could be initialised (${skipped.join('; ')})`);
  let best = candidates[0];
  for (const c of candidates) if ((c.gflops ?? -1) > (best.gflops ?? -1)) best = c;
  const wasm = candidates.find((c) => c.name === 'wasm');
  const hardwareGpus = candidates.filter((c) => (c.name === 'webgpu' || c.name === 'webgl') && !c.software);
  let why: string;
  if (best.name === 'webgpu' || best.name === 'webgl') {
    const ratio = wasm?.gflops && best.gflops ? `, ${times(best.gflops / wasm.gflops)} wasm` : '';
    why = `${best.adapter ?? 'GPU'}${best.software ? ' (software)' : ''}${ratio}`;
  } else if (hardwareGpus.length === 0) {
    why = 'no GPU found';
  } else {
    const gpu = hardwareGpus[0];
    why = best.gflops && gpu.gflops
      ? `faster than the GPU (${BACKEND_LABELS[gpu.name]} ${times(gpu.gflops / best.gflops)} wasm)`
      : 'the GPU backends did not start';
  }
  const details = [...candidates.map((c) => describe(c, wasm) + (c === best ? ' — chosen' : '')), ...skipped].join('; ');
  return { name: best.name, reason: `${BACKEND_LABELS[best.name]} — ${why}`, details };
}
