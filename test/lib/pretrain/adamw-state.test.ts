import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from '../../helpers/wasmBackend';
import { AdamW } from '../../../src/lib/train/adamw';
import { exportAdamWState, importAdamWState } from '../../../src/lib/pretrain/adamw-state';

useWasmBackend();

function setup() {
  const params = new Map([['w', tf.variable(tf.tensor1d([0.5, -1, 2]), true, 'w_test_' + Math.random())]]);
  const opt = new AdamW(params, { lr: 0.1, weightDecay: 0.01 });
  const loss = () => tf.sum(tf.square(tf.sub(params.get('w')!, tf.tensor1d([1, 2, 3])))) as tf.Scalar;
  return { params, opt, loss };
}

describe('AdamW state export/import', () => {
  it('restores step and moments so the next updates are identical', async () => {
    const a = setup();
    for (let i = 0; i < 3; i++) await a.opt.minimize(a.loss);
    const state = await exportAdamWState(a.opt);
    expect(state.step).toBe(3);
    expect(state.m.get('w')?.shape).toEqual([3]);

    const b = setup();
    b.params.get('w')!.assign(a.params.get('w')!);
    importAdamWState(b.opt, state);
    expect(b.opt.step).toBe(3);
    for (let i = 0; i < 2; i++) {
      await a.opt.minimize(a.loss);
      await b.opt.minimize(b.loss);
    }
    expect(Array.from(b.params.get('w')!.dataSync())).toEqual(Array.from(a.params.get('w')!.dataSync()));
    for (const x of [a, b]) {
      x.opt.dispose();
      x.params.get('w')!.dispose();
    }
  });

  it('does not leak the tensors it replaces, and rejects moments of unknown or mis-shaped parameters', async () => {
    const a = setup();
    await a.opt.minimize(a.loss);
    const state = await exportAdamWState(a.opt);
    const before = tf.memory().numTensors;
    importAdamWState(a.opt, state);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => importAdamWState(a.opt, { ...state, m: new Map([['nope', { shape: [3], data: new Float32Array(3) }]]) })).toThrow(/unknown parameter "nope"/);
    expect(() => importAdamWState(a.opt, { ...state, v: new Map([['w', { shape: [4], data: new Float32Array(4) }]]) })).toThrow(/has shape \[4\]/);
    a.opt.dispose();
    a.params.get('w')!.dispose();
  });
});
