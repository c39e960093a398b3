/** The page's handle on the worker: every call is async and returns plain data. */
import * as Comlink from 'comlink';
import type { WorkerFactory } from '../../worker/worker';
import type { WorkerApi } from '../../worker/api';

export type Api = Comlink.Remote<WorkerApi>;

export async function startWorker(): Promise<Api> {
  const worker = new Worker(new URL('../../worker/worker.ts', import.meta.url), { type: 'module' });
  const factory = Comlink.wrap<WorkerFactory>(worker);
  return (await factory.create(document.baseURI)) as unknown as Api;
}

export { Comlink };
