/**
 * A Store whose every call is answered by a store in another thread (comlink over a message
 * port): the pipeline's lanes read and write through the coordinator's one store, so there is one
 * writer per experiment and one in-memory index (the folder store's), never several that miss each
 * other's records. `update` takes a function, which cannot cross threads: lanes never call it (the
 * coordinator updates the experiment record).
 */
import * as Comlink from 'comlink';
import type { Store } from './store';
import { TABLE_NAMES } from './schema';

const TABLE_METHODS = ['get', 'put', 'putMany', 'delete', 'list', 'keys', 'count', 'listBy', 'keysBy', 'deleteBy', 'putWithFiles', 'getFiles'] as const;

export interface StoreFacts {
  kind: Store['kind'];
  location: string;
  schemaVersion: number;
}

export function storeFacts(store: Store): StoreFacts {
  return { kind: store.kind, location: store.location, schemaVersion: store.schemaVersion };
}

/** A store that forwards to `target()`, the remote end in use now (a lane swaps it per job). */
export function remoteStore(facts: StoreFacts, target: () => Comlink.Remote<Store>): Store {
  const tables = Object.fromEntries(TABLE_NAMES.map((t) => {
    const table: Record<string, unknown> = { name: t };
    for (const m of TABLE_METHODS) table[m] = (...args: unknown[]) => (target()[t] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[m](...args);
    table.update = () => Promise.reject(new Error(`store ${facts.location}: ${t}.update is not available in a lane (only the coordinator updates records in place)`));
    return [t, table];
  }));
  return {
    ...facts,
    ...(tables as unknown as Pick<Store, (typeof TABLE_NAMES)[number]>),
    estimate: () => target().estimate(),
    requestPersistence: () => target().requestPersistence(),
    async close() {},
  };
}
