import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from '../../helpers/wasm-backend';
import { createBertModel } from '../../../src/lib/bert/init';
import { bundledConfig } from '../../../src/lib/pretrain/model-config';
import { evaluateMlm, maskHeldout } from '../../../src/lib/pretrain/mlm-eval';
import { maskSequence } from '../../../src/lib/pretrain/masking';
import { createRng } from '../../../src/lib/util/rng';

useWasmBackend();

const config = bundledConfig({ hidden: 16, layers: 1, heads: 2, intermediate: 32, vocabSize: 50, maxLength: 20 });
const masking = { vocabSize: 50, maskId: 4, specialIds: [0, 1, 2, 3, 4] };
const rng = createRng(1);
const seqs = Array.from({ length: 23 }, () => [2, ...Array.from({ length: 3 + rng.int(15) }, () => 5 + rng.int(45)), 3]);

describe('held-out MLM evaluation', () => {
  it('masks with one PRNG in file order, as the unigram baseline does', () => {
    const masked = maskHeldout(seqs, masking, 2024);
    const r = createRng(2024);
    const expected = seqs.map((s) => maskSequence(s, masking, r));
    expect(masked).toEqual(expected);
  });

  it('scores every target, independently of the batch size; a uniform model scores perplexity = vocabulary', async () => {
    const model = createBertModel(config, { seed: 2, groups: ['encoder', 'masked-lm'] });
    const masked = maskHeldout(seqs, masking, 7);
    const targets = masked.reduce((n, m) => n + m.positions.length, 0);
    const before = tf.memory().numTensors;
    const a = await evaluateMlm(model, masked, { padId: 0, batchSize: 4 });
    const b = await evaluateMlm(model, masked, { padId: 0, batchSize: 64 });
    expect(tf.memory().numTensors).toBe(before);
    expect(a.targets).toBe(targets);
    expect(b.targets).toBe(targets);
    expect(b.loss).toBeCloseTo(a.loss, 5);
    expect(b.accuracy).toBe(a.accuracy);
    expect(a.perplexity).toBeCloseTo(Math.exp(a.loss), 9);
    // Zero decoder weights and bias → every token equally likely.
    model.get('bert.embeddings.word_embeddings.weight').assign(tf.zeros([50, 16]));
    const u = await evaluateMlm(model, masked, { padId: 0 });
    expect(u.perplexity).toBeCloseTo(50, 3);
    model.dispose();
  });
});
