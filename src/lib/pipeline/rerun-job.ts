/**
 * Re-running one job of a stored experiment, and recovering from a corrupt record.
 *
 * - `rerunJob` (CLI `experiment --rerun JOB_ID`): discards the job's results and those of every job
 *   that depends on it, directly or not, and marks them all pending; the next run redoes exactly
 *   those. Records are deleted before the jobs are marked pending, so a kill in between leaves done
 *   jobs whose records are missing (reported by name, and re-runnable), never a stale cache used as
 *   if it were fresh.
 * - `markCorruptForRerun`: a record failed its checksum (store/errors.ts CorruptRecordError). The
 *   job that wrote it, and the jobs depending on it, become pending; the corrupt record is deleted
 *   (it cannot be trusted, and a cached attribution would otherwise be read again). Running the same
 *   command again redoes those jobs and nothing else.
 *
 * Which records a job owns follows the ids of ids.ts: runs and models `${experiment}::${jobId}`,
 * features `${experiment}::features::…`, regressors `${experiment}::${jobId}[::target]`, and the
 * attributions of a task's best model (the conductance job's cache).
 */
import { corruptRecordIn, type CorruptRecordError } from '../store/errors';
import type { JobState } from '../store/records';
import type { Store } from '../store/store';
import { openExperiment } from './experiment';
import type { PipelineEnv } from './types';
import { recordIds } from './ids';
import { jobIds } from './plan';
import type { Job, JobPlan } from './types';

/** The job id does not name a job of the experiment (a usage error for the CLI). */
export class RerunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RerunError';
  }
}

/** `jobId` and every job that depends on it, directly or through others, in plan order. */
export function dependentsOf(plan: JobPlan, jobId: string): string[] {
  const hit = new Set([jobId]);
  // The plan lists every job after its dependencies, so one pass in order closes the set.
  for (const j of plan.jobs) if (j.deps.some((d) => hit.has(d))) hit.add(j.id);
  return plan.jobs.filter((j) => hit.has(j.id)).map((j) => j.id);
}

/** The best model of a task, when its `best` job is done. */
const bestModelOf = (states: Record<string, JobState>, task: string) => {
  const s = states[jobIds.best(task)];
  return s?.status === 'done' ? s.resultId : undefined;
};

/** Deletes the records `job` wrote (see the module comment). The analysis job's result is in the experiment record. */
async function deleteRecordsOf(store: Store, experimentId: string, job: Job, states: Record<string, JobState>): Promise<void> {
  switch (job.kind) {
    case 'single': {
      const modelId = recordIds.model(experimentId, job.id);
      await store.runs.delete(recordIds.run(experimentId, job.id));
      await store.models.delete(modelId);
      // Attributions are cached by model id: a re-made model must not meet its predecessor's.
      await store.attributions.deleteBy('modelId', modelId);
      return;
    }
    case 'conductance': {
      const modelId = bestModelOf(states, job.task);
      if (modelId) await store.attributions.deleteBy('modelId', modelId);
      return;
    }
    case 'features':
      await store.features.deleteBy('experimentId', experimentId);
      return;
    case 'transfer':
      await store.runs.delete(recordIds.run(experimentId, job.id));
      return;
    case 'regressor': {
      const own = recordIds.allRowsRegressor(experimentId, job.id);
      for (const id of await store.regressors.keysBy('experimentId', experimentId)) {
        if (id === own || id.startsWith(`${own}::`)) await store.regressors.delete(id);
      }
      return;
    }
    case 'best':
    case 'analysis':
      return; // best: its result is a single job's model; analysis: the experiment record (cleared below)
  }
}

/** Marks jobs pending in the experiment record (one atomic update), dropping the analysis when it is among them. */
async function markPending(store: Store, experimentId: string, ids: readonly string[]): Promise<void> {
  const drop = new Set(ids);
  await store.experiments.update(experimentId, (r) => {
    if (!r) return undefined;
    const jobs = Object.fromEntries(Object.entries(r.jobs).filter(([id]) => !drop.has(id)));
    const next = { ...r, jobs, status: 'paused', updatedAt: new Date().toISOString() };
    if (drop.has(jobIds.analysis())) delete next.analysis;
    return next;
  });
}

export interface RerunResult {
  /** The job asked for and everything depending on it, in plan order. */
  discarded: string[];
}

/** Discards one job's results and everything that depends on it; the next run redoes them. */
export async function rerunJob(env: PipelineEnv, experimentId: string, jobId: string): Promise<RerunResult> {
  const opened = await openExperiment(env, experimentId);
  const plan = opened.jobs;
  if (!plan.jobs.some((j) => j.id === jobId)) {
    const [kind] = jobId.split('/');
    const alike = plan.jobs.filter((j) => j.kind === kind).map((j) => j.id);
    const examples = (alike.length ? alike : plan.jobs.map((j) => j.id)).slice(0, 6);
    throw new RerunError(`experiment "${experimentId}" has no job "${jobId}"; its jobs include: ${examples.join(', ')}${plan.jobs.length > examples.length ? ', …' : ''}`);
  }
  const ids = dependentsOf(plan, jobId);
  const states = { ...opened.record.jobs };
  for (const id of ids) await deleteRecordsOf(env.store, experimentId, plan.jobs.find((j) => j.id === id)!, states);
  await markPending(env.store, experimentId, ids);
  return { discarded: ids };
}

/** The job that writes the record at `place`, or undefined (the experiment or data set record itself, or an unknown id). */
export function producerOf(experimentId: string, plan: JobPlan, states: Record<string, JobState>, place: CorruptRecordError['place']): string | undefined {
  const id = place.id;
  if (id === undefined) return undefined;
  const prefix = `${experimentId}::`;
  const inPlan = (jobId: string) => (plan.jobs.some((j) => j.id === jobId) ? jobId : undefined);
  switch (place.table) {
    case 'runs':
    case 'models':
    case 'modelFiles':
      return id.startsWith(prefix) ? inPlan(id.slice(prefix.length)) : undefined;
    case 'features':
      return id.startsWith(`${prefix}features::`) ? jobIds.features() : undefined;
    case 'regressors':
      return id.startsWith(prefix) ? inPlan(id.slice(prefix.length).split('::')[0]) : undefined;
    case 'attributions':
      for (const j of plan.jobs) {
        if (j.kind !== 'conductance') continue;
        const modelId = bestModelOf(states, j.task);
        if (modelId !== undefined && id.startsWith(`${modelId}::`)) return j.id;
      }
      return undefined;
    default:
      return undefined;
  }
}

/**
 * Marks the job that wrote a corrupt record (and its dependents) for a re-run and deletes the
 * record; sets `err.rerun`. Returns the jobs marked, or undefined when no job wrote the record.
 */
export async function markCorruptForRerun(env: PipelineEnv, experimentId: string, err: CorruptRecordError): Promise<string[] | undefined> {
  const record = await env.store.experiments.get(experimentId);
  if (!record) return undefined;
  const opened = await openExperiment(env, experimentId);
  const producer = producerOf(experimentId, opened.jobs, record.jobs, err.place);
  if (producer === undefined) return undefined;
  const table = err.place.table === 'modelFiles' ? 'models' : (err.place.table as 'runs' | 'models' | 'features' | 'regressors' | 'attributions');
  await env.store[table].delete(err.place.id!);
  const job = opened.jobs.jobs.find((j) => j.id === producer)!;
  if (job.kind === 'single') {
    // Its model will be made again: drop what was computed from the old one.
    await env.store.attributions.deleteBy('modelId', recordIds.model(experimentId, job.id)).catch(() => 0);
  }
  const ids = dependentsOf(opened.jobs, producer);
  await markPending(env.store, experimentId, ids);
  err.rerun = ids;
  return ids;
}

/**
 * Runs `read` (e.g. the outputs, which read every result); a corrupt record it meets is handled by
 * `markCorruptForRerun` and the error rethrown with its `rerun` list set.
 */
export async function withCorruptionRecovery<T>(env: PipelineEnv, experimentId: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    const corrupt = corruptRecordIn(e);
    if (corrupt && corrupt.rerun === undefined) await markCorruptForRerun(env, experimentId, corrupt);
    throw e;
  }
}

/** What to tell a user after a failed run: which jobs will be redone, and how. */
export function rerunAdvice(e: unknown): string {
  const corrupt = corruptRecordIn(e);
  if (corrupt?.rerun?.length) {
    const [first, ...rest] = corrupt.rerun;
    return `job ${first} (which wrote it)${rest.length ? ` and the ${rest.length} job${rest.length === 1 ? '' : 's'} depending on it` : ''} ` +
      `${rest.length ? 'are' : 'is'} marked for a re-run; run the same command again to redo ${rest.length ? 'them' : 'it'} (the other results are kept)`;
  }
  if (corrupt) return 'no job of this experiment wrote that record; restore it from a copy, or start the experiment in a new folder';
  return 'run the same command again to retry it';
}
