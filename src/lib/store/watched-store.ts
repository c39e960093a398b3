/**
 * The coordinator's store as it serves a lane (a worker thread, a Web Worker): the same calls, but
 * a corrupt record met by a lane's call is reported to `onCorrupt`, because its error class does not
 * survive the thread boundary; the executor then fails the job with it as its cause, so that the
 * runner marks the record's writer for a re-run.
 */
import { corruptRecordIn } from './errors';
import type { Store } from './store';

export function watchedStore(store: Store, onCorrupt: (e: unknown) => void): Store {
  const wrap = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(t, key) {
        const v = Reflect.get(t, key, t);
        if (typeof v === 'function') {
          return (...args: unknown[]) =>
            Promise.resolve()
              .then(() => (v as (...a: unknown[]) => unknown).apply(t, args))
              .catch((e: unknown) => { if (corruptRecordIn(e)) onCorrupt(e); throw e; });
        }
        return v !== null && typeof v === 'object' ? wrap(v as object) : v;
      },
    });
  return wrap(store);
}
