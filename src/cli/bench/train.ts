/**
 * `npm run bench -- train`: throughput of a full training step (forward + backward + AdamW, with
 * dropout and gradient clipping as in fine-tuning) after warm-up steps, for
 *   (a) the fixture shape (hidden 32, 2 layers, 4 heads, vocab 1648; batch 4 × 32 tokens),
 *   (b) the bundled model (4 layers, hidden 128, 2 heads, intermediate 512, vocab 8000; batch 16 × 64),
 *   (c) BERT-mini (4 layers, hidden 256, 4 heads, intermediate 1024, vocab 8192; batch 32 × 64).
 * Right after each shape, when Debian's python3-torch is installed, scripts/bench/torch_train.py
 * times PyTorch on the same shape (settings 1, 2 and 1x2: torch_train.py), and the result carries the ratios: a speed
 * claim is a ratio against a reference measured in the same run. Without torch the JSON says so.
 * Prints JSON; asserts nothing. Options: --backend wasm|cpu, --warmup N, --steps N,
 * --shapes fixture,bundled,mini, --no-dropout, --profile (per-kernel time of one step),
 * --torch-threads 1,2,1x2, --no-torch, --machine N (N copies of each side at once: whole-machine.ts),
 * and --plain-attention / --plain-gelu to switch off the wasm fast paths (to see what they buy).
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from '../args';
import { initBackend } from '../../lib/runtime/backend.node.js';
import { parseBertConfig, type BertConfig } from '../../lib/bert/config';
import { createBertModel } from '../../lib/bert/init';
import { createRng, type Rng } from '../../lib/util/rng';
import { AdamW, decayExceptBiasAndLayerNorm } from '../../lib/train/adamw';
import { classificationLoss, type LabeledBatch } from '../../lib/train/loss';
import { wasmFastPaths } from '../../lib/bert/ops';
import { stepProducts, timeProducts } from './step-products';
import { runCopies, wholeMachineOf } from './whole-machine';
import { CliError } from '../args';

interface Shape {
  name: string;
  config: BertConfig;
  batch: number;
  seq: number;
}

const base = { hidden_act: 'gelu', max_position_embeddings: 512, type_vocab_size: 2, num_labels: 2 };
const SHAPES: Shape[] = [
  {
    name: 'fixture',
    config: parseBertConfig({ ...base, vocab_size: 1648, hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 64, max_position_embeddings: 64 }),
    batch: 4,
    seq: 32,
  },
  {
    // The bundled model (models/ts-bert-l4-h128) at the batch and length the CLI trains with.
    name: 'bundled',
    config: parseBertConfig({ ...base, vocab_size: 8000, hidden_size: 128, num_hidden_layers: 4, num_attention_heads: 2, intermediate_size: 512, max_position_embeddings: 128 }),
    batch: 16,
    seq: 64,
  },
  {
    name: 'mini',
    config: parseBertConfig({ ...base, vocab_size: 8192, hidden_size: 256, num_hidden_layers: 4, num_attention_heads: 4, intermediate_size: 1024 }),
    batch: 32,
    seq: 64,
  },
];

function randomBatch(shape: Shape, rng: Rng): LabeledBatch {
  const ids = Int32Array.from({ length: shape.batch * shape.seq }, (_, i) => (i % shape.seq === 0 ? 2 : 5 + rng.int(shape.config.vocab_size - 5)));
  return {
    inputIds: tf.tensor2d(ids, [shape.batch, shape.seq], 'int32'),
    attentionMask: tf.ones([shape.batch, shape.seq], 'int32'),
    labels: tf.tensor1d(Array.from({ length: shape.batch }, () => rng.int(2)), 'int32'),
  };
}

const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;

async function benchShape(shape: Shape, opts: { warmup: number; steps: number; dropout: boolean; profile: boolean }) {
  const tensorsBefore = tf.memory().numTensors;
  const model = createBertModel(shape.config, { seed: 1 });
  const rng = createRng(2);
  const batch = randomBatch(shape, rng);
  const optimizer = new AdamW(model.params, { lr: 1e-5, decay: decayExceptBiasAndLayerNorm });
  const dropoutRng = opts.dropout ? createRng(3) : undefined;
  const step = () => optimizer.minimize(() => classificationLoss(model, batch, { dropout: dropoutRng }), { clipNorm: 1 });
  for (let i = 0; i < opts.warmup; i++) await step();
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let i = 0; i < opts.steps; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await step();
    const c = process.cpuUsage(c0);
    cpuTimes.push((c.user + c.system) / 1000);
    times.push(performance.now() - t0);
  }
  let profile: { kernel: string; ms: number; calls: number }[] | undefined;
  if (opts.profile) {
    const info = await tf.profile(async () => {
      await step();
    });
    const byKernel = new Map<string, { ms: number; calls: number }>();
    for (const k of info.kernels) {
      const e = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
      e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      e.calls += 1;
      byKernel.set(k.name, e);
    }
    profile = [...byKernel.entries()].map(([kernel, e]) => ({ kernel, ms: Math.round(e.ms * 10) / 10, calls: e.calls })).sort((a, b) => b.ms - a.ms).slice(0, 25);
  }
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  const result = {
    shape: shape.name,
    layers: shape.config.num_hidden_layers,
    hidden: shape.config.hidden_size,
    heads: shape.config.num_attention_heads,
    intermediate: shape.config.intermediate_size,
    vocab: shape.config.vocab_size,
    batch: shape.batch,
    seq: shape.seq,
    parameters: model.size(),
    dropout: opts.dropout,
    warmup_steps: opts.warmup,
    timed_steps: opts.steps,
    ms_per_step_mean: Math.round(mean * 10) / 10,
    ms_per_step_min: Math.round(Math.min(...times) * 10) / 10,
    examples_per_s: Math.round(((shape.batch * 1000) / mean) * 100) / 100,
    tokens_per_s: Math.round((shape.batch * shape.seq * 1000) / mean),
    // CPU time of this process per step: what the wall time would be on an idle core (wasm runs on
    // one thread), and robust to other processes competing for the machine.
    cpu_ms_per_step_min: Math.round(Math.min(...cpuTimes) * 10) / 10,
    examples_per_cpu_s: Math.round(((shape.batch * 1000) / Math.min(...cpuTimes)) * 100) / 100,
    ...(profile ? { profile_top_kernels: profile } : {}),
  };
  optimizer.dispose();
  tf.dispose([batch.inputIds, batch.attentionMask, batch.labels]);
  model.dispose();
  // The step's matrix products alone (step-products.ts): the floor under ms_per_step.
  const products = timeProducts(stepProducts(shape.config, shape.batch, shape.seq));
  return { ...result, matmul_floor: { ...products, share_of_step_min: ratio(products.ms, result.ms_per_step_min) }, tensors_leaked: tf.memory().numTensors - tensorsBefore };
}

const PYTHON = '/usr/bin/python3';

/** Why PyTorch cannot be run here, or null when `import torch` works. */
function torchMissing(): string | null {
  const res = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (res.error) return `${PYTHON} not found (${res.error.message})`;
  if (res.status !== 0) return `${PYTHON} cannot import torch (Debian: apt-get install -y python3-torch): ${res.stderr.trim().split('\n').at(-1)}`;
  return null;
}

/** One PyTorch setting: torch's intra-op threads and its BLAS's (OpenBLAS on Debian; see torch_train.py). */
interface TorchResult { threads: number; blas_threads: number; examples_per_s: number; cpu_ms_per_step_min: number }

/** "1", "2", "1x2": how torch_train.py names a setting. */
const settingName = (t: TorchResult) => (t.blas_threads === t.threads ? String(t.threads) : `${t.threads}x${t.blas_threads}`);

/** PyTorch's step on one shape, each thread count; the script's JSON, or the error it printed. */
function torchScriptArgs(shape: Shape, threads: string, opts: { warmup: number; steps: number; dropout: boolean }): string[] {
  const script = new URL('../../../scripts/bench/torch_train.py', import.meta.url).pathname;
  const c = shape.config;
  const spec = [{ name: shape.name, layers: c.num_hidden_layers, hidden: c.hidden_size, heads: c.num_attention_heads, intermediate: c.intermediate_size, vocab: c.vocab_size, batch: shape.batch, seq: shape.seq }];
  const args = [script, '--shapes', JSON.stringify(spec), '--threads', threads, '--warmup', String(opts.warmup), '--steps', String(opts.steps)];
  if (!opts.dropout) args.push('--no-dropout');
  return args;
}

function runTorch(shape: Shape, threads: string, opts: { warmup: number; steps: number; dropout: boolean }): { version?: string; results?: TorchResult[]; error?: string } {
  const res = spawnSync(PYTHON, torchScriptArgs(shape, threads, opts), { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (res.status !== 0) return { error: (res.stderr || String(res.error)).trim().split('\n').slice(-3).join(' ') };
  return JSON.parse(res.stdout);
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * `copies` of this bench on one shape (our side, without PyTorch or --machine, with the same steps
 * and switches) and as many one-thread PyTorch processes, each side's copies at once; set against
 * the PyTorch thread settings measured above, in the same run (whole-machine.ts).
 */
async function wholeMachine(shape: Shape, copies: number, torchThreadSettings: TorchResult[], opts: { warmup: number; steps: number; dropout: boolean }) {
  const switches = [
    ...(opts.dropout ? [] : ['--no-dropout']),
    ...(wasmFastPaths.perBatchMatMul ? [] : ['--plain-attention']),
    ...(wasmFastPaths.vectorisedGelu ? [] : ['--plain-gelu']),
  ];
  const oursArgs = ['--import', 'tsx', 'src/cli/bench.ts', 'train', '--shapes', shape.name, '--no-torch', '--warmup', String(opts.warmup), '--steps', String(opts.steps), ...switches];
  const ours = await runCopies<{ results: { examples_per_s: number }[] }>(copies, process.execPath, oursArgs, ROOT);
  const torchCopies = await runCopies<{ results: TorchResult[] }>(copies, PYTHON, torchScriptArgs(shape, '1', opts));
  return wholeMachineOf(
    ours.map((c) => c.output.results[0].examples_per_s),
    torchThreadSettings.map((t) => ({ setting: settingName(t), examples_per_s: t.examples_per_s })),
    torchCopies.map((c) => c.output.results[0].examples_per_s),
  );
}

export async function run(argv: string[]): Promise<unknown> {
  const args = parseArgs(argv, ['backend', 'warmup', 'steps', 'shapes', 'torch-threads', 'machine'], ['no-dropout', 'profile', 'no-torch', 'plain-attention', 'plain-gelu']);
  const machine = args.int('machine', 0);
  if (args.get('machine') !== undefined && machine < 1) throw new CliError(`--machine must be a number of copies (an integer ≥ 1), got "${args.get('machine')}"`);
  wasmFastPaths.perBatchMatMul = !args.has('plain-attention');
  wasmFastPaths.vectorisedGelu = !args.has('plain-gelu');
  const backend = await initBackend((args.get('backend') ?? 'wasm') as 'wasm' | 'cpu');
  const wanted = (args.get('shapes') ?? 'fixture,bundled,mini').split(',');
  const unknown = wanted.filter((w) => !SHAPES.some((s) => s.name === w));
  if (unknown.length) throw new Error(`unknown shape(s) ${unknown.join(', ')}; known: ${SHAPES.map((s) => s.name).join(', ')}`);
  const torchThreads = args.get('torch-threads') ?? '1,2,1x2';
  const missing = args.has('no-torch') ? 'not run (--no-torch)' : torchMissing();
  const results = [];
  for (const shape of SHAPES.filter((s) => wanted.includes(s.name))) {
    const opts = {
      warmup: args.int('warmup', 2),
      steps: args.int('steps', shape.name === 'mini' ? 5 : shape.name === 'bundled' ? 10 : 20),
      dropout: !args.has('no-dropout'),
    };
    const ours = await benchShape(shape, { ...opts, profile: args.has('profile') });
    if (missing) {
      results.push({ ...ours, torch: { available: false, reason: missing } });
      continue;
    }
    const torch = runTorch(shape, torchThreads, opts);
    // Ratios > 1 mean we are faster. By wall time (both sides in this run), and by CPU time per
    // example for torch's one-thread setting (robust to other processes on a shared machine).
    // ceiling: our ratio if everything but the matrix products took no time at all. Our lane is
    // one thread, so setting "1" (torch and its BLAS on one thread) is the per-lane reference.
    const vsTorch = (torch.results ?? []).map((t) => ({
      setting: settingName(t),
      threads: t.threads,
      blas_threads: t.blas_threads,
      examples_per_s_ratio: ratio(ours.examples_per_s, t.examples_per_s),
      ceiling_from_matmul_floor: ratio((shape.batch * 1000) / t.examples_per_s, ours.matmul_floor.ms),
      ...(settingName(t) === '1' ? { cpu_time_ratio: ratio(t.cpu_ms_per_step_min, ours.cpu_ms_per_step_min) } : {}),
    }));
    const whole = machine > 0 && torch.results?.length ? { whole_machine: await wholeMachine(shape, machine, torch.results, opts) } : {};
    results.push({ ...ours, torch: { available: true, ...torch }, vs_torch: vsTorch, ...whole });
  }
  return {
    bench: 'train',
    backend: backend.name,
    node: process.version,
    wasm_fast_paths: { ...wasmFastPaths },
    note: 'full training step = forward + backward + AdamW (+ clipping, dropout unless --no-dropout); torch: the same step and shape in PyTorch CPU (scripts/bench/torch_train.py); vs_torch: ours / torch; matmul_floor: the step\'s matrix products alone on our backend (src/cli/bench/step-products.ts); ceiling_from_matmul_floor: torch\'s step time / that floor, the best ratio reachable without faster matrix products',
    results,
  };
}
