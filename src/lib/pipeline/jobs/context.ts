/**
 * What a job gets to run: the experiment, its prepared data, the plan, the store, the clock, the
 * cancel signal and a progress callback; and what it returns. A job reads its inputs from the store
 * (never from another job's in-memory result), so a job runs the same whether the jobs before it
 * ran in this process or in one that was killed.
 */
import type { Clock, Measurement } from '../clock';
import type { JobState, ExperimentRecord } from '../../store/records';
import { jobIds } from '../plan';
import type { PreparedData } from '../prepare';
import type { Session } from '../session';
import type { ExperimentSpec } from '../spec';
import type { ExperimentPlan, Job, JobPlan, PipelineEnv } from '../types';

export interface JobStep {
  step: number;
  totalSteps: number;
  /** Training loss of the step, when it is one. */
  loss?: number;
  /** Work done so far in this job (units of clock.ts), for the ETA. */
  units?: number;
}

export interface JobContext {
  env: PipelineEnv;
  experimentId: string;
  spec: ExperimentSpec;
  experiment: ExperimentPlan;
  prepared: PreparedData;
  plan: JobPlan;
  /** States of finished jobs (done/failed), by job id. */
  states: Readonly<Record<string, JobState>>;
  /** Opens the session (base model, tokenizer) on first use. */
  session(): Promise<Session>;
  clock: Clock;
  signal?: AbortSignal;
  onStep(step: JobStep): void;
}

/** The experiment-record fields a job may set: the analysis (coordinator only) and the LogME time (features). */
export type RecordPatch = Partial<Pick<ExperimentRecord, 'analysis' | 'logmeMs'>>;

export interface JobOutcome {
  /** Id of the main record the job wrote (a run, the best model…). */
  resultId?: string;
  /**
   * Fields set on the experiment record in the same update that marks the job done. Plain data, not a
   * function: a lane returns it to the coordinator (the only writer of the record), across a thread or a queue.
   */
  recordPatch?: RecordPatch;
}

/** `work` measures the job on the experiment's clock: add the units of work as they are done. */
export type JobRunner<J extends Job = Job> = (ctx: JobContext, job: J, work: Measurement) => Promise<JobOutcome>;

/** The id of the best single-task model of a task (the result of its `best` job). */
export function bestModelId(ctx: JobContext, task: string): string {
  const state = ctx.states[jobIds.best(task)];
  if (state?.status !== 'done' || !state.resultId) throw new Error(`the best model of task "${task}" is not known yet (its "best" job has not finished)`);
  return state.resultId;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('the job was cancelled', 'AbortError');
}
