import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from '../../helpers/wasm-backend';
import { parseBertConfig } from '../../../src/lib/bert/config';
import { classifyFromEmbeds } from '../../../src/lib/bert/forward';
import { createBertModel } from '../../../src/lib/bert/init';
import type { BertModel } from '../../../src/lib/bert/model';
import { FrozenBert } from '../../../src/lib/explain/frozen-forward';

useWasmBackend();

// A random model bigger than the fixture (3 layers, 2 heads of 16, T 9), with non-trivial LayerNorm
// parameters, so the frozen forward is checked on a second shape.
let model: BertModel;
beforeAll(() => {
  const config = parseBertConfig({
    vocab_size: 50, hidden_size: 32, num_hidden_layers: 3, num_attention_heads: 2, intermediate_size: 48,
    max_position_embeddings: 16, num_labels: 3, initializer_range: 0.3,
  });
  model = createBertModel(config, { seed: 7 });
  tf.tidy(() => {
    for (const [name, v] of model.params) {
      if (/LayerNorm\.(weight|bias)$/.test(name)) v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.2, 'float32', 3)));
    }
  });
});
afterAll(() => model.dispose());

describe('FrozenBert (frozen-weight forward for attribution)', () => {
  it('gives the logits and hidden states of bert/forward (last layer: [CLS] row only)', () => {
    const frozen = new FrozenBert(model);
    const [B, T, H] = [3, 9, 32];
    tf.tidy(() => {
      const embeds = tf.randomNormal([B, T, H], 0, 1, 'float32', 11) as tf.Tensor3D;
      const ref = classifyFromEmbeds(model, embeds);
      const got = frozen.classify(embeds);
      expect(tf.max(tf.abs(tf.sub(got.logits, ref.logits))).arraySync()).toBeLessThan(1e-5);
      expect(got.hidden.map((h) => h.shape)).toEqual([[B, T, H], [B, T, H], [B, 1, H]]);
      for (let l = 0; l < 2; l++) expect(tf.max(tf.abs(tf.sub(got.hidden[l], ref.hidden[l]))).arraySync()).toBeLessThan(1e-5);
      const cls = tf.slice(ref.hidden[2], [0, 0, 0], [B, 1, H]);
      expect(tf.max(tf.abs(tf.sub(got.hidden[2], cls))).arraySync()).toBeLessThan(1e-5);
    });
    frozen.dispose();
  });

  it('has the same gradients with respect to every layer output', () => {
    const before = tf.memory().numTensors;
    const frozen = new FrozenBert(model);
    const [B, T, H] = [2, 7, 32];
    tf.tidy(() => {
      const embeds = tf.randomNormal([B, T, H], 0, 1, 'float32', 5) as tf.Tensor3D;
      const addsFull = [0, 1, 2].map(() => tf.zeros([B, T, H]));
      const addsFrozen = [0, 1, 2].map((l) => tf.zeros([B, frozen.hiddenRows(l, T), H]));
      const f = (run: (a: tf.Tensor[]) => tf.Tensor2D) => (...a: tf.Tensor[]) => tf.sum(tf.slice(run(a), [0, 2], [B, 1])) as tf.Scalar;
      const gRef = tf.grads(f((a) => classifyFromEmbeds(model, embeds, { layerAdds: a }).logits))(addsFull);
      const gGot = tf.grads(f((a) => frozen.classify(embeds, a).logits))(addsFrozen);
      for (let l = 0; l < 2; l++) expect(tf.max(tf.abs(tf.sub(gGot[l], gRef[l]))).arraySync()).toBeLessThan(1e-5);
      // The last layer's gradient lives on [CLS] only; elsewhere it is exactly zero.
      const ref2 = gRef[2].arraySync() as number[][][];
      expect(ref2.every((b) => b.slice(1).every((row) => row.every((v) => v === 0)))).toBe(true);
      expect(tf.max(tf.abs(tf.sub(gGot[2], tf.slice(gRef[2], [0, 0, 0], [B, 1, H])))).arraySync()).toBeLessThan(1e-5);
    });
    frozen.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects inputs of the wrong width or length', () => {
    const frozen = new FrozenBert(model);
    expect(() => tf.tidy(() => frozen.classify(tf.zeros([1, 4, 31]) as tf.Tensor3D))).toThrow(/hidden size 31 differs from the model's 32/);
    expect(() => tf.tidy(() => frozen.classify(tf.zeros([1, 17, 32]) as tf.Tensor3D))).toThrow(/sequence length 17 exceeds max_position_embeddings 16/);
    frozen.dispose();
  });
});
