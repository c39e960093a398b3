/** The page's handle on the worker: every call is async and returns plain data. */
import * as Comlink from 'comlink';
import type { WorkerFactory } from '../../worker/worker';
import type { WorkerApi } from '../../worker/api';

export type Api = Comlink.Remote<WorkerApi>;

export async function startWorker(): Promise<Api> {
  const worker = new Worker(new URL('../../worker/worker.ts', import.meta.url), { type: 'module', name: 'transferscope' });
  // A worker script that fails to load or throws at start-up would otherwise leave the page
  // waiting forever for its first answer.
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      reject(new Error(`the worker could not start${e.message ? `: ${e.message}` : ' (its script failed to load)'}`));
    }, { once: true });
  });
  const factory = Comlink.wrap<WorkerFactory>(worker);
  return (await Promise.race([factory.create(document.baseURI), failed])) as unknown as Api;
}

/** Wraps a callback so the worker can call it back across the boundary. */
export function callback<T extends (...args: never[]) => unknown>(fn: T): T {
  return Comlink.proxy(fn) as unknown as T;
}

/** Hands a buffer to the worker without copying it (the page's copy becomes empty). */
export function transfer<T>(value: T, buffers: Transferable[]): T {
  return Comlink.transfer(value, buffers);
}

/** An error's message, whatever crossed the boundary (comlink rebuilds Errors with message only). */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
