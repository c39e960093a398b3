/**
 * An experiment as one zip that the app imports (src/worker/exchange.ts reads it back): the
 * human-readable tables (runs.csv, …, summary.json and their .json twins) and, under
 * `transferscope/`, the store records that rebuild the experiment. Written here, in the core, so
 * that the app's Export view and the CLI's `export` command (an experiment run by `experiment`,
 * locally or over a queue) write the same file.
 *
 * Optional parts: the conductance of every explained document (the Explain view's numbers), the
 * best models' weights (megabytes each), and the data set itself, which may be left out when the
 * importer already has it (the bundled demo result rides on the bundled demo data).
 */
import { strToU8, zipSync } from 'fflate';
import Papa from 'papaparse';
import type { ModelRecord } from '../store/records';
import type { Store } from '../store/store';
import { experimentPlanOf } from './experiment';
import type { ModelRef } from './spec-types';
import type { ExperimentPlan } from './types';

export const EXPORT_FORMAT = 'transferscope-export';
/** The folder of the zip that holds the store records. */
export const EXPORT_DIR = 'transferscope/';

export interface ExperimentZipOptions {
  attributions: boolean;
  models: boolean;
  /** Leave the data set out (default: in); the importer then needs it stored already. */
  withoutDataset?: boolean;
  /**
   * Store the experiment under another id (and name): every record id and reference of the form
   * `OLD` or `OLD::…` becomes `NEW…`. The CLI's experiments are all called "experiment" in their
   * own folder, and two of them would clash in one browser.
   */
  rename?: { id: string; name?: string };
  /**
   * The base model as the importer should find it: a command-line run names a folder of this
   * machine (`models/ts-bert-l4-h128` by its absolute path), which a browser cannot open; the app
   * knows the same model as a bundled one.
   */
  model?: { ref: ModelRef; description: string };
}

/** Typed arrays survive JSON as {"$typed": "Float32Array", "base64": "…"} (exact bytes). */
export function encodeTyped(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { $typed: value.constructor.name, base64: btoa(bin) };
  }
  return value;
}

const TYPED: Record<string, new (buffer: ArrayBuffer) => ArrayBufferView> = {
  Float32Array, Float64Array, Int32Array, Uint8Array, Int8Array, Uint16Array, Int16Array, Uint32Array,
};

export function decodeTyped(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && '$typed' in value && 'base64' in value) {
    const { $typed, base64 } = value as { $typed: string; base64: string };
    const ctor = TYPED[$typed];
    if (!ctor || typeof base64 !== 'string') throw new Error(`unknown typed array "${String($typed)}"`);
    const bin = atob(base64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new ctor(bytes.buffer);
  }
  return value;
}

const json = (v: unknown) => JSON.stringify(v, encodeTyped, 1) + '\n';

/** A CSV table as JSON records (numbers as numbers: the CSV writes shortest round-trip decimals). */
export function csvToJson(text: string): string {
  const parsed = Papa.parse<Record<string, unknown>>(text, { header: true, dynamicTyping: true, skipEmptyLines: true });
  return JSON.stringify(parsed.data.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === '' ? null : v]))), null, 1) + '\n';
}

/** An experiment's output files with a .json twin of each CSV table (the Export view lists both; the zip holds both). */
export function withJsonTwins(files: Record<string, string>): [string, string][] {
  return Object.entries(files).flatMap(([name, text]): [string, string][] =>
    name.endsWith('.csv') ? [[name, text], [name.replace(/\.csv$/, '.json'), csvToJson(text)]] : [[name, text]]);
}

/**
 * `value` (deeply; typed arrays untouched) with experiment `from` renamed `to`: the fields `id` and
 * `experimentId` equal to `from`, and every string (value or key) `from::…`, the form of every
 * record id the experiment writes (pipeline/ids.ts). A plain string equal to `from` elsewhere (a
 * spec named "experiment", a task) is left alone.
 */
export function renameExperimentIds<T>(value: T, from: string, to: string): T {
  const prefix = `${from}::`;
  const str = (s: string) => (s.startsWith(prefix) ? `${to}::${s.slice(prefix.length)}` : s);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return str(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object' && !ArrayBuffer.isView(v)) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [str(k), (k === 'id' || k === 'experimentId') && x === from ? to : walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}

/**
 * The zip of experiment `id` from `store`; `tables` are its finished outputs (file name → text:
 * `experimentOutputs(env, id).files`), or null while it is unfinished.
 */
export async function buildExperimentZip(store: Store, id: string, tables: Record<string, string> | null, options: ExperimentZipOptions): Promise<Uint8Array> {
  const record = await store.experiments.get(id);
  if (!record) throw new Error(`experiment "${id}" is not stored here`);
  const plan = experimentPlanOf(record);
  const files: Record<string, Uint8Array> = {};
  for (const [name, text] of withJsonTwins(tables ?? {})) files[name] = strToU8(text);
  const renamed = <T>(v: T): T => (options.rename ? renameExperimentIds(v, id, options.rename.id) : v);
  const newId = options.rename?.id ?? id;
  const name = options.rename?.name ?? record.name;
  const put = (file: string, v: unknown) => { files[EXPORT_DIR + file] = strToU8(json(renamed(v))); };

  const storedPlan = options.model
    ? { ...plan, spec: { ...plan.spec, model: options.model.ref }, model: { ...plan.model, description: options.model.description } } satisfies ExperimentPlan
    : record.plan;
  put('experiment.json', { ...record, name, plan: storedPlan });
  const included: string[] = ['experiment'];
  if (!options.withoutDataset) {
    const dataset = await store.datasets.get(plan.dataset.id);
    if (!dataset) throw new Error(`experiment "${id}": its data set "${plan.dataset.id}" is no longer stored, so it cannot be exported whole`);
    files[`${EXPORT_DIR}dataset.json`] = strToU8(json(dataset)); // the data set's own id: never renamed
    included.push('dataset');
  }
  put('runs.json', await store.runs.listBy('experimentId', id));
  put('features.json', await store.features.listBy('experimentId', id));
  put('regressors.json', await store.regressors.listBy('experimentId', id));
  included.push('runs', 'features', 'regressors');
  if (options.attributions) {
    put('attributions.json', await store.attributions.listBy('experimentId', id));
    included.push('attributions');
  }
  if (options.models) {
    const models: ModelRecord[] = [];
    for (const m of await store.models.listBy('experimentId', id)) {
      const bytes = await store.models.getFiles(m.id);
      if (!bytes) continue;
      models.push(m);
      files[`${EXPORT_DIR}models/${encodeURIComponent(renamed(m.id))}.safetensors`] = bytes.safetensors;
    }
    put('models.json', models);
    included.push('models');
  }
  files[`${EXPORT_DIR}manifest.json`] = strToU8(json({ format: EXPORT_FORMAT, version: 1, experimentId: newId, name, included, exportedAt: new Date().toISOString() }));
  // Weights and typed arrays hardly compress: level 1 keeps the zip fast to write.
  return zipSync(files, { level: 1 });
}
