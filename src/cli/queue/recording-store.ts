/**
 * A store that notes the ids a job writes and deletes, so that a queue worker returns exactly what
 * its job changed (and not a diff of the whole replica, which would read every record again).
 * Reads pass through unchanged.
 */
import type { Store } from '../../lib/store/store';
import { TABLES, type TableName } from './store-changes';

export interface Written {
  put: Record<TableName, Set<string>>;
  deleted: Record<TableName, Set<string>>;
}

const empty = (): Written => ({
  put: Object.fromEntries(TABLES.map((t) => [t, new Set<string>()])) as Written['put'],
  deleted: Object.fromEntries(TABLES.map((t) => [t, new Set<string>()])) as Written['deleted'],
});

/** `store` with its writes noted; `take()` returns what was written since the last take and starts afresh. */
export function recordingStore(store: Store): { store: Store; take(): Written } {
  let written = empty();
  const put = (t: TableName, id: string) => { written.deleted[t].delete(id); written.put[t].add(id); };
  const del = (t: TableName, id: string) => { written.put[t].delete(id); written.deleted[t].add(id); };
  const tables = new Map<string, unknown>();
  for (const t of TABLES) {
    const inner = store[t] as unknown as Record<string, (...a: never[]) => Promise<unknown>> & { keysBy(i: string, v: string): Promise<string[]> };
    tables.set(t, new Proxy(inner, {
      get(target, key) {
        const v = Reflect.get(target, key, target) as unknown;
        if (typeof v !== 'function') return v;
        const call = (...args: unknown[]) => (v as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        switch (key) {
          case 'put': case 'putWithFiles':
            return async (r: { id: string }, ...rest: unknown[]) => { await call(r, ...rest); put(t, r.id); };
          case 'putMany':
            return async (rs: { id: string }[]) => { await call(rs); for (const r of rs) put(t, r.id); };
          case 'update':
            return async (id: string, fn: unknown) => { const r = await call(id, fn); if (r !== undefined) put(t, id); return r; };
          case 'delete':
            return async (id: string) => { await call(id); del(t, id); };
          case 'deleteBy':
            return async (index: string, value: string) => {
              const ids = await target.keysBy(index, value);
              const n = await call(index, value);
              for (const id of ids) del(t, id);
              return n;
            };
          default:
            return call;
        }
      },
    }));
  }
  const wrapped = new Proxy(store, { get: (target, key) => (typeof key === 'string' && tables.has(key) ? tables.get(key) : Reflect.get(target, key, target)) });
  return {
    store: wrapped,
    take() {
      const w = written;
      written = empty();
      return w;
    },
  };
}
