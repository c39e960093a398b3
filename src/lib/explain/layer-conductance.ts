/**
 * Layer conductance of EVERY encoder layer from one batched forward and one backward pass.
 *
 * Captum's `LayerConductance` (the semantics the fixtures were made with) attributes one layer per
 * call: with x_k = x' + α_k (x − x') on the word embeddings,
 *   A_l[t,j] = Σ_{k=0}^{K-2} ∂F/∂h_l[t,j](x_k) · (h_l[t,j](x_{k+1}) − h_l[t,j](x_k)),
 * F = the target logit, h_l = the output of encoder layer l. Each call runs the whole forward and a
 * backward from F to layer l. Here the batch dimension holds the K interpolation points, the forward
 * records every h_l, and ONE `tf.grads` with respect to zero tensors added to every h_l
 * (`layerAdds`, see bert/forward.ts) yields ∂F/∂h_l for all layers at once: because the rows of the
 * batch never interact, the gradient of Σ_k F(x_k) with respect to row k is ∂F(x_k)/∂h_l.
 *
 * Chunking: the K points may be processed `internalBatchSize` at a time, so a long document or a
 * large model fits in memory. The forward difference across a chunk border needs the previous
 * chunk's last point; instead of recomputing that point (chunks overlapping by one), its h_l and
 * ∂F/∂h_l are carried over as tensors, which gives the same sums without the extra work.
 *
 * Only the per-token sums s_t = Σ_j A_l[t,j] leave the device ([layers × T] numbers per chunk).
 */
import * as tf from '@tensorflow/tfjs';
import { numLabels, type BertConfig } from '../bert/config';
import { wordEmbeddings } from '../bert/forward';
import { BertModel } from '../bert/model';
import type { AttributionForward } from './attribution-forward';
import { FrozenBert } from './frozen-forward';
import { DEFAULT_METHOD, DEFAULT_N_STEPS, interpolationAlphas, type ConductanceMethod } from './interpolation';

export interface ConductanceOptions {
  /** Interpolation points (default 'gausslegendre', as the paper). */
  method?: ConductanceMethod;
  /** Number of forward differences; K = nSteps + 1 points (default 50). */
  nSteps?: number;
  /** Which logit F is (default 1, the positive class). */
  target?: number;
  /**
   * Interpolation points per forward/backward pass. Default: as many as fit in
   * `memoryBudgetBytes` (all K for short documents and small models). Results do not depend on it
   * beyond float32 summation order.
   */
  internalBatchSize?: number;
  /** Rough budget for what one chunk's forward + backward pass holds at its peak (default 1 GiB). */
  memoryBudgetBytes?: number;
  /**
   * Layers to attribute (default all, 0-based). A subset still runs the whole forward; the backward
   * then stops at the lowest layer asked for. Used to reproduce Captum's per-layer calls.
   */
  layers?: readonly number[];
  /** Checked between chunks; aborting throws the signal's reason. */
  signal?: AbortSignal;
}

export interface LayerConductanceResult {
  method: ConductanceMethod;
  nSteps: number;
  target: number;
  /** The K interpolation points used. */
  alphas: number[];
  /** Which layers, in the order of the arrays below. */
  layers: number[];
  /** s_t = Σ_j A_l[t,j] per layer (float32 values, summed over chunks in float64). */
  rawTokenSums: Float32Array[];
  /** F(x) and F(x′): the target logit at the input and at the baseline. */
  fInput: number;
  fBaseline: number;
  /** Σ_t s_t − (F(x) − F(x′)) per layer, as Captum's `return_convergence_delta`. */
  convergenceDelta: number[];
}

export { DEFAULT_METHOD, DEFAULT_N_STEPS };
export const DEFAULT_TARGET = 1;
const DEFAULT_MEMORY_BUDGET = 1024 * 1024 * 1024;

/**
 * Float32 values held at the peak of a chunk's forward + backward pass, per interpolation point,
 * for a sequence of T tokens. Measured on the wasm backend (tf.memory() high-water mark) over
 * shapes with H 128–256, I 512–1024, 2–8 heads, T 40–80: ≈ T·(92·H + 6.4·I + 8·heads·T) per layer
 * (the tape's saved activations, their gradients and the customGrad copies). Rounded up here.
 */
export function activationFloatsPerPoint(config: BertConfig, T: number): number {
  const H = config.hidden_size;
  const I = config.intermediate_size;
  const perLayer = T * (96 * H + 7 * I + 8 * config.num_attention_heads * T);
  return perLayer * config.num_hidden_layers;
}

/**
 * Points per chunk that keep the estimated peak under the budget: all K when they fit, otherwise
 * the fewest chunks that fit, of balanced size (51 points in two chunks as 26 + 25, not 48 + 3: a
 * tiny last chunk would pay a whole pass's per-op overhead for little work).
 */
export function defaultInternalBatchSize(config: BertConfig, T: number, K: number, budgetBytes = DEFAULT_MEMORY_BUDGET): number {
  const perPoint = 4 * activationFloatsPerPoint(config, T);
  const fit = Math.max(1, Math.floor(budgetBytes / perPoint));
  if (fit >= K) return K;
  return Math.ceil(K / Math.ceil(K / fit));
}

function checkIds(ids: readonly number[], what: string, vocabSize: number): void {
  ids.forEach((id, i) => {
    if (!Number.isInteger(id) || id < 0 || id >= vocabSize) {
      throw new Error(`conductance: ${what}[${i}] = ${id} is not a token id of this model (0 … ${vocabSize - 1})`);
    }
  });
}

function resolveLayers(requested: readonly number[] | undefined, L: number): number[] {
  if (!requested) return Array.from({ length: L }, (_, l) => l);
  if (requested.length === 0) throw new Error('conductance: layers is empty; ask for at least one layer');
  const layers = [...new Set(requested)].sort((a, b) => a - b);
  for (const l of layers) {
    if (!Number.isInteger(l) || l < 0 || l >= L) throw new Error(`conductance: layer ${l} does not exist (the model has layers 0 … ${L - 1})`);
  }
  return layers;
}

interface ChunkOutput {
  /** [layers, T]: Σ over this chunk's forward differences (and the border one) and over j. */
  sums: tf.Tensor2D;
  /** h_l and ∂F/∂h_l at the chunk's last point, per layer, each [1, rows of h_l, H]. */
  lastH: tf.Tensor3D[];
  lastG: tf.Tensor3D[];
}

/**
 * Conductance of the chosen layers for one unpadded sequence (`inputIds` and `baselineIds` of the
 * same length, special tokens included). No tensors survive the call. Pass a FrozenBert to reuse
 * its prepared weights across documents; a BertModel gets one for the duration of the call.
 * (Any AttributionForward works, e.g. PlainBertForward to check or time the generic forward.)
 */
export async function layerConductance(
  model: BertModel | AttributionForward,
  inputIds: readonly number[],
  baselineIds: readonly number[],
  options: ConductanceOptions = {},
): Promise<LayerConductanceResult> {
  if (model instanceof BertModel) {
    const frozen = new FrozenBert(model);
    try {
      return await layerConductance(frozen, inputIds, baselineIds, options);
    } finally {
      frozen.dispose();
    }
  }
  const config = model.model.config;
  const method = options.method ?? DEFAULT_METHOD;
  const nSteps = options.nSteps ?? DEFAULT_N_STEPS;
  const target = options.target ?? DEFAULT_TARGET;
  const T = inputIds.length;
  if (T === 0) throw new Error('conductance: the input has no tokens');
  if (baselineIds.length !== T) {
    throw new Error(`conductance: the baseline has ${baselineIds.length} tokens but the input has ${T}; they must have the same length`);
  }
  if (T > config.max_position_embeddings) {
    throw new Error(`conductance: the input has ${T} tokens; the model takes at most ${config.max_position_embeddings}`);
  }
  checkIds(inputIds, 'inputIds', config.vocab_size);
  checkIds(baselineIds, 'baselineIds', config.vocab_size);
  const labels = numLabels(config);
  if (!Number.isInteger(target) || target < 0 || target >= labels) {
    throw new Error(`conductance: target ${target} is not a class of this model (0 … ${labels - 1})`);
  }
  const layers = resolveLayers(options.layers, config.num_hidden_layers);
  const alphas = interpolationAlphas(method, nSteps);
  const K = alphas.length;
  const chunkSize = options.internalBatchSize ?? defaultInternalBatchSize(config, T, K, options.memoryBudgetBytes);
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new Error(`conductance: internalBatchSize must be a positive integer, got ${chunkSize}`);
  }
  options.signal?.throwIfAborted();

  const H = config.hidden_size;
  const [x, xBase, delta] = tf.tidy(() => {
    const both = wordEmbeddings(model.model, tf.tensor2d([...baselineIds, ...inputIds], [2, T], 'int32'));
    const base = tf.slice(both, [0, 0, 0], [1, T, H]) as tf.Tensor3D;
    const input = tf.slice(both, [1, 0, 0], [1, T, H]) as tf.Tensor3D;
    return [input, base, tf.sub(input, base) as tf.Tensor3D];
  });
  let carryH: tf.Tensor3D[] = [];
  let carryG: tf.Tensor3D[] = [];
  const totals = layers.map(() => new Float64Array(T));
  try {
    // F at the two endpoints: Captum evaluates them on the actual input and baseline embeddings.
    const endpoints = tf.tidy(() => {
      const logits = model.classify(tf.concat([xBase, x], 0) as tf.Tensor3D).logits;
      return tf.slice(logits, [0, target], [2, 1]);
    });
    const [fBaseline, fInput] = Array.from(await endpoints.data());
    endpoints.dispose();

    for (let start = 0; start < K; start += chunkSize) {
      options.signal?.throwIfAborted();
      const chunkAlphas = alphas.slice(start, start + chunkSize);
      const out = runChunk(model, xBase, delta, chunkAlphas, layers, target, carryH, carryG);
      for (const t of [...carryH, ...carryG]) t.dispose();
      carryH = out.lastH;
      carryG = out.lastG;
      const sums = await out.sums.data();
      out.sums.dispose();
      for (let i = 0; i < layers.length; i++) {
        const row = totals[i];
        for (let t = 0; t < T; t++) row[t] += sums[i * T + t];
      }
    }

    const rawTokenSums = totals.map((row) => Float32Array.from(row));
    const convergenceDelta = rawTokenSums.map((s) => s.reduce((a, v) => a + v, 0) - (fInput - fBaseline));
    return { method, nSteps, target, alphas, layers, rawTokenSums, fInput, fBaseline, convergenceDelta };
  } finally {
    for (const t of [x, xBase, delta, ...carryH, ...carryG]) t.dispose();
  }
}

/**
 * One chunk: forward over its points with zero layerAdds, one backward for all chosen layers, and
 * the products of the left gradients with the forward differences summed over k and j.
 * `carryH/G` (empty for the first chunk) hold the previous chunk's last point.
 */
function runChunk(
  model: AttributionForward,
  xBase: tf.Tensor3D,
  delta: tf.Tensor3D,
  chunkAlphas: readonly number[],
  layers: readonly number[],
  target: number,
  carryH: readonly tf.Tensor3D[],
  carryG: readonly tf.Tensor3D[],
): ChunkOutput {
  const B = chunkAlphas.length;
  const [, T, H] = xBase.shape;
  const L = model.model.config.num_hidden_layers;
  // FrozenBert computes the last layer at [CLS] only: 1 row instead of T.
  const rowsOf = (l: number) => model.hiddenRows(l, T);
  // Tensors the forward keeps for us (tf.keep) so they outlive tf.grads' internal scope.
  let kept: tf.Tensor3D[] = [];
  try {
    return tf.tidy(() => {
      const alphaT = tf.tensor3d(Float32Array.from(chunkAlphas), [B, 1, 1]);
      const embeds = tf.add(xBase, tf.mul(alphaT, delta)) as tf.Tensor3D;
      const adds = layers.map((l) => tf.zeros([B, rowsOf(l), H]) as tf.Tensor3D);
      const layerAdds: (tf.Tensor3D | null)[] = Array.from({ length: L }, () => null);
      layers.forEach((l, i) => (layerAdds[l] = adds[i]));

      const objective = (..._adds: tf.Tensor[]): tf.Scalar => {
        const { logits, hidden } = model.classify(embeds, layerAdds);
        kept = layers.map((l) => tf.keep(hidden[l]));
        // Rows are independent, so ∂(Σ_k F(x_k))/∂h_l[k] = ∂F(x_k)/∂h_l[k].
        return tf.sum(tf.slice(logits, [0, target], [B, 1]));
      };
      const grads = tf.grads(objective)(adds) as tf.Tensor3D[];

      const rows = layers.map((l, i) => {
        const R = rowsOf(l);
        const h = kept[i];
        const g = grads[i];
        let perToken: tf.Tensor1D | null = null;
        if (B > 1) {
          const diff = tf.sub(tf.slice(h, [1, 0, 0], [B - 1, R, H]), tf.slice(h, [0, 0, 0], [B - 1, R, H]));
          const prod = tf.mul(tf.slice(g, [0, 0, 0], [B - 1, R, H]), diff);
          // Reduce the last axis first: it is the fast reduction on wasm.
          perToken = tf.sum(tf.sum(prod, 2), 0) as tf.Tensor1D;
        }
        if (carryH.length > 0) {
          const border = tf.sum(tf.mul(carryG[i], tf.sub(tf.slice(h, [0, 0, 0], [1, R, H]), carryH[i])), [0, 2]) as tf.Tensor1D;
          perToken = perToken ? (tf.add(perToken, border) as tf.Tensor1D) : border;
        }
        perToken ??= tf.zeros([R]);
        // Positions the last layer does not compute have exactly zero conductance.
        return R < T ? tf.pad(perToken, [[0, T - R]]) : perToken;
      });
      return {
        sums: tf.stack(rows) as tf.Tensor2D,
        lastH: kept.map((h) => tf.slice(h, [B - 1, 0, 0], [1, h.shape[1], H]) as tf.Tensor3D),
        lastG: grads.map((g) => tf.slice(g, [B - 1, 0, 0], [1, g.shape[1], H]) as tf.Tensor3D),
      };
    });
  } finally {
    for (const t of kept) t.dispose();
  }
}
