import * as tf from '@tensorflow/tfjs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { predictLogits } from '../../../src/lib/bert/batch';
import { folderSource } from '../../../src/lib/bert/file-source.node.js';
import { classifierLogits, pool } from '../../../src/lib/bert/forward';
import { loadBert } from '../../../src/lib/bert/load';
import { clsFeatures } from '../../../src/lib/transfer/logme-cls-features';
import { logme } from '../../../src/lib/transfer/logme';
import { logmeFeature } from '../../../src/lib/transfer/logme-feature';
import { useWasmBackend } from '../../helpers/wasm-backend';

useWasmBackend();
const FIXTURE = fileURLToPath(new URL('../../fixtures/bert-ref/', import.meta.url));
const TEXTS = [
  'flood waters rising near the bridge',
  'power is out',
  'volunteers needed at the shelter on main street tonight',
  'road closed',
  'the river has burst its banks and the school is being evacuated',
  'thanks everyone',
  'fire near the highway',
];
const LABELS = [1, 0, 1, 0, 1, 0, 1];

describe('clsFeatures', () => {
  it('is the [CLS] state the classifier reads: pooler + head on it give the model\'s logits; padding changes nothing', async () => {
    const { model, tokenizer } = await loadBert(folderSource(FIXTURE));
    const H = model.config.hidden_size;
    const before = tf.memory().numTensors;
    const batched = await clsFeatures(model, tokenizer, TEXTS, { batchSize: 3, maxLength: 64 });
    const single = await clsFeatures(model, tokenizer, TEXTS, { batchSize: 1, maxLength: 64 });
    expect(tf.memory().numTensors).toBe(before);
    expect(batched).toHaveLength(TEXTS.length * H);
    for (let i = 0; i < batched.length; i++) expect(Math.abs(batched[i]! - single[i]!)).toBeLessThan(1e-5);

    const fromCls = tf.tidy(() => classifierLogits(model, pool(model, tf.tensor3d(Float32Array.from(batched), [TEXTS.length, 1, H]))).arraySync());
    const logits = await predictLogits(model, TEXTS.map((t) => tokenizer.encode(t, 64).inputIds), { padId: tokenizer.padId });
    fromCls.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - logits[i]![j]!)).toBeLessThan(1e-4)));
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('logmeFeature', () => {
  it('is LogME of the source model\'s [CLS] features for the target labels, and leaves no tensor behind', async () => {
    const { model, tokenizer } = await loadBert(folderSource(FIXTURE));
    const before = tf.memory().numTensors;
    const value = await logmeFeature(model, tokenizer, TEXTS, LABELS, { maxLength: 64 });
    expect(tf.memory().numTensors).toBe(before);
    const F = await clsFeatures(model, tokenizer, TEXTS, { maxLength: 64 });
    expect(value).toBe(logme(F, TEXTS.length, model.config.hidden_size, LABELS).logme);
    expect(Number.isFinite(value)).toBe(true);
    // Other labels, other evidence.
    expect(await logmeFeature(model, tokenizer, TEXTS, [0, 0, 0, 1, 1, 1, 0], { maxLength: 64 })).not.toBe(value);
    await expect(logmeFeature(model, tokenizer, TEXTS, LABELS.slice(1))).rejects.toThrow('7 documents but 6 labels');
    await expect(logmeFeature(model, tokenizer, TEXTS, [2, 0, 1, 0, 1, 0, 1])).rejects.toThrow('label 0 must be 0 or 1');
    await expect(logmeFeature(model, tokenizer, [], [])).rejects.toThrow('no documents');
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
