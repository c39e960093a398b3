/**
 * Reads an experiment's results back from the store in the analysis' shapes (search/types.ts):
 * single-task results from single runs, transfer rows from transfer runs joined with their pair
 * features. With `seeds` S > 1 a setting's S runs make ONE result or row (`bySetting`): the mean of
 * their test F1, validation F1, accuracy and wall time, so the choices (best setting), the
 * regressor's labels and the search's candidates are settings, as with one seed; the runs stay
 * listed (runs.csv) and their predictions give the intervals. Always in plan order, so every consumer (regressor jobs, the analysis, the exports)
 * sees the same rows in the same order, whichever process wrote them.
 */
import type { FeatureRecord, RunRecord } from '../store/records';
import type { Store } from '../store/store';
import type { SingleTaskResult, TrainSettings, TransferRow } from '../search/types';
import { recordIds } from './ids';
import { jobIds } from './plan';
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
    ...(typeof m.validationF1 === 'number' ? { validationF1: m.validationF1 } : {}),
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

/** The runs of one setting, seed index order; `key` is the id of its seed-0 job. */
export interface SettingRuns<J extends SingleJob | TransferJob> {
  key: string;
  runs: { job: J; run: RunRecord }[];
}

const settingKeyOf = (job: SingleJob | TransferJob) =>
  job.kind === 'single' ? jobIds.single(job.task, job.setting) : jobIds.transfer(job.source, job.target, job.setting);

/** Runs grouped by setting (the seeds of one setting together), in plan order of each setting's first run. */
export function bySetting<J extends SingleJob | TransferJob>(runs: readonly { job: J; run: RunRecord }[]): SettingRuns<J>[] {
  const groups = new Map<string, SettingRuns<J>>();
  for (const r of runs) {
    const key = settingKeyOf(r.job);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, runs: [] }));
    g.runs.push(r);
  }
  for (const g of groups.values()) g.runs.sort((a, b) => a.job.seedIndex - b.job.seedIndex);
  return [...groups.values()];
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The mean of a metric over a setting's runs; undefined where a run lacks it. */
function meanMetric(runs: readonly { run: RunRecord }[], name: string): number | undefined {
  const values = runs.map(({ run }) => run.metrics[name]);
  return values.every((v) => typeof v === 'number') ? mean(values as number[]) : undefined;
}

/** One setting's single-task result: the mean over its seeds (the seed-0 run's settings). */
export function settingSingleResult(g: SettingRuns<SingleJob>): SingleTaskResult {
  const first = singleResultOf(g.runs[0]!.run);
  if (g.runs.length === 1) return first;
  const validationF1 = meanMetric(g.runs, 'validationF1');
  return {
    ...first,
    f1: meanMetric(g.runs, 'f1')!,
    ...(validationF1 !== undefined ? { validationF1 } : {}),
    accuracy: meanMetric(g.runs, 'accuracy')!,
    precision: meanMetric(g.runs, 'precision')!,
    recall: meanMetric(g.runs, 'recall')!,
    wallTimeMs: mean(g.runs.map(({ run }) => run.wallTimeMs)),
    examplesSeen: mean(g.runs.map(({ run }) => run.examplesSeen)),
  };
}

/** Single-task results per setting (seeds averaged), plan order. */
export async function loadSingleResults(store: Store, experimentId: string, plan: JobPlan, task?: string): Promise<SingleTaskResult[]> {
  return bySetting(await loadSingleRuns(store, experimentId, plan, task)).map(settingSingleResult);
}

/** Transfer rows (plan order; one per setting, seeds averaged) with every stored pair feature. */
export async function loadTransferRows(store: Store, experimentId: string, plan: JobPlan): Promise<TransferRow[]> {
  const features = await loadPairFeatures(store, experimentId, plan);
  return bySetting(await loadTransferRuns(store, experimentId, plan)).map((g) => {
    const { job, run } = g.runs[0]!;
    const validationF1 = meanMetric(g.runs, 'validationF1');
    return {
      source: job.source,
      target: job.target,
      settings: trainSettingsOf(run),
      f1: meanMetric(g.runs, 'f1')!,
      ...(validationF1 !== undefined ? { validationF1 } : {}),
      accuracy: meanMetric(g.runs, 'accuracy')!,
      wallTimeMs: mean(g.runs.map((r) => r.run.wallTimeMs)),
      features: { ...features.get(recordIds.features(experimentId, job.source, job.target))!.values },
    };
  });
}
