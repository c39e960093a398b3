/**
 * Deletes an experiment and everything it produced (runs, models with their bytes, attributions,
 * features, regressors), e.g. to free space after StorageFullError. The data set stays: other
 * experiments may use it. The experiment record goes last, so an interrupted deletion can simply
 * be repeated.
 */
import type { Store } from './store';

export interface DeletedCounts {
  runs: number;
  models: number;
  attributions: number;
  features: number;
  regressors: number;
  experiment: boolean;
}

export async function deleteExperiment(store: Store, experimentId: string): Promise<DeletedCounts> {
  const counts: DeletedCounts = {
    runs: await store.runs.deleteBy('experimentId', experimentId),
    models: await store.models.deleteBy('experimentId', experimentId),
    attributions: await store.attributions.deleteBy('experimentId', experimentId),
    features: await store.features.deleteBy('experimentId', experimentId),
    regressors: await store.regressors.deleteBy('experimentId', experimentId),
    experiment: (await store.experiments.get(experimentId)) !== undefined,
  };
  await store.experiments.delete(experimentId);
  return counts;
}
