import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from '../../helpers/wasm-backend';
import type { LoadedBert } from '../../../src/lib/bert/load';
import { conductanceBaseline } from '../../../src/lib/explain/baseline';
import { attributeDocument, type DocAttribution } from '../../../src/lib/explain/doc-attribution';
import { PlainBertForward } from '../../../src/lib/explain/attribution-forward';
import { FrozenBert } from '../../../src/lib/explain/frozen-forward';
import { activationFloatsPerPoint, defaultInternalBatchSize, layerConductance } from '../../../src/lib/explain/layer-conductance';
import { wordEmbeddings } from '../../../src/lib/bert/forward';
import { expected, loadModelA, maxAbsDiff } from './fixture';

useWasmBackend();

const TOL = 1e-4;
const VARIANTS = ['gausslegendre_50', 'riemann_trapezoid_20'] as const;

let bert: LoadedBert;
let frozen: FrozenBert;
let special: { clsId: number; sepId: number; padId: number };
let tensorsAtStart: number;

beforeAll(async () => {
  bert = await loadModelA();
  frozen = new FrozenBert(bert.model);
  const t = bert.tokenizer;
  special = { clsId: t.clsId, sepId: t.sepId, padId: t.padId };
  tensorsAtStart = tf.memory().numTensors;
});

afterAll(() => {
  frozen.dispose();
  bert.model.dispose();
});

describe('layer conductance of every layer in one pass vs Captum (fixture)', () => {
  for (const variant of VARIANTS) {
    it(`${variant}: all 8 sentences, every layer, layer mean and terms within 1e-4`, async () => {
      expect(expected.sentences).toHaveLength(8);
      for (const [i, s] of expected.sentences.entries()) {
        const want = s.conductance[variant];
        expect(conductanceBaseline(s.input_ids.length, special)).toEqual(s.baseline_ids);
        const got = await attributeDocument(frozen, { inputIds: s.input_ids, tokens: s.tokens }, special, {
          method: want.method,
          nSteps: want.n_steps,
          target: want.target,
        });
        const where = `sentence ${i}, ${variant}`;
        expect(got.layers, where).toHaveLength(want.layers.length);
        got.layers.forEach((layer, l) => {
          const w = want.layers[l];
          expect(maxAbsDiff(layer.rawTokenSums, w.raw_token_sums), `${where}, layer ${l} raw`).toBeLessThan(TOL);
          expect(maxAbsDiff(layer.normalized, w.normalized), `${where}, layer ${l} normalized`).toBeLessThan(TOL);
          expect(Math.abs(layer.l2Norm - w.l2_norm), `${where}, layer ${l} l2`).toBeLessThan(TOL);
          expect(Math.abs(layer.convergenceDelta - w.convergence_delta), `${where}, layer ${l} delta`).toBeLessThan(TOL);
        });
        expect(Math.abs(got.fInput - want.F_input)).toBeLessThan(1e-5);
        expect(Math.abs(got.fBaseline - want.F_baseline)).toBeLessThan(1e-5);
        expect(maxAbsDiff(got.layerMeanNormalized, want.layer_mean_normalized), `${where}, layer mean`).toBeLessThan(TOL);
        expect(got.terms.map((t) => [t.term, t.pieces, t.tokenIndices]), where).toEqual(want.terms.map((t) => [t.term, t.pieces, t.token_indices]));
        expect(maxAbsDiff(got.terms.map((t) => t.score), want.terms.map((t) => t.score)), `${where}, terms`).toBeLessThan(TOL);
        expectOnlyClsInLastLayer(got);
      }
    });
  }
});

/** The pooler reads only position 0, so the last layer attributes to [CLS] alone. */
function expectOnlyClsInLastLayer(a: DocAttribution): void {
  const last = a.layers[a.layers.length - 1];
  expect(last.rawTokenSums[0]).not.toBe(0);
  expect(last.rawTokenSums.slice(1).every((v) => v === 0)).toBe(true);
  expect(Math.abs(last.normalized[0])).toBeCloseTo(1, 12);
  expect(last.normalized.slice(1).every((v) => v === 0)).toBe(true);
}

describe('chunking the interpolation points', () => {
  it('internal batch sizes 2, 7 and 51 give the unchunked sums within 1e-6 (all sentences); 1 too', async () => {
    for (const [i, s] of expected.sentences.entries()) {
      const baseline = s.baseline_ids;
      const whole = await layerConductance(frozen, s.input_ids, baseline, { internalBatchSize: 51 });
      expect(whole.alphas).toHaveLength(51);
      // Size 1 (every border carried) is slow; one sentence shows it.
      for (const ib of i === 0 ? [1, 2, 7] : [2, 7]) {
        const chunked = await layerConductance(frozen, s.input_ids, baseline, { internalBatchSize: ib });
        whole.rawTokenSums.forEach((row, l) => {
          expect(maxAbsDiff(chunked.rawTokenSums[l], row), `sentence ${i}, ib ${ib}, layer ${l}`).toBeLessThan(1e-6);
        });
      }
    }
  });

  it('picks a default chunk size from the memory budget: all K points for a short document, fewer for a long one', async () => {
    const c = bert.model.config;
    expect(defaultInternalBatchSize(c, 21, 51)).toBe(51);
    expect(defaultInternalBatchSize(c, 21, 51, 1)).toBe(1);
    const perPoint = 4 * activationFloatsPerPoint(c, 64);
    // At most 10 fit: 6 chunks, balanced as 9·5 + 6 rather than 10·5 + 1.
    expect(defaultInternalBatchSize(c, 64, 51, 10 * perPoint)).toBe(9);
    expect(defaultInternalBatchSize(c, 64, 51, 50 * perPoint)).toBe(26);
    const s = expected.sentences[0];
    const tight = await layerConductance(frozen, s.input_ids, s.baseline_ids, { memoryBudgetBytes: 5 * 4 * activationFloatsPerPoint(c, 21) });
    const whole = await layerConductance(frozen, s.input_ids, s.baseline_ids);
    whole.rawTokenSums.forEach((row, l) => expect(maxAbsDiff(tight.rawTokenSums[l], row)).toBeLessThan(1e-6));
  });
});

describe('one pass equals the per-layer passes and the generic forward', () => {
  it('each layer attributed alone (Captum style) gives the one-pass sums; PlainBertForward agrees with FrozenBert', async () => {
    const s = expected.sentences[2];
    const all = await layerConductance(frozen, s.input_ids, s.baseline_ids);
    const plain = await layerConductance(new PlainBertForward(bert.model), s.input_ids, s.baseline_ids);
    for (let l = 0; l < all.layers.length; l++) {
      const alone = await layerConductance(frozen, s.input_ids, s.baseline_ids, { layers: [l] });
      expect(alone.layers).toEqual([l]);
      expect(maxAbsDiff(alone.rawTokenSums[0], all.rawTokenSums[l])).toBeLessThan(1e-6);
      expect(maxAbsDiff(plain.rawTokenSums[l], all.rawTokenSums[l])).toBeLessThan(1e-6);
    }
    expect(Math.abs(plain.fInput - all.fInput)).toBeLessThan(1e-6);
  });

  it('a BertModel can be passed directly (weights prepared for the call and released)', async () => {
    const s = expected.sentences[5];
    const before = tf.memory().numTensors;
    const direct = await layerConductance(bert.model, s.input_ids, s.baseline_ids, { method: 'riemann_trapezoid', nSteps: 20 });
    expect(tf.memory().numTensors).toBe(before);
    const want = s.conductance.riemann_trapezoid_20.layers;
    direct.rawTokenSums.forEach((row, l) => expect(maxAbsDiff(row, want[l].raw_token_sums)).toBeLessThan(TOL));
  });

  it('target 0 attributes the other logit: F(x) − F(x′) of class 0, completeness within the fixture bound', async () => {
    const s = expected.sentences[1];
    const r = await layerConductance(frozen, s.input_ids, s.baseline_ids, { target: 0 });
    const logits = tf.tidy(() => frozen.classify(wordEmbeddings(bert.model, tf.tensor2d([s.input_ids], undefined, 'int32'))).logits.arraySync()[0]);
    expect(Math.abs(r.fInput - logits[0])).toBeLessThan(1e-5);
    for (const d of r.convergenceDelta) expect(Math.abs(d)).toBeLessThan(5e-3);
  });
});

describe('bad input', () => {
  const s = expected.sentences[0];
  it('names what is wrong', async () => {
    await expect(layerConductance(frozen, s.input_ids, s.baseline_ids.slice(1))).rejects.toThrow(/baseline has 20 tokens but the input has 21/);
    await expect(layerConductance(frozen, s.input_ids, s.baseline_ids, { target: 2 })).rejects.toThrow(/target 2 is not a class of this model \(0 … 1\)/);
    await expect(layerConductance(frozen, s.input_ids, s.baseline_ids, { layers: [2] })).rejects.toThrow(/layer 2 does not exist/);
    await expect(layerConductance(frozen, s.input_ids, s.baseline_ids, { internalBatchSize: 0 })).rejects.toThrow(/internalBatchSize must be a positive integer/);
    await expect(layerConductance(frozen, [2, 99999, 3], [2, 0, 3])).rejects.toThrow(/inputIds\[1\] = 99999 is not a token id/);
    await expect(layerConductance(frozen, [], [])).rejects.toThrow(/no tokens/);
    expect(() => conductanceBaseline(1, special)).toThrow(/at least \[CLS\] and \[SEP\]/);
  });

  it('stops at an aborted signal', async () => {
    const ctl = new AbortController();
    ctl.abort(new Error('user cancelled'));
    await expect(layerConductance(frozen, s.input_ids, s.baseline_ids, { signal: ctl.signal })).rejects.toThrow(/user cancelled/);
  });

  it('leaves no tensor behind after everything above', () => {
    expect(tf.memory().numTensors).toBe(tensorsAtStart);
  });
});
