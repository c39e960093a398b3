/**
 * The Node executor of the job pool: each lane a worker thread (piscina) with its own tfjs wasm
 * backend (lane-worker.node.ts). Training, conductance, features, regressors and `best` run in the
 * lanes; the analysis (which patches the experiment record) stays with the coordinator. A lane
 * reads and writes through the coordinator's store, over a message port per job: one writer.
 */
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { BackendPreference } from '../runtime/backend.node.js';
import { watchedStore } from '../store/watched-store';
import { storeFacts } from '../store/remote-store';
import type { Store } from '../store/store';
import type { JobExecutor } from './job-pool';
import type { LaneHost, LaneResult, LaneTask, LaneWorkerData } from './lane-worker.node.js';
import { LANE_JOB_KINDS, laneOutcome } from './lane-job';

export interface WorkerExecutorOptions {
  lanes: number;
  store: Store;
  backend: BackendPreference;
}

export function workerExecutor(o: WorkerExecutorOptions): JobExecutor {
  const workerData: LaneWorkerData = { backend: o.backend, store: storeFacts(o.store) };
  const pool = new Piscina({
    filename: new URL('./lane-worker.node.ts', import.meta.url).href,
    minThreads: o.lanes,
    maxThreads: o.lanes,
    concurrentTasksPerWorker: 1,
    idleTimeout: Number.POSITIVE_INFINITY,
    workerData,
  });
  let closing: Promise<void> | undefined;
  return {
    lanes: o.lanes,
    canRun: (job) => LANE_JOB_KINDS.has(job.kind),
    async run(job, inputs, hooks) {
      const { port1, port2 } = new MessageChannel();
      let corrupt: unknown;
      const host: LaneHost = { store: watchedStore(o.store, (e) => (corrupt ??= e)), step: (s) => hooks.onStep(s) };
      Comlink.expose(host, nodeEndpoint(port1));
      const task: LaneTask = {
        experimentId: inputs.experimentId, jobId: job.id, experiment: inputs.experiment, states: { ...inputs.states }, clock: inputs.clock.kind, port: port2,
      };
      try {
        const r = (await pool.run(task, { transferList: [port2], signal: hooks.signal })) as LaneResult;
        return { outcome: laneOutcome(r), elapsedMs: r.elapsedMs };
      } catch (e) {
        if (corrupt !== undefined) throw new Error(e instanceof Error ? e.message : String(e), { cause: corrupt });
        throw e;
      } finally {
        port1.close();
      }
    },
    // Twice is harmless: the CLI closes after the run and again on its way out.
    async close() {
      closing ??= pool.destroy();
      await closing;
    },
  };
}
