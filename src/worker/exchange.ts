/**
 * Files in and out: an experiment's tables (CSV and JSON), a zip of the whole experiment that this
 * app (in another browser) can import again, a trained model as a Hugging Face folder (zip), and a
 * regressor in XGBoost's JSON format.
 *
 * The experiment zip holds the human-readable tables (runs.csv, features.csv, table1.csv, …,
 * summary.json and their .json twins) and, under `transferscope/`, the store records that rebuild
 * the experiment: its record (spec, plan, job states, analysis), its data set, runs, pair features,
 * regressors and, optionally, the conductance of every explained document and the best models.
 * Importing checks every file before writing anything; if a write fails half-way (storage full),
 * what was written is removed again, so a failed import changes nothing.
 */
import * as Comlink from 'comlink';
import { unzipSync, zipSync, strToU8, strFromU8 } from 'fflate';
import { parseBertConfig, serializeBertConfig } from '../lib/bert/config';
import { readOptional } from '../lib/bert/file-source';
import { TOKENIZER_FILES } from '../lib/bert/tokenizer';
import { datasetFingerprint } from '../lib/data/fingerprint';
import { validateDataset } from '../lib/data/validate';
import { fromXgboostJson } from '../lib/gbdt/xgboost-json';
import { experimentPlanOf } from '../lib/pipeline/experiment';
import { buildExperimentZip, decodeTyped, withJsonTwins, EXPORT_DIR, EXPORT_FORMAT, type ExperimentZipOptions } from '../lib/pipeline/experiment-zip';
import { experimentOutputs } from '../lib/pipeline/outputs';
import type { BundledResultEntry } from '../lib/pipeline/app-index';
import { EXPERIMENT_FORMAT, type ExperimentPlan, type ModelSourceResolver } from '../lib/pipeline/types';
import { jobIds } from '../lib/pipeline/plan';
import { deleteExperiment } from '../lib/store/delete-experiment';
import { StorageFullError } from '../lib/store/errors';
import type {
  AttributionRecord, DatasetRecord, ExperimentRecord, FeatureRecord, ModelFiles, ModelRecord, RegressorRecord, RunRecord,
} from '../lib/store/records';
import { upgradeRecord } from '../lib/store/schema';
import type { Store } from '../lib/store/store';
import type { ExperimentService } from './experiments';
import type { ExportFile, RegressorChoice } from './protocol';

const DIR = EXPORT_DIR;

export class ImportProblem extends Error {
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'ImportProblem';
  }
}

export class ExchangeService {
  constructor(
    private readonly store: () => Promise<Store>,
    private readonly experiments: Pick<ExperimentService, 'env'>,
    /** Where base models' files are (for the tokenizer files a trained model shares with its base). */
    private readonly modelSource: ModelSourceResolver,
    /** The app's base URL, where results/index.json lists the bundled results; none in tests that do not need them. */
    private readonly appBase?: string,
  ) {}

  /** results/index.json: the finished experiments this deployment ships (an empty list where it ships none). */
  async bundledResults(): Promise<BundledResultEntry[]> {
    if (!this.appBase) return [];
    const url = new URL('results/index.json', this.appBase);
    const res = await fetch(url);
    // A deployment without results/ answers 404, or (a dev server's page fallback) with HTML.
    if (res.status === 404 || !(res.headers.get('content-type') ?? '').includes('json')) return [];
    if (!res.ok) throw new Error(`${url.pathname}: HTTP ${res.status}`);
    return (await res.json()) as BundledResultEntry[];
  }

  /**
   * Imports every bundled result not stored yet (its demo data set must be stored: ensureDemo
   * first). Returns the ids it imported. The page calls it once per browser, so a bundled result
   * the user deleted stays deleted.
   */
  async importBundledResults(): Promise<string[]> {
    const store = await this.store();
    const imported: string[] = [];
    for (const entry of await this.bundledResults()) {
      if (await store.experiments.get(entry.id)) continue;
      const url = new URL(`results/${entry.path}`, this.appBase);
      const res = await fetch(url);
      if (!res.ok) throw new Error(`the bundled result ${url.pathname}: HTTP ${res.status}`);
      const { id } = await this.importZip(new Uint8Array(await res.arrayBuffer()), entry.path);
      imported.push(id);
    }
    return imported;
  }

  /** The finished experiment's tables: CSV and JSON for each, plus summary.json. */
  async tables(id: string): Promise<ExportFile[]> {
    const { files } = await experimentOutputs(await this.experiments.env(), id);
    return withJsonTwins(files).map(([name, text]) => ({ name, text }));
  }

  /** Everything needed to import the experiment elsewhere, as one zip (handed to the page without a copy). */
  async experimentZip(id: string, options: ExperimentZipOptions): Promise<Uint8Array> {
    const zip = await this.buildExperimentZip(id, options);
    return Comlink.transfer(zip, [zip.buffer as ArrayBuffer]);
  }

  private async buildExperimentZip(id: string, options: ExperimentZipOptions): Promise<Uint8Array> {
    const store = await this.store();
    const record = await store.experiments.get(id);
    if (!record) throw new Error(`experiment "${id}" is not stored in this browser`);
    const tables = record.status === 'done' ? (await experimentOutputs(await this.experiments.env(), id)).files : null;
    return buildExperimentZip(store, id, tables, options);
  }

  /**
   * Imports an experiment zip. Every file is checked first; nothing is written unless all are
   * well-formed, and a failed write removes what the import wrote.
   */
  /** Imports an experiment zip the page picked; a problem is returned (not thrown) with what to do. */
  async importFile(file: Blob, name: string): Promise<{ ok: true; id: string; name: string } | { ok: false; error: string; storageFull?: boolean }> {
    try {
      return { ok: true, ...(await this.importZip(new Uint8Array(await file.arrayBuffer()), name)) };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e), ...(e instanceof StorageFullError ? { storageFull: true } : {}) };
    }
  }

  async importZip(bytes: Uint8Array, fileName: string): Promise<{ id: string; name: string }> {
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(bytes);
    } catch (e) {
      throw new ImportProblem(fileName, `not a zip file (${e instanceof Error ? e.message : String(e)})`);
    }
    const read = <T>(name: string, optional = false): T | undefined => {
      const b = entries[DIR + name];
      if (!b) {
        if (optional) return undefined;
        throw new ImportProblem(fileName, `${DIR}${name} is missing; is this a TransferScope experiment export?`);
      }
      try {
        return JSON.parse(strFromU8(b), decodeTyped) as T;
      } catch (e) {
        throw new ImportProblem(`${fileName}/${DIR}${name}`, `not valid JSON (${e instanceof Error ? e.message : String(e)})`);
      }
    };
    const manifest = read<{ format?: string; version?: number; experimentId?: string }>('manifest.json')!;
    if (manifest.format !== EXPORT_FORMAT) throw new ImportProblem(`${fileName}/${DIR}manifest.json`, `format is ${JSON.stringify(manifest.format)}, expected "${EXPORT_FORMAT}"`);
    if (manifest.version !== 1) throw new ImportProblem(`${fileName}/${DIR}manifest.json`, `version ${String(manifest.version)} is not supported (this app reads version 1)`);

    const stored = read<ExperimentRecord>('experiment.json')!;
    const where = (f: string) => `${fileName}/${DIR}${f}`;
    if (!stored || typeof stored.id !== 'string' || stored.id !== manifest.experimentId) {
      throw new ImportProblem(where('experiment.json'), 'the experiment record has no id, or not the one the manifest names');
    }
    // An export keeps the records as the store held them: bring older ones to the current shape.
    const record = upgradeRecord('experiments', stored);
    let plan: ExperimentPlan;
    try {
      plan = experimentPlanOf(record);
    } catch (e) {
      throw new ImportProblem(where('experiment.json'), e instanceof Error ? e.message : String(e));
    }
    if (typeof record.jobs !== 'object' || record.jobs === null) throw new ImportProblem(where('experiment.json'), 'field "jobs" must be an object of job states');
    if (plan.format !== EXPERIMENT_FORMAT) throw new ImportProblem(where('experiment.json'), 'not a pipeline experiment');

    // The data set may be left out of a zip (the bundled demo result): then it must be stored here.
    const dataset = read<DatasetRecord>('dataset.json', true);
    if (dataset !== undefined) {
      if (!dataset || dataset.id !== plan.dataset.id) throw new ImportProblem(where('dataset.json'), `expected the data set "${plan.dataset.id}" the experiment names`);
      try {
        validateDataset(dataset.dataset, where('dataset.json'));
      } catch (e) {
        throw new ImportProblem(where('dataset.json'), e instanceof Error ? e.message : String(e));
      }
      if (datasetFingerprint(dataset.dataset) !== plan.dataset.fingerprint) {
        throw new ImportProblem(where('dataset.json'), 'its content does not match the fingerprint the experiment recorded (the file was changed)');
      }
    }
    const list = <T extends { id: string; experimentId?: string }>(name: string, optional = false): T[] => {
      const v = read<T[]>(name, optional);
      if (v === undefined) return [];
      if (!Array.isArray(v)) throw new ImportProblem(where(name), 'expected a JSON array of records');
      v.forEach((r, i) => {
        if (!r || typeof r.id !== 'string' || r.id === '') throw new ImportProblem(where(name), `record ${i} has no id`);
        if (r.experimentId !== record.id) throw new ImportProblem(where(name), `record ${i} ("${r.id}") belongs to experiment "${String(r.experimentId)}", not "${record.id}"`);
      });
      return v;
    };
    const runs = list<RunRecord>('runs.json');
    runs.forEach((r, i) => {
      if (r.kind !== 'single' && r.kind !== 'transfer') throw new ImportProblem(where('runs.json'), `record ${i}: kind must be "single" or "transfer"`);
      if (typeof r.metrics?.f1 !== 'number' || typeof r.wallTimeMs !== 'number') throw new ImportProblem(where('runs.json'), `record ${i}: needs metrics.f1 and wallTimeMs numbers`);
    });
    const features = list<FeatureRecord>('features.json');
    features.forEach((f, i) => {
      if (typeof f.values !== 'object' || f.values === null) throw new ImportProblem(where('features.json'), `record ${i}: field "values" must be an object`);
    });
    const regressors = list<RegressorRecord>('regressors.json');
    regressors.forEach((r, i) => {
      try {
        fromXgboostJson(r.model);
      } catch (e) {
        throw new ImportProblem(where('regressors.json'), `record ${i}: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
    const attributions = list<AttributionRecord & { experimentId: string }>('attributions.json', true).map((r) => upgradeRecord('attributions', r));
    const models = list<ModelRecord>('models.json', true);
    const modelFiles = new Map<string, ModelFiles>();
    for (const m of models) {
      const b = entries[`${DIR}models/${encodeURIComponent(m.id)}.safetensors`];
      if (!b) throw new ImportProblem(fileName, `the weights of model "${m.id}" (${DIR}models/…safetensors) are missing`);
      try {
        parseBertConfig(m.config, where('models.json'));
      } catch (e) {
        throw new ImportProblem(where('models.json'), e instanceof Error ? e.message : String(e));
      }
      modelFiles.set(m.id, { safetensors: b });
    }
    if (record.jobs[jobIds.analysis()]?.status === 'done' && !record.analysis) {
      throw new ImportProblem(where('experiment.json'), 'the analysis job is marked done but the analysis is missing');
    }

    const store = await this.store();
    if (await store.experiments.get(record.id)) {
      throw new ImportProblem(fileName, `this browser already has the experiment "${record.name}" (${record.id}); delete it first to import it again`);
    }
    const existingDataset = await store.datasets.get(plan.dataset.id);
    if (existingDataset && datasetFingerprint(existingDataset.dataset) !== plan.dataset.fingerprint) {
      throw new ImportProblem(fileName, `this browser has another data set under the id "${plan.dataset.id}"; delete it first`);
    }
    if (!existingDataset && !dataset) {
      throw new ImportProblem(fileName, `the zip leaves out its data set "${plan.dataset.id}" (fingerprint ${plan.dataset.fingerprint}), and this browser does not have it: import the data set first`);
    }
    try {
      if (!existingDataset) await store.datasets.put(dataset!);
      await store.runs.putMany(runs);
      await store.features.putMany(features);
      await store.regressors.putMany(regressors);
      for (let i = 0; i < attributions.length; i += 500) await store.attributions.putMany(attributions.slice(i, i + 500));
      for (const m of models) await store.models.putWithFiles(m, modelFiles.get(m.id)!);
      // Last: until the experiment record exists, nothing of the import is listed anywhere.
      await store.experiments.put({ ...record, status: record.status === 'running' ? 'paused' : record.status, updatedAt: new Date().toISOString() });
    } catch (e) {
      await deleteExperiment(store, record.id).catch(() => undefined);
      if (!existingDataset) await store.datasets.delete(plan.dataset.id).catch(() => undefined);
      throw e;
    }
    return { id: record.id, name: record.name };
  }

  /** A stored model as a Hugging Face folder (zip): config.json, model.safetensors, tokenizer files. */
  /** A trained model as a Hugging Face folder in a zip (handed to the page without a copy). */
  async modelZip(experimentId: string, modelId: string): Promise<Uint8Array> {
    const zip = await this.buildModelZip(experimentId, modelId);
    return Comlink.transfer(zip, [zip.buffer as ArrayBuffer]);
  }

  private async buildModelZip(experimentId: string, modelId: string): Promise<Uint8Array> {
    const store = await this.store();
    const [record, files] = await Promise.all([store.models.get(modelId), store.models.getFiles(modelId)]);
    if (!record || !files) throw new Error(`model "${modelId}" is not stored in this browser`);
    const out: Record<string, Uint8Array> = {
      'config.json': strToU8(serializeBertConfig(parseBertConfig(record.config, `stored model ${modelId}`))),
      'model.safetensors': files.safetensors,
    };
    for (const [name, bytes] of Object.entries(files.files ?? {})) if (name !== 'config.json') out[name] = bytes;
    // Trained models share the base model's tokenizer: copy its files.
    const exp = await store.experiments.get(experimentId);
    if (exp) {
      const source = await this.modelSource(experimentPlanOf(exp).spec.model, store);
      for (const name of TOKENIZER_FILES) {
        if (out[name]) continue;
        const bytes = await readOptional(source, name);
        if (bytes) out[name] = bytes;
      }
    }
    return zipSync(out, { level: 1 });
  }

  /** One regressor in XGBoost's JSON model format: fitted on all rows (`heldOutTarget` null), or one leave-one-target-out fold. */
  async regressorJson(experimentId: string, featureSet: string, heldOutTarget: string | null): Promise<string> {
    const regs = await (await this.store()).regressors.listBy('experimentId', experimentId);
    const r = regs.find((x) => x.featureSet === featureSet && (x.heldOutTarget ?? null) === heldOutTarget);
    if (!r) throw new Error(`no regressor for feature set ${featureSet} ${heldOutTarget === null ? 'fitted on all rows' : `with held-out target ${heldOutTarget}`}`);
    return typeof r.model === 'string' ? r.model : JSON.stringify(r.model);
  }

  /** Models an experiment kept (the best single-task model of each task). */
  async models(experimentId: string): Promise<{ id: string; task: string; f1: number }[]> {
    const models = await (await this.store()).models.listBy('experimentId', experimentId);
    return models.map((m) => ({ id: m.id, task: m.task ?? '', f1: m.metrics?.f1 ?? NaN }));
  }

  /** The stored regressors: those fitted on all rows first (the ones to use for new pairs), then the folds. */
  async regressors(experimentId: string): Promise<RegressorChoice[]> {
    const regs = await (await this.store()).regressors.listBy('experimentId', experimentId);
    const choices = regs.map((r) => ({ featureSet: r.featureSet, heldOutTarget: r.heldOutTarget ?? null }));
    return [...choices.filter((c) => c.heldOutTarget === null), ...choices.filter((c) => c.heldOutTarget !== null)];
  }
}
