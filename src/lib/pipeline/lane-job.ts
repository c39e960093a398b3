/**
 * What one lane does with a job, whatever carries it (a Node worker thread: lane-worker.node.ts; a
 * browser Web Worker: src/worker/lane-worker.ts): open the experiment from the store it is given
 * (the coordinator's, over a message port), keep that experiment's session (base model, tokenizer,
 * cached transfer source) between its jobs, and run the job. The job's inputs come from the task (the
 * experiment plan, the states of the jobs before it, the clock's kind), never from what this lane ran
 * before, so results do not depend on which lane ran what.
 */
import type { JobState } from '../store/records';
import { wallClock, workClock } from './clock';
import { openExperiment, type OpenedExperiment } from './experiment';
import type { JobContext, JobOutcome, JobStep, RecordPatch } from './jobs/context';
import { runJob } from './runner';
import { Session } from './session';
import type { ExperimentPlan, Job, PipelineEnv } from './types';

/** The job kinds a lane runs; the analysis reads every stored result and sets the record's analysis, so the coordinator runs it. */
export const LANE_JOB_KINDS: ReadonlySet<Job['kind']> = new Set<Job['kind']>(['single', 'best', 'conductance', 'features', 'transfer', 'regressor']);

/** A job as sent to a lane: plain data, so it crosses a thread boundary. */
export interface LaneJob {
  experimentId: string;
  jobId: string;
  experiment: ExperimentPlan;
  states: Record<string, JobState>;
  clock: 'wall' | 'work';
}

export interface LaneResult {
  resultId?: string;
  /** Only the LogME time: a lane never runs the analysis (LANE_JOB_KINDS). */
  recordPatch?: Pick<RecordPatch, 'logmeMs'>;
  elapsedMs: number;
}

/** The job's outcome for the coordinator's runner, from what a lane sent back. */
export function laneOutcome(r: LaneResult): JobOutcome {
  return {
    ...(r.resultId !== undefined ? { resultId: r.resultId } : {}),
    ...(r.recordPatch !== undefined ? { recordPatch: r.recordPatch } : {}),
  };
}

/** A lane's job runner over `env` (whose store answers from the coordinator). */
export function createLane(env: PipelineEnv): { run(task: LaneJob, onStep: (s: JobStep) => void, signal?: AbortSignal): Promise<LaneResult>; dispose(): void } {
  /** The experiment as this lane prepared it, and its session; one experiment per lane at a time. */
  let opened: { id: string; fingerprint: string; experiment: OpenedExperiment; session?: Session } | undefined;
  return {
    async run(task, onStep, signal) {
      if (!opened || opened.id !== task.experimentId || opened.fingerprint !== task.experiment.dataset.splitFingerprint) {
        opened?.session?.dispose();
        opened = { id: task.experimentId, fingerprint: task.experiment.dataset.splitFingerprint, experiment: await openExperiment(env, task.experimentId) };
      }
      const lane = opened;
      const { prepared, jobs: plan } = lane.experiment;
      const job = plan.jobs.find((j) => j.id === task.jobId);
      if (!job) throw new Error(`lane: experiment "${task.experimentId}" has no job "${task.jobId}"`);
      if (!LANE_JOB_KINDS.has(job.kind)) throw new Error(`lane: job ${job.id} (${job.kind}) runs in the coordinator only`);
      const clock = task.clock === 'work' ? workClock() : wallClock();
      const spec = task.experiment.spec;
      const ctx: JobContext = {
        env, experimentId: task.experimentId, spec, experiment: task.experiment, prepared, plan, states: task.states, clock, signal,
        session: async () => (lane.session ??= await Session.open(env, spec, task.experiment.model, prepared)),
        onStep,
      };
      const work = clock.measure();
      const outcome = await runJob(ctx, job, work);
      if (outcome.recordPatch?.analysis !== undefined) throw new Error(`lane: job ${job.id} sets the analysis, which only the coordinator computes`);
      // A best job may have deleted models: drop the cached transfer source as the in-process runner does.
      if (job.kind === 'best') lane.session?.releaseSource();
      return {
        ...(outcome.resultId !== undefined ? { resultId: outcome.resultId } : {}),
        ...(outcome.recordPatch?.logmeMs !== undefined ? { recordPatch: { logmeMs: outcome.recordPatch.logmeMs } } : {}),
        elapsedMs: work.elapsedMs(),
      };
    },
    dispose() {
      opened?.session?.dispose();
      opened = undefined;
    },
  };
}
