/**
 * Reads an experiment's results back from the store in the analysis' shapes (search/types.ts):
 * single-task results from single runs, transfer rows from transfer runs joined with their pair
 * features. Always in plan order, so every consumer (regressor jobs, the analysis, the exports)
 * sees the same rows in the same order, whichever process wrote them.
 */
import type { FeatureRecord, RunRecord } from '../store/records';
import type { Store } from '../store/store';
import type { SingleTaskResult, TrainSettings, TransferRow } from '../search/types';
import { recordIds } from './ids';
import type { JobPlan, SingleJob, TransferJob } from './types';

export function trainSettingsOf(run: RunRecord): TrainSettings {
  const s = run.settings;
  return { lr: Number(s.lr), epochs: Number(s.epochs), batch: Number(s.batch), seed: Number(s.seed) };
}

export function singleResultOf(run: RunRecord): SingleTaskResult {
  const m = run.metrics;
  return {
    task: run.task,
    settings: trainSettingsOf(run),
    f1: m.f1,
    accuracy: m.accuracy,
    precision: m.precision,
    recall: m.recall,
    wallTimeMs: run.wallTimeMs,
    examplesSeen: run.examplesSeen,
  };
}

async function requireRun(store: Store, experimentId: string, jobId: string): Promise<RunRecord> {
  const run = await store.runs.get(recordIds.run(experimentId, jobId));
  if (!run) throw new Error(`the run of job "${jobId}" is missing from the store (${store.location}); re-run that job`);
  return run;
}

export async function loadSingleRuns(store: Store, experimentId: string, plan: JobPlan, task?: string): Promise<{ job: SingleJob; run: RunRecord }[]> {
  const jobs = plan.jobs.filter((j): j is SingleJob => j.kind === 'single' && (task === undefined || j.task === task));
  const out: { job: SingleJob; run: RunRecord }[] = [];
  for (const job of jobs) out.push({ job, run: await requireRun(store, experimentId, job.id) });
  return out;
}

export async function loadTransferRuns(store: Store, experimentId: string, plan: JobPlan): Promise<{ job: TransferJob; run: RunRecord }[]> {
  const out: { job: TransferJob; run: RunRecord }[] = [];
  for (const job of plan.jobs) if (job.kind === 'transfer') out.push({ job, run: await requireRun(store, experimentId, job.id) });
  return out;
}

export async function loadPairFeatures(store: Store, experimentId: string, plan: JobPlan): Promise<Map<string, FeatureRecord>> {
  const out = new Map<string, FeatureRecord>();
  for (const [source, target] of plan.pairs) {
    const id = recordIds.features(experimentId, source, target);
    const rec = await store.features.get(id);
    if (!rec) throw new Error(`the features of pair ${source} → ${target} are missing from the store; re-run the "features" job`);
    out.set(id, rec);
  }
  return out;
}

/** Transfer rows (plan order) with every stored pair feature. */
export async function loadTransferRows(store: Store, experimentId: string, plan: JobPlan): Promise<TransferRow[]> {
  const features = await loadPairFeatures(store, experimentId, plan);
  return (await loadTransferRuns(store, experimentId, plan)).map(({ job, run }) => ({
    source: job.source,
    target: job.target,
    settings: trainSettingsOf(run),
    f1: run.metrics.f1,
    accuracy: run.metrics.accuracy,
    wallTimeMs: run.wallTimeMs,
    features: { ...features.get(recordIds.features(experimentId, job.source, job.target))!.values },
  }));
}
