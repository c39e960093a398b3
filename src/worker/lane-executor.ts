/**
 * The browser executor of the job pool: each lane a Web Worker (lane-worker.ts) started by the app's
 * worker, with its own tfjs backend, so an experiment uses every core on wasm. Lanes read and write
 * through the app worker's store (one writer); the analysis stays in the app worker. Pausing
 * terminates the lanes that run (their jobs stay pending, as after a reload) and the next job starts
 * a fresh one.
 */
import * as Comlink from 'comlink';
import type { JobExecutor } from '../lib/pipeline/job-pool';
import { LANE_JOB_KINDS, laneOutcome, type LaneResult } from '../lib/pipeline/lane-job';
import type { BackendName } from '../lib/runtime/backend';
import { storeFacts } from '../lib/store/remote-store';
import type { Store } from '../lib/store/store';
import { watchedStore } from '../lib/store/watched-store';
import type { BrowserLaneApi, BrowserLaneHost } from './lane-worker';

export interface BrowserLaneOptions {
  lanes: number;
  store: Store;
  backend: BackendName;
  appBase: string;
}

interface Lane { worker: Worker; api: Comlink.Remote<BrowserLaneApi>; ready: Promise<unknown>; crashed: Promise<never> }

export function browserLaneExecutor(o: BrowserLaneOptions): JobExecutor {
  const lanes = new Map<number, Lane>();
  const stop = (n: number) => {
    lanes.get(n)?.worker.terminate();
    lanes.delete(n);
  };
  const open = (n: number): Lane => {
    const had = lanes.get(n);
    if (had) return had;
    const worker = new Worker(new URL('./lane-worker.ts', import.meta.url), { type: 'module', name: `transferscope-lane-${n}` });
    const api = Comlink.wrap<BrowserLaneApi>(worker);
    // A lane that dies (out of memory, a script error) fails its job with the cause; the next job on
    // that lane number starts a fresh worker.
    const crashed = new Promise<never>((_, reject) => {
      worker.addEventListener('error', (ev) => {
        stop(n);
        reject(new Error(`lane ${n} stopped: ${ev.message || 'its worker crashed (out of memory?)'}`));
      });
    });
    crashed.catch(() => undefined);
    const lane = { worker, api, ready: api.init({ backend: o.backend, appBase: o.appBase, store: storeFacts(o.store) }), crashed };
    lanes.set(n, lane);
    return lane;
  };
  return {
    lanes: o.lanes,
    canRun: (job) => LANE_JOB_KINDS.has(job.kind),
    async run(job, inputs, hooks) {
      const lane = open(hooks.lane);
      const { port1, port2 } = new MessageChannel();
      let corrupt: unknown;
      const host: BrowserLaneHost = { store: watchedStore(o.store, (e) => (corrupt ??= e)), step: (s) => hooks.onStep(s) };
      Comlink.expose(host, port1);
      // A pause ends the lane's work at once: its job stays pending and is redone from its start.
      let onAbort = () => undefined as void;
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => {
          stop(hooks.lane);
          reject(hooks.signal?.reason ?? new DOMException('the job was cancelled', 'AbortError'));
        };
      });
      if (hooks.signal?.aborted) onAbort();
      else hooks.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        await Promise.race([lane.ready, aborted, lane.crashed]);
        const task = {
          experimentId: inputs.experimentId, jobId: job.id, experiment: inputs.experiment, states: { ...inputs.states }, clock: inputs.clock.kind,
        };
        const r = (await Promise.race([lane.api.run(task, Comlink.transfer(port2, [port2])), aborted, lane.crashed])) as LaneResult;
        return { outcome: laneOutcome(r), elapsedMs: r.elapsedMs };
      } catch (e) {
        if (corrupt !== undefined) throw new Error(e instanceof Error ? e.message : String(e), { cause: corrupt });
        throw e;
      } finally {
        hooks.signal?.removeEventListener('abort', onAbort);
        port1.close();
      }
    },
    async close() {
      for (const n of [...lanes.keys()]) stop(n);
    },
  };
}
