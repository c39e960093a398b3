/**
 * Conductance of every layer of one document: the one-pass method against the per-layer loop
 * (Captum's way: one pass per layer), as in src/cli/bench/conductance.ts but by wall clock (on a
 * GPU the process's CPU time says nothing; both return plain numbers, so each run ends synced).
 * Random weights, a random document of `tokens` tokens.
 */
import * as tf from '@tensorflow/tfjs';
import { parseBertConfig } from '../../src/lib/bert/config';
import { createBertModel } from '../../src/lib/bert/init';
import { createRng } from '../../src/lib/util/rng';
import { conductanceBaseline } from '../../src/lib/explain/baseline';
import { FrozenBert } from '../../src/lib/explain/frozen-forward';
import { defaultInternalBatchSize, layerConductance, type ConductanceOptions } from '../../src/lib/explain/layer-conductance';

const VOCAB = 30522;
const SPECIAL = { padId: 0, clsId: 101, sepId: 102 };
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function conductanceThroughput(layers: number, hidden: number, opts: { tokens: number; nSteps: number; repeats: number }) {
  const config = parseBertConfig({
    vocab_size: VOCAB, hidden_size: hidden, num_hidden_layers: layers, num_attention_heads: Math.max(1, hidden / 64),
    intermediate_size: 4 * hidden, max_position_embeddings: 512, num_labels: 2,
  }, `conductance shape ${layers}x${hidden}`);
  const rng = createRng(1);
  const T = opts.tokens;
  const inputIds = [SPECIAL.clsId, ...Array.from({ length: T - 2 }, () => 1000 + rng.int(VOCAB - 1000)), SPECIAL.sepId];
  const baseline = conductanceBaseline(T, SPECIAL);
  const model = createBertModel(config, { seed: 1 });
  const fwd = new FrozenBert(model);
  try {
    const internalBatchSize = defaultInternalBatchSize(config, T, opts.nSteps + 1);
    const c: ConductanceOptions = { method: 'gausslegendre', nSteps: opts.nSteps, internalBatchSize };
    const onePass = () => layerConductance(fwd, inputIds, baseline, c);
    const perLayer = async () => {
      const out = [];
      for (let l = 0; l < layers; l++) out.push(await layerConductance(fwd, inputIds, baseline, { ...c, layers: [l] }));
      return out;
    };
    // Warm-up (pipeline compilation, buffer pools) and the agreement of the two.
    const a = await onePass();
    const b = await perLayer();
    let maxDiff = 0;
    for (let l = 0; l < layers; l++) for (let t = 0; t < T; t++) maxDiff = Math.max(maxDiff, Math.abs(a.rawTokenSums[l][t] - b[l].rawTokenSums[0][t]));
    const one: number[] = [];
    const loop: number[] = [];
    const tensorsBefore = tf.memory().numTensors;
    for (let r = 0; r < opts.repeats; r++) {
      // Interleaved, so a burst of load hits both.
      let t0 = performance.now();
      await onePass();
      one.push(performance.now() - t0);
      t0 = performance.now();
      await perLayer();
      loop.push(performance.now() - t0);
    }
    const ratio = median(loop) / median(one);
    return {
      shape: { layers, hidden, heads: config.num_attention_heads, intermediate: config.intermediate_size, vocab: VOCAB },
      tokens: T,
      n_steps: opts.nSteps,
      internal_batch_size: internalBatchSize,
      repeats: opts.repeats,
      one_pass_wall_ms: { median: round(median(one)), all: one.map((x) => round(x)) },
      per_layer_loop_wall_ms: { median: round(median(loop)), all: loop.map((x) => round(x)) },
      ratio: round(ratio, 2),
      goal_ratio: round(0.8 * layers, 2),
      max_abs_diff_one_pass_vs_loop: maxDiff,
      tensors_leaked: tf.memory().numTensors - tensorsBefore,
    };
  } finally {
    fwd.dispose();
    model.dispose();
  }
}
