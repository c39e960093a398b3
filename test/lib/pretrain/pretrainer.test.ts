import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from '../../helpers/wasm-backend';
import { bundledConfig } from '../../../src/lib/pretrain/model-config';
import { DEFAULT_SETTINGS, Pretrainer, type PretrainSettings, type SequenceSource } from '../../../src/lib/pretrain/pretrainer';
import { parseSafetensors } from '../../../src/lib/bert/safetensors';
import { createRng } from '../../../src/lib/util/rng';

useWasmBackend();

const VOCAB = 40;
const SPECIAL = [0, 1, 2, 3, 4]; // [PAD] [UNK] [CLS] [SEP] [MASK]
const config = bundledConfig({ hidden: 16, layers: 2, heads: 2, intermediate: 32, vocabSize: VOCAB, maxLength: 24 });

/**
 * A toy language learnable only from context: each sequence repeats one random word, so a masked
 * token is the word every visible position shows (chance: 1/35). Lengths vary, so batches pad.
 */
function toyData(count: number, seed: number): SequenceSource {
  const rng = createRng(seed);
  const seqs = Array.from({ length: count }, () => {
    const len = 8 + rng.int(14);
    const word = 5 + rng.int(35);
    return Int32Array.from([2, ...new Array<number>(len).fill(word), 3]);
  });
  return { count, get: (i) => seqs[i] };
}

function settings(over: Partial<PretrainSettings> = {}): PretrainSettings {
  return {
    ...DEFAULT_SETTINGS,
    totalSteps: 8,
    batchSize: 6,
    microBatchSize: 3,
    warmupSteps: 2,
    learningRate: 3e-3,
    masking: { vocabSize: VOCAB, maskId: 4, padId: 0, specialIds: SPECIAL, maxPredictions: 5 },
    ...over,
  };
}

/** Every tensor value of a checkpoint (params and moments), by name. */
function checkpointValues(bytes: Uint8Array): Map<string, string> {
  const f = parseSafetensors(bytes);
  const out = new Map<string, string>();
  for (const [name, e] of f.tensors) out.set(name, Buffer.from(bytes.subarray(f.dataStart + e.begin, f.dataStart + e.end)).toString('base64'));
  return out;
}

describe('Pretrainer', () => {
  const data = toyData(30, 5);

  it('resumes bit-exactly: the same losses, weights and AdamW moments as an uninterrupted run', async () => {
    const straight = Pretrainer.create(config, settings(), data);
    while (!straight.done) await straight.step();
    const straightBytes = await straight.checkpoint();
    const straightLosses = [...straight.state.losses];
    straight.dispose();

    const first = Pretrainer.create(config, settings(), data);
    for (let i = 0; i < 3; i++) await first.step();
    const saved = await first.checkpoint();
    first.dispose();
    const resumed = Pretrainer.restore(saved, data);
    expect(resumed.state.step).toBe(3);
    while (!resumed.done) await resumed.step();
    expect(resumed.state.losses).toEqual(straightLosses);
    const resumedBytes = await resumed.checkpoint();
    resumed.dispose();
    const a = checkpointValues(straightBytes);
    const b = checkpointValues(resumedBytes);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    expect([...a.keys()].some((k) => k.startsWith('adam.v/'))).toBe(true);
    for (const [name, v] of a) expect(b.get(name), name).toBe(v);
  });

  it('leaks no tensors: the count is flat across steps and back to the start after dispose', async () => {
    const before = tf.memory().numTensors;
    const trainer = Pretrainer.create(config, settings(), data);
    await trainer.step();
    const afterFirst = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await trainer.step();
    expect(tf.memory().numTensors).toBe(afterFirst);
    await trainer.checkpoint();
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('learns the toy language from context: the loss falls far below chance', async () => {
    const trainer = Pretrainer.create(config, settings({ totalSteps: 150, warmupSteps: 10, learningRate: 2e-2, batchSize: 8, microBatchSize: 8 }), toyData(120, 9));
    while (!trainer.done) await trainer.step();
    const l = trainer.state.losses;
    trainer.dispose();
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(l[0]).toBeGreaterThan(Math.log(VOCAB) - 0.3); // starts near uniform
    expect(mean(l.slice(-10))).toBeLessThan(0.6 * mean(l.slice(0, 5)));
  });

  it('gives the same update whatever the micro-batch size (gradients summed by prediction share)', async () => {
    const whole = Pretrainer.create(config, settings({ microBatchSize: 6 }), data);
    const split = Pretrainer.create(config, settings({ microBatchSize: 2 }), data);
    for (let i = 0; i < 3; i++) {
      const a = await whole.step();
      const b = await split.step();
      expect(b.loss).toBeCloseTo(a.loss, 4);
      expect(b.tokens).toBe(a.tokens);
    }
    const w = await whole.model.read('bert.encoder.layer.0.attention.self.query.weight');
    const s = await split.model.read('bert.encoder.layer.0.attention.self.query.weight');
    whole.dispose();
    split.dispose();
    const maxDiff = w.reduce((m, x, i) => Math.max(m, Math.abs(x - s[i])), 0);
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it('visits every sequence once per epoch, in a seeded order that changes between epochs', () => {
    const trainer = Pretrainer.create(config, settings({ batchSize: 5 }), data);
    const epoch0 = [...Array(6).keys()].flatMap((s) => trainer.batchIndices(s));
    const epoch1 = [...Array(6).keys()].flatMap((s) => trainer.batchIndices(s + 6));
    trainer.dispose();
    expect([...epoch0].sort((a, b) => a - b)).toEqual([...Array(30).keys()]);
    expect([...epoch1].sort((a, b) => a - b)).toEqual([...Array(30).keys()]);
    expect(epoch1).not.toEqual(epoch0);
  });

  it('follows linear warm-up then linear decay to zero', () => {
    const trainer = Pretrainer.create(config, settings({ totalSteps: 10, warmupSteps: 4, learningRate: 1e-3 }), data);
    const lrs = [...Array(10).keys()].map((s) => trainer.learningRateAt(s));
    trainer.dispose();
    expect(lrs[0]).toBe(0);
    expect(lrs[2]).toBeCloseTo(5e-4, 12);
    expect(lrs[4]).toBeCloseTo(1e-3, 12);
    expect(lrs[7]).toBeCloseTo(5e-4, 12);
    expect(trainer.learningRateAt(10)).toBe(0);
  });

  it('rejects bad settings and foreign checkpoint bytes with clear errors', async () => {
    expect(() => Pretrainer.create(config, settings({ warmupSteps: 8 }), data)).toThrow(/warmupSteps/);
    expect(() => Pretrainer.create(config, settings({ masking: { ...settings().masking, vocabSize: 99 } }), data)).toThrow(/vocab_size 40/);
    const { serializeSafetensors } = await import('../../../src/lib/bert/safetensors');
    const foreign = serializeSafetensors([{ name: 'x', shape: [1], data: new Float32Array(1) }]);
    expect(() => Pretrainer.restore(foreign, data, 'some.safetensors')).toThrow(/some.safetensors: not a pretraining checkpoint/);
  });
});
