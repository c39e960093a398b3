/**
 * Masked-language-model pretraining, one optimizer step at a time, resumable bit-exactly.
 *
 * Everything random is a pure function of (seed, step): the data order of epoch e is a shuffle seeded
 * by (seed, e), the masks of step s come from a PRNG seeded by (seed, s), and so do dropout masks.
 * A checkpoint therefore needs only the weights, the AdamW moments and the step number to continue
 * with exactly the numbers an uninterrupted run would have produced ("the RNG position" is the step).
 * The loop (timing, logging, when to checkpoint or evaluate) belongs to the caller.
 */
import * as tf from '@tensorflow/tfjs';
import { parseBertConfig, type BertConfig } from '../bert/config';
import { createBertModel } from '../bert/init';
import { BertModel, variablesFrom } from '../bert/model';
import { groupShapes } from '../bert/names';
import { parseSafetensors, readFloat32, serializeSafetensors, type NamedFloat32 } from '../bert/safetensors';
import { AdamW, decayExceptBiasAndLayerNorm, type AdamWState } from '../train/adamw';
import { globalNorm } from '../train/global-norm';
import { linearScheduleFactor } from '../train/schedule';
import { createRng, shuffleInPlace, subSeed, type Rng } from '../util/rng';
import { maskSequence, type MaskedSequence, type MaskingConfig } from './masking';
import { disposeMlmTensors, mlmTensors } from './mlm-batch';
import { mlmLoss } from './mlm';

export interface PretrainSettings {
  totalSteps: number;
  /** Sequences per optimizer step. */
  batchSize: number;
  /**
   * Sequences per forward/backward pass; their gradients are summed into the step's. Why: tfjs keeps
   * every intermediate of a backward pass until it ends (~0.4 MB per token for the small BERT), so a
   * 64 × 128-token batch in one pass would outgrow the wasm heap. The update is the same as one pass
   * over the whole batch (up to float summation order).
   */
  microBatchSize: number;
  /** Peak learning rate, reached after warm-up, then decayed linearly to 0 at totalSteps. */
  learningRate: number;
  warmupSteps: number;
  weightDecay: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Global gradient-norm clipping; 0 disables. */
  clipNorm: number;
  /** Dropout with the config's rates during pretraining. */
  dropout: boolean;
  /** Seeds weight init, data order, masks and dropout. */
  seed: number;
  masking: MaskingConfig & { padId: number };
  /**
   * Where the starting weights came from when they are not a fresh init (a continued run: a second
   * phase with its own schedule). Recorded so that a resume can tell runs apart.
   */
  initFrom?: string;
}

export const DEFAULT_SETTINGS: Omit<PretrainSettings, 'totalSteps' | 'masking'> = {
  batchSize: 32,
  microBatchSize: 16,
  learningRate: 1e-3,
  warmupSteps: 100,
  weightDecay: 0.01,
  beta1: 0.9,
  beta2: 0.98,
  eps: 1e-6,
  clipNorm: 1,
  dropout: false,
  seed: 1,
};

export interface PretrainState {
  /** Optimizer steps done. */
  step: number;
  /** Training loss of every step, in order. */
  losses: number[];
  /** Real tokens and predicted (masked) tokens seen so far. */
  tokensSeen: number;
  predictionsSeen: number;
  /** Time spent inside `step()`, summed over every session of the run. */
  trainMs: number;
  /** Held-out evaluations the caller recorded (kept in checkpoints, so a resumed run has them all). */
  evals: EvalRecord[];
}

export interface EvalRecord {
  step: number;
  targets: number;
  accuracy: number;
  perplexity: number;
  loss: number;
}

/** Sequences by index: a SequenceFile satisfies this. */
export interface SequenceSource {
  count: number;
  get(i: number): ArrayLike<number>;
}

export interface StepResult {
  step: number;
  loss: number;
  learningRate: number;
  tokens: number;
  ms: number;
}

const FORMAT = 'transferscope-pretrain-checkpoint-1';

function checkSettings(s: PretrainSettings): void {
  const bad = (what: string): never => {
    throw new Error(`pretraining settings: ${what}`);
  };
  for (const k of ['totalSteps', 'batchSize', 'microBatchSize'] as const) if (!(Number.isInteger(s[k]) && s[k] >= 1)) bad(`${k} must be a positive integer, got ${s[k]}`);
  if (!(Number.isInteger(s.warmupSteps) && s.warmupSteps >= 0 && s.warmupSteps < s.totalSteps)) bad(`warmupSteps must be an integer in [0, totalSteps), got ${s.warmupSteps}`);
  if (!(s.learningRate > 0)) bad(`learningRate must be > 0, got ${s.learningRate}`);
  if (!Number.isFinite(s.seed)) bad(`seed must be a number, got ${s.seed}`);
}

export class Pretrainer {
  private orderEpoch = -1;
  private order: number[] = [];

  private constructor(
    readonly model: BertModel,
    readonly optimizer: AdamW,
    readonly settings: PretrainSettings,
    readonly data: SequenceSource,
    readonly state: PretrainState,
  ) {}

  private static optimizerFor(model: BertModel, s: PretrainSettings): AdamW {
    return new AdamW(model.params, {
      lr: s.learningRate,
      beta1: s.beta1,
      beta2: s.beta2,
      eps: s.eps,
      weightDecay: s.weightDecay,
      decay: decayExceptBiasAndLayerNorm,
    });
  }

  /** A fresh run: encoder + masked-LM head initialised from `settings.seed` (no pooler: MLM does not train it). */
  /**
   * `initial`: start from these weights (encoder + masked-LM head, copied; the caller keeps its
   * model) instead of a fresh init, with fresh optimizer moments — a further phase of pretraining.
   */
  static create(config: BertConfig, settings: PretrainSettings, data: SequenceSource, initial?: BertModel): Pretrainer {
    checkSettings(settings);
    if (data.count === 0) throw new Error('pretraining: the training data has no sequences');
    if (settings.masking.vocabSize !== config.vocab_size) {
      throw new Error(`pretraining: masking vocabSize ${settings.masking.vocabSize} differs from config vocab_size ${config.vocab_size}`);
    }
    let model: BertModel;
    if (initial) {
      if (!initial.hasGroup('encoder') || !initial.hasGroup('masked-lm')) throw new Error('pretraining: the initial model lacks encoder or masked-LM weights');
      const params = new Map<string, tf.Variable>();
      for (const group of ['encoder', 'masked-lm'] as const) {
        for (const [name, shape] of groupShapes(config, group)) {
          const v = initial.get(name);
          if (v.shape.join() !== shape.join()) throw new Error(`pretraining: initial weight ${name} has shape [${v.shape}], the config needs [${shape}]`);
          params.set(name, tf.variable(v, true));
        }
      }
      model = new BertModel(config, params);
    } else {
      model = createBertModel(config, { seed: settings.seed, groups: ['encoder', 'masked-lm'] });
    }
    return new Pretrainer(model, Pretrainer.optimizerFor(model, settings), settings, data, { step: 0, losses: [], tokensSeen: 0, predictionsSeen: 0, trainMs: 0, evals: [] });
  }

  /** The data indices of step `step`: consecutive slices of per-epoch seeded permutations. */
  batchIndices(step: number): number[] {
    const { batchSize, seed } = this.settings;
    const n = this.data.count;
    const out: number[] = [];
    for (let k = 0; k < batchSize; k++) {
      const i = step * batchSize + k;
      const epoch = Math.floor(i / n);
      if (epoch !== this.orderEpoch) {
        this.order = shuffleInPlace(Array.from({ length: n }, (_, j) => j), createRng(subSeed(seed, `order ${epoch}`)));
        this.orderEpoch = epoch;
      }
      out.push(this.order[i % n]);
    }
    return out;
  }

  learningRateAt(step: number): number {
    const s = this.settings;
    return s.learningRate * linearScheduleFactor(step, s.totalSteps, s.warmupSteps);
  }

  get done(): boolean {
    return this.state.step >= this.settings.totalSteps;
  }

  /** One optimizer step on the next batch. */
  async step(): Promise<StepResult> {
    if (this.done) throw new Error(`pretraining: all ${this.settings.totalSteps} steps are done`);
    const t0 = performance.now();
    const s = this.state.step;
    const { seed, masking } = this.settings;
    const rng = createRng(subSeed(seed, `mask ${s}`));
    const masked = this.batchIndices(s).map((i) => maskSequence(this.data.get(i), masking, rng));
    const dropout = this.settings.dropout ? createRng(subSeed(seed, `dropout ${s}`)) : undefined;
    const lr = this.learningRateAt(s);
    const { loss, tokens, predictions } = await this.gradientStep(masked, lr, dropout);
    if (!Number.isFinite(loss)) throw new Error(`pretraining: the loss became ${loss} at step ${s + 1}; lower the learning rate`);
    const ms = performance.now() - t0;
    this.state.step = s + 1;
    this.state.losses.push(loss);
    this.state.tokensSeen += tokens;
    this.state.predictionsSeen += predictions;
    this.state.trainMs += ms;
    return { step: s + 1, loss, learningRate: lr, tokens, ms };
  }

  /**
   * Gradient of the mean loss over ALL predicted positions of the batch, summed over micro-batches
   * (each scaled by its share of the predictions), clipped to the global norm as torch's
   * clip_grad_norm_, then one AdamW update.
   */
  private async gradientStep(masked: MaskedSequence[], lr: number, dropout: Rng | undefined) {
    const total = masked.reduce((n, m) => n + m.positions.length, 0);
    if (total === 0) throw new Error('pretraining: a batch has no position to predict');
    const vars = this.model.variables();
    const nameOf = new Map<string, string>();
    for (const [name, v] of this.model.params) nameOf.set(v.name, name);
    const sum = new Map<string, tf.Tensor>();
    let loss = 0;
    let tokens = 0;
    try {
      for (let start = 0; start < masked.length; start += this.settings.microBatchSize) {
        const part = masked.slice(start, start + this.settings.microBatchSize);
        if (part.every((m) => m.positions.length === 0)) continue;
        const batch = mlmTensors(part, this.settings.masking.padId);
        tokens += batch.tokens;
        const share = batch.predictions / total;
        try {
          const { value, grads } = tf.variableGrads(() => tf.mul(mlmLoss(this.model, batch, batch.labels, { dropout }), share) as tf.Scalar, vars);
          loss += (await value.data())[0];
          value.dispose();
          for (const [varName, g] of Object.entries(grads)) {
            const name = nameOf.get(varName)!;
            const prev = sum.get(name);
            if (prev) {
              sum.set(name, tf.add(prev, g));
              prev.dispose();
              g.dispose();
            } else sum.set(name, g);
          }
        } finally {
          disposeMlmTensors(batch);
        }
      }
      if (this.settings.clipNorm > 0) {
        const normT = globalNorm([...sum.values()]);
        const norm = (await normT.data())[0];
        normT.dispose();
        const coef = this.settings.clipNorm / (norm + 1e-6);
        if (coef < 1) {
          for (const [name, g] of sum) {
            sum.set(name, tf.mul(g, coef));
            g.dispose();
          }
        }
      }
      this.optimizer.applyGradients(sum, lr);
    } finally {
      for (const g of sum.values()) g.dispose();
    }
    return { loss, tokens, predictions: total };
  }

  /**
   * The whole run state as one safetensors file: `param/<name>`, `adam.m/<name>`, `adam.v/<name>`
   * tensors, config/settings/state JSON in the metadata. One file so that writing it atomically
   * (temp file + rename) is enough for a consistent checkpoint.
   */
  async checkpoint(): Promise<Uint8Array> {
    const tensors: NamedFloat32[] = [];
    for (const [name, v] of this.model.params) tensors.push({ name: `param/${name}`, shape: v.shape, data: (await v.data()) as Float32Array });
    const adam = await this.optimizer.exportState();
    for (const [name, t] of adam.m) tensors.push({ name: `adam.m/${name}`, ...t });
    for (const [name, t] of adam.v) tensors.push({ name: `adam.v/${name}`, ...t });
    return serializeSafetensors(tensors, {
      format: FORMAT,
      config: JSON.stringify(this.model.config),
      settings: JSON.stringify(this.settings),
      state: JSON.stringify(this.state),
      adamStep: String(adam.step),
    });
  }

  /** Continues a run from `checkpoint()` bytes. */
  static restore(bytes: Uint8Array, data: SequenceSource, source = 'checkpoint'): Pretrainer {
    const file = parseSafetensors(bytes, source);
    const meta = file.metadata ?? {};
    if (meta.format !== FORMAT) throw new Error(`${source}: not a pretraining checkpoint (format ${JSON.stringify(meta.format)}, expected ${FORMAT})`);
    const config = parseBertConfig(JSON.parse(meta.config), `${source} config`);
    const settings = JSON.parse(meta.settings) as PretrainSettings;
    const state = JSON.parse(meta.state) as PretrainState;
    checkSettings(settings);
    const groups = { param: new Map<string, { shape: number[]; data: Float32Array }>(), 'adam.m': new Map(), 'adam.v': new Map() };
    for (const [raw, entry] of file.tensors) {
      const slash = raw.indexOf('/');
      const kind = raw.slice(0, slash) as keyof typeof groups;
      if (!(kind in groups)) throw new Error(`${source}: unexpected tensor "${raw}"`);
      groups[kind].set(raw.slice(slash + 1), { shape: entry.shape, data: readFloat32(file, raw) });
    }
    // Parameters in the order a fresh run creates them: the order of summations over parameters
    // (the clipping norm) must not change on resume, or the run stops being bit-exact.
    const ordered = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const group of ['encoder', 'masked-lm', 'pooler'] as const) {
      for (const name of groupShapes(config, group).keys()) {
        const t = groups.param.get(name);
        if (t) ordered.set(name, t);
      }
    }
    for (const [name, t] of groups.param) if (!ordered.has(name)) ordered.set(name, t);
    const model = new BertModel(config, variablesFrom(ordered));
    if (!model.hasGroup('encoder') || !model.hasGroup('masked-lm')) {
      model.dispose();
      throw new Error(`${source}: the checkpoint lacks encoder or masked-LM weights`);
    }
    const optimizer = Pretrainer.optimizerFor(model, settings);
    const adam: AdamWState = { step: Number(meta.adamStep), m: groups['adam.m'], v: groups['adam.v'] };
    try {
      optimizer.importState(adam);
    } catch (err) {
      optimizer.dispose();
      model.dispose();
      throw err;
    }
    if (adam.step !== state.step) throw new Error(`${source}: optimizer step ${adam.step} differs from run step ${state.step}`);
    return new Pretrainer(model, optimizer, settings, data, state);
  }

  dispose(): void {
    this.optimizer.dispose();
    this.model.dispose();
  }
}
