/**
 * The experiment spec: everything that decides what an experiment computes, as plain JSON, so the
 * UI can build it from a form, the CLI from flags, and a resumed run can check it continues the
 * same experiment (`specDifferences`). `resolveSpec` checks a user-given value field by field
 * (unknown fields are errors: a typo must not fall back to a default silently) and fills every
 * default, so the stored spec says exactly what ran.
 */
import { CONDUCTANCE_METHODS, type ConductanceMethod } from '../explain/interpolation';
import { GbdtParamError, resolveParams } from '../gbdt/params';
import {
  FEATURE_SET_F1, FEATURE_SET_F1_ANSAT, FEATURE_SET_F1_ANSAT_BASELINES, FEATURE_SET_F1_BASELINES,
} from '../search/featureNames';
import type { FeatureSet } from '../search/types';
import { GRID_PRESET_NAMES, gridPreset, isGridPresetName, type Grid } from './grids';

export type DatasetRef =
  /** A data set in the store's `datasets` table. */
  | { kind: 'stored'; id: string }
  /** A bundled demo data set by name (datasets/index.json), stored as `demo:<name>` on first use. */
  | { kind: 'demo'; name: string };

export type ModelRef =
  /** A model shipped with the app (models/index.json). */
  | { kind: 'bundled'; name: string }
  /** A Hugging Face hub repository. */
  | { kind: 'hub'; id: string; revision?: string }
  /** A model in the store's `models` table. */
  | { kind: 'stored'; id: string }
  /** A Hugging Face folder on disk (Node only). */
  | { kind: 'folder'; path: string };

export type PairsSpec =
  | { kind: 'all' }
  /** A seeded sample of N ordered pairs (seed: the spec's seed). */
  | { kind: 'sample'; count: number }
  | { kind: 'list'; pairs: [string, string][] };

export interface TrainingOptions {
  /** Fraction of steps warming up linearly (default 0.1). */
  warmupFraction: number;
  weightDecay: number;
  /** Global gradient-norm clipping, 0 = off (default 1). */
  clipNorm: number;
  dropout: boolean;
  classBalanced: boolean;
}

export interface ConductanceSpec {
  method: ConductanceMethod;
  /** Forward differences along the path (default 50, as the paper). */
  nSteps: number;
  /** Interpolation points per pass; null = as many as fit the memory budget. */
  internalBatchSize: number | null;
  /** Cap on each task's positive test documents (seeded choice); null = all. */
  maxDocsPerTask: number | null;
}

export interface AnalysisOptions {
  maxF1Cost: number;
  timeFraction: number;
}

/** A resolved spec: every field present. */
export interface ExperimentSpec {
  version: 1;
  name: string;
  dataset: DatasetRef;
  /** Tasks to consider; "all" = every task of the data set. Tasks below the minimums are left out. */
  tasks: 'all' | string[];
  split: { seed: number; testFraction: number };
  minPositives: { train: number; test: number };
  model: ModelRef;
  grids: { single: Grid; transfer: Grid };
  pairs: PairsSpec;
  /** Transfer keeps M_A's classifier head instead of a fresh one. */
  keepHead: boolean;
  /** Every job's seed derives from it and the job's id. */
  seed: number;
  /** Longest token sequence; null = min(128, the model's max_position_embeddings). */
  maxLength: number | null;
  /** Cap on training documents per task (seeded, stratified subsample); null = all. */
  maxTrainDocs: number | null;
  training: TrainingOptions;
  conductance: ConductanceSpec;
  regressor: { params: Record<string, number | string> };
  featureSets: string[];
  analysis: AnalysisOptions;
}

/** The named feature sets a spec may ask for. */
export const NAMED_FEATURE_SETS: Readonly<Record<string, FeatureSet>> = {
  [FEATURE_SET_F1.name]: FEATURE_SET_F1,
  [FEATURE_SET_F1_ANSAT.name]: FEATURE_SET_F1_ANSAT,
  [FEATURE_SET_F1_BASELINES.name]: FEATURE_SET_F1_BASELINES,
  [FEATURE_SET_F1_ANSAT_BASELINES.name]: FEATURE_SET_F1_ANSAT_BASELINES,
};

export const DEFAULT_FEATURE_SETS = ['F1', 'F1+ANSAT', 'F1+baselines', 'F1+ANSAT+baselines'];

/**
 * Regressor defaults: XGBoost's, except a smaller learning rate and depth, because the training
 * folds are small (a few hundred rows at most for the small grid) and XGBoost's η = 0.3, depth 6
 * memorise them.
 */
export const DEFAULT_REGRESSOR_PARAMS: Readonly<Record<string, number | string>> = {
  n_estimators: 200,
  learning_rate: 0.05,
  max_depth: 3,
  min_child_weight: 1,
  subsample: 1,
  seed: 0,
};

export class SpecError extends Error {
  constructor(readonly path: string, readonly problem: string) {
    super(`experiment spec, ${path}: ${problem}`);
    this.name = 'SpecError';
  }
}

type Obj = Record<string, unknown>;

const describe = (v: unknown): string => {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v);
  try {
    const s = JSON.stringify(v);
    return s.length > 60 ? s.slice(0, 57) + '…' : s;
  } catch {
    return String(v);
  }
};

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function object(v: unknown, path: string, allowed: readonly string[]): Obj {
  if (!isObj(v)) throw new SpecError(path, `expected an object, got ${describe(v)}`);
  for (const k of Object.keys(v)) {
    if (!allowed.includes(k)) throw new SpecError(`${path}.${k}`, `unknown field; known fields: ${allowed.join(', ')}`);
  }
  return v;
}

function string(v: unknown, path: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new SpecError(path, `expected a non-empty string, got ${describe(v)}`);
  return v;
}

function number(v: unknown, path: string, check: (x: number) => boolean, want: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) throw new SpecError(path, `expected ${want}, got ${describe(v)}`);
  return v;
}

const int = (v: unknown, path: string, min: number) =>
  number(v, path, (x) => Number.isInteger(x) && x >= min, `an integer ≥ ${min}`);

function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') throw new SpecError(path, `expected true or false, got ${describe(v)}`);
  return v;
}

function nullableInt(v: unknown, path: string, min: number): number | null {
  return v === null || v === undefined ? null : int(v, path, min);
}

function positiveList(v: unknown, path: string, integer: boolean): number[] {
  if (!Array.isArray(v) || v.length === 0) throw new SpecError(path, `expected a non-empty list of numbers, got ${describe(v)}`);
  const out = v.map((x, i) =>
    integer ? int(x, `${path}[${i}]`, 1) : number(x, `${path}[${i}]`, (y) => y > 0, 'a number > 0'),
  );
  const dup = out.find((x, i) => out.indexOf(x) !== i);
  if (dup !== undefined) throw new SpecError(path, `${dup} is listed twice`);
  return out;
}

function grid(v: unknown, path: string): Grid {
  if (v === undefined) return gridPreset('small');
  if (typeof v === 'string') {
    if (!isGridPresetName(v)) throw new SpecError(path, `unknown grid preset ${describe(v)}; presets: ${GRID_PRESET_NAMES.join(', ')}, or {lr: [...], epochs: [...], batch: [...]}`);
    return gridPreset(v);
  }
  const o = object(v, path, ['name', 'lr', 'epochs', 'batch']);
  return {
    name: o.name === undefined ? 'custom' : string(o.name, `${path}.name`),
    lr: positiveList(o.lr, `${path}.lr`, false),
    epochs: positiveList(o.epochs, `${path}.epochs`, true),
    batch: positiveList(o.batch, `${path}.batch`, true),
  };
}

function datasetRef(v: unknown, path: string): DatasetRef {
  const o = object(v, path, ['kind', 'id', 'name']);
  if (o.kind === 'stored') {
    object(v, path, ['kind', 'id']);
    return { kind: 'stored', id: string(o.id, `${path}.id`) };
  }
  if (o.kind === 'demo') {
    object(v, path, ['kind', 'name']);
    return { kind: 'demo', name: string(o.name, `${path}.name`) };
  }
  throw new SpecError(`${path}.kind`, `expected "stored" (with id) or "demo" (with name), got ${describe(o.kind)}`);
}

function modelRef(v: unknown, path: string): ModelRef {
  const o = object(v, path, ['kind', 'name', 'id', 'revision', 'path']);
  switch (o.kind) {
    case 'bundled':
      object(v, path, ['kind', 'name']);
      return { kind: 'bundled', name: string(o.name, `${path}.name`) };
    case 'hub': {
      object(v, path, ['kind', 'id', 'revision']);
      const ref: ModelRef = { kind: 'hub', id: string(o.id, `${path}.id`) };
      if (o.revision !== undefined) ref.revision = string(o.revision, `${path}.revision`);
      return ref;
    }
    case 'stored':
      object(v, path, ['kind', 'id']);
      return { kind: 'stored', id: string(o.id, `${path}.id`) };
    case 'folder':
      object(v, path, ['kind', 'path']);
      return { kind: 'folder', path: string(o.path, `${path}.path`) };
    default:
      throw new SpecError(`${path}.kind`, `expected "bundled", "hub", "stored" or "folder", got ${describe(o.kind)}`);
  }
}

function taskList(v: unknown, path: string): 'all' | string[] {
  if (v === undefined || v === 'all') return 'all';
  if (!Array.isArray(v) || v.length === 0) throw new SpecError(path, `expected "all" or a non-empty list of task names, got ${describe(v)}`);
  const out = v.map((t, i) => string(t, `${path}[${i}]`));
  const dup = out.find((t, i) => out.indexOf(t) !== i);
  if (dup !== undefined) throw new SpecError(path, `task "${dup}" is listed twice`);
  return out;
}

function pairs(v: unknown, path: string): PairsSpec {
  if (v === undefined || v === 'all') return { kind: 'all' };
  if (typeof v === 'number') return { kind: 'sample', count: int(v, path, 1) };
  const o = object(v, path, ['kind', 'count', 'pairs']);
  if (o.kind === 'all') {
    object(v, path, ['kind']);
    return { kind: 'all' };
  }
  if (o.kind === 'sample') {
    object(v, path, ['kind', 'count']);
    return { kind: 'sample', count: int(o.count, `${path}.count`, 1) };
  }
  if (o.kind === 'list') {
    object(v, path, ['kind', 'pairs']);
    if (!Array.isArray(o.pairs) || o.pairs.length === 0) throw new SpecError(`${path}.pairs`, `expected a non-empty list of [source, target], got ${describe(o.pairs)}`);
    const seen = new Set<string>();
    const list = o.pairs.map((p, i): [string, string] => {
      const at = `${path}.pairs[${i}]`;
      if (!Array.isArray(p) || p.length !== 2) throw new SpecError(at, `expected [source, target], got ${describe(p)}`);
      const pair: [string, string] = [string(p[0], `${at}[0]`), string(p[1], `${at}[1]`)];
      if (pair[0] === pair[1]) throw new SpecError(at, `source and target are both "${pair[0]}"; a transfer needs two different tasks`);
      const key = JSON.stringify(pair);
      if (seen.has(key)) throw new SpecError(at, `the pair ${pair[0]} → ${pair[1]} is listed twice`);
      seen.add(key);
      return pair;
    });
    return { kind: 'list', pairs: list };
  }
  throw new SpecError(path, `expected "all", a number of pairs, or {kind: "all" | "sample" | "list", …}, got ${describe(v)}`);
}

const SPEC_FIELDS = [
  'version', 'name', 'dataset', 'tasks', 'split', 'minPositives', 'model', 'grids', 'pairs', 'keepHead', 'seed', 'maxLength',
  'maxTrainDocs', 'training', 'conductance', 'regressor', 'featureSets', 'analysis',
] as const;

/**
 * Checks a spec (e.g. parsed from JSON) and fills the defaults. Required: `dataset` and `model`.
 * Grids accept a preset name ("tiny", "small", "paper") or {lr, epochs, batch} lists; `pairs`
 * accepts "all", a number N (seeded sample) or {kind: "list", pairs: [[source, target], …]}.
 */
export function resolveSpec(value: unknown): ExperimentSpec {
  const o = object(value, 'spec', SPEC_FIELDS);
  if (o.version !== undefined && o.version !== 1) throw new SpecError('spec.version', `this version understands spec version 1, got ${describe(o.version)}`);
  if (o.dataset === undefined) throw new SpecError('spec.dataset', 'is required: {kind: "stored", id} or {kind: "demo", name}');
  if (o.model === undefined) throw new SpecError('spec.model', 'is required: {kind: "bundled" | "hub" | "stored" | "folder", …}');

  const split = object(o.split ?? {}, 'spec.split', ['seed', 'testFraction']);
  const minPos = object(o.minPositives ?? {}, 'spec.minPositives', ['train', 'test']);
  const grids = object(o.grids ?? {}, 'spec.grids', ['single', 'transfer']);
  const training = object(o.training ?? {}, 'spec.training', ['warmupFraction', 'weightDecay', 'clipNorm', 'dropout', 'classBalanced']);
  const cond = object(o.conductance ?? {}, 'spec.conductance', ['method', 'nSteps', 'internalBatchSize', 'maxDocsPerTask']);
  const reg = object(o.regressor ?? {}, 'spec.regressor', ['params']);
  const analysis = object(o.analysis ?? {}, 'spec.analysis', ['maxF1Cost', 'timeFraction']);
  const seed = o.seed === undefined ? 0 : number(o.seed, 'spec.seed', (x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32, 'an integer in [0, 2^32)');

  const method = cond.method ?? 'gausslegendre';
  if (!(CONDUCTANCE_METHODS as readonly unknown[]).includes(method)) {
    throw new SpecError('spec.conductance.method', `expected one of ${CONDUCTANCE_METHODS.join(', ')}, got ${describe(method)}`);
  }

  const params = { ...DEFAULT_REGRESSOR_PARAMS };
  if (reg.params !== undefined) {
    if (!isObj(reg.params)) throw new SpecError('spec.regressor.params', `expected an object of XGBoost parameters, got ${describe(reg.params)}`);
    for (const [k, v] of Object.entries(reg.params)) {
      if (typeof v !== 'number' && typeof v !== 'string') throw new SpecError(`spec.regressor.params.${k}`, `expected a number or a string, got ${describe(v)}`);
      params[k] = v;
    }
  }
  try {
    resolveParams(params, 'spec.regressor.params');
  } catch (e) {
    if (e instanceof GbdtParamError) throw new SpecError('spec.regressor.params', e.message.replace(/^spec\.regressor\.params: /, ''));
    throw e;
  }

  let featureSets = DEFAULT_FEATURE_SETS;
  if (o.featureSets !== undefined) {
    if (!Array.isArray(o.featureSets) || o.featureSets.length === 0) throw new SpecError('spec.featureSets', `expected a non-empty list of feature set names, got ${describe(o.featureSets)}`);
    featureSets = o.featureSets.map((f, i) => {
      const name = string(f, `spec.featureSets[${i}]`);
      if (!(name in NAMED_FEATURE_SETS)) throw new SpecError(`spec.featureSets[${i}]`, `unknown feature set "${name}"; known: ${Object.keys(NAMED_FEATURE_SETS).join(', ')}`);
      return name;
    });
    const dup = featureSets.find((f, i) => featureSets.indexOf(f) !== i);
    if (dup !== undefined) throw new SpecError('spec.featureSets', `"${dup}" is listed twice`);
  }

  const minTrain = minPos.train === undefined ? 10 : int(minPos.train, 'spec.minPositives.train', 1);
  const minTest = minPos.test === undefined ? 3 : int(minPos.test, 'spec.minPositives.test', 1);
  const maxDocsPerTask = nullableInt(cond.maxDocsPerTask, 'spec.conductance.maxDocsPerTask', 1);
  const maxTrainDocs = nullableInt(o.maxTrainDocs, 'spec.maxTrainDocs', 2);
  if (maxTrainDocs !== null && maxTrainDocs < 2 * minTrain) {
    throw new SpecError('spec.maxTrainDocs', `${maxTrainDocs} is too small: a task needs at least ${minTrain} positive and ${minTrain} negative training documents (spec.minPositives.train), so the cap must be ≥ ${2 * minTrain}`);
  }

  return {
    version: 1,
    name: o.name === undefined ? 'experiment' : string(o.name, 'spec.name'),
    dataset: datasetRef(o.dataset, 'spec.dataset'),
    tasks: taskList(o.tasks, 'spec.tasks'),
    split: {
      seed: split.seed === undefined ? seed : int(split.seed, 'spec.split.seed', 0),
      testFraction: split.testFraction === undefined ? 0.2 : number(split.testFraction, 'spec.split.testFraction', (x) => x > 0 && x < 1, 'a fraction in (0, 1)'),
    },
    minPositives: { train: minTrain, test: minTest },
    model: modelRef(o.model, 'spec.model'),
    grids: { single: grid(grids.single, 'spec.grids.single'), transfer: grid(grids.transfer, 'spec.grids.transfer') },
    pairs: pairs(o.pairs, 'spec.pairs'),
    keepHead: o.keepHead === undefined ? false : bool(o.keepHead, 'spec.keepHead'),
    seed,
    maxLength: o.maxLength === undefined || o.maxLength === null ? null : int(o.maxLength, 'spec.maxLength', 3),
    maxTrainDocs,
    training: {
      warmupFraction: training.warmupFraction === undefined ? 0.1 : number(training.warmupFraction, 'spec.training.warmupFraction', (x) => x >= 0 && x < 1, 'a fraction in [0, 1)'),
      weightDecay: training.weightDecay === undefined ? 0.01 : number(training.weightDecay, 'spec.training.weightDecay', (x) => x >= 0, 'a number ≥ 0'),
      clipNorm: training.clipNorm === undefined ? 1 : number(training.clipNorm, 'spec.training.clipNorm', (x) => x >= 0, 'a number ≥ 0 (0 = no clipping)'),
      dropout: training.dropout === undefined ? true : bool(training.dropout, 'spec.training.dropout'),
      classBalanced: training.classBalanced === undefined ? false : bool(training.classBalanced, 'spec.training.classBalanced'),
    },
    conductance: {
      method: method as ConductanceMethod,
      nSteps: cond.nSteps === undefined ? 50 : int(cond.nSteps, 'spec.conductance.nSteps', 1),
      internalBatchSize: nullableInt(cond.internalBatchSize, 'spec.conductance.internalBatchSize', 1),
      maxDocsPerTask,
    },
    regressor: { params },
    featureSets,
    analysis: {
      maxF1Cost: analysis.maxF1Cost === undefined ? 0.034 : number(analysis.maxF1Cost, 'spec.analysis.maxF1Cost', (x) => x >= 0, 'a number ≥ 0'),
      timeFraction: analysis.timeFraction === undefined ? 0.5 : number(analysis.timeFraction, 'spec.analysis.timeFraction', (x) => x > 0 && x <= 1, 'a fraction in (0, 1]'),
    },
  };
}

/** JSON with object keys sorted, so equal specs give equal text whatever order they were built in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    isObj(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v,
  );
}

/** Top-level fields whose values differ, with both values, for "this is a different experiment" errors. */
export function specDifferences(a: ExperimentSpec, b: ExperimentSpec): string[] {
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])] as (keyof ExperimentSpec)[];
  return fields
    .filter((f) => canonicalJson(a[f]) !== canonicalJson(b[f]))
    .map((f) => `${f}: ${describe(a[f])} → ${describe(b[f])}`);
}

export function featureSetsOf(spec: ExperimentSpec): FeatureSet[] {
  return spec.featureSets.map((n) => NAMED_FEATURE_SETS[n]!);
}

/** Whether any feature set needs ANSAT, i.e. whether conductance must run. */
export function needsConductance(spec: ExperimentSpec): boolean {
  return featureSetsOf(spec).some((fs) => fs.features.some((f) => f.startsWith('ansat_')));
}
