/**
 * The cold start's second and third sources (issue 15): finished experiments already in the store —
 * the user's earlier runs, and the reference run the app imports on the first visit — as prior rows
 * for a recommendation. Each one's outputs (runs.csv, features.csv, summary.json) are read as a
 * `--prior` folder would be, so a recommendation in the app and `cli recommend --prior DIR` rest on
 * the same kind of rows.
 */
import { experimentOutputs } from './outputs';
import { priorFromFiles } from './recommend-prior';
import type { RecommendPrior } from './recommend-run';
import type { PipelineEnv } from './types';

/** How many stored experiments at most, the most recently updated first (each costs its findings: seconds on a large one). */
export const MAX_STORED_PRIORS = 4;

export interface StoredPriors {
  priors: RecommendPrior[];
  /** Finished experiments not used, with the reason (no transfers measured, unreadable…). */
  skipped: { id: string; name: string; reason: string }[];
}

/** The finished experiments of the store other than `exceptId`, as priors. */
export async function storedPriors(env: PipelineEnv, exceptId: string, limit = MAX_STORED_PRIORS): Promise<StoredPriors> {
  const done = (await env.store.experiments.list())
    .filter((r) => r.id !== exceptId && r.status === 'done')
    .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
  const out: StoredPriors = { priors: [], skipped: [] };
  for (const r of done) {
    if (out.priors.length >= limit) {
      out.skipped.push({ id: r.id, name: r.name, reason: `only the ${limit} most recent finished experiments are used` });
      continue;
    }
    try {
      const { files } = await experimentOutputs(env, r.id);
      out.priors.push(priorFromFiles({ runsCsv: files['runs.csv'], featuresCsv: files['features.csv'], summaryJson: files['summary.json'] }, `experiment "${r.name}"`));
    } catch (e) {
      out.skipped.push({ id: r.id, name: r.name, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}
