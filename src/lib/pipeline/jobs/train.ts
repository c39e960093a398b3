/**
 * The two training jobs. Both fine-tune, evaluate on the target task's validation part (which
 * chooses settings: metrics `validationF1`, …) and whole test split (reported, with one bit per test
 * document in `testPredictions` for the bootstrap intervals) and write a run record; a single-task job also keeps its model (the `best` job deletes the losers later).
 * Nothing is written until training and evaluation are complete and the job was not cancelled, so a
 * cancelled job leaves no record behind; a kill between the two writes leaves at most a model
 * without its run, which the re-run overwrites.
 */
import * as tf from '@tensorflow/tfjs';
import type { BertModel } from '../../bert/model';
import { modelToSafetensors } from '../../bert/weights';
import type { ModelRecord, RunRecord, RunSettings } from '../../store/records';
import { evaluate, type Evaluation } from '../../train/evaluate';
import type { TrainExample } from '../../train/fine-tune';
import { decide } from '../../train/threshold';
import { fineTune, type FineTuneSettings } from '../../train/fine-tune';
import type { Measurement } from '../clock';
import type { GridSetting } from '../grids';
import { packPredictions, type PackedPredictions } from '../../stats/packed-predictions';
import { recordIds } from '../ids';
import type { SingleJob, TransferJob } from '../types';
import { bestModelId, throwIfAborted, type JobContext, type JobOutcome } from './context';

interface Trained {
  model: BertModel;
  settings: RunSettings;
  metrics: Record<string, number>;
  testPredictions: PackedPredictions;
  wallTimeMs: number;
  examplesSeen: number;
}

/** Fine-tunes `start` on the task's training documents and evaluates on the test split. The caller disposes `model`. */
async function trainAndEvaluate(
  ctx: JobContext,
  start: BertModel,
  task: string,
  setting: GridSetting,
  seed: number,
  keepHead: boolean,
  work: Measurement,
): Promise<Trained> {
  const session = await ctx.session();
  const train = session.examples(task, ctx.prepared.trainDocs.get(task)!);
  const test = session.examples(task, ctx.prepared.testDocs);
  const t = ctx.spec.training;
  const settings: FineTuneSettings = { ...setting, seed, ...t, keepHead, labelNames: [`not ${task}`, task] };
  // Training time is measured on its own clock reading: evaluation is not part of a run's wall time.
  const timer = ctx.clock.measure();
  const result = await fineTune(start, train, settings, {
    signal: ctx.signal,
    padId: session.padId,
    onProgress: (p) => ctx.onStep({ step: p.step, totalSteps: p.totalSteps, loss: p.loss, units: p.examplesSeen }),
  });
  timer.add(result.examplesSeen);
  work.add(result.examplesSeen);
  const wallTimeMs = timer.elapsedMs();
  try {
    throwIfAborted(ctx.signal);
    const evTest = await evaluate(result.model, test, { padId: session.padId });
    throwIfAborted(ctx.signal);
    const validationDocs = ctx.prepared.validationDocs;
    const valExamples = validationDocs.length > 0 ? session.examples(task, validationDocs) : null;
    const evVal = valExamples ? await evaluate(result.model, valExamples, { padId: session.padId }) : null;
    throwIfAborted(ctx.signal);
    const scored = (examples: TrainExample[], e: Evaluation) => ({ labels: examples.map((x) => x.label), probabilities: e.probabilities, predictions: e.predictions });
    // The spec's rule turns probabilities into predictions; a threshold is chosen on validation only.
    const decided = decide(ctx.spec.threshold, scored(test, evTest), valExamples && evVal ? scored(valExamples, evVal) : null);
    const ev = decided.test;
    const val = decided.validation;
    return {
      model: result.model,
      // Key order as stored since the first version (outputs compare byte for byte).
      settings: {
        lr: setting.lr, epochs: setting.epochs, batch: setting.batch, seed,
        warmupFraction: t.warmupFraction, weightDecay: t.weightDecay, clipNorm: t.clipNorm, dropout: t.dropout,
        classBalanced: t.classBalanced, keepHead, maxLength: session.maxLength, trainDocs: train.length,
      },
      metrics: {
        f1: ev.f1, accuracy: ev.accuracy, precision: ev.precision, recall: ev.recall,
        tp: ev.tp, fp: ev.fp, fn: ev.fn, tn: ev.tn, testDocs: ev.count, finalLoss: result.losses.at(-1) ?? Number.NaN,
        ...(val ? { validationF1: val.f1, validationTp: val.tp, validationFp: val.fp, validationFn: val.fn, validationTn: val.tn, validationDocs: val.count } : {}),
        // Under the validation rule: the threshold applied, and what argmax would have scored.
        ...(decided.threshold !== null ? { threshold: decided.threshold, argmaxF1: evTest.f1 } : {}),
      },
      testPredictions: packPredictions(ev.predictions),
      wallTimeMs,
      examplesSeen: result.examplesSeen,
    };
  } catch (e) {
    result.model.dispose();
    throw e;
  }
}

export async function runSingleJob(ctx: JobContext, job: SingleJob, work: Measurement): Promise<JobOutcome> {
  const session = await ctx.session();
  const trained = await trainAndEvaluate(ctx, session.base, job.task, job.setting, job.seed, false, work);
  const id = recordIds.run(ctx.experimentId, job.id);
  const modelId = recordIds.model(ctx.experimentId, job.id);
  const now = new Date().toISOString();
  try {
    const model: ModelRecord = {
      id: modelId, kind: 'single', base: ctx.experiment.model.description, experimentId: ctx.experimentId, datasetId: ctx.experiment.dataset.id,
      task: job.task, runId: id, config: trained.model.config, settings: trained.settings, metrics: trained.metrics, createdAt: now,
    };
    await ctx.env.store.models.putWithFiles(model, { safetensors: await modelToSafetensors(trained.model) });
  } finally {
    trained.model.dispose();
  }
  const run: RunRecord = {
    id, experimentId: ctx.experimentId, kind: 'single', task: job.task, base: ctx.experiment.model.description, modelId,
    settings: trained.settings, metrics: trained.metrics, testPredictions: trained.testPredictions, wallTimeMs: trained.wallTimeMs, examplesSeen: trained.examplesSeen,
    backend: tf.getBackend(), createdAt: now,
  };
  await ctx.env.store.runs.put(run);
  return { resultId: id };
}

export async function runTransferJob(ctx: JobContext, job: TransferJob, work: Measurement): Promise<JobOutcome> {
  const session = await ctx.session();
  const sourceModelId = bestModelId(ctx, job.source);
  const source = await session.sourceModel(sourceModelId);
  const trained = await trainAndEvaluate(ctx, source, job.target, job.setting, job.seed, ctx.spec.keepHead, work);
  trained.model.dispose();
  const id = recordIds.run(ctx.experimentId, job.id);
  const run: RunRecord = {
    id, experimentId: ctx.experimentId, kind: 'transfer', task: job.target, sourceTask: job.source, base: ctx.experiment.model.description,
    sourceModelId, settings: trained.settings, metrics: trained.metrics, testPredictions: trained.testPredictions, wallTimeMs: trained.wallTimeMs, examplesSeen: trained.examplesSeen,
    backend: tf.getBackend(), createdAt: new Date().toISOString(),
  };
  await ctx.env.store.runs.put(run);
  return { resultId: id };
}
