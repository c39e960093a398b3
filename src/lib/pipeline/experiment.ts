/**
 * An experiment in the store: its record (spec, what was prepared, the state of every job) and the
 * checks that make resuming safe. The record's `plan` field holds an `ExperimentPlan` (below); its
 * `jobs` field holds the state of every job that finished or failed (a job with no entry is
 * pending), so each job's completion is one small atomic update of this record, written only after
 * the job's own records; its `analysis` field holds the analysis job's result.
 *
 * The job list itself is not stored: it is a pure function of the spec and the kept tasks
 * (`planJobs`), recomputed on every start after checking that the data set and the base model are
 * the ones the experiment started with.
 */
import { parseBertConfig } from '../bert/config';
import type { FileSource } from '../bert/file-source';
import type { Dataset } from '../data/schema';
import { datasetFingerprint } from '../data/fingerprint';
import { validateDataset } from '../data/validate';
import type { ExperimentRecord } from '../store/records';
import type { Store } from '../store/store';
import { bytesHash } from '../util/hash';
import { countJobs, planJobs } from './plan';
import { prepareData, type PreparedData } from './prepare';
import { canonicalJson, resolveSpec, resolveSpecFor, specDifferences, upgradeStoredSpec, type ExperimentSpec } from './spec';
import { maxLengthFor } from './spec-options';
import { EXPERIMENT_FORMAT, type BaseModelInfo, type ExperimentPlan, type ExperimentStatus, type JobPlan, type PipelineEnv } from './types';

export class ExperimentMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExperimentMismatchError';
  }
}

export const DEMO_DATASET_PREFIX = 'demo:';

export function datasetIdOf(spec: ExperimentSpec): string {
  return spec.dataset.kind === 'stored' ? spec.dataset.id : DEMO_DATASET_PREFIX + spec.dataset.name;
}

/** The spec's data set; a demo is stored on first use (as the app's data view does). */
export async function loadSpecDataset(env: PipelineEnv, spec: ExperimentSpec): Promise<{ id: string; dataset: Dataset }> {
  const id = datasetIdOf(spec);
  const stored = await env.store.datasets.get(id);
  if (stored) return { id, dataset: stored.dataset };
  if (spec.dataset.kind === 'stored') throw new Error(`data set "${id}" is not in the store (${env.store.location})`);
  if (!env.loadDemo) throw new Error(`demo data set "${spec.dataset.name}": this environment cannot load demo data`);
  const dataset = await env.loadDemo(spec.dataset.name);
  validateDataset(dataset, `demo data set ${spec.dataset.name}`);
  await env.store.datasets.put({ id, savedAt: new Date().toISOString(), dataset });
  return { id, dataset };
}

/** Reads config.json and the weights once, to describe and fingerprint the base model. */
export async function describeBaseModel(source: FileSource, spec: ExperimentSpec): Promise<BaseModelInfo> {
  const configBytes = await source.readFile('config.json');
  const weights = await source.readFile('model.safetensors');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(configBytes));
  } catch (e) {
    throw new Error(`${source.description}/config.json is not valid JSON: ${(e as Error).message}`);
  }
  const config = parseBertConfig(json, `${source.description}/config.json`);
  const limit = config.max_position_embeddings;
  if (spec.maxLength !== null && spec.maxLength > limit) {
    throw new Error(`spec.maxLength ${spec.maxLength} exceeds the base model's max_position_embeddings (${limit}, ${source.description})`);
  }
  return {
    description: source.description,
    fingerprint: bytesHash(configBytes, weights),
    layers: config.num_hidden_layers,
    hidden: config.hidden_size,
    vocab: config.vocab_size,
    maxLength: maxLengthFor(spec.maxLength, limit),
  };
}

export function experimentPlanOf(record: ExperimentRecord): ExperimentPlan {
  const p = record.plan as ExperimentPlan | undefined;
  if (!p || p.format !== EXPERIMENT_FORMAT) throw new Error(`experiment "${record.id}" was not written by the pipeline (no ${EXPERIMENT_FORMAT} plan)`);
  if (p.version !== 1) throw new Error(`experiment "${record.id}" has plan version ${p.version}; this version understands 1`);
  // A spec stored before split.by, split.validationFraction and seeds existed, filled as it ran.
  const spec = upgradeStoredSpec(p.spec);
  return spec === p.spec ? p : { ...p, spec };
}

export interface OpenedExperiment {
  record: ExperimentRecord;
  plan: ExperimentPlan;
  prepared: PreparedData;
  jobs: JobPlan;
  /** True when the record existed before this call. */
  existed: boolean;
}

/**
 * Creates the experiment record for a spec, or opens the existing one with the same id after
 * checking it is the same experiment: same spec, same data set content, same base model. Anything
 * else is an ExperimentMismatchError that says what differs.
 */
export async function createExperiment(env: PipelineEnv, specInput: unknown, options: { id: string }): Promise<OpenedExperiment> {
  const spec = resolveSpec(specInput);
  const existing = await env.store.experiments.get(options.id);
  if (existing) {
    const plan = experimentPlanOf(existing);
    const asked = resolveSpecFor(plan.spec, specInput);
    if (canonicalJson(plan.spec) !== canonicalJson(asked)) {
      throw new ExperimentMismatchError(
        `experiment "${options.id}" (${env.store.location}) was started with a different spec; ` +
          `differences: ${specDifferences(plan.spec, asked).join('; ')}. Use another output/experiment, or the same settings to resume.`,
      );
    }
    return { ...(await openExperiment(env, options.id)), existed: true };
  }
  const { id: datasetId, dataset } = await loadSpecDataset(env, spec);
  const prepared = prepareData(dataset, spec);
  const model = await describeBaseModel(await env.modelSource(spec.model, env.store), spec);
  const jobs = planJobs(spec, prepared.tasks);
  const counts = countJobs(jobs);
  const now = new Date().toISOString();
  const plan: ExperimentPlan = {
    format: EXPERIMENT_FORMAT,
    version: 1,
    spec,
    dataset: {
      id: datasetId,
      name: dataset.name,
      fingerprint: prepared.fingerprint,
      splitFingerprint: prepared.splitFingerprint,
      docs: dataset.docs.length,
      trainDocs: dataset.docs.length - prepared.testDocs.length,
      validationDocs: prepared.validationDocs.length,
      testDocs: prepared.testDocs.length,
      conductanceDocs: prepared.conductanceDocs.length,
    },
    model,
    tasks: { kept: prepared.tasks, excluded: prepared.selection.excluded },
    pairs: jobs.pairs.length,
    jobCounts: { ...counts, total: jobs.jobs.length },
    notes: [...prepared.notes, ...jobs.notes],
  };
  const record: ExperimentRecord = {
    id: options.id, name: spec.name, datasetId, plan, jobs: {}, status: 'planned' satisfies ExperimentStatus, createdAt: now, updatedAt: now,
  };
  await env.store.experiments.put(record);
  return { record, plan, prepared, jobs, existed: false };
}

/**
 * Opens a stored experiment for running: re-prepares its data and re-plans its jobs, after checking
 * that the stored data set has the content the experiment started with.
 */
export async function openExperiment(env: PipelineEnv, id: string): Promise<OpenedExperiment> {
  const record = await env.store.experiments.get(id);
  if (!record) throw new Error(`experiment "${id}" is not in the store (${env.store.location})`);
  const plan = experimentPlanOf(record);
  const stored = await env.store.datasets.get(plan.dataset.id);
  if (!stored) throw new ExperimentMismatchError(`experiment "${id}": its data set "${plan.dataset.id}" is no longer in the store`);
  const fingerprint = datasetFingerprint(stored.dataset);
  if (fingerprint !== plan.dataset.fingerprint) {
    throw new ExperimentMismatchError(
      `experiment "${id}": data set "${plan.dataset.id}" changed since the experiment started (fingerprint ${plan.dataset.fingerprint}, now ${fingerprint}); ` +
        'results would mix two data sets. Start a new experiment for the new data.',
    );
  }
  const prepared = prepareData(stored.dataset, plan.spec);
  if (prepared.splitFingerprint !== plan.dataset.splitFingerprint || canonicalJson(prepared.tasks) !== canonicalJson(plan.tasks.kept)) {
    throw new ExperimentMismatchError(`experiment "${id}": the same data and spec now give a different split or task selection (was this experiment started by another version?)`);
  }
  return { record, plan, prepared, jobs: planJobs(plan.spec, prepared.tasks), existed: true };
}

/** Stores a new data set under an id, or checks that the one stored there has the same content. */
export async function putOrCheckDataset(store: Store, id: string, dataset: Dataset): Promise<'stored' | 'same'> {
  const existing = await store.datasets.get(id);
  if (existing) {
    const a = datasetFingerprint(existing.dataset);
    const b = datasetFingerprint(dataset);
    if (a !== b) {
      throw new ExperimentMismatchError(`data set "${id}" in ${store.location} has other content than the data given now (fingerprint ${a}, given ${b}): the input changed since this experiment started`);
    }
    return 'same';
  }
  await store.datasets.put({ id, savedAt: new Date().toISOString(), dataset });
  return 'stored';
}
