import { describe, expect, it } from 'vitest';
import { fp32Peak } from '../../../scripts/gpu/fp32-peaks';

describe('fp32Peak', () => {
  it('reads the GPU name as nvidia-smi prints it, the more specific part first', () => {
    expect(fp32Peak('NVIDIA H200')?.tflops).toBe(67);
    expect(fp32Peak('NVIDIA H200 NVL')?.tflops).toBe(60);
    expect(fp32Peak('NVIDIA H100 PCIe')?.tflops).toBe(51);
    expect(fp32Peak('NVIDIA H100 80GB HBM3')?.tflops).toBe(67);
    expect(fp32Peak('NVIDIA L40S')?.tflops).toBe(91.6);
    expect(fp32Peak('NVIDIA L4')?.tflops).toBe(30.3);
    expect(fp32Peak('NVIDIA H200')?.source).toMatch(/datasheet/);
  });

  it('knows nothing of an unlisted or missing GPU (the peak is then an input)', () => {
    expect(fp32Peak('google swiftshader SwiftShader driver 5.0.0')).toBeUndefined();
    expect(fp32Peak(undefined)).toBeUndefined();
  });
});
