/**
 * The finished demo experiment of the first visit (results/index.json, issue "the first five
 * minutes"): imported once per browser, so that Search, Transfer and Explain show a real run before
 * anything is trained. Once per browser, not on every start: a user who deletes it keeps it deleted.
 */
import type { Api } from './worker-client';

const IMPORTED_KEY = 'transferscope.bundledResultsImported';

/** Imports the bundled results the first time this browser opens the app; returns the ids imported. */
export async function importBundledResultsOnce(api: Api): Promise<string[]> {
  let done: string | null = null;
  try { done = localStorage.getItem(IMPORTED_KEY); } catch { /* storage disabled: import (it is skipped when already stored) */ }
  if (done) return [];
  const ids = await api.exchange.importBundledResults();
  try { localStorage.setItem(IMPORTED_KEY, new Date().toISOString()); } catch { /* next start tries again, and skips what is stored */ }
  return ids;
}
