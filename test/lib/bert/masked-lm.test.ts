import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { useWasmBackend } from '../../helpers/wasm-backend';
import { parseBertConfig } from '../../../src/lib/bert/config';
import { createBertModel } from '../../../src/lib/bert/init';
import { maskedLmLogits, maskedLmLoss, type MaskedLmBatch } from '../../../src/lib/bert/masked-lm';
import { encodeFromEmbeds, wordEmbeddings } from '../../../src/lib/bert/forward';
import { saveBert, loadBert } from '../../../src/lib/bert/load';
import { memorySource } from '../../../src/lib/bert/file-source';
import { BertTokenizer } from '../../../src/lib/bert/tokenizer';
import { AdamW } from '../../../src/lib/train/adamw';

const FIXTURE = fileURLToPath(new URL('../../fixtures/bert-ref/', import.meta.url));
const config = parseBertConfig(JSON.parse(readFileSync(FIXTURE + 'config.json', 'utf8')));

useWasmBackend();

function batch(): MaskedLmBatch {
  return {
    inputIds: tf.tensor2d([[2, 4, 300, 301, 3], [2, 500, 4, 3, 0]], undefined, 'int32'),
    attentionMask: tf.tensor2d([[1, 1, 1, 1, 1], [1, 1, 1, 1, 0]], undefined, 'int32'),
    positions: tf.tensor1d([1, 7], 'int32'), // (0,1) and (1,2)
    labels: tf.tensor1d([299, 501], 'int32'),
  };
}

describe('masked-LM head', () => {
  it('computes logits at the selected positions with the decoder tied to the word embeddings', () => {
    const model = createBertModel(config, { seed: 1, groups: ['encoder', 'masked-lm'] });
    const before = tf.memory().numTensors;
    const b = batch();
    const got = tf.tidy(() => maskedLmLogits(model, b).arraySync());
    // Reference with plain tfjs ops: gelu(x·Wᵀ+b) → LayerNorm → ·Eᵀ + bias.
    const want = tf.tidy(() => {
      const hidden = encodeFromEmbeds(model, wordEmbeddings(model, b.inputIds), { attentionMask: b.attentionMask });
      const h = tf.gather(hidden[hidden.length - 1].reshape([10, 32]), b.positions);
      const g = (n: string) => model.get(`cls.predictions.${n}`);
      const z = tf.add(tf.matMul(h, g('transform.dense.weight'), false, true), g('transform.dense.bias'));
      const act = tf.mul(tf.mul(z, 0.5), tf.add(1, tf.erf(tf.div(z, Math.SQRT2))));
      const { mean, variance } = tf.moments(act, -1, true);
      const ln = tf.add(tf.mul(tf.div(tf.sub(act, mean), tf.sqrt(tf.add(variance, 1e-12))), g('transform.LayerNorm.weight')), g('transform.LayerNorm.bias'));
      return tf.add(tf.matMul(ln, model.get('bert.embeddings.word_embeddings.weight'), false, true), g('bias')).arraySync() as number[][];
    });
    expect(got).toHaveLength(2);
    expect(got[0]).toHaveLength(config.vocab_size);
    const wantFlat = want.flat();
    const diff = Math.max(...got.flat().map((v, i) => Math.abs(v - wantFlat[i])));
    expect(diff).toBeLessThan(1e-5);
    tf.dispose([b.inputIds, b.attentionMask, b.positions, b.labels]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('trains (loss falls, tied embeddings move) and saves/loads as BertForMaskedLM', async () => {
    const model = createBertModel(config, { seed: 2, groups: ['encoder', 'masked-lm'] });
    const b = batch();
    const emb0 = (await model.read('bert.embeddings.word_embeddings.weight')).slice(299 * 32, 300 * 32);
    const opt = new AdamW(model.params, { lr: 1e-2 });
    const losses: number[] = [];
    for (let i = 0; i < 10; i++) losses.push((await opt.minimize(() => maskedLmLoss(model, b))).loss);
    opt.dispose();
    expect(losses[9]).toBeLessThan(losses[0] * 0.5);
    // Row 299 is only a label (never an input): it moves through the tied decoder alone.
    const emb1 = (await model.read('bert.embeddings.word_embeddings.weight')).slice(299 * 32, 300 * 32);
    expect(Array.from(emb1)).not.toEqual(Array.from(emb0));

    const tokenizer = BertTokenizer.fromFiles(new Map([['vocab.txt', new Uint8Array(readFileSync(FIXTURE + 'vocab.txt'))]]));
    const files = await saveBert(model, tokenizer);
    expect(JSON.parse(new TextDecoder().decode(files.get('config.json'))).architectures).toEqual(['BertForMaskedLM']);
    const loaded = await loadBert(memorySource(files), { head: 'masked-lm' });
    expect([...loaded.model.params.keys()].sort()).toEqual([...model.params.keys()].sort());
    for (const name of model.params.keys()) expect(Array.from(await loaded.model.read(name)), name).toEqual(Array.from(await model.read(name)));
    // Loading the pretrained MLM for classification: fresh pooler and classifier, noted.
    const forCls = await loadBert(memorySource(files), { head: 'classification', seed: 4 });
    expect(forCls.model.notes.join(' ')).toMatch(/no pooler or classifier weights: initialised afresh/);
    tf.dispose([b.inputIds, b.attentionMask, b.positions, b.labels]);
    model.dispose();
    loaded.model.dispose();
    forCls.model.dispose();
  });
});
