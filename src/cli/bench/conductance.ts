/**
 * Per-document time of layer conductance for every layer: the one-pass method (one batched forward,
 * one backward for all layers) against a per-layer loop (the same code run once per layer, each
 * pass differentiating only that layer, which is what Captum's `LayerConductance` does layer by
 * layer). Random weights, a random document of `--tokens` tokens ([CLS] … [SEP]).
 *
 *   npm run bench -- conductance [--shapes 4x256,12x256] [--tokens 40] [--steps 50]
 *                                [--method gausslegendre] [--internal-batch N] [--repeats 3]
 *
 * A shape is LAYERSxHIDDEN; heads = hidden/64, intermediate = 4·hidden (BERT-mini: 4x256).
 * `ratio` = median CPU time of the per-layer loop / median CPU time of the one-pass method (CPU time
 * of this single-threaded process is far less disturbed by other processes than wall time; the
 * wall-clock ratio is printed too). Prints JSON; asserts nothing. The two methods' results are compared too (max |Δ s_t|), so the
 * timing is of two computations that agree.
 */
import * as tf from '@tensorflow/tfjs';
import { parseArgs, CliError } from '../args';
import { parseBertConfig, type BertConfig } from '../../lib/bert/config';
import { createBertModel } from '../../lib/bert/init';
import { createRng } from '../../lib/util/rng';
import { isConductanceMethod } from '../../lib/explain/interpolation';
import { conductanceBaseline } from '../../lib/explain/baseline';
import { PlainBertForward, type AttributionForward } from '../../lib/explain/attribution-forward';
import { FrozenBert } from '../../lib/explain/frozen-forward';
import { defaultInternalBatchSize, layerConductance, type ConductanceOptions, type LayerConductanceResult } from '../../lib/explain/layer-conductance';
import { initBackend } from '../../lib/runtime/backend.node.js';

const VOCAB = 30522;
const SPECIAL = { padId: 0, clsId: 101, sepId: 102 };

function shapeConfig(layers: number, hidden: number): BertConfig {
  return parseBertConfig({
    vocab_size: VOCAB,
    hidden_size: hidden,
    num_hidden_layers: layers,
    num_attention_heads: Math.max(1, hidden / 64),
    intermediate_size: 4 * hidden,
    max_position_embeddings: 512,
    num_labels: 2,
  }, `bench shape ${layers}x${hidden}`);
}

function parseShapes(s: string): [number, number][] {
  return s.split(',').map((part) => {
    const m = /^(\d+)x(\d+)$/.exec(part.trim());
    if (!m) throw new CliError(`--shapes: "${part}" is not LAYERSxHIDDEN (e.g. 4x256)`);
    const [l, h] = [Number(m[1]), Number(m[2])];
    if (l < 1 || h < 64 || h % 64 !== 0) throw new CliError(`--shapes: "${part}" needs ≥ 1 layer and a hidden size that is a multiple of 64`);
    return [l, h];
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

type ForwardKind = 'frozen' | 'plain';

interface Timing {
  wall: number[];
  /** CPU time of this process (user + system): robust to other processes on a shared machine. */
  cpu: number[];
}

async function timed(f: () => Promise<unknown>, into: Timing): Promise<void> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await f();
  into.wall.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  into.cpu.push((c.user + c.system) / 1000);
}

/** Interleaves the two methods run by run, so a burst of load on a shared machine hits both. */
async function timeBoth(repeats: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[Timing, Timing]> {
  const ta: Timing = { wall: [], cpu: [] };
  const tb: Timing = { wall: [], cpu: [] };
  for (let r = 0; r < repeats; r++) {
    await timed(a, ta);
    await timed(b, tb);
  }
  return [ta, tb];
}

const summary = (xs: number[]) => ({ median: round(median(xs)), min: round(Math.min(...xs)), all: xs.map((x) => round(x)) });

export async function run(argv: string[]): Promise<unknown> {
  const args = parseArgs(argv, ['shapes', 'tokens', 'steps', 'method', 'internal-batch', 'repeats', 'seed', 'forward']);
  const shapes = parseShapes(args.get('shapes') ?? '4x256,12x256');
  const T = args.int('tokens', 40);
  const nSteps = args.int('steps', 50);
  const method = args.get('method') ?? 'gausslegendre';
  if (!isConductanceMethod(method)) throw new CliError(`--method must be gausslegendre or riemann_trapezoid, got "${method}"`);
  const repeats = args.int('repeats', 3);
  const seed = args.int('seed', 1);
  const forwardArg = args.get('forward') ?? 'frozen';
  const kinds: ForwardKind[] = forwardArg === 'both' ? ['frozen', 'plain'] : [forwardArg as ForwardKind];
  if (!['frozen', 'plain', 'both'].includes(forwardArg)) throw new CliError(`--forward must be frozen, plain or both, got "${forwardArg}"`);
  if (T < 2 || T > 512) throw new CliError(`--tokens must be between 2 and 512, got ${T}`);
  if (repeats < 1) throw new CliError(`--repeats must be ≥ 1, got ${repeats}`);
  const backend = await initBackend('wasm');

  const rng = createRng(seed);
  const inputIds = [SPECIAL.clsId, ...Array.from({ length: T - 2 }, () => 1000 + rng.int(VOCAB - 1000)), SPECIAL.sepId];
  const baseline = conductanceBaseline(T, SPECIAL);

  const results = [];
  for (const [L, hidden] of shapes) {
    const config = shapeConfig(L, hidden);
    const model = createBertModel(config, { seed });
    try {
      const internalBatchSize = args.has('internal-batch') ? args.int('internal-batch') : defaultInternalBatchSize(config, T, nSteps + 1);
      const opts: ConductanceOptions = { method, nSteps, internalBatchSize };
      for (const kind of kinds) {
        const fwd: AttributionForward = kind === 'frozen' ? new FrozenBert(model) : new PlainBertForward(model);
        try {
          const onePass = () => layerConductance(fwd, inputIds, baseline, opts);
          const perLayer = async () => {
            const out: LayerConductanceResult[] = [];
            for (let l = 0; l < L; l++) out.push(await layerConductance(fwd, inputIds, baseline, { ...opts, layers: [l] }));
            return out;
          };
          // Warm-up (kernel set-up, allocator growth) and the agreement check.
          const a = await onePass();
          const b = await perLayer();
          let maxDiff = 0;
          let maxAbs = 0;
          for (let l = 0; l < L; l++) {
            for (let t = 0; t < T; t++) {
              maxDiff = Math.max(maxDiff, Math.abs(a.rawTokenSums[l][t] - b[l].rawTokenSums[0][t]));
              maxAbs = Math.max(maxAbs, Math.abs(a.rawTokenSums[l][t]));
            }
          }
          const tensorsBefore = tf.memory().numTensors;
          const [one, loop] = await timeBoth(repeats, onePass, perLayer);
          const ratio = median(loop.cpu) / median(one.cpu);
          results.push({
            shape: { layers: L, hidden, heads: config.num_attention_heads, intermediate: config.intermediate_size, vocab: VOCAB },
            forward: kind,
            internal_batch_size: internalBatchSize,
            one_pass_cpu_ms: summary(one.cpu),
            per_layer_loop_cpu_ms: summary(loop.cpu),
            one_pass_wall_ms: summary(one.wall),
            per_layer_loop_wall_ms: summary(loop.wall),
            ratio: round(ratio, 2),
            ratio_wall: round(median(loop.wall) / median(one.wall), 2),
            ratio_per_layer: round(ratio / L, 3),
            goal_ratio: round(0.8 * L, 2),
            max_abs_diff_raw_token_sums: maxDiff,
            max_abs_raw_token_sums: maxAbs,
            tensors_leaked: tf.memory().numTensors - tensorsBefore,
          });
        } finally {
          if (fwd instanceof FrozenBert) fwd.dispose();
        }
      }
    } finally {
      model.dispose();
    }
  }
  return { bench: 'conductance', backend: backend.name, tokens: T, method, n_steps: nSteps, repeats, results };
}
