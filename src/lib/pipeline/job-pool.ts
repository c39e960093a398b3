/**
 * The job pool: runs an experiment's job graph with up to N jobs at once ("lanes"). A job is ready
 * when every job it depends on is done (single → best → conductance → features → transfer →
 * regressor → analysis; a transfer needs its source's `best`); ready jobs start in plan order, each
 * on the lowest free lane. How a job runs is the executor's business (`JobExecutor`): in this
 * process (`localExecutor` in runner.ts), in worker threads (`worker-executor.node.ts`), or, later,
 * through a queue. The pool only schedules; the runner records what the jobs return.
 *
 * Stopping: after a job fails or is paused (or the signal aborts, or `maxJobs` jobs were started) no
 * new job starts, the jobs in flight run to their end (their results are kept), then the pool
 * resolves. With one lane this is exactly the old one-after-another loop.
 */
import type { Clock } from './clock';
import type { JobOutcome, JobStep } from './jobs/context';
import type { ExperimentPlan, Job } from './types';
import type { JobState } from '../store/records';

/** What a job needs besides its own description: the experiment and the states of the jobs before it. */
export interface JobInputs {
  experimentId: string;
  experiment: ExperimentPlan;
  /** States of the jobs it depends on (e.g. a `best` job's model id), and of any other finished job. */
  states: Readonly<Record<string, JobState>>;
  /** The experiment's clock; a lane in another thread makes one of the same kind. */
  clock: Clock;
}

export interface JobHooks {
  /** 1-based lane number, for progress lines. */
  lane: number;
  signal?: AbortSignal;
  onStep(step: JobStep): void;
}

/** What a finished job returns: its outcome and its duration on the experiment's clock. */
export interface JobResult {
  outcome: JobOutcome;
  elapsedMs: number;
}

/**
 * Runs one job. `run` rejects when the job fails (with its cause) or is cancelled (an AbortError).
 * An executor whose `canRun` says no for a job (e.g. one that returns a function, which cannot
 * leave the process) leaves it to the local executor.
 */
export interface JobExecutor {
  /** Jobs it can run at once. */
  readonly lanes: number;
  canRun(job: Job): boolean;
  run(job: Job, inputs: JobInputs, hooks: JobHooks): Promise<JobResult>;
  close(): Promise<void>;
}

export interface PoolOptions {
  /** The plan's jobs, in plan order (which respects dependencies): earlier ready jobs start first. */
  jobs: readonly Job[];
  isDone(id: string): boolean;
  /** Only these jobs start (default: all); the others stay pending (`recommend` runs a few at a time). */
  wanted?(id: string): boolean;
  lanes: number;
  /** Start at most this many jobs. */
  maxJobs?: number;
  signal?: AbortSignal;
  /**
   * Runs one job on a lane and records it: resolves 'done' or 'paused' (cancelled; the job stays
   * pending), rejects when it failed (the job is already marked failed).
   */
  start(job: Job, lane: number): Promise<'done' | 'paused'>;
}

export interface PoolOutcome {
  /** 'done': every job is done; 'paused': stopped early (signal, pause, maxJobs) or jobs not wanted are left. */
  status: 'done' | 'paused';
  /** The first failure, after every job in flight ended; undefined when none failed. */
  error?: unknown;
}

export async function runJobPool(o: PoolOptions): Promise<PoolOutcome> {
  if (!Number.isInteger(o.lanes) || o.lanes < 1) throw new Error(`job pool: lanes must be an integer ≥ 1, got ${o.lanes}`);
  const running = new Map<string, Promise<void>>();
  const freeLanes = Array.from({ length: o.lanes }, (_, i) => i + 1);
  let started = 0;
  let stopping = false;
  let failure: { error: unknown } | undefined;

  const nextReady = (): Job | undefined =>
    o.jobs.find((j) => !o.isDone(j.id) && !running.has(j.id) && (o.wanted?.(j.id) ?? true) && j.deps.every((d) => o.isDone(d)));

  for (;;) {
    while (!stopping && running.size < o.lanes) {
      if (o.signal?.aborted) { stopping = true; break; }
      if (o.maxJobs !== undefined && started >= o.maxJobs) { stopping = true; break; }
      const job = nextReady();
      if (!job) break;
      freeLanes.sort((a, b) => a - b);
      const lane = freeLanes.shift()!;
      started++;
      const p = o.start(job, lane).then(
        (r) => { if (r === 'paused') stopping = true; },
        (e: unknown) => { stopping = true; failure ??= { error: e }; },
      ).finally(() => { running.delete(job.id); freeLanes.push(lane); });
      running.set(job.id, p);
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  if (failure) return { status: 'paused', error: failure.error };
  const allDone = o.jobs.every((j) => o.isDone(j.id));
  return { status: allDone ? 'done' : 'paused' };
}
