/**
 * One lane of the worker-thread executor (worker-executor.node.ts): a piscina worker with its own
 * tfjs backend and its own session (base model, tokenizer, cached transfer source), kept between the
 * jobs of one experiment. Every store call goes through the coordinator's store over the job's
 * message port (store/remote-store.ts): a lane writes nothing itself, and reads what the
 * coordinator's store holds. The job's inputs come from the task (the experiment plan, the states
 * of the jobs before it, the clock's kind), never from what this lane ran before.
 */
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { MessagePort } from 'node:worker_threads';
import { workerData } from 'node:worker_threads';
import { folderSource } from '../bert/file-source.node.js';
import { initBackend, type BackendPreference } from '../runtime/backend.node.js';
import { remoteStore, type StoreFacts } from '../store/remote-store';
import type { JobState } from '../store/records';
import { wallClock, workClock } from './clock';
import { openExperiment, type OpenedExperiment } from './experiment';
import type { JobContext, JobStep } from './jobs/context';
import { storedModelSource } from './model-source';
import { runJob } from './runner';
import { Session } from './session';
import type { ExperimentPlan, PipelineEnv } from './types';
import type { Store } from '../store/store';

export interface LaneWorkerData {
  backend: BackendPreference;
  store: StoreFacts;
}

/** What the coordinator serves to a lane during one job. */
export interface LaneHost {
  store: Store;
  step(step: JobStep): void;
}

export interface LaneTask {
  experimentId: string;
  jobId: string;
  experiment: ExperimentPlan;
  states: Record<string, JobState>;
  clock: 'wall' | 'work';
  port: MessagePort;
}

export interface LaneResult {
  resultId?: string;
  elapsedMs: number;
}

const data = workerData as LaneWorkerData;
const backendReady = initBackend(data.backend);
let host: Comlink.Remote<LaneHost> | undefined;
const store = remoteStore(data.store, () => {
  if (!host) throw new Error('lane: no job is running');
  return host.store as unknown as Comlink.Remote<Store>;
});
const env: PipelineEnv = {
  store,
  modelSource: async (ref, s) => {
    if (ref.kind === 'folder') return folderSource(ref.path);
    if (ref.kind === 'stored') return storedModelSource(s, ref.id);
    throw new Error(`a worker lane reads base models from folders or the store, not ${ref.kind} models`);
  },
};

/** The experiment as this lane prepared it, and its session; one experiment per lane at a time. */
let opened: { id: string; fingerprint: string; experiment: OpenedExperiment; session?: Session } | undefined;

export default async function runLaneJob(task: LaneTask): Promise<LaneResult> {
  await backendReady;
  host = Comlink.wrap<LaneHost>(nodeEndpoint(task.port));
  try {
    if (!opened || opened.id !== task.experimentId || opened.fingerprint !== task.experiment.dataset.splitFingerprint) {
      opened?.session?.dispose();
      opened = { id: task.experimentId, fingerprint: task.experiment.dataset.splitFingerprint, experiment: await openExperiment(env, task.experimentId) };
    }
    const lane = opened;
    const { prepared, jobs: plan } = lane.experiment;
    const job = plan.jobs.find((j) => j.id === task.jobId);
    if (!job) throw new Error(`lane: experiment "${task.experimentId}" has no job "${task.jobId}"`);
    const clock = task.clock === 'work' ? workClock() : wallClock();
    const spec = task.experiment.spec;
    const current = host;
    const ctx: JobContext = {
      env, experimentId: task.experimentId, spec, experiment: task.experiment, prepared, plan, states: task.states, clock,
      session: async () => (lane.session ??= await Session.open(env, spec, task.experiment.model, prepared)),
      onStep: (s) => void current.step(s),
    };
    const work = clock.measure();
    const outcome = await runJob(ctx, job, work);
    if (outcome.patchRecord) throw new Error(`lane: job ${job.id} patches the experiment record, which only the coordinator may do`);
    // A best job may have deleted models: drop the cached transfer source as the in-process runner does.
    if (job.kind === 'best') lane.session?.releaseSource();
    return { ...(outcome.resultId !== undefined ? { resultId: outcome.resultId } : {}), elapsedMs: work.elapsedMs() };
  } finally {
    host[Comlink.releaseProxy]();
    host = undefined;
    task.port.close();
  }
}
