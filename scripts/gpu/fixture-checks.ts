/**
 * The numerical checks of test/lib/bert/forward, test/lib/explain/layerConductance and
 * test/lib/train/adamw, run on whatever backend is current (the point: on a real GPU through
 * WebGPU) against the same fixtures (PyTorch / Captum numbers in test/fixtures/bert-ref). Prints
 * the margins instead of asserting, and passes each against the 1e-4.
 * Only async reads: dataSync on tfjs-webgpu needs OffscreenCanvas, which Node lacks.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { folderSource } from '../../src/lib/bert/file-source.node.js';
import { loadConfig } from '../../src/lib/bert/load';
import { modelFromSafetensors } from '../../src/lib/bert/weights';
import type { BertModel } from '../../src/lib/bert/model';
import { predictLogits } from '../../src/lib/bert/batch';
import { classify } from '../../src/lib/bert/forward';
import { conductanceBaseline } from '../../src/lib/explain/baseline';
import { attributeDocument } from '../../src/lib/explain/doc-attribution';
import { FrozenBert } from '../../src/lib/explain/frozen-forward';
import { AdamW } from '../../src/lib/train/adamw';
import { classificationLoss, type LabeledBatch } from '../../src/lib/train/loss';

export const TOLERANCE = 1e-4;

interface ExpectedLayer { raw_token_sums: number[]; normalized: number[]; l2_norm: number; convergence_delta: number }
interface ExpectedConductance {
  method: 'gausslegendre' | 'riemann_trapezoid'; n_steps: number; target: number; F_input: number; F_baseline: number;
  layers: ExpectedLayer[]; layer_mean_normalized: number[]; terms: { term: string; score: number }[];
}
interface ExpectedSentence {
  tokens: string[]; input_ids: number[]; baseline_ids: number[]; logits: number[];
  conductance: Record<string, ExpectedConductance>;
}
interface TrainExpected {
  labels: number[]; input_ids: number[][]; attention_mask: number[][]; logits_before_step_1: number[][];
  loss_before_step: number[]; loss_after_step_3: number; params_after_step_3: Record<string, number[] | number[][]>;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

export interface Margin { max_abs_diff: number; pass: boolean }
const margin = (d: number): Margin => ({ max_abs_diff: d, pass: d < TOLERANCE });

async function loadFixtureModel(dir: string): Promise<BertModel> {
  const source = folderSource(dir);
  const config = await loadConfig(source);
  return modelFromSafetensors(config, await source.readFile('model.safetensors'), { source: `${dir}model.safetensors` });
}

async function logitsCheck(model: BertModel, sentences: ExpectedSentence[]) {
  const seqs = sentences.map((s) => s.input_ids);
  const batched = await predictLogits(model, seqs, { batchSize: 8 });
  let single = 0;
  for (const s of sentences) {
    const t = tf.tidy(() => classify(model, tf.tensor2d([s.input_ids], [1, s.input_ids.length], 'int32')));
    single = Math.max(single, maxAbsDiff(await t.data(), s.logits));
    t.dispose();
  }
  return {
    sentences: sentences.length,
    batched_padded: margin(Math.max(...batched.map((row, i) => maxAbsDiff(row, sentences[i].logits)))),
    one_by_one: margin(single),
  };
}

async function conductanceCheck(model: BertModel, sentences: ExpectedSentence[]) {
  const frozen = new FrozenBert(model);
  const out: Record<string, Record<string, Margin>> = {};
  try {
    for (const variant of ['gausslegendre_50', 'riemann_trapezoid_20']) {
      const worst = { raw_token_sums: 0, normalized: 0, l2_norm: 0, convergence_delta: 0, layer_mean_normalized: 0, term_scores: 0, f_input: 0 };
      for (const s of sentences) {
        const want = s.conductance[variant];
        const b = s.baseline_ids;
        const special = { clsId: b[0], padId: b[1], sepId: b[b.length - 1] };
        if (maxAbsDiff(conductanceBaseline(b.length, special), b) !== 0) throw new Error('fixture baseline is not [CLS] [PAD]… [SEP]');
        const got = await attributeDocument(frozen, { inputIds: s.input_ids, tokens: s.tokens }, special, {
          method: want.method, nSteps: want.n_steps, target: want.target,
        });
        got.layers.forEach((layer, l) => {
          const w = want.layers[l];
          worst.raw_token_sums = Math.max(worst.raw_token_sums, maxAbsDiff(layer.rawTokenSums, w.raw_token_sums));
          worst.normalized = Math.max(worst.normalized, maxAbsDiff(layer.normalized, w.normalized));
          worst.l2_norm = Math.max(worst.l2_norm, Math.abs(layer.l2Norm - w.l2_norm));
          worst.convergence_delta = Math.max(worst.convergence_delta, Math.abs(layer.convergenceDelta - w.convergence_delta));
        });
        worst.layer_mean_normalized = Math.max(worst.layer_mean_normalized, maxAbsDiff(got.layerMeanNormalized, want.layer_mean_normalized));
        if (got.terms.map((t) => t.term).join('\u0000') !== want.terms.map((t) => t.term).join('\u0000')) throw new Error(`${variant}: the terms differ from the fixture's`);
        worst.term_scores = Math.max(worst.term_scores, maxAbsDiff(got.terms.map((t) => t.score), want.terms.map((t) => t.score)));
        worst.f_input = Math.max(worst.f_input, Math.abs(got.fInput - want.F_input), Math.abs(got.fBaseline - want.F_baseline));
      }
      out[variant] = Object.fromEntries(Object.entries(worst).map(([k, v]) => [k, margin(v)]));
    }
  } finally {
    frozen.dispose();
  }
  return out;
}

/** Three torch.optim.AdamW steps on the fixture batch (no dropout): losses and parameters after. */
async function trainCheck(model: BertModel, e: TrainExpected) {
  const batch: LabeledBatch = {
    inputIds: tf.tensor2d(e.input_ids, undefined, 'int32'),
    attentionMask: tf.tensor2d(e.attention_mask, undefined, 'int32'),
    labels: tf.tensor1d(e.labels, 'int32'),
  };
  const opt = new AdamW(model.params, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 });
  try {
    const logits = tf.tidy(() => classify(model, batch.inputIds, { attentionMask: batch.attentionMask }));
    const logitsDiff = maxAbsDiff(await logits.data(), e.logits_before_step_1.flat());
    logits.dispose();
    const losses: number[] = [];
    for (let step = 0; step < 3; step++) losses.push((await opt.minimize(() => classificationLoss(model, batch))).loss);
    const after = tf.tidy(() => classificationLoss(model, batch));
    const afterDiff = Math.abs((await after.data())[0] - e.loss_after_step_3);
    after.dispose();
    let params = 0;
    for (const [name, p] of Object.entries(e.params_after_step_3)) params = Math.max(params, maxAbsDiff(await model.read(name), (p as number[]).flat()));
    return {
      logits_before_step_1: margin(logitsDiff),
      losses_steps_1_to_3: margin(maxAbsDiff(losses, e.loss_before_step)),
      loss_after_step_3: margin(afterDiff),
      params_after_step_3: margin(params),
    };
  } finally {
    opt.dispose();
    tf.dispose([batch.inputIds, batch.attentionMask, batch.labels]);
  }
}

export async function fixtureChecks(repoRoot: string) {
  const dir = path.join(repoRoot, 'test', 'fixtures', 'bert-ref') + path.sep;
  const expected = JSON.parse(readFileSync(dir + 'expected.json', 'utf8')) as { sentences: ExpectedSentence[] };
  const trainExpected = JSON.parse(readFileSync(dir + 'train_expected.json', 'utf8')) as TrainExpected;
  const tensorsBefore = tf.memory().numTensors;
  const model = await loadFixtureModel(dir);
  let result;
  try {
    result = {
      logits: await logitsCheck(model, expected.sentences),
      conductance: await conductanceCheck(model, expected.sentences),
    };
  } finally {
    model.dispose();
  }
  // A fresh copy: the training steps change the weights.
  const trained = await loadFixtureModel(dir);
  let train;
  try {
    train = await trainCheck(trained, trainExpected);
  } finally {
    trained.dispose();
  }
  const all = [result.logits.batched_padded, result.logits.one_by_one, ...Object.values(result.conductance).flatMap((v) => Object.values(v)), ...Object.values(train)];
  return {
    fixture: 'test/fixtures/bert-ref',
    tolerance: TOLERANCE,
    all_pass: all.every((m) => m.pass),
    worst_abs_diff: Math.max(...all.map((m) => m.max_abs_diff)),
    ...result,
    train_3_adamw_steps: train,
    tensors_leaked: tf.memory().numTensors - tensorsBefore,
  };
}
