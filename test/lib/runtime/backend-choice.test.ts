import { describe, expect, it } from 'vitest';
import { chooseFastest, isSoftwareGpu } from '../../../src/lib/runtime/backend-choice';

describe('isSoftwareGpu', () => {
  it('recognises fallback adapters and software renderers', () => {
    expect(isSoftwareGpu('google swiftshader (fallback adapter)', true)).toBe(true);
    expect(isSoftwareGpu('google swiftshader')).toBe(true);
    expect(isSoftwareGpu('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)')).toBe(true);
    expect(isSoftwareGpu('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareGpu('nvidia hopper NVIDIA H200')).toBe(false);
    expect(isSoftwareGpu(undefined)).toBe(false);
  });
});

describe('chooseFastest', () => {
  it('keeps wasm over a slower software WebGL and says no GPU was found', () => {
    const choice = chooseFastest(
      [
        { name: 'webgl', adapter: 'ANGLE SwiftShader', software: true, gflops: 2.5 },
        { name: 'wasm', software: false, gflops: 22 },
      ],
      ['WebGPU: software adapter (google swiftshader), skipped'],
    );
    expect(choice.name).toBe('wasm');
    expect(choice.reason).toBe('wasm — no GPU found');
    expect(choice.details).toContain('WebGPU: software adapter');
    expect(choice.details).toMatch(/WebGL \(ANGLE SwiftShader, software\) 2\.50 GFLOP\/s 0\.1× wasm/);
  });

  it('takes a hardware GPU when it is faster and says by how much', () => {
    const choice = chooseFastest(
      [
        { name: 'webgpu', adapter: 'nvidia hopper', software: false, gflops: 200 },
        { name: 'webgl', adapter: 'ANGLE NVIDIA', software: false, gflops: 60 },
        { name: 'wasm', software: false, gflops: 22 },
      ],
      [],
    );
    expect(choice.name).toBe('webgpu');
    expect(choice.reason).toBe('WebGPU — nvidia hopper, 9.1× wasm');
  });

  it('keeps wasm over a slower hardware GPU and says so', () => {
    const choice = chooseFastest(
      [
        { name: 'webgl', adapter: 'Intel HD 4000', software: false, gflops: 11 },
        { name: 'wasm', software: false, gflops: 22 },
      ],
      [],
    );
    expect(choice.name).toBe('wasm');
    expect(choice.reason).toBe('wasm — faster than the GPU (WebGL 0.5× wasm)');
  });

  it('takes the only candidate without a probe, and fails clearly with none', () => {
    expect(chooseFastest([{ name: 'wasm', software: false }], ['WebGL: no canvas (not a browser)']).reason).toBe('wasm — no GPU found');
    expect(() => chooseFastest([], ['wasm: initialisation failed'])).toThrow(/no tfjs backend could be initialised \(wasm: initialisation failed\)/);
  });
});
