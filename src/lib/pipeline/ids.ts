/**
 * Ids of the records an experiment writes, derived from the experiment and the job that writes
 * them: a re-run job overwrites its own records instead of adding new ones, and a resumed run
 * finds what the first run wrote.
 */
import type { AttributionKey } from '../explain/attribution-cache';
import { attributionId } from '../store/records';

const enc = (s: string) => encodeURIComponent(s);

export const recordIds = {
  /** The run record of a single-task or transfer job. */
  run: (experimentId: string, jobId: string) => `${experimentId}::${jobId}`,
  /** The model a single-task job keeps (same id as its run: they are in different tables). */
  model: (experimentId: string, jobId: string) => `${experimentId}::${jobId}`,
  /** One document's conductance under one model and one setting (method, n_steps, target). */
  attribution: (key: AttributionKey) => attributionId(key.modelId, key.docId, key),
  features: (experimentId: string, source: string, target: string) => `${experimentId}::features::${enc(source)}/${enc(target)}`,
  /** One leave-one-target-out regressor: the feature set's job and the held-out target. */
  regressor: (experimentId: string, jobId: string, heldOutTarget: string) => `${experimentId}::${jobId}::${enc(heldOutTarget)}`,
  /** The feature set's regressor fitted on all transfer rows (no third part: no target can collide with it). */
  allRowsRegressor: (experimentId: string, jobId: string) => `${experimentId}::${jobId}`,
};
