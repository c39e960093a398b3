/**
 * Faults in a model folder: configs out of bounds or not matching the weights, truncated and
 * garbled safetensors, NaN/Inf weights, and a training run whose loss diverges. Each is refused
 * quickly with a message naming the file and the field or tensor, and nothing is allocated or kept.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BertConfigError, CONFIG_BOUNDS } from '../../src/lib/bert/config';
import { memorySource } from '../../src/lib/bert/file-source';
import { loadBert } from '../../src/lib/bert/load';
import { SPEC_DEFAULTS } from '../../src/lib/pipeline/spec-options';
import { parseSafetensors, SafetensorsError } from '../../src/lib/bert/safetensors';
import { fineTune } from '../../src/lib/train/fine-tune';
import { createRng } from '../../src/lib/util/rng';
import { useWasmBackend } from '../helpers/wasm-backend';

useWasmBackend();

const DIR = fileURLToPath(new URL('../../models/fixture-tiny/', import.meta.url));
const FILES = ['config.json', 'model.safetensors', 'vocab.txt', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'];
const original = Object.fromEntries(FILES.map((f) => [f, new Uint8Array(readFileSync(DIR + f))]));
const config = JSON.parse(new TextDecoder().decode(original['config.json'])) as Record<string, unknown>;

/** The fixture model's files with some replaced, as a source named "folder m". */
const source = (over: Record<string, Uint8Array | object>) => memorySource(
  Object.fromEntries(Object.entries({ ...original, ...over }).map(([k, v]) => [k, v instanceof Uint8Array ? v : new TextEncoder().encode(JSON.stringify(v))])),
  'folder m',
);

async function failure(p: Promise<unknown>): Promise<{ error: Error; ms: number }> {
  const started = performance.now();
  const error = (await p.then(() => undefined, (e: unknown) => e)) as Error;
  expect(error, 'expected a failure').toBeInstanceOf(Error);
  return { error, ms: performance.now() - started };
}

describe('model configs', () => {
  it('absurd sizes fail in well under a second, naming the field and config.json, before any tensor exists', async () => {
    const before = tf.memory().numTensors;
    for (const [field, value] of [['num_hidden_layers', 1e9], ['hidden_size', 1e9], ['vocab_size', 1e12], ['intermediate_size', 1e9], ['max_position_embeddings', 1e9], ['type_vocab_size', 1e6], ['num_attention_heads', 1e9]] as const) {
      const { error, ms } = await failure(loadBert(source({ 'config.json': { ...config, [field]: value } })));
      expect(error).toBeInstanceOf(BertConfigError);
      const { min, max } = CONFIG_BOUNDS[field];
      expect(error.message).toBe(`folder m/config.json: field "${field}" must be an integer in [${min}, ${max}], got ${value}`);
      expect(ms).toBeLessThan(500);
    }
    const { error } = await failure(loadBert(source({ 'config.json': { ...config, num_attention_heads: 5 } })));
    expect(error.message).toBe('folder m/config.json: field "hidden_size" must be divisible by num_attention_heads (5), got 32');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('sizes that disagree with the weights blame the config field, not a tensor shape', async () => {
    const cases: [string, number, RegExp][] = [
      ['hidden_size', 64, /^folder m\/config\.json: field "hidden_size" is 64, but folder m\/model\.safetensors has word_embeddings of shape \[1648, 32\] \(hidden size 32\)$/],
      ['vocab_size', 2000, /field "vocab_size" is 2000, but .* has word_embeddings of shape \[1648, 32\] \(1648 tokens\)$/],
      ['num_hidden_layers', 3, /field "num_hidden_layers" is 3, but folder m\/model\.safetensors holds 2 encoder layers$/],
      ['intermediate_size', 128, /field "intermediate_size" is 128, but .* has layer 0's intermediate\.dense\.weight of shape \[64, 32\]$/],
      ['max_position_embeddings', 128, /field "max_position_embeddings" is 128, but .* has position_embeddings of shape \[64, 32\]$/],
      ['type_vocab_size', 3, /field "type_vocab_size" is 3, but .* has token_type_embeddings of shape \[2, 32\]$/],
    ];
    const before = tf.memory().numTensors;
    for (const [field, value, message] of cases) {
      const { error } = await failure(loadBert(source({ 'config.json': { ...config, [field]: value } })));
      expect(error.message).toMatch(message);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('safetensors files', () => {
  const weights = original['model.safetensors'];

  it('a truncated file is refused at every length, naming the file', async () => {
    const before = tf.memory().numTensors;
    const lengths = [0, 4, 7, 8, 100, 2000, weights.length >> 1, weights.length - 1];
    for (const n of lengths) {
      const { error } = await failure(loadBert(source({ 'model.safetensors': weights.subarray(0, n) })));
      expect(error).toBeInstanceOf(SafetensorsError);
      expect(error.message).toMatch(/^folder m\/model\.safetensors: /);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('garbled headers only ever give a SafetensorsError', () => {
    const rng = createRng(17);
    const headerLength = Number(new DataView(weights.buffer, weights.byteOffset).getBigUint64(0, true));
    let n = 0;
    for (let i = 0; i < 400; i++) {
      const b = weights.slice(0, 8 + headerLength + 4096);
      if (i % 4 === 0) new DataView(b.buffer).setBigUint64(0, BigInt(Math.floor(rng.next() * 2 ** 53)), true);
      else for (let k = 0; k < 1 + (i % 7); k++) b[8 + Math.floor(rng.next() * headerLength)] = Math.floor(rng.next() * 256);
      try {
        parseSafetensors(b, 'garbled.safetensors');
      } catch (e) {
        expect(e, String(e)).toBeInstanceOf(SafetensorsError);
        n++;
      }
    }
    expect(n).toBeGreaterThan(300); // a byte changed inside a name or a number can still parse
  });

  it('NaN and infinite weights are refused, naming the tensor and counting the values', async () => {
    const file = parseSafetensors(weights);
    const t = file.tensors.get('bert.encoder.layer.1.output.dense.weight')!;
    const poisoned = weights.slice();
    const view = new DataView(poisoned.buffer);
    const at = (i: number) => file.dataStart + t.begin + 4 * i;
    view.setFloat32(at(0), Number.NaN, true);
    view.setFloat32(at(5), Number.NaN, true);
    view.setFloat32(at(9), Number.POSITIVE_INFINITY, true);
    const before = tf.memory().numTensors;
    const { error } = await failure(loadBert(source({ 'model.safetensors': poisoned })));
    expect(error.message).toBe(`folder m/model.safetensors: tensor "bert.encoder.layer.1.output.dense.weight" holds 2 NaN and 1 infinite values (of ${t.shape[0] * t.shape[1]}); the weights are corrupt or diverged`);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('training that diverges', () => {
  it('stops with the step and the learning rate when the loss is no longer finite, keeping no model', async () => {
    const { model } = await loadBert(source({}), { seed: 1 });
    const before = tf.memory().numTensors;
    const examples = Array.from({ length: 16 }, (_, i) => ({ inputIds: [2, 10 + i, 20 + (i % 3), 3], label: i % 2 }));
    const { error } = await failure(fineTune(model, examples, { ...SPEC_DEFAULTS.training, lr: 1e30, epochs: 3, batch: 4, seed: 0, clipNorm: 0, weightDecay: 0, warmupFraction: 0 }));
    expect(error.message).toMatch(/^fineTune: the loss became (NaN|Infinity) at step \d+ of 12 \(learning rate [\d.e+]+ at that step, 1e\+30 at its peak\); no model was kept; try a lower learning rate$/);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
