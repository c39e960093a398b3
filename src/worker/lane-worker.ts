/// <reference lib="webworker" />
/**
 * One browser lane (lane-executor.ts): a Web Worker started by the app's worker, with its own tfjs
 * backend and session, running one job at a time. Every store call goes to the app worker's store
 * over the job's message port (store/remote-store.ts): one writer, as in the Node lanes.
 */
import * as Comlink from 'comlink';
import { createLane, type LaneJob, type LaneResult } from '../lib/pipeline/lane-job';
import { defaultModelSource } from '../lib/pipeline/model-source';
import type { JobStep } from '../lib/pipeline/jobs/context';
import { initBackend } from '../lib/runtime/backend.browser';
import type { BackendName } from '../lib/runtime/backend';
import { remoteStore, type StoreFacts } from '../lib/store/remote-store';
import type { Store } from '../lib/store/store';

/** What the app worker serves to a lane during one job. */
export interface BrowserLaneHost {
  store: Store;
  step(step: JobStep): void;
}

let host: Comlink.Remote<BrowserLaneHost> | undefined;
let lane: ReturnType<typeof createLane> | undefined;
let ready: Promise<unknown> | undefined;

const api = {
  /** Once, before the first job: the backend the app worker runs on, and where the app's files are. */
  init(o: { backend: BackendName; appBase: string; store: StoreFacts }): Promise<unknown> {
    const store = remoteStore(o.store, () => {
      if (!host) throw new Error('lane: no job is running');
      return host.store as unknown as Comlink.Remote<Store>;
    });
    lane = createLane({ store, modelSource: defaultModelSource({ appBase: o.appBase }) });
    ready = initBackend(o.backend);
    return ready.then(() => undefined);
  },
  async run(task: LaneJob, port: MessagePort): Promise<LaneResult> {
    if (!lane || !ready) throw new Error('lane: not initialised');
    await ready;
    const current = Comlink.wrap<BrowserLaneHost>(port);
    host = current;
    try {
      return await lane.run(task, (s) => void current.step(s));
    } finally {
      current[Comlink.releaseProxy]();
      host = undefined;
      port.close();
    }
  },
};
export type BrowserLaneApi = typeof api;

Comlink.expose(api);
