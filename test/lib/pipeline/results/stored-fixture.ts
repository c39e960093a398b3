/**
 * A planned experiment in a folder store, with no job run: the tests of the result readers write
 * the records a run would have written (runs, features, attributions, regressors) with values they
 * choose, then check what the readers make of them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { folderSource } from '../../../../src/lib/bert/file-source.node.js';
import { createExperiment } from '../../../../src/lib/pipeline/experiment';
import { recordIds } from '../../../../src/lib/pipeline/ids';
import type { PreparedData } from '../../../../src/lib/pipeline/prepare';
import { readStoredExperiment, type StoredExperiment } from '../../../../src/lib/pipeline/results/stored-experiment';
import type { JobPlan, SingleJob, TransferJob } from '../../../../src/lib/pipeline/types';
import type { JobState, RunRecord } from '../../../../src/lib/store/records';
import type { Store } from '../../../../src/lib/store/store';
import { openFolderStore } from '../../../../src/lib/store/folder.node.js';
import { syntheticDataset } from '../synthetic';
import { runSettings } from '../../store/contract';

const FIXTURE = fileURLToPath(new URL('../../../../models/fixture-tiny/', import.meta.url));
export const EXPERIMENT_ID = 'e';

export interface PlannedExperiment {
  store: Store;
  jobs: JobPlan;
  prepared: PreparedData;
  /** The record as stored now (re-read after `setJobs`). */
  stored: () => Promise<StoredExperiment>;
  setJobs: (states: Record<string, JobState>) => Promise<void>;
  putRun: (job: SingleJob | TransferJob, f1: number, extra?: Partial<RunRecord>) => Promise<RunRecord>;
  dispose: () => Promise<void>;
}

export async function plannedExperiment(): Promise<PlannedExperiment> {
  const dir = mkdtempSync(join(tmpdir(), 'pipeline-results-'));
  const store = await openFolderStore(dir);
  await store.datasets.put({ id: 'syn', savedAt: 'now', dataset: syntheticDataset() });
  const spec = {
    dataset: { kind: 'stored', id: 'syn' }, model: { kind: 'folder', path: FIXTURE },
    grids: { single: { lr: [1e-3, 3e-3], epochs: [1], batch: [16] }, transfer: 'tiny' }, minPositives: { train: 5, test: 2 },
  };
  const { jobs, prepared } = await createExperiment({ store, modelSource: async () => folderSource(FIXTURE) }, spec, { id: EXPERIMENT_ID });
  return {
    store,
    jobs,
    prepared,
    stored: () => readStoredExperiment(store, EXPERIMENT_ID),
    setJobs: async (states) => {
      await store.experiments.update(EXPERIMENT_ID, (r) => (r ? { ...r, jobs: { ...r.jobs, ...states } } : r));
    },
    putRun: async (job, f1, extra = {}) => {
      const run: RunRecord = {
        id: recordIds.run(EXPERIMENT_ID, job.id), experimentId: EXPERIMENT_ID, kind: job.kind,
        task: job.kind === 'single' ? job.task : job.target, ...(job.kind === 'transfer' ? { sourceTask: job.source } : {}),
        base: 'fixture-tiny', modelId: recordIds.model(EXPERIMENT_ID, job.id),
        settings: { ...runSettings(job.setting.lr, job.setting.epochs, job.setting.batch), seed: job.seed },
        metrics: { f1, accuracy: 0.5 }, wallTimeMs: 10, examplesSeen: 96, createdAt: 'now', ...extra,
      };
      await store.runs.put(run);
      return run;
    },
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
