/** An experiment's record and plan, read from the store, with a message a person can act on when it is gone. */
import type { ExperimentRecord } from '../../store/records';
import type { Store } from '../../store/store';
import { experimentPlanOf } from '../experiment';
import type { ExperimentPlan } from '../types';

export interface StoredExperiment {
  record: ExperimentRecord;
  plan: ExperimentPlan;
}

export async function readStoredExperiment(store: Store, id: string): Promise<StoredExperiment> {
  const record = await store.experiments.get(id);
  if (!record) throw new Error(`experiment "${id}" is not stored here (deleted, or the link comes from another browser)`);
  return { record, plan: experimentPlanOf(record) };
}
