import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { fileURLToPath } from 'node:url';
import { useWasmBackend } from '../../helpers/wasm-backend';
import { folderSource } from '../../../src/lib/bert/file-source.node.js';
import { loadBert } from '../../../src/lib/bert/load';
import type { BertModel } from '../../../src/lib/bert/model';
import { createRng } from '../../../src/lib/util/rng';
import { SPEC_DEFAULTS } from '../../../src/lib/pipeline/spec-options';
import { fineTune, startingModel, type FineTuneSettings, type TrainExample } from '../../../src/lib/train/fine-tune';
import { evaluate } from '../../../src/lib/train/evaluate';

const FIXTURE = fileURLToPath(new URL('../../fixtures/bert-ref/', import.meta.url));

useWasmBackend();

/**
 * Separable synthetic task over the fixture vocabulary: positives contain one of a few "signal"
 * words, negatives never do; both are padded out with shared filler words.
 */
function dataset(n: number, seed: number): TrainExample[] {
  const rng = createRng(seed);
  const signal = [342, 1106, 1071]; // river, bridge, flood
  const filler = Array.from({ length: 20 }, (_, i) => 100 + i * 7);
  return Array.from({ length: n }, (_, i) => {
    const label = i % 2;
    const len = 4 + rng.int(8);
    const words = Array.from({ length: len }, () => filler[rng.int(filler.length)]);
    if (label === 1) words[rng.int(len)] = signal[rng.int(signal.length)];
    return { inputIds: [2, ...words, 3], label };
  });
}

// Dropout stays on (the default): the tiny random fixture model needs ~12 epochs with it.
const SETTINGS: FineTuneSettings = { ...SPEC_DEFAULTS.training, lr: 3e-3, epochs: 12, batch: 8, seed: 7, warmupFraction: 0.1 };

async function allWeights(model: BertModel): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const name of model.params.keys()) out.set(name, await model.read(name));
  return out;
}

describe('fineTune', () => {
  it('learns a separable task (F1 ≥ 0.9), is deterministic per seed, and leaks no tensors', async () => {
    const { model: base } = await loadBert(folderSource(FIXTURE));
    const train = dataset(160, 1);
    const test = dataset(40, 2);
    const before = tf.memory().numTensors;

    const progress: number[] = [];
    const run1 = await fineTune(base, train, SETTINGS, { onProgress: (p) => progress.push(p.step) });
    const steps = Math.ceil(160 / 8) * 12;
    expect(run1.steps).toBe(steps);
    expect(progress).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
    expect(run1.examplesSeen).toBe(160 * 12);
    expect(run1.losses).toHaveLength(steps);
    expect(run1.wallTimeMs).toBeGreaterThan(0);
    const evaluation = await evaluate(run1.model, test, { batchSize: 16 });
    expect(evaluation.f1).toBeGreaterThanOrEqual(0.9);
    expect(evaluation.count).toBe(40);
    expect(evaluation.probabilities).toHaveLength(40);

    const run2 = await fineTune(base, train, SETTINGS);
    const [w1, w2] = [await allWeights(run1.model), await allWeights(run2.model)];
    for (const [name, values] of w1) expect(Array.from(w2.get(name)!), name).toEqual(Array.from(values));
    expect(run2.losses).toEqual(run1.losses);

    // Another seed gives other weights (the seed really is used).
    const run3 = await fineTune(base, train, { ...SETTINGS, epochs: 1, seed: 8 });
    expect(Array.from(await run3.model.read('classifier.weight'))).not.toEqual(Array.from(w1.get('classifier.weight')!));

    run1.model.dispose();
    run2.model.dispose();
    run3.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    base.dispose();
  });

  it('starts a transfer model from the encoder with a fresh or kept head', async () => {
    const { model: base } = await loadBert(folderSource(FIXTURE));
    const fresh = startingModel(base, { seed: 3 });
    const kept = startingModel(base, { seed: 3, keepHead: true });
    const enc = 'bert.encoder.layer.1.output.dense.weight';
    expect(Array.from(await fresh.read(enc))).toEqual(Array.from(await base.read(enc)));
    expect(Array.from(await fresh.read('bert.pooler.dense.weight'))).toEqual(Array.from(await base.read('bert.pooler.dense.weight')));
    expect(Array.from(await kept.read('classifier.weight'))).toEqual(Array.from(await base.read('classifier.weight')));
    expect(Array.from(await fresh.read('classifier.weight'))).not.toEqual(Array.from(await base.read('classifier.weight')));
    expect(Array.from(await fresh.read('classifier.bias'))).toEqual([0, 0]);
    // The copy is independent: changing it leaves the base alone.
    const before = Array.from(await base.read(enc));
    const zeros = tf.zerosLike(fresh.get(enc));
    fresh.get(enc).assign(zeros);
    zeros.dispose();
    expect(Array.from(await base.read(enc))).toEqual(before);
    fresh.dispose();
    kept.dispose();
    base.dispose();
  });

  it('stops on abort before the next step and frees everything', async () => {
    const { model: base } = await loadBert(folderSource(FIXTURE));
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    let last = 0;
    await expect(
      fineTune(base, dataset(64, 3), { ...SETTINGS, epochs: 2 }, {
        signal: controller.signal,
        onProgress: (p) => {
          last = p.step;
          if (p.step === 2) controller.abort();
        },
      }),
    ).rejects.toThrow(/abort/i);
    expect(last).toBe(2);
    expect(tf.memory().numTensors).toBe(before);
    base.dispose();
  });
});
