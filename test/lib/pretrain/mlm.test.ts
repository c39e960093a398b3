import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from '../../helpers/wasm-backend';
import { createBertModel } from '../../../src/lib/bert/init';
import { encodeFromEmbeds, wordEmbeddings } from '../../../src/lib/bert/forward';
import { bundledConfig } from '../../../src/lib/pretrain/model-config';
import { mlmLogits, sparseCrossEntropy } from '../../../src/lib/pretrain/mlm';
import { disposeMlmTensors, mlmTensors } from '../../../src/lib/pretrain/mlm-batch';

useWasmBackend();

const config = bundledConfig({ hidden: 16, layers: 2, heads: 2, intermediate: 32, vocabSize: 30, maxLength: 12 });

describe('sparseCrossEntropy', () => {
  it('matches the mean of -log softmax[label] and its autodiff gradient', () => {
    const logits = tf.tensor2d([[1, 2, 0.5, -1], [0.3, -0.2, 2.5, 0], [4, 0, 0, 1]]);
    const labels = tf.tensor1d([1, 2, 3], 'int32');
    const reference = (z: tf.Tensor2D) => tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(z), tf.oneHot(labels, 4)), -1))) as tf.Scalar;
    const ours = tf.grad((z: tf.Tensor) => sparseCrossEntropy(z as tf.Tensor2D, labels));
    const theirs = tf.grad((z: tf.Tensor) => reference(z as tf.Tensor2D));
    const v = tf.tidy(() => sparseCrossEntropy(logits, labels));
    const r = tf.tidy(() => reference(logits));
    expect(v.dataSync()[0]).toBeCloseTo(r.dataSync()[0], 6);
    const g1 = tf.tidy(() => ours(logits));
    const g2 = tf.tidy(() => theirs(logits));
    const d1 = g1.dataSync();
    const d2 = g2.dataSync();
    d1.forEach((x, i) => expect(x).toBeCloseTo(d2[i], 6));
    tf.dispose([logits, labels, v, r, g1, g2]);
  });

  it('rejects a label count that differs from the rows', () => {
    const logits = tf.zeros([2, 3]) as tf.Tensor2D;
    const labels = tf.tensor1d([0], 'int32');
    expect(() => sparseCrossEntropy(logits, labels)).toThrow(/1 labels for 2 rows/);
    tf.dispose([logits, labels]);
  });
});

describe('mlmLogits', () => {
  it('equals the BertForMaskedLM head applied to the gathered hidden states, with the decoder tied to the word embeddings', async () => {
    const model = createBertModel(config, { seed: 3, groups: ['encoder', 'masked-lm'] });
    // make the decoder bias non-trivial so the test sees it
    model.get('cls.predictions.bias').assign(tf.range(0, 30).mul(0.01));
    const masked = [
      { inputIds: Int32Array.from([2, 7, 4, 9, 3]), positions: Int32Array.from([2]), labels: Int32Array.from([8]) },
      { inputIds: Int32Array.from([2, 4, 11, 12, 13, 4, 3]), positions: Int32Array.from([1, 5]), labels: Int32Array.from([10, 14]) },
    ];
    const batch = mlmTensors(masked, 0);
    expect(batch.predictions).toBe(3);
    expect(Array.from(batch.flatPositions.dataSync())).toEqual([2, 7 + 1, 7 + 5]);
    const ours = tf.tidy(() => mlmLogits(model, batch));
    const ref = tf.tidy(() => {
      const h = encodeFromEmbeds(model, wordEmbeddings(model, batch.inputIds), { attentionMask: batch.attentionMask }).at(-1)!.reshape([14, 16]);
      const x = tf.gather(h, batch.flatPositions);
      const d = tf.add(tf.matMul(x, model.get('cls.predictions.transform.dense.weight'), false, true), model.get('cls.predictions.transform.dense.bias'));
      const g = tf.mul(d, tf.mul(0.5, tf.add(1, tf.erf(tf.div(d, Math.SQRT2)))));
      const mean = tf.mean(g, -1, true);
      const variance = tf.mean(tf.square(tf.sub(g, mean)), -1, true);
      const ln = tf.add(tf.mul(tf.div(tf.sub(g, mean), tf.sqrt(tf.add(variance, 1e-12))), model.get('cls.predictions.transform.LayerNorm.weight')), model.get('cls.predictions.transform.LayerNorm.bias'));
      return tf.add(tf.matMul(ln, model.get('bert.embeddings.word_embeddings.weight'), false, true), model.get('cls.predictions.bias'));
    });
    expect(ours.shape).toEqual([3, 30]);
    const a = await ours.data();
    const b = await ref.data();
    a.forEach((x, i) => expect(x).toBeCloseTo(b[i], 4));
    tf.dispose([ours, ref]);
    disposeMlmTensors(batch);
    model.dispose();
  });

  it('sends the decoder gradient into the word embeddings (tied weights)', () => {
    const model = createBertModel(config, { seed: 4, groups: ['encoder', 'masked-lm'] });
    const masked = [{ inputIds: Int32Array.from([2, 5, 4, 3]), positions: Int32Array.from([2]), labels: Int32Array.from([20]) }];
    const batch = mlmTensors(masked, 0);
    const emb = model.get('bert.embeddings.word_embeddings.weight');
    const { grads, value } = tf.variableGrads(() => sparseCrossEntropy(mlmLogits(model, batch), batch.labels), [emb]);
    // Row 20 occurs in no input, so only the tied decoder can give it a gradient.
    const row20 = tf.tidy(() => tf.sum(tf.abs(tf.slice(grads[emb.name], [20, 0], [1, 16]))));
    expect(row20.dataSync()[0]).toBeGreaterThan(0);
    tf.dispose([row20, value, ...Object.values(grads)]);
    disposeMlmTensors(batch);
    model.dispose();
  });
});
