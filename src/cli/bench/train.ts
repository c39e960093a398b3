/**
 * `npm run bench -- train`: throughput of a full training step (forward + backward + AdamW, with
 * dropout and gradient clipping as in fine-tuning) after warm-up steps, for
 *   (a) the fixture shape (hidden 32, 2 layers, 4 heads, vocab 1648; batch 4 × 32 tokens), and
 *   (b) BERT-mini (4 layers, hidden 256, 4 heads, intermediate 1024, vocab 8192; batch 32 × 64).
 * Prints JSON; asserts nothing. Options: --backend wasm|cpu, --warmup N, --steps N,
 * --shapes fixture,mini, --no-dropout, --profile (per-kernel time of one step), and
 * --plain-attention / --plain-gelu to switch off the wasm fast paths (to see what they buy).
 */
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from '../args';
import { initBackend } from '../../lib/runtime/backend.node.js';
import { parseBertConfig, type BertConfig } from '../../lib/bert/config';
import { createBertModel } from '../../lib/bert/init';
import { createRng, type Rng } from '../../lib/util/rng';
import { AdamW, decayExceptBiasAndLayerNorm } from '../../lib/train/adamw';
import { classificationLoss, type LabeledBatch } from '../../lib/train/loss';
import { wasmFastPaths } from '../../lib/bert/ops';

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
  return { ...result, tensors_leaked: tf.memory().numTensors - tensorsBefore };
}

export async function run(argv: string[]): Promise<unknown> {
  const args = parseArgs(argv, ['backend', 'warmup', 'steps', 'shapes'], ['no-dropout', 'profile', 'plain-attention', 'plain-gelu']);
  wasmFastPaths.perBatchMatMul = !args.has('plain-attention');
  wasmFastPaths.vectorisedGelu = !args.has('plain-gelu');
  const backend = await initBackend((args.get('backend') ?? 'wasm') as 'wasm' | 'cpu');
  const wanted = (args.get('shapes') ?? 'fixture,mini').split(',');
  const unknown = wanted.filter((w) => !SHAPES.some((s) => s.name === w));
  if (unknown.length) throw new Error(`unknown shape(s) ${unknown.join(', ')}; known: ${SHAPES.map((s) => s.name).join(', ')}`);
  const results = [];
  for (const shape of SHAPES.filter((s) => wanted.includes(s.name))) {
    results.push(await benchShape(shape, {
      warmup: args.int('warmup', 2),
      steps: args.int('steps', shape.name === 'mini' ? 5 : 20),
      dropout: !args.has('no-dropout'),
      profile: args.has('profile'),
    }));
  }
  return {
    bench: 'train',
    backend: backend.name,
    node: process.version,
    wasm_fast_paths: { ...wasmFastPaths },
    note: 'full training step = forward + backward + AdamW (+ clipping, dropout unless --no-dropout); reference: PyTorch CPU, 2 threads, ≈10–15 examples/s for mini',
    results,
  };
}
