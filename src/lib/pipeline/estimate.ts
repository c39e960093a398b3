/**
 * How long an experiment will take, before it runs: a few timed training steps, a timed evaluation
 * and one or two timed conductance documents on the current backend with the experiment's own base
 * model and documents, scaled by the plan's amount of work. Always wall time (it answers "how long
 * will I wait"), whatever clock the experiment's results use.
 */
import * as tf from '@tensorflow/tfjs';
import { explainDocuments } from '../explain/explain-documents';
import { evaluate } from '../train/evaluate';
import { fineTune } from '../train/fine-tune';
import { experimentPlanOf, openExperiment } from './experiment';
import type { PreparedData } from './prepare';
import type { SpeedHint } from './runner';
import { Session } from './session';
import { needsConductance, type ExperimentSpec } from './spec';
import { MAX_ESTIMATED_LANES, scheduledSeconds } from './lane-schedule';
import type { JobPlan, PipelineEnv, PlanEstimate, Throughput } from './types';

/**
 * Times `steps` training steps (after one warm-up step), an evaluation of up to 64 test documents
 * and the conductance of `conductanceDocs` documents. Leaves no tensors behind.
 */
export async function measureThroughput(
  session: Session,
  prepared: PreparedData,
  spec: ExperimentSpec,
  options: { steps?: number; conductanceDocs?: number; signal?: AbortSignal } = {},
): Promise<Throughput> {
  const steps = options.steps ?? 3;
  const batch = spec.grids.single.batch[0];
  const task = prepared.tasks[0];
  const pool = prepared.trainDocs.get(task)!;
  const n = Math.min(pool.length, batch * (steps + 1));
  const examples = session.examples(task, pool.slice(0, n));
  const stamps: number[] = [];
  const result = await fineTune(
    session.base,
    examples,
    { ...spec.training, lr: spec.grids.single.lr[0], epochs: 1, batch, seed: spec.seed },
    { padId: session.padId, signal: options.signal, onProgress: () => stamps.push(performance.now()) },
  );
  try {
    const timedSteps = stamps.length - 1;
    const timedExamples = Math.max(0, n - batch);
    const trainExamplesPerSec = timedSteps > 0 && timedExamples > 0
      ? timedExamples / ((stamps[stamps.length - 1] - stamps[0]) / 1000)
      : result.examplesSeen / (result.wallTimeMs / 1000);

    const test = session.examples(task, prepared.testDocs.slice(0, 64));
    const t0 = performance.now();
    await evaluate(result.model, test, { padId: session.padId });
    const evalExamplesPerSec = test.length / ((performance.now() - t0) / 1000);

    let conductanceSecPerDoc: number | null = null;
    const nDocs = needsConductance(spec) ? Math.min(options.conductanceDocs ?? 2, prepared.conductanceDocs.length) : 0;
    if (nDocs > 0) {
      const docs = prepared.conductanceDocs.slice(0, nDocs).map((i) => ({ id: prepared.dataset.docs[i].id, text: prepared.dataset.docs[i].text }));
      const t1 = performance.now();
      await explainDocuments(result.model, session.tokenizer, docs, {
        modelId: 'throughput-probe', maxLength: session.maxLength, method: spec.conductance.method, nSteps: spec.conductance.nSteps,
        internalBatchSize: spec.conductance.internalBatchSize ?? undefined, signal: options.signal,
      });
      conductanceSecPerDoc = (performance.now() - t1) / 1000 / nDocs;
    }
    return {
      backend: tf.getBackend(),
      trainExamplesPerSec,
      evalExamplesPerSec,
      conductanceSecPerDoc,
      measured: { trainSteps: timedSteps, batch, evalExamples: test.length, conductanceDocs: nDocs, nSteps: spec.conductance.nSteps },
    };
  } finally {
    result.model.dispose();
  }
}

/** The plan's work times the measured speeds. */
export function estimatePlan(plan: JobPlan, prepared: PreparedData, throughput: Throughput): PlanEstimate {
  const trainExamples = { single: 0, transfer: 0 };
  let evalSingle = 0;
  let evalTransfer = 0;
  let conductanceDocs = 0;
  const evalPerTraining = prepared.testDocs.length + prepared.validationDocs.length;
  const jobSeconds = plan.jobs.map((job) => {
    if (job.kind === 'single') {
      const n = prepared.trainDocs.get(job.task)!.length * job.setting.epochs;
      trainExamples.single += n;
      evalSingle += evalPerTraining;
      return n / throughput.trainExamplesPerSec + evalPerTraining / throughput.evalExamplesPerSec;
    } else if (job.kind === 'transfer') {
      const n = prepared.trainDocs.get(job.target)!.length * job.setting.epochs;
      trainExamples.transfer += n;
      evalTransfer += evalPerTraining;
      return n / throughput.trainExamplesPerSec + evalPerTraining / throughput.evalExamplesPerSec;
    } else if (job.kind === 'conductance') {
      conductanceDocs += prepared.conductanceDocs.length;
      return prepared.conductanceDocs.length * (throughput.conductanceSecPerDoc ?? 0);
    }
    return 0;
  });
  const single = trainExamples.single / throughput.trainExamplesPerSec + evalSingle / throughput.evalExamplesPerSec;
  const transfer = trainExamples.transfer / throughput.trainExamplesPerSec + evalTransfer / throughput.evalExamplesPerSec;
  const conductance = conductanceDocs * (throughput.conductanceSecPerDoc ?? 0);
  return {
    throughput,
    trainExamples,
    evalExamples: evalSingle + evalTransfer,
    conductanceDocs,
    seconds: { single, transfer, conductance, total: single + transfer + conductance },
    lanesSeconds: Array.from({ length: MAX_ESTIMATED_LANES }, (_, i) => scheduledSeconds(plan, jobSeconds, i + 1)),
  };
}

/** Speeds for the runner's ETA, from a measured throughput (wall clock). */
export function speedHintOf(t: Throughput, spec: ExperimentSpec): SpeedHint {
  return {
    trainUnitsPerMs: t.trainExamplesPerSec / 1000,
    conductanceUnitsPerMs: t.conductanceSecPerDoc ? (spec.conductance.nSteps + 1) / (t.conductanceSecPerDoc * 1000) : undefined,
  };
}

/**
 * Measures the throughput with the experiment's base model and data and stores the estimate in the
 * experiment record (`plan.estimate`), for the UI to show before running.
 */
export async function estimateExperiment(env: PipelineEnv, experimentId: string, options: { steps?: number; signal?: AbortSignal } = {}): Promise<PlanEstimate> {
  const opened = await openExperiment(env, experimentId);
  const session = await Session.open(env, opened.plan.spec, opened.plan.model, opened.prepared);
  let estimate: PlanEstimate;
  try {
    const throughput = await measureThroughput(session, opened.prepared, opened.plan.spec, options);
    estimate = estimatePlan(opened.jobs, opened.prepared, throughput);
  } finally {
    session.dispose();
  }
  await env.store.experiments.update(experimentId, (r) => (r ? { ...r, plan: { ...experimentPlanOf(r), estimate } } : undefined));
  return estimate;
}
