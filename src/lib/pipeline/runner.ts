/**
 * Runs an experiment's pending jobs: up to `executor.lanes` at once, ready jobs first in plan order
 * (job-pool.ts schedules; the executor runs: in this process by default, `localExecutor`, one at a
 * time; in worker threads with worker-executor.node.ts). Only this coordinator writes the
 * experiment record, one update at a time.
 *
 * - Each job writes its records, then the runner marks it done in the experiment record (one atomic
 *   update with the job's state, its duration on the clock and any change to the stored plan). A
 *   kill at any moment therefore leaves finished jobs marked done and the others pending.
 * - Cancel (the AbortSignal) stops the running job between steps; it writes nothing, stays pending,
 *   and the run resolves with status "paused". Pause = cancel now, run again later.
 * - A job that throws is marked failed with its message and the run rejects with a
 *   PipelineJobError naming the job; running again retries it (failed jobs count as pending). Jobs
 *   in flight on other lanes run to their end and are kept; no new job starts.
 * - Progress: events for the run, each job's start/steps/end, done/total and an ETA from the speed
 *   measured so far (or a measured throughput given in advance).
 * - Every model a job loads is disposed after it; the base model and the cached transfer source at
 *   the end of the run (tf.memory().numTensors returns to where it was).
 */
import { wallClock, type Clock } from './clock';
import {
  ExperimentMismatchError, experimentPlanOf, openExperiment,
} from './experiment';
import { runAnalysisJob } from './jobs/analysis';
import { runBestJob } from './jobs/best';
import { conductanceUnitsPerDocument, runConductanceJob } from './jobs/conductance';
import type { JobContext, JobOutcome, JobStep } from './jobs/context';
import { runFeaturesJob } from './jobs/features';
import { runRegressorJob } from './jobs/regressor';
import { runSingleJob, runTransferJob } from './jobs/train';
import type { PreparedData } from './prepare';
import { Session } from './session';
import type { ExperimentSpec } from './spec';
import type { ExperimentPlan, ExperimentStatus, Job, JobKind, PipelineEnv } from './types';
import type { Measurement } from './clock';
import type { JobState } from '../store/records';
import { corruptRecordIn } from '../store/errors';
import { markCorruptForRerun } from './rerun-job';
import { runJobPool, type JobExecutor, type JobHooks, type JobResult } from './job-pool';

export interface JobInfo {
  id: string;
  kind: JobKind;
  label: string;
  /** 1-based position in the plan. */
  index: number;
  /** 1-based lane the job runs on (1 when the run has one lane). */
  lane: number;
}

export type ProgressEvent =
  | { type: 'run-start'; experimentId: string; total: number; done: number; resumed: boolean; lanes: number }
  | { type: 'job-start'; job: JobInfo; done: number; total: number; etaMs: number | null }
  | { type: 'job-step'; job: JobInfo; step: number; totalSteps: number; loss?: number; done: number; total: number; etaMs: number | null }
  | { type: 'job-done'; job: JobInfo; elapsedMs: number; done: number; total: number; etaMs: number | null }
  | { type: 'job-failed'; job: JobInfo; error: string; done: number; total: number }
  | { type: 'run-paused'; job?: JobInfo; done: number; total: number }
  | { type: 'run-done'; done: number; total: number };

/** Speeds measured in advance (estimate.ts), for an ETA before the run has measured its own. */
export interface SpeedHint {
  /** Training work units (examples) per millisecond, evaluation included. */
  trainUnitsPerMs?: number;
  /** Conductance work units (interpolation points) per millisecond. */
  conductanceUnitsPerMs?: number;
}

export interface RunOptions {
  /** Default: the wall clock. */
  clock?: Clock;
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  speedHint?: SpeedHint;
  /** Stop after this many jobs (tests, step-by-step demos); the rest stays pending. */
  maxJobs?: number;
  /** Run only these jobs (with their dependencies already done); the rest stays pending (`recommend`). */
  only?: ReadonlySet<string>;
  /**
   * Runs the jobs, `executor.lanes` at once (default: `localExecutor`, one at a time in this
   * process). The caller closes it.
   */
  executor?: JobExecutor;
}

export interface RunOutcome {
  status: 'done' | 'paused';
  done: number;
  total: number;
  /** Jobs this call ran to completion, in order. */
  ran: string[];
}

export class PipelineJobError extends Error {
  constructor(readonly jobId: string, readonly jobLabel: string, cause: unknown) {
    super(`job ${jobId} (${jobLabel}) failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'PipelineJobError';
  }
}

/** How much work a job is (units of clock.ts), for the ETA; 0 for the quick ones. */
export function jobWork(job: Job, spec: ExperimentSpec, prepared: PreparedData): { kind: 'train' | 'conductance' | 'other'; units: number } {
  switch (job.kind) {
    case 'single':
      return { kind: 'train', units: prepared.trainDocs.get(job.task)!.length * job.setting.epochs };
    case 'transfer':
      return { kind: 'train', units: prepared.trainDocs.get(job.target)!.length * job.setting.epochs };
    case 'conductance':
      return { kind: 'conductance', units: prepared.conductanceDocs.length * conductanceUnitsPerDocument(spec.conductance.nSteps) };
    default:
      return { kind: 'other', units: 0 };
  }
}

const RUNNERS: { [K in JobKind]: (ctx: JobContext, job: Extract<Job, { kind: K }>, work: Measurement) => Promise<JobOutcome> } = {
  single: runSingleJob,
  best: runBestJob,
  conductance: runConductanceJob,
  features: runFeaturesJob,
  transfer: runTransferJob,
  regressor: runRegressorJob,
  analysis: runAnalysisJob,
};

function isAbort(e: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (e instanceof Error && e.name === 'AbortError');
}

/** What the in-process executor needs: the run's shared context, the base model's session included. */
export type LocalContext = Omit<JobContext, 'experiment' | 'states' | 'onStep'>;

/** Runs a job in this process with the run's session (today's path; one lane). */
export function localExecutor(base: LocalContext): JobExecutor {
  return {
    lanes: 1,
    canRun: () => true,
    async run(job, inputs, hooks) {
      const work = inputs.clock.measure();
      const ctx: JobContext = { ...base, experiment: inputs.experiment, states: inputs.states, signal: hooks.signal, onStep: hooks.onStep };
      const outcome = await runJob(ctx, job, work);
      return { outcome, elapsedMs: work.elapsedMs() };
    },
    async close() {},
  };
}

/** Runs one job with its kind's runner (jobs/*). */
export function runJob(ctx: JobContext, job: Job, work: Measurement): Promise<JobOutcome> {
  return (RUNNERS[job.kind] as (c: JobContext, j: Job, w: Measurement) => Promise<JobOutcome>)(ctx, job, work);
}

/** Runs the pending (and failed) jobs of a stored experiment; see the module comment. */
export async function runExperiment(env: PipelineEnv, experimentId: string, options: RunOptions = {}): Promise<RunOutcome> {
  const clock = options.clock ?? wallClock();
  const { signal, onProgress } = options;
  const opened = await openExperiment(env, experimentId);
  const { prepared, jobs: plan } = opened;
  let experiment = opened.plan;
  const spec = experiment.spec;
  const states: Record<string, JobState> = { ...opened.record.jobs };
  const total = plan.jobs.length;
  if (experiment.clock !== undefined && experiment.clock !== clock.kind) {
    throw new ExperimentMismatchError(
      `experiment "${experimentId}" measures time with the ${experiment.clock === 'work' ? 'deterministic (work-counting)' : 'wall'} clock; ` +
        `resuming it with the ${clock.kind === 'work' ? 'deterministic' : 'wall'} clock would mix the two in its timings`,
    );
  }
  const isDone = (id: string) => states[id]?.status === 'done';
  const wanted = (id: string) => options.only === undefined || options.only.has(id);
  let done = plan.jobs.filter((j) => isDone(j.id)).length;

  // ETA: remaining work per kind divided by the speed measured so far (or the hint).
  const measured = { train: { units: 0, ms: 0 }, conductance: { units: 0, ms: 0 } };
  const rate = (kind: 'train' | 'conductance'): number | undefined => {
    const m = measured[kind];
    if (m.ms > 0 && m.units > 0) return m.units / m.ms;
    return kind === 'train' ? options.speedHint?.trainUnitsPerMs : options.speedHint?.conductanceUnitsPerMs;
  };
  const eta = (current?: { job: Job; unitsDone: number }): number | null => {
    let ms = 0;
    for (const job of plan.jobs) {
      if (isDone(job.id) || !wanted(job.id)) continue;
      const w = jobWork(job, spec, prepared);
      if (w.kind === 'other' || w.units === 0) continue;
      const r = rate(w.kind);
      if (r === undefined) return null;
      const left = current?.job.id === job.id ? Math.max(0, w.units - current.unitsDone) : w.units;
      ms += left / r;
    }
    // Lanes run side by side: the work left is shared among them (each measured at its own speed).
    return ms / lanes;
  };

  const setStatus = (status: ExperimentStatus) =>
    env.store.experiments.update(experimentId, (r) => (r ? { ...r, status, updatedAt: new Date().toISOString() } : undefined));

  let session: Session | undefined;
  const ctxBase = {
    env, experimentId, spec, prepared, plan, clock, signal,
    session: async () => (session ??= await Session.open(env, spec, experiment.model, prepared)),
  };
  const local = localExecutor(ctxBase);
  const executor = options.executor ?? local;
  const lanes = executor.lanes;
  // Record updates of jobs that finish together must not overwrite one another: one at a time.
  let recordQueue: Promise<unknown> = Promise.resolve();
  const serially = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = recordQueue.then(fn);
    recordQueue = next.catch(() => undefined);
    return next;
  };

  onProgress?.({ type: 'run-start', experimentId, total, done, resumed: done > 0, lanes });
  const ran: string[] = [];
  const indexOf = new Map(plan.jobs.map((j, i) => [j.id, i + 1]));
  let pausedJob: JobInfo | undefined;

  /** Runs one job on a lane through the executor and records its outcome (see runJobPool). */
  const start = async (job: Job, lane: number): Promise<'done' | 'paused'> => {
    const info: JobInfo = { id: job.id, kind: job.kind, label: job.label, index: indexOf.get(job.id)!, lane };
    const weight = jobWork(job, spec, prepared);
    onProgress?.({ type: 'job-start', job: info, done, total, etaMs: eta() });
    const hooks: JobHooks = {
      lane,
      signal,
      onStep: (s: JobStep) =>
        onProgress?.({
          type: 'job-step', job: info, step: s.step, totalSteps: s.totalSteps, loss: s.loss, done, total,
          etaMs: eta({ job, unitsDone: s.units ?? 0 }),
        }),
    };
    let result: JobResult;
    try {
      const runner = executor.canRun(job) ? executor : local;
      result = await runner.run(job, { experimentId, experiment, states: { ...states }, clock }, hooks);
    } catch (e) {
      if (isAbort(e, signal)) {
        pausedJob ??= info;
        return 'paused';
      }
      const attempts = (states[job.id]?.attempts ?? 0) + 1;
      const error = e instanceof Error ? e.message : String(e);
      const failed: JobState = { status: 'failed', error, attempts, finishedAt: new Date().toISOString() };
      states[job.id] = failed;
      await serially(() => env.store.experiments.update(experimentId, (r) =>
        r ? { ...r, status: 'failed', jobs: { ...r.jobs, [job.id]: failed }, updatedAt: new Date().toISOString() } : undefined,
      ));
      // A corrupt record is never used: the job that wrote it (and its dependents) are redone next run.
      const corrupt = corruptRecordIn(e);
      if (corrupt) await serially(() => markCorruptForRerun(env, experimentId, corrupt));
      onProgress?.({ type: 'job-failed', job: info, error, done, total });
      throw new PipelineJobError(job.id, job.label, e);
    }
    const { outcome, elapsedMs } = result;
    if (weight.kind !== 'other') {
      measured[weight.kind].units += weight.units;
      measured[weight.kind].ms += elapsedMs;
    }
    const state: JobState = {
      status: 'done', attempts: (states[job.id]?.attempts ?? 0) + 1, finishedAt: new Date().toISOString(), elapsedMs,
    };
    if (outcome.resultId !== undefined) state.resultId = outcome.resultId;
    const updated = await serially(() => env.store.experiments.update(experimentId, (r) => {
      if (!r) return undefined;
      experimentPlanOf(r); // still the pipeline's record
      const next = { ...r, jobs: { ...r.jobs, [job.id]: state }, updatedAt: new Date().toISOString() };
      return outcome.recordPatch ? { ...next, ...outcome.recordPatch } : next;
    }));
    if (!updated) throw new Error(`experiment "${experimentId}" was deleted while it ran`);
    experiment = experimentPlanOf(updated) as ExperimentPlan;
    states[job.id] = state;
    done++;
    ran.push(job.id);
    onProgress?.({ type: 'job-done', job: info, elapsedMs, done, total, etaMs: eta() });
    // Later jobs may use a stored model this one replaced or deleted: drop the cached one.
    if (job.kind === 'best') session?.releaseSource();
    return 'done';
  };

  try {
    // Load (and check) the base model up front when a pending job needs it, so that a changed model
    // is reported as such rather than as the failure of whichever job came first.
    if (plan.jobs.some((j) => !isDone(j.id) && wanted(j.id) && (j.kind === 'single' || j.kind === 'transfer' || j.kind === 'conductance'))) {
      await ctxBase.session();
    }
    if (plan.jobs.some((j) => !isDone(j.id) && wanted(j.id))) {
      const updated = await env.store.experiments.update(experimentId, (r) =>
        r ? { ...r, status: 'running', plan: { ...experimentPlanOf(r), clock: clock.kind }, updatedAt: new Date().toISOString() } : undefined,
      );
      if (updated) experiment = experimentPlanOf(updated);
    }
    // A job asked for by `only` whose dependencies are neither done nor asked for can never start.
    for (const job of plan.jobs) {
      if (isDone(job.id) || !wanted(job.id)) continue;
      const missing = job.deps.filter((d) => !isDone(d) && !wanted(d));
      if (missing.length) throw new PipelineJobError(job.id, job.label, new Error(`its dependencies are not done: ${missing.join(', ')}`));
    }
    const pool = await runJobPool({ jobs: plan.jobs, isDone, wanted, lanes, maxJobs: options.maxJobs, signal, start });
    await recordQueue;
    if (pool.error !== undefined) throw pool.error;
    if (pool.status === 'done' && done === total) {
      await setStatus('done');
      onProgress?.({ type: 'run-done', done, total });
      return { status: 'done', done, total, ran };
    }
    await setStatus('paused');
    onProgress?.({ type: 'run-paused', ...(pausedJob ? { job: pausedJob } : {}), done, total });
    return { status: 'paused', done, total, ran };
  } finally {
    session?.dispose();
  }
}
