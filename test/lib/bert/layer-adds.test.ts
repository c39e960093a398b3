import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { useWasmBackend } from '../../helpers/wasm-backend';
import { folderSource } from '../../../src/lib/bert/file-source.node.js';
import { loadBert } from '../../../src/lib/bert/load';
import { classifyFromEmbeds, wordEmbeddings } from '../../../src/lib/bert/forward';
import { createRng } from '../../../src/lib/util/rng';

const FIXTURE = fileURLToPath(new URL('../../fixtures/bert-ref/', import.meta.url));
const expected = JSON.parse(readFileSync(FIXTURE + 'expected.json', 'utf8')) as { sentences: { input_ids: number[]; logits: number[] }[] };

useWasmBackend();

describe('classifyFromEmbeds with layerAdds (what conductance differentiates)', () => {
  it('gives ∂logit₁/∂h_l for every layer from one tf.grads call, matching per-layer grads and finite differences', async () => {
    const { model } = await loadBert(folderSource(FIXTURE));
    const before = tf.memory().numTensors;
    const ids = expected.sentences[1].input_ids;
    const T = ids.length;
    const H = model.config.hidden_size;
    const L = model.numLayers;
    const embeds = tf.tidy(() => wordEmbeddings(model, tf.tensor2d([ids], [1, T], 'int32')));
    const zeros = Array.from({ length: L }, () => tf.zeros([1, T, H]));
    const F = (adds: (tf.Tensor | null)[]) =>
      tf.tidy(() => classifyFromEmbeds(model, embeds, { layerAdds: adds }).logits.slice([0, 1], [1, 1]).sum() as tf.Scalar);

    // Zero adds change nothing; the hidden states are returned per layer.
    const out = tf.tidy(() => {
      const r = classifyFromEmbeds(model, embeds, { layerAdds: zeros });
      return { logits: r.logits.arraySync()[0], shapes: r.hidden.map((h) => h.shape) };
    });
    expect(Math.abs(out.logits[1] - expected.sentences[1].logits[1])).toBeLessThan(1e-5);
    expect(out.shapes).toEqual(Array.from({ length: L }, () => [1, T, H]));

    const all = tf.tidy(() => tf.grads((...adds: tf.Tensor[]) => F(adds))(zeros).map((g) => g.arraySync() as number[][][]));
    expect(all).toHaveLength(L);

    for (let l = 0; l < L; l++) {
      // Same gradient when only layer l gets an add.
      const single = tf.tidy(() => tf.grad((a: tf.Tensor) => F(zeros.map((z, k) => (k === l ? a : null))))(zeros[l]).arraySync() as number[][][]);
      const flatAll = all[l].flat(2);
      const flatSingle = single.flat(2);
      expect(Math.max(...flatAll.map((g, i) => Math.abs(g - flatSingle[i])))).toBeLessThan(1e-6);

      // Central finite difference along a random direction v: (F(+εv) − F(−εv)) / 2ε ≈ Σ g·v.
      const rng = createRng(100 + l);
      const v = Float32Array.from({ length: T * H }, () => rng.normal());
      const eps = 1e-2;
      const shifted = (sign: number) => {
        return tf.tidy(() => {
          const add = tf.tensor(v.map((x) => sign * eps * x), [1, T, H]);
          return F(zeros.map((z, k) => (k === l ? add : null))).dataSync()[0];
        });
      };
      const fd = (shifted(1) - shifted(-1)) / (2 * eps);
      const analytic = flatAll.reduce((s, g, i) => s + g * v[i], 0);
      expect(Math.abs(fd - analytic)).toBeLessThan(2e-3 * Math.max(1, Math.abs(analytic)));
      expect(Math.abs(analytic)).toBeGreaterThan(1e-3); // a real gradient, not all zeros
    }

    // The pooler reads only [CLS]: in the last layer every other position has zero gradient.
    const last = all[L - 1];
    expect(last[0][0].some((g) => g !== 0)).toBe(true);
    for (let t = 1; t < T; t++) expect(last[0][t].every((g) => g === 0)).toBe(true);

    tf.dispose([embeds, ...zeros]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
