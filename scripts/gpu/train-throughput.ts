/**
 * Examples/s of a full fine-tuning step (forward + backward + AdamW with clipping and dropout, as
 * in src/cli/bench/train.ts) on the current backend, by wall clock: on a GPU the process's CPU
 * time says nothing. Each step ends on a read of the loss and the gradient norm, so the clock
 * stops after the GPU has done the step's work.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseBertConfig, type BertConfig } from '../../src/lib/bert/config';
import { createBertModel } from '../../src/lib/bert/init';
import { createRng, type Rng } from '../../src/lib/util/rng';
import { AdamW, decayExceptBiasAndLayerNorm } from '../../src/lib/train/adamw';
import { classificationLoss, type LabeledBatch } from '../../src/lib/train/loss';

export interface TrainShape { name: string; config: BertConfig; batch: number; seq: number }

/** BERT-mini as in `npm run bench -- train` (4 × 256, vocab 8192) and the bundled model's config. */
export function trainShapes(repoRoot: string): TrainShape[] {
  const base = { hidden_act: 'gelu', max_position_embeddings: 512, type_vocab_size: 2, num_labels: 2 };
  const bundledFile = path.join(repoRoot, 'models', 'ts-bert-l4-h128', 'config.json');
  return [
    {
      name: 'mini',
      config: parseBertConfig({ ...base, vocab_size: 8192, hidden_size: 256, num_hidden_layers: 4, num_attention_heads: 4, intermediate_size: 1024 }),
      batch: 32,
      seq: 64,
    },
    {
      name: 'bundled',
      config: parseBertConfig({ ...JSON.parse(readFileSync(bundledFile, 'utf8')), num_labels: 2 }, bundledFile),
      batch: 16,
      seq: 64,
    },
  ];
}

/** Matmul FLOPs of one training step, taken as 3× the forward's (backward ≈ 2× forward). */
export function trainStepFlops(s: TrainShape): number {
  const { hidden: h, intermediate: i, layers: l } = { hidden: s.config.hidden_size, intermediate: s.config.intermediate_size, layers: s.config.num_hidden_layers };
  const tokens = s.batch * s.seq;
  const perTokenPerLayer = 2 * (4 * h * h + 2 * h * i) + 2 * 2 * s.seq * h; // projections + FFN, then QKᵀ and PV
  return 3 * tokens * l * perTokenPerLayer;
}

function randomBatch(shape: TrainShape, rng: Rng): LabeledBatch {
  const ids = Int32Array.from({ length: shape.batch * shape.seq }, (_, i) => (i % shape.seq === 0 ? 2 : 5 + rng.int(shape.config.vocab_size - 5)));
  return {
    inputIds: tf.tensor2d(ids, [shape.batch, shape.seq], 'int32'),
    attentionMask: tf.ones([shape.batch, shape.seq], 'int32'),
    labels: tf.tensor1d(Array.from({ length: shape.batch }, () => rng.int(2)), 'int32'),
  };
}

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

export async function trainThroughput(shape: TrainShape, opts: { warmup: number; steps: number }) {
  const tensorsBefore = tf.memory().numTensors;
  const model = createBertModel(shape.config, { seed: 1 });
  const rng = createRng(2);
  const batch = randomBatch(shape, rng);
  const optimizer = new AdamW(model.params, { lr: 1e-5, decay: decayExceptBiasAndLayerNorm });
  const dropout = createRng(3);
  const step = () => optimizer.minimize(() => classificationLoss(model, batch, { dropout }), { clipNorm: 1 });
  try {
    const tw = performance.now();
    for (let i = 0; i < opts.warmup; i++) await step();
    const warmupMs = performance.now() - tw;
    const times: number[] = [];
    let loss = NaN;
    for (let i = 0; i < opts.steps; i++) {
      const t0 = performance.now();
      loss = (await step()).loss;
      times.push(performance.now() - t0);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    const flops = trainStepFlops(shape);
    return {
      shape: shape.name,
      layers: shape.config.num_hidden_layers,
      hidden: shape.config.hidden_size,
      heads: shape.config.num_attention_heads,
      intermediate: shape.config.intermediate_size,
      vocab: shape.config.vocab_size,
      batch: shape.batch,
      seq: shape.seq,
      parameters: model.size(),
      warmup_steps: opts.warmup,
      warmup_ms_total: round(warmupMs),
      timed_steps: opts.steps,
      ms_per_step_median: round(median),
      ms_per_step_min: round(sorted[0]),
      examples_per_s: round((shape.batch * 1000) / median, 2),
      tokens_per_s: Math.round((shape.batch * shape.seq * 1000) / median),
      step_matmul_gflop: round(flops / 1e9, 2),
      model_gflops_per_s: round(flops / (median * 1e6)),
      last_loss: loss,
    };
  } finally {
    optimizer.dispose();
    tf.dispose([batch.inputIds, batch.attentionMask, batch.labels]);
    model.dispose();
    const leaked = tf.memory().numTensors - tensorsBefore;
    if (leaked !== 0) throw new Error(`train ${shape.name}: ${leaked} tensors leaked`);
  }
}
