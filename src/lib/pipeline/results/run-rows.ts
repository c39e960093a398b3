/** The runs an experiment has done so far (single-task and transfer), one plain row each, for a table. */
import type { Store } from '../../store/store';
import { jobIds } from '../plan';
import { trainSettingsOf } from '../stored-results';
import type { StoredExperiment } from './stored-experiment';

export interface RunRow {
  kind: 'single' | 'transfer';
  source?: string;
  task: string;
  lr: number;
  epochs: number;
  batch: number;
  f1: number;
  accuracy: number;
  wallTimeMs: number;
  examplesSeen: number;
  /** Single-task runs: whether its model is the task's best (the one transfers start from). */
  best?: boolean;
  backend?: string;
}

export async function runRows(store: Store, { record, plan }: StoredExperiment): Promise<RunRow[]> {
  const bestIds = new Set(plan.tasks.kept.map((t) => record.jobs[jobIds.best(t)]?.resultId));
  const rows: RunRow[] = [];
  for (const r of await store.runs.listBy('experimentId', record.id)) {
    const s = trainSettingsOf(r);
    rows.push({
      kind: r.kind, ...(r.sourceTask ? { source: r.sourceTask } : {}), task: r.task, lr: s.lr, epochs: s.epochs, batch: s.batch,
      f1: r.metrics.f1, accuracy: r.metrics.accuracy, wallTimeMs: r.wallTimeMs, examplesSeen: r.examplesSeen,
      ...(r.kind === 'single' ? { best: bestIds.has(r.modelId) } : {}), ...(r.backend ? { backend: r.backend } : {}),
    });
  }
  return rows;
}
