import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { useWasmBackend } from '../../helpers/wasm-backend';
import { folderSource } from '../../../src/lib/bert/file-source.node.js';
import { loadBert, type LoadedBert } from '../../../src/lib/bert/load';
import { predictLogits } from '../../../src/lib/bert/batch';
import { classify } from '../../../src/lib/bert/forward';

const FIXTURE = fileURLToPath(new URL('../../fixtures/bert-ref/', import.meta.url));
interface Sentence { text: string; tokens: string[]; input_ids: number[]; logits: number[] }
const expected = JSON.parse(readFileSync(FIXTURE + 'expected.json', 'utf8')) as { sentences: Sentence[] };

useWasmBackend();

async function load(): Promise<LoadedBert> {
  return loadBert(folderSource(FIXTURE));
}

describe('tokenizer on the fixture', () => {
  it('gives exactly the fixture ids and pieces for all 8 sentences', async () => {
    const { model, tokenizer } = await load();
    model.dispose();
    expect(expected.sentences).toHaveLength(8);
    for (const s of expected.sentences) {
      const enc = tokenizer.encode(s.text, 64);
      expect(enc.inputIds).toEqual(s.input_ids);
      expect(enc.tokens).toEqual(s.tokens);
    }
  });
});

describe('forward pass on the fixture', () => {
  it('matches the PyTorch logits within 1e-5, batched with padding and one by one', async () => {
    const { model } = await load();
    const before = tf.memory().numTensors;
    const seqs = expected.sentences.map((s) => s.input_ids);
    const batched = await predictLogits(model, seqs, { batchSize: 8 });
    // The batch really is padded: lengths differ.
    expect(new Set(seqs.map((s) => s.length)).size).toBeGreaterThan(1);
    for (const [i, s] of expected.sentences.entries()) {
      const single = tf.tidy(() => classify(model, tf.tensor2d([s.input_ids], [1, s.input_ids.length], 'int32')).arraySync()[0]);
      for (let j = 0; j < 2; j++) {
        expect(Math.abs(batched[i][j] - s.logits[j])).toBeLessThan(1e-5);
        expect(Math.abs(single[j] - s.logits[j])).toBeLessThan(1e-5);
      }
    }
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
