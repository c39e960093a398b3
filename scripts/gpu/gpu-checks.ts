/**
 * The GPU check of issue 19, in one process: backend and adapter, matmul GFLOP/s against the FP32
 * peak, the numerical fixture checks, training throughput (BERT-mini and the bundled shape), the
 * conductance one-pass/per-layer ratio, our wasm lane on the mini shape as the same-run reference,
 * and PyTorch's figures when a torch JSON is given. Prints one JSON object on stdout (progress on
 * stderr). See scripts/gpu/README.md for the run on a GPU machine and the CPU dry run.
 *
 *   tsx scripts/gpu/gpu-checks.ts [--backend webgpu|wasm] [--quick] [--torch-json FILE]
 *                                 [--fp32-peak-tflops X] [--no-wasm-lane] [--root DIR] [--partial FILE]
 *
 * --partial FILE: the sections done so far are rewritten to FILE after each one, so a run stopped
 * at its time limit still leaves its figures. --json FILE: the result goes there instead of stdout
 * (Dawn prints its validation messages on stdout). WebGPU validation errors are collected too: a
 * kernel whose pipeline is invalid computes nothing, silently, so any error fails the correctness goal.
 */
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, CliError } from '../../src/cli/args';
import { initBackend, type BackendInfo } from '../../src/lib/runtime/backend.node.js';
import { fp32Peak } from './fp32-peaks';
import { matmulThroughput } from './matmul-throughput';
import { fixtureChecks } from './fixture-checks';
import { trainShapes, trainThroughput, type TrainShape } from './train-throughput';
import { conductanceThroughput } from './conductance-throughput';

/** The full sizes (for the GPU) and the quick ones (a dry run on a CPU or a software adapter). */
const PLANS = {
  full: { matmul: [1024, 2048, 4096], train: { warmup: 3, steps: 20 }, wasmLane: { warmup: 1, steps: 3 }, conductance: { shapes: [[4, 256], [12, 256]], tokens: 40, nSteps: 50, repeats: 5 } },
  // SwiftShader runs a 256³ matmul at ~0.2 GFLOP/s: the quick conductance shapes are narrow.
  quick: { matmul: [128, 256], train: { warmup: 1, steps: 2 }, wasmLane: { warmup: 1, steps: 2 }, conductance: { shapes: [[4, 64], [12, 64]], tokens: 8, nSteps: 4, repeats: 1 } },
} as const;
/** In --quick, each training shape keeps its model but runs a small batch. */
const QUICK_BATCH = { batch: 2, seq: 16 };

const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|fallback/i;

const log = (msg: string) => process.stderr.write(`[gpu-checks ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

function repoRoot(given: string | undefined): string {
  if (given) return path.resolve(given);
  // From the source (scripts/gpu/) or the bundle (scripts/gpu/dist/): walk up to the checkout.
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'test', 'fixtures', 'bert-ref'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new CliError('cannot find the checkout (test/fixtures/bert-ref) above this script; pass --root');
    dir = up;
  }
  return dir;
}

function nvidiaSmi(): { name: string; driver: string; memory: string }[] | undefined {
  try {
    const out = execFileSync('nvidia-smi', ['--query-gpu=name,driver_version,memory.total', '--format=csv,noheader'], { encoding: 'utf8', timeout: 20000 });
    return out.trim().split('\n').filter(Boolean).map((line) => {
      const [name, driver, memory] = line.split(',').map((s) => s.trim());
      return { name, driver, memory };
    });
  } catch {
    return undefined;
  }
}

interface TorchResults {
  device: string;
  gpu_name?: string;
  torch_version: string;
  results: { shape: string; examples_per_s: number }[];
  matmul?: { n: number; gflops: number }[];
}

function goal(value: number | undefined, target: number, what: string) {
  return value === undefined ? { what, value: null, target, met: null } : { what, value, target, met: value >= target };
}

async function main() {
  const args = parseArgs(process.argv.slice(2), ['backend', 'torch-json', 'fp32-peak-tflops', 'root', 'partial', 'json'], ['quick', 'no-wasm-lane']);
  const backendName = args.get('backend') ?? 'webgpu';
  if (backendName !== 'webgpu' && backendName !== 'wasm') throw new CliError(`--backend must be webgpu or wasm, got "${backendName}"`);
  const plan = args.has('quick') ? PLANS.quick : PLANS.full;
  const root = repoRoot(args.get('root'));
  const started = performance.now();

  const gpus = nvidiaSmi();
  const backend: BackendInfo = await initBackend(backendName);
  log(`backend ${backend.name}${backend.adapter ? `, adapter "${backend.adapter}"` : ''}`);
  const webgpuErrors = new Map<string, number>();
  if (backend.name === 'webgpu') {
    const device = (tf.backend() as unknown as { device?: EventTarget }).device;
    device?.addEventListener('uncapturederror', (e) => {
      const first = String((e as unknown as { error?: { message?: string } }).error?.message ?? e).split('\n')[0];
      webgpuErrors.set(first, (webgpuErrors.get(first) ?? 0) + 1);
    });
  }
  const isGpuRun = backend.name === 'webgpu' && !!backend.adapter && !SOFTWARE_ADAPTER.test(backend.adapter);
  const gpuName = gpus?.[0]?.name ?? (isGpuRun ? backend.adapter : undefined);
  const peak = args.has('fp32-peak-tflops')
    ? { tflops: args.number('fp32-peak-tflops'), source: '--fp32-peak-tflops' }
    : isGpuRun ? fp32Peak(gpuName) : undefined;

  const report: Record<string, unknown> = {
    check: 'gpu (issue 19)',
    run_kind: isGpuRun ? 'GPU run' : `DRY RUN — NOT GPU figures (backend ${backend.name}${backend.adapter ? `, adapter ${backend.adapter}` : ''})`,
    plan: args.has('quick') ? 'quick (dry-run sizes: small batches, narrow conductance shapes, few steps)' : 'full',
    backend,
    gpus: gpus ?? null,
    fp32_peak: peak ? { ...peak, gpu: gpuName } : null,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
  const partial = args.get('partial');
  const section = (name: string, value: unknown) => {
    report[name] = value;
    report.wall_s = Math.round((performance.now() - started) / 100) / 10;
    if (partial) writeFileSync(partial, JSON.stringify(report, null, 2) + '\n');
  };
  const fractionOfPeak = (gflops: number) => (peak ? Math.round((gflops / (peak.tflops * 1000)) * 1e4) / 1e4 : null);

  const matmul = [];
  for (const n of plan.matmul) {
    log(`matmul ${n}³`);
    const m = await matmulThroughput(n);
    matmul.push({ ...m, fraction_of_fp32_peak: fractionOfPeak(m.gflops) });
    section('matmul', matmul);
  }

  log('fixture checks (logits, conductance, 3 AdamW steps)');
  const checks = await fixtureChecks(root);
  section('fixture_checks', checks);

  const shapes: TrainShape[] = trainShapes(root).map((s) => (args.has('quick') ? { ...s, ...QUICK_BATCH } : s));
  const train = [];
  for (const s of shapes) {
    log(`train ${s.name} (batch ${s.batch} × ${s.seq})`);
    const t = await trainThroughput(s, plan.train);
    train.push({ ...t, fraction_of_fp32_peak: fractionOfPeak(t.model_gflops_per_s) });
    section('train', train);
  }

  const conductance = [];
  for (const [layers, hidden] of plan.conductance.shapes) {
    log(`conductance ${layers}x${hidden}`);
    conductance.push(await conductanceThroughput(layers, hidden, plan.conductance));
    section('conductance', conductance);
  }

  // The same-run reference for "≥ 10× our wasm lane": the mini shape on wasm, in this process.
  let wasmLane;
  if (backend.name !== 'wasm' && !args.has('no-wasm-lane')) {
    log('wasm lane: train mini');
    await initBackend('wasm');
    wasmLane = await trainThroughput(shapes[0], plan.wasmLane);
  }
  section('wasm_lane', wasmLane ?? null);

  let torch: TorchResults | undefined;
  const torchFile = args.get('torch-json');
  if (torchFile && existsSync(torchFile)) torch = JSON.parse(readFileSync(torchFile, 'utf8')) as TorchResults;
  section('torch', torch ?? null);
  const torchBy = (shape: string) => torch?.results.find((r) => r.shape === shape)?.examples_per_s;
  const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b ? Math.round((a / b) * 1000) / 1000 : undefined);

  const mini = train.find((t) => t.shape === 'mini');
  section('goals', {
    webgpu_over_wasm_mini: goal(ratio(mini?.examples_per_s, wasmLane?.examples_per_s), 10, 'mini examples/s, this backend / our wasm lane in this run'),
    ...Object.fromEntries(train.map((t) => [`${t.shape}_over_torch`, goal(ratio(t.examples_per_s, torchBy(t.shape)), 0.3, `${t.shape} examples/s, ours / PyTorch ${torch?.device ?? '(no torch results)'}`)])),
    ...Object.fromEntries(train.map((t) => [`${t.shape}_fraction_of_fp32_peak`, goal(t.fraction_of_fp32_peak ?? undefined, 0.1, `${t.shape} training matmul GFLOP/s / FP32 peak (the goal where PyTorch is absent)`)])),
    ...Object.fromEntries(conductance.map((c) => [`conductance_${c.shape.layers}x${c.shape.hidden}`, goal(c.ratio, c.goal_ratio, 'per-layer loop / one pass, wall clock; goal 0.8·L')])),
    correctness_within_1e_4: { what: 'every fixture margin < 1e-4, no WebGPU validation error', value: checks.worst_abs_diff, target: 1e-4, met: checks.all_pass && webgpuErrors.size === 0 },
  });
  section('webgpu_errors', [...webgpuErrors].map(([message, count]) => ({ message, count })));
  section('tensors_at_end', tf.memory().numTensors);
  return { report, jsonFile: args.get('json') };
}

main().then(
  ({ report, jsonFile }) => {
    const text = JSON.stringify(report, null, 2) + '\n';
    if (jsonFile) writeFileSync(jsonFile, text);
    else process.stdout.write(text);
    process.exit(0);
  },
  (err: unknown) => { process.stderr.write(`error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`); process.exit(err instanceof CliError ? 2 : 1); },
);
