import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { useWasmBackend } from '../../helpers/wasm-backend';
import { parseSafetensors, readFloat32, serializeSafetensors, SafetensorsError, type SafetensorsErrorKind } from '../../../src/lib/bert/safetensors';
import { folderSource } from '../../../src/lib/bert/file-source.node.js';
import { loadBert, saveBert } from '../../../src/lib/bert/load';
import { memorySource } from '../../../src/lib/bert/file-source';
import { modelFromSafetensors } from '../../../src/lib/bert/weights';
import { parseBertConfig } from '../../../src/lib/bert/config';
import { normalizeName } from '../../../src/lib/bert/names';

const FIXTURE = fileURLToPath(new URL('../../fixtures/bert-ref/', import.meta.url));
const fixtureBytes = new Uint8Array(readFileSync(FIXTURE + 'model.safetensors'));
const fixtureConfig = parseBertConfig(JSON.parse(readFileSync(FIXTURE + 'config.json', 'utf8')));

useWasmBackend();

/** A file built by hand: header JSON (unpadded) + data. */
function build(header: unknown, data: Uint8Array = new Uint8Array(0), lengthOverride?: bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function kindOf(f: () => unknown): SafetensorsErrorKind | string {
  try {
    f();
  } catch (err) {
    return err instanceof SafetensorsError ? err.kind : `other: ${String(err)}`;
  }
  return 'no error';
}

describe('safetensors', () => {
  it('parses the fixture and writes it back bit-exact', () => {
    const file = parseSafetensors(fixtureBytes);
    expect(file.tensors.size).toBe(41);
    expect(file.metadata).toEqual({ format: 'pt' });
    const tensors = [...file.tensors.values()].map((t) => ({ name: t.name, shape: t.shape, data: readFloat32(file, t.name) }));
    const written = serializeSafetensors(tensors.reverse()); // order of input must not matter
    expect(written.length).toBe(fixtureBytes.length);
    expect(Buffer.compare(Buffer.from(written), Buffer.from(fixtureBytes))).toBe(0);
  });

  it('gives a specific error for each malformed case', () => {
    const f32 = (n: number) => new Uint8Array(n * 4);
    const good = { w: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] } };
    expect(kindOf(() => parseSafetensors(build(good, f32(4))))).toBe('no error');
    // Shorter than the 8-byte length prefix.
    expect(kindOf(() => parseSafetensors(new Uint8Array(5)))).toBe('truncated');
    // Header length larger than the file, or absurdly large.
    expect(kindOf(() => parseSafetensors(build(good, f32(4), 10_000n)))).toBe('header-length');
    expect(kindOf(() => parseSafetensors(build(good, f32(4), 2n ** 40n)))).toBe('header-length');
    // Bad JSON, and JSON that is not an object.
    expect(kindOf(() => parseSafetensors(build('{"w": {"dtype": "F32",', f32(4))))).toBe('header-json');
    expect(kindOf(() => parseSafetensors(build('[1, 2]')))).toBe('header-json');
    // Entry without data_offsets.
    expect(kindOf(() => parseSafetensors(build({ w: { dtype: 'F32', shape: [1] } }, f32(1))))).toBe('entry');
    // Offsets past the end of the data (a truncated file).
    expect(kindOf(() => parseSafetensors(build(good, f32(3))))).toBe('offsets');
    // Unknown dtype at parse time; a known but non-float dtype when read as a weight.
    expect(kindOf(() => parseSafetensors(build({ w: { dtype: 'Q4', shape: [2], data_offsets: [0, 2] } }, new Uint8Array(2))))).toBe('dtype');
    const ints = parseSafetensors(build({ w: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, new Uint8Array(16)));
    expect(kindOf(() => readFloat32(ints, 'w'))).toBe('dtype');
    expect(() => readFloat32(ints, 'w')).toThrow(/dtype I64; weights must be F32/);
    // Shape × dtype disagrees with the offsets.
    expect(kindOf(() => parseSafetensors(build({ w: { dtype: 'F32', shape: [3, 2], data_offsets: [0, 16] } }, f32(4))))).toBe('size');
    // Two tensors sharing bytes.
    const overlap = { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } };
    expect(kindOf(() => parseSafetensors(build(overlap, f32(3))))).toBe('overlap');
    // Missing tensor and wrong shape when reading.
    const file = parseSafetensors(build(good, f32(4)));
    expect(kindOf(() => readFloat32(file, 'nope'))).toBe('missing-tensor');
    expect(kindOf(() => readFloat32(file, 'w', [4]))).toBe('shape');
    expect(() => readFloat32(file, 'w', [4])).toThrow(/"w" has shape \[2, 2\], expected \[4\]/);
  });

  it('converts F16 and BF16 to float32 exactly', () => {
    // 1.0, -2.0, 0.5, 65504 (max half), a subnormal (2^-24) in F16; 1.0, -2.0, 3.140625 in BF16.
    const f16 = new Uint16Array([0x3c00, 0xc000, 0x3800, 0x7bff, 0x0001]);
    const bf16 = new Uint16Array([0x3f80, 0xc000, 0x4049]);
    const data = new Uint8Array(16);
    data.set(new Uint8Array(f16.buffer), 0);
    data.set(new Uint8Array(bf16.buffer), 10);
    const file = parseSafetensors(build({
      h: { dtype: 'F16', shape: [5], data_offsets: [0, 10] },
      b: { dtype: 'BF16', shape: [3], data_offsets: [10, 16] },
    }, data));
    expect(Array.from(readFloat32(file, 'h'))).toEqual([1, -2, 0.5, 65504, 2 ** -24]);
    expect(Array.from(readFloat32(file, 'b'))).toEqual([1, -2, 3.140625]);
  });
});

describe('model files', () => {
  it('load → save round trip of the fixture folder is bit-exact', async () => {
    const { model, tokenizer } = await loadBert(folderSource(FIXTURE));
    const files = await saveBert(model, tokenizer);
    expect(Buffer.compare(Buffer.from(files.get('model.safetensors')!), Buffer.from(fixtureBytes))).toBe(0);
    for (const name of ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt']) {
      expect(Buffer.compare(Buffer.from(files.get(name)!), readFileSync(FIXTURE + name)), name).toBe(0);
    }
    expect(JSON.parse(new TextDecoder().decode(files.get('config.json')))).toEqual(JSON.parse(readFileSync(FIXTURE + 'config.json', 'utf8')));
    // …and the saved files load again to the same model.
    const again = await loadBert(memorySource(files));
    for (const name of model.params.keys()) {
      expect(Array.from(await again.model.read(name)), name).toEqual(Array.from(await model.read(name)));
    }
    model.dispose();
    again.model.dispose();
  });

  it('normalises real-checkpoint names and initialises missing heads with a note', async () => {
    const file = parseSafetensors(fixtureBytes);
    // A TF-converted BertModel checkpoint: no `bert.` prefix, LayerNorm gamma/beta, no classifier,
    // plus an MLM head tensor that a classifier ignores.
    const renamed = [...file.tensors.values()]
      .filter((t) => !t.name.startsWith('classifier.'))
      .map((t) => ({
        name: t.name.replace(/^bert\./, '').replace(/LayerNorm\.weight$/, 'LayerNorm.gamma').replace(/LayerNorm\.bias$/, 'LayerNorm.beta'),
        shape: t.shape,
        data: readFloat32(file, t.name),
      }));
    renamed.push({ name: 'cls.predictions.bias', shape: [fixtureConfig.vocab_size], data: new Float32Array(fixtureConfig.vocab_size) });
    const bytes = serializeSafetensors(renamed);
    const before = tf.memory().numTensors;
    const model = modelFromSafetensors(fixtureConfig, bytes, { seed: 5 });
    expect(model.notes.join('\n')).toMatch(/no classifier weights: initialised afresh \(seed 5\)/);
    expect(model.notes.join('\n')).toMatch(/ignored 1 tensor\(s\).*cls\.predictions\.bias/);
    expect(Array.from(await model.read('bert.embeddings.LayerNorm.weight'))).toEqual(Array.from(readFloat32(file, 'bert.embeddings.LayerNorm.weight')));
    expect(Array.from(await model.read('classifier.bias'))).toEqual([0, 0]);
    expect(model.hasGroup('classifier')).toBe(true);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);

    // An incomplete encoder is an error naming the tensor, and frees what it had loaded.
    const partial = serializeSafetensors(renamed.filter((t) => t.name !== 'encoder.layer.1.output.dense.weight'));
    expect(() => modelFromSafetensors(fixtureConfig, partial)).toThrow(/"bert\.encoder\.layer\.1\.output\.dense\.weight" is missing/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('drops buffers and tied copies by name', () => {
    expect(normalizeName('bert.embeddings.position_ids')).toBeNull();
    expect(normalizeName('cls.predictions.decoder.weight')).toBeNull();
    expect(normalizeName('cls.predictions.decoder.bias')).toBeNull();
    expect(normalizeName('encoder.layer.3.output.LayerNorm.gamma')).toBe('bert.encoder.layer.3.output.LayerNorm.weight');
    expect(normalizeName('cls.predictions.transform.LayerNorm.beta')).toBe('cls.predictions.transform.LayerNorm.bias');
  });

  it('validates config.json with clear errors', () => {
    const good = JSON.parse(readFileSync(FIXTURE + 'config.json', 'utf8')) as Record<string, unknown>;
    expect(parseBertConfig(good).hidden_size).toBe(32);
    expect(parseBertConfig(good).use_cache).toBe(true); // unknown fields survive
    expect(() => parseBertConfig({ ...good, hidden_size: 30 })).toThrow(/"hidden_size" must be divisible by num_attention_heads/);
    expect(() => parseBertConfig({ ...good, hidden_act: 'swish' })).toThrow(/"hidden_act" must be one of/);
    expect(() => parseBertConfig({ ...good, vocab_size: undefined })).toThrow(/"vocab_size" must be an integer in \[1, 1048576\]/);
    expect(() => parseBertConfig({ ...good, model_type: 'roberta' })).toThrow(/"model_type" must be "bert"/);
    expect(() => parseBertConfig([])).toThrow(/expected a JSON object/);
  });
});
