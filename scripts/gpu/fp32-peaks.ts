/**
 * FP32 peak (non-tensor-core, boost clock) of the GPUs a check may meet, in TFLOP/s, as NVIDIA's
 * product datasheets state them. A vendor figure, not a measurement: the checks print it beside the
 * achieved GFLOP/s of a matmul and let `--fp32-peak-tflops` replace it.
 */
export const FP32_PEAK_TFLOPS: readonly { match: RegExp; tflops: number; source: string }[] = [
  // Most specific first: "NVIDIA H200 NVL" must not be read as the SXM part.
  { match: /H200 NVL/i, tflops: 60, source: 'NVIDIA H200 datasheet (H200 NVL: FP32 60 TFLOPS)' },
  { match: /H200/i, tflops: 67, source: 'NVIDIA H200 datasheet (H200 SXM: FP32 67 TFLOPS)' },
  { match: /H100 NVL/i, tflops: 60, source: 'NVIDIA H100 datasheet (H100 NVL: FP32 60 TFLOPS)' },
  { match: /H100.*PCIe/i, tflops: 51, source: 'NVIDIA H100 datasheet (H100 PCIe: FP32 51 TFLOPS)' },
  { match: /H100/i, tflops: 67, source: 'NVIDIA H100 datasheet (H100 SXM: FP32 67 TFLOPS)' },
  { match: /A100/i, tflops: 19.5, source: 'NVIDIA A100 datasheet (FP32 19.5 TFLOPS)' },
  { match: /L40S/i, tflops: 91.6, source: 'NVIDIA L40S datasheet (FP32 91.6 TFLOPS)' },
  { match: /\bL4\b/i, tflops: 30.3, source: 'NVIDIA L4 datasheet (FP32 30.3 TFLOPS)' },
  { match: /A10G?\b/i, tflops: 31.2, source: 'NVIDIA A10 datasheet (FP32 31.2 TFLOPS)' },
  { match: /\bT4\b/i, tflops: 8.1, source: 'NVIDIA T4 datasheet (FP32 8.1 TFLOPS)' },
];

export function fp32Peak(gpuName: string | undefined): { tflops: number; source: string } | undefined {
  if (!gpuName) return undefined;
  const row = FP32_PEAK_TFLOPS.find((r) => r.match.test(gpuName));
  return row && { tflops: row.tflops, source: row.source };
}
