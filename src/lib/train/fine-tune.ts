/**
 * Fine-tuning a binary classifier for one task, from a pretrained BERT or from another task's model
 * (transfer: its encoder and pooler, a fresh classifier head unless `keepHead`).
 */
import * as tf from '@tensorflow/tfjs';
import { batchTensors } from '../bert/batch';
import type { BertConfig } from '../bert/config';
import { initGroups } from '../bert/init';
import { BertModel } from '../bert/model';
import { classifierShapes, encoderShapes, poolerShapes } from '../bert/names';
import { createRng, subSeed } from '../util/rng';
import { AdamW, decayExceptBiasAndLayerNorm } from './adamw';
import { balancedClassWeights, classificationLoss } from './loss';
import { linearScheduleFactor, warmupStepsFor } from './schedule';
import type { TrainingSettings } from './training-settings';

export interface TrainExample {
  /** Token ids with [CLS] … [SEP], already truncated to the max length. */
  inputIds: readonly number[];
  /** 1 = positive for the task, 0 = negative. */
  label: number;
}

/**
 * Every training setting is required: their defaults live in the experiment contract
 * (src/lib/pipeline/spec-options.ts, SPEC_DEFAULTS.training), so a direct call cannot train with
 * other defaults than the CLI and the app.
 */
export interface FineTuneSettings extends TrainingSettings {
  /** Decay biases and LayerNorm weights too (torch default); false (default) = HF Trainer convention. */
  decayBiasAndLayerNorm?: boolean;
  /** Keep the base model's classifier head instead of a fresh one (default false). */
  keepHead?: boolean;
  /** Written to config.json id2label (default ["negative", "positive"]). */
  labelNames?: readonly [string, string];
}

export interface StepProgress {
  /** 1-based index of the step just done. */
  step: number;
  totalSteps: number;
  epoch: number;
  loss: number;
  examplesSeen: number;
  learningRate: number;
}

export interface FineTuneOptions {
  onProgress?: (p: StepProgress) => void;
  signal?: AbortSignal;
  padId?: number;
}

export interface FineTuneResult {
  /** A new model (the base is untouched); the caller disposes it. */
  model: BertModel;
  wallTimeMs: number;
  examplesSeen: number;
  steps: number;
  /** Loss of every step, in order. */
  losses: number[];
}

function checkSettings(s: FineTuneSettings, n: number): void {
  const bad = (what: string) => {
    throw new Error(`fineTune: ${what}`);
  };
  if (!(s.lr > 0)) bad(`lr must be > 0, got ${s.lr}`);
  if (!Number.isInteger(s.epochs) || s.epochs < 1) bad(`epochs must be a positive integer, got ${s.epochs}`);
  if (!Number.isInteger(s.batch) || s.batch < 1) bad(`batch must be a positive integer, got ${s.batch}`);
  if (!(s.warmupFraction >= 0 && s.warmupFraction < 1)) bad(`warmupFraction must be in [0, 1), got ${s.warmupFraction}`);
  if (!(s.weightDecay >= 0)) bad(`weightDecay must be ≥ 0, got ${s.weightDecay}`);
  if (!(s.clipNorm >= 0)) bad(`clipNorm must be ≥ 0 (0 = off), got ${s.clipNorm}`);
  if (!Number.isFinite(s.seed)) bad(`seed must be a number, got ${s.seed}`);
  if (n === 0) bad('no training examples');
}

const copy = (v: tf.Variable) => tf.variable(v, true);

/** The model training starts from: the base's encoder (and pooler), a 2-way head. */
export function startingModel(base: BertModel, settings: Pick<FineTuneSettings, 'seed' | 'keepHead' | 'labelNames'>): BertModel {
  if (!base.hasGroup('encoder')) throw new Error('fineTune: the base model has no complete encoder');
  const [neg, pos] = settings.labelNames ?? ['negative', 'positive'];
  const config: BertConfig = {
    ...structuredClone(base.config),
    num_labels: 2,
    id2label: { 0: neg, 1: pos },
    label2id: { [neg]: 0, [pos]: 1 },
    architectures: ['BertForSequenceClassification'],
  };
  const notes: string[] = [];
  const params = new Map<string, tf.Variable>();
  for (const name of encoderShapes(config).keys()) params.set(name, copy(base.get(name)));
  const fresh: ('pooler' | 'classifier')[] = [];
  if (base.hasGroup('pooler')) for (const name of poolerShapes(config).keys()) params.set(name, copy(base.get(name)));
  else fresh.push('pooler');
  if (settings.keepHead) {
    const shapes = classifierShapes(config);
    for (const [name, shape] of shapes) {
      if (!base.has(name)) throw new Error('fineTune: keepHead was asked but the base model has no classifier head');
      const v = base.get(name);
      if (v.shape.join() !== shape.join()) throw new Error(`fineTune: keepHead needs a 2-way head; ${name} has shape [${v.shape}]`);
      params.set(name, copy(v));
    }
  } else {
    fresh.push('classifier');
  }
  if (fresh.length > 0) {
    for (const [n, v] of initGroups(config, fresh, subSeed(settings.seed, 'head'))) params.set(n, v);
    notes.push(`fresh ${fresh.join(' and ')} (seed ${settings.seed})`);
  }
  return new BertModel(config, params, notes);
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('fine-tuning was cancelled', 'AbortError');
}

/**
 * Trains with AdamW, linear decay (optional warm-up), clipping and dropout; each epoch visits the
 * examples in a seeded random order, batches padded to their own longest sequence. Cancelling via
 * `signal` stops before the next step, frees everything and rejects with the abort reason.
 */
export async function fineTune(
  base: BertModel,
  examples: readonly TrainExample[],
  settings: FineTuneSettings,
  options: FineTuneOptions = {},
): Promise<FineTuneResult> {
  checkSettings(settings, examples.length);
  for (const [i, e] of examples.entries()) {
    if (e.label !== 0 && e.label !== 1) throw new Error(`fineTune: example ${i} has label ${e.label}; expected 0 or 1`);
    if (e.inputIds.length < 2) throw new Error(`fineTune: example ${i} has no tokens`);
  }
  const started = performance.now();
  const model = startingModel(base, settings);
  const optimizer = new AdamW(model.params, {
    lr: settings.lr,
    weightDecay: settings.weightDecay,
    decay: settings.decayBiasAndLayerNorm ? () => true : decayExceptBiasAndLayerNorm,
  });
  const shuffler = createRng(subSeed(settings.seed, 'shuffle'));
  const dropoutRng = !settings.dropout ? undefined : createRng(subSeed(settings.seed, 'dropout'));
  const classWeights = settings.classBalanced ? balancedClassWeights(examples.map((e) => e.label)) : undefined;
  const stepsPerEpoch = Math.ceil(examples.length / settings.batch);
  const totalSteps = stepsPerEpoch * settings.epochs;
  const warmup = warmupStepsFor(totalSteps, settings.warmupFraction);
  const clipNorm = settings.clipNorm;
  const losses: number[] = [];
  let examplesSeen = 0;
  try {
    for (let epoch = 0; epoch < settings.epochs; epoch++) {
      const order = shuffler.shuffle(examples.map((_, i) => i));
      for (let b = 0; b < stepsPerEpoch; b++) {
        if (options.signal?.aborted) throw abortError(options.signal);
        const idx = order.slice(b * settings.batch, (b + 1) * settings.batch);
        const { inputIds, attentionMask } = batchTensors(idx.map((i) => examples[i].inputIds), options.padId ?? 0);
        const labels = tf.tensor1d(idx.map((i) => examples[i].label), 'int32');
        const step = losses.length;
        const lr = settings.lr * linearScheduleFactor(step, totalSteps, warmup);
        try {
          const { loss } = await optimizer.minimize(
            () => classificationLoss(model, { inputIds, attentionMask, labels }, { dropout: dropoutRng, classWeights }),
            { lr, clipNorm },
          );
          if (!Number.isFinite(loss)) {
            throw new Error(`fineTune: the loss became ${loss} at step ${step + 1} of ${totalSteps} (learning rate ${lr} at that step, ${settings.lr} at its peak); no model was kept; try a lower learning rate`);
          }
          losses.push(loss);
        } finally {
          tf.dispose([inputIds, attentionMask, labels]);
        }
        examplesSeen += idx.length;
        options.onProgress?.({ step: step + 1, totalSteps, epoch: epoch + 1, loss: losses[step], examplesSeen, learningRate: lr });
      }
    }
  } catch (err) {
    optimizer.dispose();
    model.dispose();
    throw err;
  }
  optimizer.dispose();
  return { model, wallTimeMs: performance.now() - started, examplesSeen, steps: losses.length, losses };
}
