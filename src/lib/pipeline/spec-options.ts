/**
 * The experiment contract's one declaration of every setting: its default (`SPEC_DEFAULTS`), the
 * allowed values (`SPEC_OPTIONS`: spec path, kind, range or choices, CLI flag, URL key, one line of
 * description) and the lists of enumerated values. `resolveSpec` (spec.ts), the CLI flags of
 * `experiment` and `train` (spec-flags.ts), the app's URL state (spec-url.ts) and the app's form
 * read them from here, so a default or a range is written once.
 *
 * Adding a setting: add the field to the types (spec-types.ts), its default to SPEC_DEFAULTS and one
 * entry to SPEC_OPTIONS (give it a `cli` flag and a `url` key unless it is for spec files only);
 * resolveSpec, the flags, the usage text, the URL codec and the round-trip test pick it up.
 */
import { DEFAULT_SPLIT_BY, DEFAULT_TEST_FRACTION, DEFAULT_VALIDATION_FRACTION, SPLIT_BY } from '../data/split';
import { CONDUCTANCE_METHODS, DEFAULT_METHOD, DEFAULT_N_STEPS } from '../explain/interpolation';
import { PAPER_MAX_F1_COST, PAPER_TIME_FRACTION } from '../search/headline';
import {
  FEATURE_SET_F1, FEATURE_SET_F1_ANSAT, FEATURE_SET_F1_ANSAT_BASELINES, FEATURE_SET_F1_BASELINES, FEATURE_SET_F1_LOGME,
} from '../search/feature-names';
import type { FeatureSet } from '../search/types';
import { DEFAULT_THRESHOLD_RULE, THRESHOLD_RULES } from '../train/threshold';
import type { GridPoint } from '../train/training-settings';
import { GRID_PRESET_NAMES, gridPreset } from './grids';
import type { SpecDefaults } from './spec-types';

// ---- enumerated values --------------------------------------------------------------------------
// One list per enumerated option (the split modes are the split's own list, data/split.ts); named
// experiment presets, which later issues add, get their lists here too, next to an entry in SPEC_OPTIONS.

export { CONDUCTANCE_METHODS, GRID_PRESET_NAMES, SPLIT_BY, THRESHOLD_RULES };
export { LABEL_MERGES } from '../data/label-merges';

/** The named feature sets a spec may ask for. */
export const NAMED_FEATURE_SETS: Readonly<Record<string, FeatureSet>> = {
  [FEATURE_SET_F1.name]: FEATURE_SET_F1,
  [FEATURE_SET_F1_ANSAT.name]: FEATURE_SET_F1_ANSAT,
  [FEATURE_SET_F1_BASELINES.name]: FEATURE_SET_F1_BASELINES,
  [FEATURE_SET_F1_ANSAT_BASELINES.name]: FEATURE_SET_F1_ANSAT_BASELINES,
  [FEATURE_SET_F1_LOGME.name]: FEATURE_SET_F1_LOGME,
};
export const FEATURE_SET_NAMES = Object.keys(NAMED_FEATURE_SETS);
/** The feature sets an experiment evaluates unless told: every named one but the opt-in F1+LogME. */
const DEFAULT_FEATURE_SET_NAMES = FEATURE_SET_NAMES.filter((n) => n !== FEATURE_SET_F1_LOGME.name);

// ---- defaults -----------------------------------------------------------------------------------

const deepFreeze = <T>(v: T): T => {
  if (typeof v === 'object' && v !== null) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
};

/**
 * Every default of an experiment, for the CLI, the app and spec files alike (frozen: shared by
 * reference, copied by `resolveSpec`). `split.seed` defaults to `seed`.
 */
export const SPEC_DEFAULTS: Readonly<SpecDefaults> = deepFreeze({
  version: 1,
  name: 'experiment',
  tasks: 'all',
  /**
   * The split's own defaults (data/split.ts): duplicates on one side (a random split puts 37.5 % of
   * TREC-IS test tweets beside a copy in train); validation = 0.2 of the training side (16 % of the
   * documents against 20 % test), because a smaller part leaves rare tasks 1–2 validation positives,
   * too few to tell two settings apart, while the choice it makes is what transfer starts from.
   */
  split: { testFraction: DEFAULT_TEST_FRACTION, by: DEFAULT_SPLIT_BY, validationFraction: DEFAULT_VALIDATION_FRACTION },
  minPositives: { train: 10, test: 3 },
  grids: { single: gridPreset('small'), transfer: gridPreset('small') },
  pairs: { kind: 'all' },
  keepHead: false,
  /**
   * 0, not the 42 the app used to start from: every experiment the CLI stored without `--seed`
   * carries 0 in its spec, and a resumed run must resolve to the same spec (a different seed is a
   * different experiment). The app stores the resolved spec and always writes the seed into its
   * links, so its stored experiments and links keep working.
   */
  seed: 0,
  /** One training per setting, as the paper; more seeds give the intervals their seed-to-seed part. */
  seeds: 1,
  maxLength: null,
  maxTrainDocs: null,
  /**
   * A quarter: under a cap, a rare task's sample at its own rate keeps 10–12 positives of 300
   * (TREC-IS NewSubEvent, MovePeople…), too few to learn from. Measured with the reference recipe,
   * 4 seeds (the bundled model's card, "Positives in a capped sample"): 0.25 lowered TREC-IS's
   * collapse rate from 4/36 to 2/36 and raised its mean single-task F1 from 0.322 to 0.359; 0.5 did
   * no better on the rare tasks. It changes nothing without a cap (the default).
   */
  minTrainPositiveShare: 0.25,
  /**
   * LogME (You et al. 2021) over at most 100 of each target's training documents: one forward pass
   * of every source's best model per document, a small cost beside one training epoch, enough for
   * a stable evidence (the authors' smallest target sets are of this size).
   */
  logmeDocs: 100,
  training: {
    // BERT fine-tuning's usual schedule (HF Trainer style: 10 % warm-up, decay 0.01, clip 1).
    warmupFraction: 0.1,
    weightDecay: 0.01,
    clipNorm: 1,
    dropout: true,
    /**
     * On: with the bundled model and 500 training documents, an unweighted loss ended at F1 0 in
     * 8 of 8 debtags runs and 5 of 8 TREC-IS runs (all-negative at argmax); class-balanced, 0 of 8
     * and 2 of 8 (the model card's recipe sweep, scripts/recipe/).
     */
    classBalanced: true,
  },
  threshold: DEFAULT_THRESHOLD_RULE,
  // The conductance and headline defaults are those of their own layers (the paper's).
  conductance: { method: DEFAULT_METHOD, nSteps: DEFAULT_N_STEPS, internalBatchSize: null, maxDocsPerTask: null },
  /**
   * Regressor: XGBoost's defaults, except a smaller learning rate and depth, because the training
   * folds are small (a few hundred rows at most for the small grid) and XGBoost's η = 0.3, depth 6
   * memorise them.
   */
  regressor: { params: { n_estimators: 200, learning_rate: 0.05, max_depth: 3, min_child_weight: 1, subsample: 1, seed: 0 } },
  featureSets: [...DEFAULT_FEATURE_SET_NAMES],
  analysis: { maxF1Cost: PAPER_MAX_F1_COST, timeFraction: PAPER_TIME_FRACTION },
});

/**
 * Named partial specs laid over SPEC_DEFAULTS where a front end starts a new experiment (the CLI's
 * `--preset NAME` of `experiment` and `recommend`, the app's settings form). The first is the one a
 * front end starts with.
 * - `quick`: the debtags demo end to end in a few minutes on a 2-core machine with wasm and two
 *   lanes (measured: the bundled model's card, "Quick preset"): three demo tasks the bundled model
 *   learns, every ordered pair, one short setting (300 training documents, 64 tokens, lr 3e-4, 2 epochs, batch 16, class-balanced),
 *   few conductance documents. Its task names are the demo's: other data sets name their own tasks.
 * - `browser`: caps that keep a first experiment affordable in a page while the bundled model still
 *   learns the demo tasks (with 500 training documents most stay at F1 0); the paper's setting is
 *   no cap.
 */
export const EXPERIMENT_PRESETS = deepFreeze({
  quick: {
    tasks: ['works-with::mail', 'use::gameplaying', 'works-with::audio'],
    maxTrainDocs: 300,
    maxLength: 64,
    grids: { single: { lr: [3e-4], epochs: [2], batch: [16] }, transfer: { lr: [3e-4], epochs: [2], batch: [16] } },
    conductance: { maxDocsPerTask: 10, nSteps: 20 },
  },
  browser: { maxTrainDocs: 1000, conductance: { maxDocsPerTask: 20 } },
} as const);

export type ExperimentPresetName = keyof typeof EXPERIMENT_PRESETS;
/** The presets' names, the one a front end starts with first. */
export const EXPERIMENT_PRESET_NAMES = Object.keys(EXPERIMENT_PRESETS) as ExperimentPresetName[];

export function isExperimentPresetName(s: unknown): s is ExperimentPresetName {
  return typeof s === 'string' && (EXPERIMENT_PRESET_NAMES as readonly string[]).includes(s);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `over` (a spec file's fields) laid over the preset `name`, objects merged key by key (a copy). */
export function withPreset(name: ExperimentPresetName, over: Record<string, unknown> = {}): Record<string, unknown> {
  const lay = (under: unknown, top: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = isPlainObject(under) ? structuredClone(under) : {};
    for (const [k, v] of Object.entries(top)) out[k] = isPlainObject(v) && isPlainObject(out[k]) ? lay(out[k], v) : v;
    return out;
  };
  return lay(EXPERIMENT_PRESETS[name], over);
}

/** `maxLength: null` (auto) means the model's limit, at most this many tokens (BERT fine-tuning's usual length). */
export const AUTO_MAX_LENGTH = 128;

/** The sequence length of `maxLength` for a model that takes at most `limit` positions. */
export function maxLengthFor(maxLength: number | null, limit: number): number {
  return maxLength ?? Math.min(AUTO_MAX_LENGTH, limit);
}

// ---- ranges ---------------------------------------------------------------------------------------

export interface NumberRange {
  integer?: boolean;
  min?: number;
  minExclusive?: boolean;
  max?: number;
  maxExclusive?: boolean;
  /** How `max` reads in messages ("2^32"). */
  maxText?: string;
  /** What a boundary value means, said in messages ("0 = no clipping"). */
  note?: string;
}

/** "an integer ≥ 1", "a number > 0", "a fraction in (0, 1)", "an integer in [0, 2^32)". */
export function describeRange(r: NumberRange): string {
  const what = r.integer ? 'an integer' : r.min !== undefined && r.min >= 0 && r.max !== undefined && r.max <= 1 ? 'a fraction' : 'a number';
  let text: string;
  if (r.min !== undefined && r.max !== undefined) {
    text = `${what} in ${r.minExclusive ? '(' : '['}${r.min}, ${r.maxText ?? r.max}${r.maxExclusive ? ')' : ']'}`;
  } else if (r.min !== undefined) text = `${what} ${r.minExclusive ? '>' : '≥'} ${r.min}`;
  else if (r.max !== undefined) text = `${what} ${r.maxExclusive ? '<' : '≤'} ${r.maxText ?? r.max}`;
  else text = what;
  return r.note ? `${text} (${r.note})` : text;
}

export function inRange(x: number, r: NumberRange): boolean {
  if (!Number.isFinite(x)) return false;
  if (r.integer && !Number.isInteger(x)) return false;
  if (r.min !== undefined && (r.minExclusive ? x <= r.min : x < r.min)) return false;
  if (r.max !== undefined && (r.maxExclusive ? x >= r.max : x > r.max)) return false;
  return true;
}

/** The ranges of one grid point's values (each value of a grid's lists, and `train`'s flags). */
export const GRID_VALUE_RANGES: Readonly<Record<keyof GridPoint, NumberRange>> = {
  lr: { min: 0, minExclusive: true },
  epochs: { integer: true, min: 1 },
  batch: { integer: true, min: 1 },
};

// ---- the option table ----------------------------------------------------------------------------

interface OptionBase {
  /** Dotted path in the spec ("training.clipNorm"). */
  path: string;
  /** One line for usage texts and the README. */
  description: string;
  /** Flag of `experiment` (and `train` where it applies), without "--"; absent: spec files only. */
  cli?: string;
  /** Key in the app's URL; absent: not in links. */
  url?: string;
}

export type SpecOption = OptionBase & (
  /** A number; `nullWord` (CLI/URL; null in JSON) stands for null, which then means `nullMeans`. */
  | { kind: 'number'; range: NumberRange; nullWord?: 'all' | 'auto'; nullMeans?: string }
  /** CLI: a switch that sets the opposite of the default. URL: 1 or 0. */
  | { kind: 'boolean' }
  | { kind: 'choice'; choices: readonly string[] }
  /** A non-empty list of distinct names from `choices` (comma-separated in CLI and URL). */
  | { kind: 'names'; choices: readonly string[] }
  /** "all" or task names (comma-separated). */
  | { kind: 'tasks' }
  /** "all" or N (a seeded sample of N ordered pairs); a pair list only in spec files. */
  | { kind: 'pairs' }
  /** A preset's name or custom lists: `lists` names the flag/key of each list. */
  | { kind: 'grid'; lists: { cli: Record<keyof GridPoint, string>; url: Record<keyof GridPoint, string> } }
  | { kind: 'string' }
);

const SEED_RANGE: NumberRange = { integer: true, min: 0, max: 2 ** 32, maxExclusive: true, maxText: '2^32' };

/** Every setting of an experiment but the data set and the model (which each front end picks its own way). */
export const SPEC_OPTIONS: readonly SpecOption[] = [
  { path: 'name', kind: 'string', description: 'a name for the experiment' },
  { path: 'tasks', kind: 'tasks', cli: 'tasks', url: 'tasks', description: 'tasks to consider ("all" or a,b,…); those below the minimum positives are left out' },
  { path: 'seed', kind: 'number', range: SEED_RANGE, cli: 'seed', url: 'seed', description: 'the one seed: split, samples, every job\'s seed' },
  { path: 'split.seed', kind: 'number', range: SEED_RANGE, cli: 'split-seed', url: 'sseed', description: 'seed of the train/test split (default: the seed)' },
  { path: 'split.testFraction', kind: 'number', range: { min: 0, minExclusive: true, max: 1, maxExclusive: true }, cli: 'test-fraction', url: 'tf', description: 'fraction of the documents without a given split that go to test' },
  { path: 'split.by', kind: 'choice', choices: SPLIT_BY, cli: 'by', url: 'by', description: 'what stays on one side of the split: duplicates (same normalized text), event (each event on one side: a new crisis), none (each document alone)' },
  { path: 'split.validationFraction', kind: 'number', range: { min: 0, minExclusive: true, max: 1, maxExclusive: true }, cli: 'validation-fraction', url: 'vf', description: 'fraction of the training side that goes to validation, which chooses the best grid setting (test is only reported on)' },
  { path: 'minPositives.train', kind: 'number', range: { integer: true, min: 1 }, cli: 'min-train-positives', url: 'mintr', description: 'a task needs this many positive (and negative) training documents' },
  { path: 'minPositives.test', kind: 'number', range: { integer: true, min: 1 }, cli: 'min-test-positives', url: 'minte', description: 'a task needs this many positive (and negative) test documents' },
  {
    path: 'grids.single', kind: 'grid', cli: 'grid', url: 'grid',
    lists: { cli: { lr: 'lr', epochs: 'epochs', batch: 'batch' }, url: { lr: 'lr', epochs: 'ep', batch: 'bs' } },
    description: 'single-task grid: tiny = 1 setting, small = lr {3e-4, 1e-3} x 3 epochs x batch 16, paper = 4 lr x 4 epochs x 2 batch sizes, or custom lists',
  },
  {
    path: 'grids.transfer', kind: 'grid', cli: 'transfer-grid', url: 'tgrid',
    lists: { cli: { lr: 'transfer-lr', epochs: 'transfer-epochs', batch: 'transfer-batch' }, url: { lr: 'tlr', epochs: 'tep', batch: 'tbs' } },
    description: 'transfer grid (CLI: the single-task grid unless given)',
  },
  { path: 'pairs', kind: 'pairs', cli: 'pairs', url: 'pairs', description: 'transfer pairs: all, or N (a seeded sample of N ordered pairs)' },
  { path: 'keepHead', kind: 'boolean', cli: 'keep-head', url: 'head', description: 'a transfer keeps the source model\'s classifier head' },
  { path: 'seeds', kind: 'number', range: { integer: true, min: 1 }, cli: 'seeds', url: 'seeds', description: 'trainings of every grid setting, each with its own seed (intervals over seeds and test documents)' },
  { path: 'maxLength', kind: 'number', range: { integer: true, min: 3 }, nullWord: 'auto', nullMeans: `min(${AUTO_MAX_LENGTH}, the model's limit)`, cli: 'max-length', url: 'maxlen', description: 'longest token sequence' },
  { path: 'maxTrainDocs', kind: 'number', range: { integer: true, min: 2 }, nullWord: 'all', nullMeans: 'no cap', cli: 'max-train-docs', url: 'maxdocs', description: 'cap on each task\'s training documents (seeded, stratified subsample)' },
  { path: 'minTrainPositiveShare', kind: 'number', range: { min: 0, max: 0.5 }, cli: 'min-positive-share', url: 'minposshare', description: 'under maxTrainDocs: the least share of positives in a task\'s capped training sample (all its positives if it has fewer); 0 = the task\'s own rate' },
  { path: 'logmeDocs', kind: 'number', range: { integer: true, min: 0, note: '0 = no LogME feature' }, cli: 'logme-docs', url: 'logme', description: 'cap on each target\'s training documents that the LogME pair feature is computed on (seeded, stratified subsample)' },
  { path: 'training.warmupFraction', kind: 'number', range: { min: 0, max: 1, maxExclusive: true }, cli: 'warmup', url: 'warmup', description: 'fraction of the training steps warming up linearly' },
  { path: 'training.weightDecay', kind: 'number', range: { min: 0 }, cli: 'weight-decay', url: 'wd', description: 'AdamW decoupled weight decay' },
  { path: 'training.clipNorm', kind: 'number', range: { min: 0, note: '0 = no clipping' }, cli: 'clip', url: 'clip', description: 'global gradient-norm clipping threshold' },
  { path: 'training.dropout', kind: 'boolean', cli: 'no-dropout', url: 'dropout', description: 'dropout during training (the switch turns it off)' },
  { path: 'training.classBalanced', kind: 'boolean', cli: 'no-class-balance', url: 'bal', description: 'weight the loss so both classes count equally (the switch turns it off)' },
  { path: 'threshold', kind: 'choice', choices: THRESHOLD_RULES, cli: 'threshold', url: 'thr', description: 'how probabilities become predictions: validation = at the threshold with the best validation F1 (test is never looked at), argmax = at 0.5' },
  { path: 'conductance.method', kind: 'choice', choices: CONDUCTANCE_METHODS, cli: 'method', url: 'cmethod', description: 'conductance quadrature' },
  { path: 'conductance.nSteps', kind: 'number', range: { integer: true, min: 1 }, cli: 'steps', url: 'steps', description: 'conductance interpolation steps' },
  { path: 'conductance.internalBatchSize', kind: 'number', range: { integer: true, min: 1 }, nullWord: 'auto', nullMeans: 'as many as fit the memory budget', cli: 'internal-batch-size', url: 'cbatch', description: 'interpolation points per conductance pass' },
  { path: 'conductance.maxDocsPerTask', kind: 'number', range: { integer: true, min: 1 }, nullWord: 'all', nullMeans: 'no cap', cli: 'max-docs-per-task', url: 'cdocs', description: 'cap on each task\'s positive test documents that conductance explains' },
  { path: 'featureSets', kind: 'names', choices: FEATURE_SET_NAMES, cli: 'feature-sets', url: 'fsets', description: 'regressor feature sets to evaluate (F1+LogME is opt-in: not among the defaults)' },
  { path: 'analysis.maxF1Cost', kind: 'number', range: { min: 0 }, cli: 'max-f1-cost', url: 'f1cost', description: 'headline: the F1 a search may lose against the best' },
  { path: 'analysis.timeFraction', kind: 'number', range: { min: 0, minExclusive: true, max: 1 }, cli: 'time-fraction', url: 'timefrac', description: 'headline: the share of the full search\'s time allowed' },
];

export function optionAt(path: string): SpecOption {
  const o = SPEC_OPTIONS.find((x) => x.path === path);
  if (!o) throw new Error(`no spec option ${path}`);
  return o;
}

/** The value at a dotted path (undefined where a parent is missing). */
export function valueAt(obj: unknown, path: string): unknown {
  let v = obj;
  for (const k of path.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

/** Sets the value at a dotted path, creating (or copying) the objects on the way. */
export function setAt(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) {
    const next = o[k];
    o = o[k] = typeof next === 'object' && next !== null && !Array.isArray(next) ? { ...(next as Record<string, unknown>) } : {};
  }
  o[keys.at(-1)!] = value;
}

/** The default of an option's path (`split.seed`: undefined, as it follows `seed`). */
export function defaultAt(path: string): unknown {
  return valueAt(SPEC_DEFAULTS, path);
}

/** What values an option takes, in words, for messages and usage texts. */
export function describeOption(o: SpecOption): string {
  switch (o.kind) {
    case 'number':
      return o.nullWord ? `${describeRange(o.range)} or ${o.nullWord} (${o.nullMeans})` : describeRange(o.range);
    case 'boolean':
      return 'true or false';
    case 'choice':
      return `one of ${o.choices.join(', ')}`;
    case 'names':
      return `a list of ${o.choices.join(', ')}`;
    case 'tasks':
      return '"all" or a list of task names';
    case 'pairs':
      return '"all" or a positive number';
    case 'grid':
      return `${GRID_PRESET_NAMES.join(', ')} or custom lists`;
    case 'string':
      return 'a non-empty text';
  }
}
