/**
 * The experiment spec: everything that decides what an experiment computes, as plain JSON, so the
 * UI can build it from a form, the CLI from flags, and a resumed run can check it continues the
 * same experiment (`specDifferences`). `resolveSpec` checks a user-given value field by field
 * (unknown fields are errors: a typo must not fall back to a default silently) and fills every
 * default, so the stored spec says exactly what ran.
 */
import { LOGME_FEATURE_NAME } from '../transfer/logme-name';
import { type ConductanceMethod } from '../explain/interpolation';
import { GbdtParamError, resolveParams } from '../gbdt/params';
import type { FeatureSet } from '../search/types';
import type { SplitBy } from '../data/split';
import type { ThresholdRule } from '../train/threshold';
import { GRID_PRESET_NAMES, gridPreset, isGridPresetName, type Grid } from './grids';
import {
  CONDUCTANCE_METHODS, describeRange, GRID_VALUE_RANGES, inRange, NAMED_FEATURE_SETS, optionAt, SPEC_DEFAULTS, SPLIT_BY, THRESHOLD_RULES, type NumberRange,
} from './spec-options';
import type { DatasetRef, ExperimentSpec, ModelRef, PairsSpec } from './spec-types';

export type {
  AnalysisOptions, ConductanceSpec, DatasetRef, ExperimentSpec, ExperimentSpecInput, GridInput, ModelRef, PairsSpec, SpecDefaults,
  TrainingOptions,
} from './spec-types';
export { NAMED_FEATURE_SETS, SPEC_DEFAULTS } from './spec-options';

/** The default feature sets (SPEC_DEFAULTS.featureSets). */
export const DEFAULT_FEATURE_SETS: readonly string[] = SPEC_DEFAULTS.featureSets;
/** The regressor's default parameters (SPEC_DEFAULTS.regressor.params; why these: spec-options.ts). */
export const DEFAULT_REGRESSOR_PARAMS: Readonly<Record<string, number | string>> = SPEC_DEFAULTS.regressor.params;

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

const ranged = (v: unknown, path: string, range: NumberRange) => number(v, path, (x) => inRange(x, range), describeRange(range));

/** A numeric option of the table (spec-options.ts): its range, its default when absent, null where it allows null. */
function option(o: Obj, key: string, path: string): number | null {
  const decl = optionAt(path);
  if (decl.kind !== 'number') throw new Error(`spec option ${path} is not a number`);
  const v = o[key];
  if (v === undefined) return valueOrNull(SPEC_DEFAULTS, path);
  if (v === null && decl.nullWord) return null;
  return ranged(v, `spec.${path}`, decl.range);
}

/** A number option that never takes null. */
function numberOption(o: Obj, key: string, path: string): number {
  return option(o, key, path)!;
}

function valueOrNull(obj: unknown, path: string): number | null {
  let v: unknown = obj;
  for (const k of path.split('.')) v = (v as Obj)[k];
  return v as number | null;
}

function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') throw new SpecError(path, `expected true or false, got ${describe(v)}`);
  return v;
}

function boolOption(o: Obj, key: string, path: string): boolean {
  return o[key] === undefined ? (valueOrNull(SPEC_DEFAULTS, path) as unknown as boolean) : bool(o[key], `spec.${path}`);
}

function rangedList(v: unknown, path: string, range: NumberRange): number[] {
  if (!Array.isArray(v) || v.length === 0) throw new SpecError(path, `expected a non-empty list of numbers, got ${describe(v)}`);
  const out = v.map((x, i) => ranged(x, `${path}[${i}]`, range));
  const dup = out.find((x, i) => out.indexOf(x) !== i);
  if (dup !== undefined) throw new SpecError(path, `${dup} is listed twice`);
  return out;
}

function grid(v: unknown, path: string, fallback: Grid): Grid {
  if (v === undefined) return { ...fallback, lr: [...fallback.lr], epochs: [...fallback.epochs], batch: [...fallback.batch] };
  if (typeof v === 'string') {
    if (!isGridPresetName(v)) throw new SpecError(path, `unknown grid preset ${describe(v)}; presets: ${GRID_PRESET_NAMES.join(', ')}, or {lr: [...], epochs: [...], batch: [...]}`);
    return gridPreset(v);
  }
  const o = object(v, path, ['name', 'lr', 'epochs', 'batch']);
  return {
    name: o.name === undefined ? 'custom' : string(o.name, `${path}.name`),
    lr: rangedList(o.lr, `${path}.lr`, GRID_VALUE_RANGES.lr),
    epochs: rangedList(o.epochs, `${path}.epochs`, GRID_VALUE_RANGES.epochs),
    batch: rangedList(o.batch, `${path}.batch`, GRID_VALUE_RANGES.batch),
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
  if (v === undefined) return structuredClone(D.tasks) as 'all' | string[];
  if (v === 'all') return 'all';
  if (!Array.isArray(v) || v.length === 0) throw new SpecError(path, `expected "all" or a non-empty list of task names, got ${describe(v)}`);
  const out = v.map((t, i) => string(t, `${path}[${i}]`));
  const dup = out.find((t, i) => out.indexOf(t) !== i);
  if (dup !== undefined) throw new SpecError(path, `task "${dup}" is listed twice`);
  return out;
}

function pairs(v: unknown, path: string): PairsSpec {
  if (v === undefined) return structuredClone(D.pairs) as PairsSpec;
  if (v === 'all') return { kind: 'all' };
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
  'version', 'name', 'dataset', 'tasks', 'split', 'minPositives', 'model', 'grids', 'pairs', 'keepHead', 'seed', 'seeds', 'maxLength',
  'maxTrainDocs', 'minTrainPositiveShare', 'logmeDocs', 'training', 'threshold', 'conductance', 'regressor', 'featureSets', 'analysis',
] as const;

const D = SPEC_DEFAULTS;
const keysOf = (o: object) => Object.keys(o);

/**
 * Checks a spec (e.g. parsed from JSON; an `ExperimentSpecInput`) and fills the defaults
 * (SPEC_DEFAULTS; each number's range: SPEC_OPTIONS). Required: `dataset` and `model`. Grids
 * accept a preset name ("tiny", "small", "paper") or {lr, epochs, batch} lists; `pairs` accepts
 * "all", a number N (seeded sample) or {kind: "list", pairs: [[source, target], …]}.
 */
export function resolveSpec(value: unknown): ExperimentSpec {
  const o = object(value, 'spec', SPEC_FIELDS);
  if (o.version !== undefined && o.version !== 1) throw new SpecError('spec.version', `this version understands spec version 1, got ${describe(o.version)}`);
  if (o.dataset === undefined) throw new SpecError('spec.dataset', 'is required: {kind: "stored", id} or {kind: "demo", name}');
  if (o.model === undefined) throw new SpecError('spec.model', 'is required: {kind: "bundled" | "hub" | "stored" | "folder", …}');

  const split = object(o.split ?? {}, 'spec.split', ['seed', 'testFraction', 'by', 'validationFraction']);
  const by = split.by ?? D.split.by;
  if (!(SPLIT_BY as readonly unknown[]).includes(by)) throw new SpecError('spec.split.by', `expected one of ${SPLIT_BY.join(', ')}, got ${describe(by)}`);
  const minPos = object(o.minPositives ?? {}, 'spec.minPositives', keysOf(D.minPositives));
  const grids = object(o.grids ?? {}, 'spec.grids', keysOf(D.grids));
  const training = object(o.training ?? {}, 'spec.training', keysOf(D.training));
  const cond = object(o.conductance ?? {}, 'spec.conductance', keysOf(D.conductance));
  const reg = object(o.regressor ?? {}, 'spec.regressor', keysOf(D.regressor));
  const analysis = object(o.analysis ?? {}, 'spec.analysis', keysOf(D.analysis));
  const seed = numberOption(o, 'seed', 'seed');

  const threshold = o.threshold ?? D.threshold;
  if (!(THRESHOLD_RULES as readonly unknown[]).includes(threshold)) {
    throw new SpecError('spec.threshold', `expected one of ${THRESHOLD_RULES.join(', ')}, got ${describe(threshold)}`);
  }
  const method = cond.method ?? D.conductance.method;
  if (!(CONDUCTANCE_METHODS as readonly unknown[]).includes(method)) {
    throw new SpecError('spec.conductance.method', `expected one of ${CONDUCTANCE_METHODS.join(', ')}, got ${describe(method)}`);
  }

  const params = { ...D.regressor.params };
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

  let featureSets = [...D.featureSets];
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

  const minTrain = numberOption(minPos, 'train', 'minPositives.train');
  const minTest = numberOption(minPos, 'test', 'minPositives.test');
  const maxTrainDocs = option(o, 'maxTrainDocs', 'maxTrainDocs');
  if (maxTrainDocs !== null && maxTrainDocs < 2 * minTrain) {
    throw new SpecError('spec.maxTrainDocs', `${maxTrainDocs} is too small: a task needs at least ${minTrain} positive and ${minTrain} negative training documents (spec.minPositives.train), so the cap must be ≥ ${2 * minTrain}`);
  }

  const logmeDocs = numberOption(o, 'logmeDocs', 'logmeDocs');
  const needsLogme = featureSets.find((f) => NAMED_FEATURE_SETS[f]!.features.includes(LOGME_FEATURE_NAME));
  if (needsLogme !== undefined && logmeDocs === 0) {
    throw new SpecError('spec.featureSets', `feature set "${needsLogme}" uses the LogME feature, which logmeDocs 0 turns off; give logmeDocs > 0 (--logme-docs) or leave the set out`);
  }

  return {
    version: 1,
    name: o.name === undefined ? D.name : string(o.name, 'spec.name'),
    dataset: datasetRef(o.dataset, 'spec.dataset'),
    tasks: taskList(o.tasks, 'spec.tasks'),
    split: {
      seed: split.seed === undefined ? seed : numberOption(split, 'seed', 'split.seed'),
      testFraction: numberOption(split, 'testFraction', 'split.testFraction'),
      by: by as SplitBy,
      validationFraction: numberOption(split, 'validationFraction', 'split.validationFraction'),
    },
    minPositives: { train: minTrain, test: minTest },
    model: modelRef(o.model, 'spec.model'),
    grids: { single: grid(grids.single, 'spec.grids.single', D.grids.single), transfer: grid(grids.transfer, 'spec.grids.transfer', D.grids.transfer) },
    pairs: pairs(o.pairs, 'spec.pairs'),
    keepHead: boolOption(o, 'keepHead', 'keepHead'),
    seed,
    seeds: numberOption(o, 'seeds', 'seeds'),
    maxLength: option(o, 'maxLength', 'maxLength'),
    maxTrainDocs,
    minTrainPositiveShare: numberOption(o, 'minTrainPositiveShare', 'minTrainPositiveShare'),
    logmeDocs,
    training: {
      warmupFraction: numberOption(training, 'warmupFraction', 'training.warmupFraction'),
      weightDecay: numberOption(training, 'weightDecay', 'training.weightDecay'),
      clipNorm: numberOption(training, 'clipNorm', 'training.clipNorm'),
      dropout: boolOption(training, 'dropout', 'training.dropout'),
      classBalanced: boolOption(training, 'classBalanced', 'training.classBalanced'),
    },
    threshold: threshold as ThresholdRule,
    conductance: {
      method: method as ConductanceMethod,
      nSteps: numberOption(cond, 'nSteps', 'conductance.nSteps'),
      internalBatchSize: option(cond, 'internalBatchSize', 'conductance.internalBatchSize'),
      maxDocsPerTask: option(cond, 'maxDocsPerTask', 'conductance.maxDocsPerTask'),
    },
    regressor: { params },
    featureSets,
    analysis: {
      maxF1Cost: numberOption(analysis, 'maxF1Cost', 'analysis.maxF1Cost'),
      timeFraction: numberOption(analysis, 'timeFraction', 'analysis.timeFraction'),
    },
  };
}

/**
 * What an experiment stored before `split.by`, `split.validationFraction` and `seeds` existed ran
 * with: the duplicate-aware split (the pipeline's split since the grouped split landed; an
 * experiment from before that has another split fingerprint and is refused as "another version"
 * by openExperiment, as it was already), no validation part (settings were chosen on test F1) and
 * one seed. `validationFraction: 0` marks such a spec: resolveSpec refuses 0 for new ones.
 */
export const LEGACY_SPLIT = { by: 'duplicates', validationFraction: 0 } as const satisfies Partial<ExperimentSpec['split']>;

/** Whether a resolved spec is one stored before validation existed (see LEGACY_SPLIT). */
export function isLegacySpec(spec: ExperimentSpec): boolean {
  return spec.split.validationFraction === 0;
}

/**
 * A stored spec with the fields added since it was written filled as it ran (LEGACY_SPLIT, one
 * seed); a spec that has them is returned as is.
 */
export function upgradeStoredSpec(spec: ExperimentSpec): ExperimentSpec {
  const stored = spec as Omit<ExperimentSpec, 'seeds' | 'split' | 'logmeDocs' | 'threshold' | 'minTrainPositiveShare'> & {
    seeds?: number; logmeDocs?: number; threshold?: ThresholdRule; minTrainPositiveShare?: number;
    split: Partial<ExperimentSpec['split']> & { seed: number; testFraction: number };
  };
  if (
    stored.split.by !== undefined && stored.split.validationFraction !== undefined && stored.seeds !== undefined && stored.logmeDocs !== undefined &&
    stored.threshold !== undefined && stored.minTrainPositiveShare !== undefined
  ) return spec;
  return {
    ...spec,
    split: { seed: stored.split.seed, testFraction: stored.split.testFraction, by: stored.split.by ?? LEGACY_SPLIT.by, validationFraction: stored.split.validationFraction ?? LEGACY_SPLIT.validationFraction },
    seeds: stored.seeds ?? 1,
    // Its features job ran before LogME was a pair feature: it has none (and resumes without one).
    logmeDocs: stored.logmeDocs ?? LEGACY_LOGME_DOCS,
    // Its runs predicted at argmax: the validation threshold came later.
    threshold: stored.threshold ?? LEGACY_THRESHOLD_RULE,
    // Its capped samples kept each task's own positive rate.
    minTrainPositiveShare: stored.minTrainPositiveShare ?? LEGACY_MIN_TRAIN_POSITIVE_SHARE,
  };
}

/** What a spec stored before `minTrainPositiveShare` existed sampled with: each task's own rate. */
export const LEGACY_MIN_TRAIN_POSITIVE_SHARE = 0;

/** What a spec stored before `threshold` existed ran with. */
export const LEGACY_THRESHOLD_RULE: ThresholdRule = 'argmax';

/** What a spec stored before `logmeDocs` existed ran with: no LogME feature. */
export const LEGACY_LOGME_DOCS = 0;

/**
 * The spec a user's input asks for when it reopens `stored`: resolved as usual, except that a
 * legacy stored spec keeps its split mode, validation fraction and seeds where the input does not
 * name them, so the same command that started it resumes it.
 */
export function resolveSpecFor(stored: ExperimentSpec, input: unknown): ExperimentSpec {
  const given = isObj(input) ? input : {};
  // A spec stored without LogME resumes without it when the input does not ask for it.
  let spec = stored.logmeDocs === LEGACY_LOGME_DOCS && given.logmeDocs === undefined ? { ...resolveSpec(input), logmeDocs: LEGACY_LOGME_DOCS } : resolveSpec(input);
  // Likewise a spec that predicts at argmax (stored before the threshold existed) resumes so.
  if (stored.threshold === LEGACY_THRESHOLD_RULE && given.threshold === undefined) spec = { ...spec, threshold: LEGACY_THRESHOLD_RULE };
  // And one that sampled at each task's own rate (stored before the enrichment was the default).
  if (stored.minTrainPositiveShare === LEGACY_MIN_TRAIN_POSITIVE_SHARE && given.minTrainPositiveShare === undefined) {
    spec = { ...spec, minTrainPositiveShare: LEGACY_MIN_TRAIN_POSITIVE_SHARE };
  }
  if (!isLegacySpec(stored)) return spec;
  const split = isObj(given.split) ? given.split : {};
  if (split.by !== undefined || split.validationFraction !== undefined || given.seeds !== undefined) return spec;
  return { ...spec, split: { ...spec.split, by: stored.split.by, validationFraction: stored.split.validationFraction }, seeds: stored.seeds };
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
