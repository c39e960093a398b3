import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { useWasmBackend } from '../../helpers/wasm-backend';
import { initBackend } from '../../../src/lib/runtime/backend.node.js';
import { folderSource } from '../../../src/lib/bert/file-source.node.js';
import { loadBert } from '../../../src/lib/bert/load';
import { AdamW, decayExceptBiasAndLayerNorm } from '../../../src/lib/train/adamw';
import { classificationLoss, type LabeledBatch } from '../../../src/lib/train/loss';
import { classify } from '../../../src/lib/bert/forward';

const FIXTURE = fileURLToPath(new URL('../../fixtures/bert-ref/', import.meta.url));
interface TrainExpected {
  labels: number[];
  input_ids: number[][];
  attention_mask: number[][];
  logits_before_step_1: number[][];
  loss_before_step: number[];
  loss_after_step_3: number;
  grads_at_step_1: Record<string, number[] | number[][]>;
  params_after_step_3: Record<string, number[] | number[][]>;
}
const expected = JSON.parse(readFileSync(FIXTURE + 'train_expected.json', 'utf8')) as TrainExpected;

useWasmBackend();

function maxAbsDiff(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  return Math.max(...a.map((x, i) => Math.abs(x - b[i])));
}

describe('AdamW against torch.optim.AdamW on the fixture batch', () => {
  // cpu too: training must work there (its UnsortedSegmentSum kernel is replaced by ours).
  it.each(['wasm', 'cpu'] as const)('reproduces 3 steps on %s: losses within 1e-5, parameters within 2e-6', async (backend) => {
    await initBackend(backend);
    const { model } = await loadBert(folderSource(FIXTURE));
    const before = tf.memory().numTensors;
    const batch: LabeledBatch = {
      inputIds: tf.tensor2d(expected.input_ids, undefined, 'int32'),
      attentionMask: tf.tensor2d(expected.attention_mask, undefined, 'int32'),
      labels: tf.tensor1d(expected.labels, 'int32'),
    };
    const logits = tf.tidy(() => classify(model, batch.inputIds, { attentionMask: batch.attentionMask }).arraySync());
    expect(maxAbsDiff(logits.flat(), expected.logits_before_step_1.flat())).toBeLessThan(1e-5);

    // Gradients at step 1 (diagnostic for a failing update).
    const vars = model.variables();
    const grads = tf.tidy(() => {
      const { grads: g } = tf.variableGrads(() => classificationLoss(model, batch), vars);
      const byVar = new Map(Object.entries(g));
      return Object.fromEntries(
        Object.keys(expected.grads_at_step_1).map((name) => [name, (byVar.get(model.get(name).name) as tf.Tensor).dataSync().slice()]),
      );
    });
    for (const [name, g] of Object.entries(expected.grads_at_step_1)) {
      expect(maxAbsDiff(Array.from(grads[name]), (g as number[]).flat())).toBeLessThan(1e-6);
    }

    const opt = new AdamW(model.params, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 });
    const losses: number[] = [];
    for (let step = 0; step < 3; step++) losses.push((await opt.minimize(() => classificationLoss(model, batch))).loss);
    expect(opt.step).toBe(3);
    expect(maxAbsDiff(losses, expected.loss_before_step)).toBeLessThan(1e-5);
    const after = tf.tidy(() => classificationLoss(model, batch).dataSync()[0]);
    expect(Math.abs(after - expected.loss_after_step_3)).toBeLessThan(1e-5);
    for (const [name, p] of Object.entries(expected.params_after_step_3)) {
      const got = Array.from(await model.read(name));
      expect(maxAbsDiff(got, (p as number[]).flat())).toBeLessThan(2e-6);
    }

    opt.dispose();
    tf.dispose([batch.inputIds, batch.attentionMask, batch.labels]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('excludes biases and LayerNorm weights from decay when asked', async () => {
    await initBackend('wasm');
    expect(decayExceptBiasAndLayerNorm('bert.encoder.layer.0.attention.self.query.weight')).toBe(true);
    expect(decayExceptBiasAndLayerNorm('bert.encoder.layer.0.attention.self.query.bias')).toBe(false);
    expect(decayExceptBiasAndLayerNorm('bert.embeddings.LayerNorm.weight')).toBe(false);
    expect(decayExceptBiasAndLayerNorm('bert.embeddings.word_embeddings.weight')).toBe(true);

    // With zero gradients, only decay moves a parameter: p·(1 − lr·wd) vs unchanged.
    const w = tf.variable(tf.tensor1d([1, 2]));
    const b = tf.variable(tf.tensor1d([3, 4]));
    const params = new Map([['dense.weight', w], ['dense.bias', b]]);
    const opt = new AdamW(params, { lr: 0.1, weightDecay: 0.5, decay: decayExceptBiasAndLayerNorm });
    const zeros = new Map([['dense.weight', tf.zeros([2])], ['dense.bias', tf.zeros([2])]]);
    opt.applyGradients(zeros);
    expect(Array.from(w.dataSync())).toEqual([Math.fround(1 * 0.95), Math.fround(2 * 0.95)]);
    expect(Array.from(b.dataSync())).toEqual([3, 4]);
    opt.dispose();
    tf.dispose([...zeros.values(), w, b]);
  });
});

describe('AdamW exportState/importState', () => {
  function setup() {
    const init = tf.tensor2d([[0.5, -1, 2], [0.25, 3, -0.75]]);
    const params = new Map([['w', tf.variable(init, true, 'w_state_' + Math.random())]]);
    init.dispose();
    const opt = new AdamW(params, { lr: 0.1, weightDecay: 0.01 });
    const target = tf.tensor2d([[1, 2, 3], [-1, 0, 1]]);
    const loss = () => tf.sum(tf.square(tf.sub(params.get('w')!, target))) as tf.Scalar;
    const dispose = () => {
      opt.dispose();
      params.get('w')!.dispose();
      target.dispose();
    };
    return { params, opt, loss, dispose };
  }

  it('round trip: a fresh optimizer given the exported state takes the identical next steps', async () => {
    const start = tf.memory().numTensors;
    const a = setup();
    for (let i = 0; i < 3; i++) await a.opt.minimize(a.loss, { clipNorm: 1 });
    const state = await a.opt.exportState();
    expect(state.step).toBe(3);
    expect(state.m.get('w')?.shape).toEqual([2, 3]);
    expect(state.v.get('w')?.data.length).toBe(6);

    const b = setup();
    b.params.get('w')!.assign(a.params.get('w')!);
    b.opt.importState(state);
    expect(b.opt.step).toBe(3);
    for (let i = 0; i < 2; i++) {
      await a.opt.minimize(a.loss, { clipNorm: 1 });
      await b.opt.minimize(b.loss, { clipNorm: 1 });
      // Bit-identical parameters after every step, not merely close.
      expect(Array.from(b.params.get('w')!.dataSync())).toEqual(Array.from(a.params.get('w')!.dataSync()));
    }
    const [stateA, stateB] = [await a.opt.exportState(), await b.opt.exportState()];
    expect(Array.from(stateB.m.get('w')!.data)).toEqual(Array.from(stateA.m.get('w')!.data));
    expect(Array.from(stateB.v.get('w')!.data)).toEqual(Array.from(stateA.v.get('w')!.data));

    // Without the state the next step differs: the round trip is what makes them equal.
    const c = setup();
    c.params.get('w')!.assign(b.params.get('w')!);
    await b.opt.minimize(b.loss);
    await c.opt.minimize(c.loss);
    expect(Array.from(c.params.get('w')!.dataSync())).not.toEqual(Array.from(b.params.get('w')!.dataSync()));
    for (const x of [a, b, c]) x.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('does not leak the tensors it replaces; rejects unknown, mis-shaped or bad states and keeps its own', async () => {
    const a = setup();
    await a.opt.minimize(a.loss);
    const state = await a.opt.exportState();
    const before = tf.memory().numTensors;
    a.opt.importState(state);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => a.opt.importState({ ...state, m: new Map([['nope', { shape: [2, 3], data: new Float32Array(6) }]]) })).toThrow(/unknown parameter "nope"/);
    expect(() => a.opt.importState({ ...state, v: new Map([['w', { shape: [6], data: new Float32Array(6) }]]) })).toThrow(/has shape \[6\]/);
    expect(() => a.opt.importState({ ...state, v: new Map([['w', { shape: [2, 3], data: new Float32Array(5) }]]) })).toThrow(/has 5 values/);
    expect(() => a.opt.importState({ ...state, step: -1 })).toThrow(/non-negative integer/);
    expect(a.opt.step).toBe(1);
    expect(Array.from((await a.opt.exportState()).m.get('w')!.data)).toEqual(Array.from(state.m.get('w')!.data));
    a.dispose();
  });
});
