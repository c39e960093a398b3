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
import { initBackend, type BackendPreference } from '../runtime/backend.node.js';
import { remoteStore, type StoreFacts } from '../store/remote-store';
import type { Store } from '../store/store';
import type { JobStep } from './jobs/context';
import { createLane, type LaneJob, type LaneResult } from './lane-job';
import { nodeLaneModelSource } from './node-model-source.node.js';
import type { PipelineEnv } from './types';

export type { LaneResult } from './lane-job';

export interface LaneWorkerData {
  backend: BackendPreference;
  store: StoreFacts;
}

/** What the coordinator serves to a lane during one job. */
export interface LaneHost {
  store: Store;
  step(step: JobStep): void;
}

export interface LaneTask extends LaneJob {
  port: MessagePort;
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
  modelSource: nodeLaneModelSource('a worker lane'),
};
const lane = createLane(env);

export default async function runLaneJob(task: LaneTask): Promise<LaneResult> {
  await backendReady;
  host = Comlink.wrap<LaneHost>(nodeEndpoint(task.port));
  const current = host;
  try {
    const { port: _port, ...job } = task;
    return await lane.run(job, (s) => void current.step(s));
  } finally {
    current[Comlink.releaseProxy]();
    host = undefined;
    task.port.close();
  }
}
