/**
 * The Experiment and Data views' form over the experiment contract (src/lib/pipeline/spec-options.ts):
 * it starts from the settings the page's URL carries (spec-url.ts) laid over the contract's
 * defaults and the first experiment preset (`quick`, EXPERIMENT_PRESET_NAMES[0]), and writes every setting back to the URL, so a shared
 * link reproduces it. The seed lives in AppState (it also drives the split shown in the Data
 * view); settings the form does not show travel from the link into the spec unchanged.
 */
import type { ConductanceMethod } from '../../lib/explain/interpolation';
import { GRID_PRESET_NAMES, GRID_PRESETS as GRID_PRESET_LISTS } from '../../lib/pipeline/grids';
import { EXPERIMENT_PRESET_NAMES, EXPERIMENT_PRESETS, optionAt, type NumberRange } from '../../lib/pipeline/spec-options';
import { gridText, OptionValueError, parseGridList } from '../../lib/pipeline/spec-text';
import type { ExperimentSpec, ExperimentSpecInput, GridInput } from '../../lib/pipeline/spec-types';
import { settingsFromUrl, specToUrl, type SpecSettings } from '../../lib/pipeline/spec-url';
import { readSpecOption, writeParams } from './url-state';
import type { SplitBy } from '../../lib/data/split';
import type { ThresholdRule } from '../../lib/train/threshold';
import type { SplitRequest } from '../../lib/data/split-overview';

/** The pipeline's presets, and "custom" for the form's own lists. */
export const GRID_PRESETS = [...GRID_PRESET_NAMES, 'custom'] as const;
export type GridPreset = (typeof GRID_PRESETS)[number];

/** An option's range, for a form input's min and max. */
export function rangeOf(path: string): NumberRange {
  const o = optionAt(path);
  if (o.kind !== 'number') throw new Error(`${path} is not a number option`);
  return o.range;
}

export class GridSettings {
  preset = $state<GridPreset>('small');
  // The custom lists start as the small preset's.
  lr = $state(GRID_PRESET_LISTS.small.lr.join(', '));
  epochs = $state(GRID_PRESET_LISTS.small.epochs.join(', '));
  batch = $state(GRID_PRESET_LISTS.small.batch.join(', '));

  constructor(private readonly urlKeys: { preset: string; lr: string; epochs: string; batch: string }, grid: SpecSettings['grids']['single']) {
    this.show(grid);
  }

  /** Shows a grid: its preset's name, or "custom" with its lists. */
  show(grid: SpecSettings['grids']['single']): void {
    const { preset, lists } = gridText(grid);
    this.preset = preset as GridPreset;
    if (lists) {
      this.lr = lists.lr.replaceAll(',', ', ');
      this.epochs = lists.epochs.replaceAll(',', ', ');
      this.batch = lists.batch.replaceAll(',', ', ');
    }
  }

  /** The custom lists, or the first problem with them (ranges: the contract's). */
  custom(): { lr: number[]; epochs: number[]; batch: number[] } | string {
    try {
      return {
        lr: parseGridList(this.lr, 'lr', 'Learning rates'),
        epochs: parseGridList(this.epochs, 'epochs', 'Epochs'),
        batch: parseGridList(this.batch, 'batch', 'Batch sizes'),
      };
    } catch (e) {
      if (e instanceof OptionValueError) return `${e.message}; separate values by commas, e.g. "1e-4, 3e-4".`;
      throw e;
    }
  }

  /** The problem with the custom lists, if they are chosen and have one. */
  problem(): string | null {
    const c = this.preset === 'custom' ? this.custom() : null;
    return typeof c === 'string' ? c : null;
  }

  /** The grid for the spec (check `problem()` first). */
  input(): GridInput {
    if (this.preset !== 'custom') return this.preset;
    const c = this.custom();
    if (typeof c === 'string') throw new Error(c);
    return { name: 'custom', ...c };
  }

  /** The URL values: the lists as typed (kept while they are being fixed), only for "custom". */
  toUrl(): Record<string, string | null> {
    const custom = this.preset === 'custom';
    return {
      [this.urlKeys.preset]: this.preset,
      [this.urlKeys.lr]: custom ? this.lr : null,
      [this.urlKeys.epochs]: custom ? this.epochs : null,
      [this.urlKeys.batch]: custom ? this.batch : null,
    };
  }
}

const gridKeys = (path: 'grids.single' | 'grids.transfer') => {
  const o = optionAt(path);
  if (o.kind !== 'grid') throw new Error(`${path} is not a grid option`);
  return { preset: o.url!, ...o.lists.url };
};

/** The preset a fresh form starts from: the first (`quick`: the demo end to end in minutes). */
export const STARTING_PRESET = EXPERIMENT_PRESET_NAMES[0];

/** The page's link read once, laid over the contract's defaults and the starting preset. */
function startingSettings(): { settings: SpecSettings; problems: string[]; splitSeed: number | null } {
  const params = new URLSearchParams(location.search);
  const { settings, problems } = settingsFromUrl(params, structuredClone(EXPERIMENT_PRESETS[STARTING_PRESET]) as ExperimentSpecInput);
  return { settings, problems, splitSeed: params.has(optionAt('split.seed').url!) ? settings.split.seed : null };
}

export class ExperimentSettings {
  /** The settings the page started from: what the form does not show comes from here. */
  private readonly begin = startingSettings();
  /** Replaced by `show` when an experiment is selected. */
  private start: SpecSettings = this.begin.settings;
  /** A split seed of its own from the link; null = the seed's. */
  private splitSeed = this.begin.splitSeed;
  /** Link values that were malformed and fell back to their defaults. */
  readonly problems: readonly string[] = this.begin.problems;

  testFraction = $state(this.start.split.testFraction);
  /** What must stay on one side of the split (near-duplicate tweets by default). */
  splitBy = $state<SplitBy>(this.start.split.by);
  /** The part of the training side that chooses settings. */
  validationFraction = $state(this.start.split.validationFraction);
  minTrainPositives = $state(this.start.minPositives.train);
  minTestPositives = $state(this.start.minPositives.test);
  /** Chosen tasks; null = every task the selection keeps. */
  tasks = $state<string[] | null>(this.start.tasks === 'all' ? null : [...this.start.tasks]);
  single = new GridSettings(gridKeys('grids.single'), this.start.grids.single);
  transfer = new GridSettings(gridKeys('grids.transfer'), this.start.grids.transfer);
  /** 'all' or a number of ordered pairs sampled with the seed. */
  pairs = $state(this.start.pairs.kind === 'sample' ? String(this.start.pairs.count) : 'all');
  keepHead = $state(this.start.keepHead);
  /** Weight the loss so that both classes count equally (rare tasks otherwise learn "always no"). */
  classBalanced = $state(this.start.training.classBalanced);
  dropout = $state(this.start.training.dropout);
  /** How probabilities become predictions: at the validation threshold, or argmax. */
  threshold = $state<ThresholdRule>(this.start.threshold);
  warmupFraction = $state(this.start.training.warmupFraction);
  weightDecay = $state(this.start.training.weightDecay);
  clipNorm = $state(this.start.training.clipNorm);
  /** Cap on training documents per task (0 = all); a fresh page starts from the starting preset's. */
  maxTrainDocs = $state(this.start.maxTrainDocs ?? 0);
  /** Under the cap: the least share of positives in a task's sample (rare tasks learn from too few otherwise). */
  minTrainPositiveShare = $state(this.start.minTrainPositiveShare);
  /** Longest token sequence (0 = auto: the model's limit, at most AUTO_MAX_LENGTH). */
  maxLength = $state(this.start.maxLength ?? 0);
  steps = $state(this.start.conductance.nSteps);
  method = $state<ConductanceMethod>(this.start.conductance.method);
  /** Positive test documents per task explained (0 = all). */
  conductanceDocs = $state(this.start.conductance.maxDocsPerTask ?? 0);

  /**
   * Shows an experiment's settings in the form and in the URL (the share link then reproduces it).
   * The seed, data set and model are AppState's: the caller sets them.
   */
  show(spec: ExperimentSpec): void {
    const { dataset: _dataset, model: _model, ...settings } = spec;
    this.start = settings;
    this.splitSeed = spec.split.seed === spec.seed ? null : spec.split.seed;
    this.testFraction = spec.split.testFraction;
    this.splitBy = spec.split.by;
    this.validationFraction = spec.split.validationFraction;
    this.minTrainPositives = spec.minPositives.train;
    this.minTestPositives = spec.minPositives.test;
    this.tasks = spec.tasks === 'all' ? null : [...spec.tasks];
    this.single.show(spec.grids.single);
    this.transfer.show(spec.grids.transfer);
    this.pairs = spec.pairs.kind === 'sample' ? String(spec.pairs.count) : 'all';
    this.keepHead = spec.keepHead;
    this.classBalanced = spec.training.classBalanced;
    this.dropout = spec.training.dropout;
    this.threshold = spec.threshold;
    this.warmupFraction = spec.training.warmupFraction;
    this.weightDecay = spec.training.weightDecay;
    this.clipNorm = spec.training.clipNorm;
    this.maxTrainDocs = spec.maxTrainDocs ?? 0;
    this.minTrainPositiveShare = spec.minTrainPositiveShare;
    this.maxLength = spec.maxLength ?? 0;
    this.steps = spec.conductance.nSteps;
    this.method = spec.conductance.method;
    this.conductanceDocs = spec.conductance.maxDocsPerTask ?? 0;
    this.save(spec.seed);
  }

  /** The spec's `split` under the form's values: what the Data view shows is what the experiment makes. */
  splitRequest(seed: number): SplitRequest {
    return { seed: this.splitSeed ?? seed, testFraction: this.testFraction, by: this.splitBy, validationFraction: this.validationFraction };
  }

  /**
   * The spec input of the form (without name, data set and model), or the first problem a front end
   * can see before the pipeline checks the rest. `maxPositions`: the loaded model's limit.
   */
  specInput(seed: number, maxPositions?: number): ExperimentSpecInput | string {
    const gridProblem = this.single.problem() ?? this.transfer.problem();
    if (gridProblem) return gridProblem;
    if (this.tasks && this.tasks.length < 2) return 'Choose at least two tasks: a transfer needs a source and a target.';
    const pairs = this.pairs.trim() === 'all' ? 'all' : Number(this.pairs);
    if (pairs !== 'all' && !(Number.isInteger(pairs) && pairs > 0)) return 'Pairs: "all", or a whole number of pairs to sample.';
    const s = this.start;
    return {
      tasks: this.tasks ? [...this.tasks] : 'all',
      // Settings the form does not show (seeds) come from the link.
      split: this.splitRequest(seed),
      seeds: s.seeds,
      minPositives: { train: this.minTrainPositives, test: this.minTestPositives },
      grids: { single: this.single.input(), transfer: this.transfer.input() },
      pairs,
      keepHead: this.keepHead,
      seed,
      maxLength: this.maxLength > 0 ? Math.min(this.maxLength, maxPositions ?? this.maxLength) : null,
      maxTrainDocs: this.maxTrainDocs > 0 ? this.maxTrainDocs : null,
      minTrainPositiveShare: this.minTrainPositiveShare,
      training: {
        warmupFraction: this.warmupFraction, weightDecay: this.weightDecay, clipNorm: this.clipNorm,
        dropout: this.dropout, classBalanced: this.classBalanced,
      },
      threshold: this.threshold,
      conductance: {
        method: this.method, nSteps: this.steps, internalBatchSize: s.conductance.internalBatchSize,
        maxDocsPerTask: this.conductanceDocs > 0 ? this.conductanceDocs : null,
      },
      regressor: { params: { ...s.regressor.params } },
      featureSets: [...s.featureSets],
      analysis: { ...s.analysis },
    };
  }

  /** Writes every setting to the URL, defaults included: a link must not depend on today's defaults. */
  save(seed = readSpecOption('seed') as number): void {
    const s = this.start;
    const current: SpecSettings = {
      ...s,
      tasks: this.tasks ? [...this.tasks] : 'all',
      seed,
      split: this.splitRequest(seed),
      minPositives: { train: this.minTrainPositives, test: this.minTestPositives },
      keepHead: this.keepHead,
      maxLength: this.maxLength > 0 ? this.maxLength : null,
      maxTrainDocs: this.maxTrainDocs > 0 ? this.maxTrainDocs : null,
      minTrainPositiveShare: this.minTrainPositiveShare,
      training: {
        warmupFraction: this.warmupFraction, weightDecay: this.weightDecay, clipNorm: this.clipNorm,
        dropout: this.dropout, classBalanced: this.classBalanced,
      },
      threshold: this.threshold,
      conductance: {
        ...s.conductance, method: this.method, nSteps: this.steps, maxDocsPerTask: this.conductanceDocs > 0 ? this.conductanceDocs : null,
      },
    };
    const values = specToUrl(current);
    // The pairs as typed, even while they are being fixed (links carry no pair lists).
    values[optionAt('pairs').url!] = this.pairs;
    writeParams({ ...values, ...this.single.toUrl(), ...this.transfer.toUrl() });
  }
}
