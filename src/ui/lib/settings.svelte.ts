/**
 * Every setting of an experiment, mirrored into the URL so that a shared link reproduces it (the
 * seed lives in AppState, as it also drives the split shown in the Data view). Short keys keep
 * links readable.
 */
import { CONDUCTANCE_METHODS, type ConductanceMethod } from '../../lib/explain/interpolation';
import { GRID_PRESET_NAMES, GRID_PRESETS as GRID_PRESET_LISTS } from '../../lib/pipeline/grids';
import { readBool, readChoice, readFloat, readInt, readList, readParam, writeParams } from './url-state';

/** The pipeline's presets, and "custom" for the form's own lists. */
export const GRID_PRESETS = [...GRID_PRESET_NAMES, 'custom'] as const;
export type GridPreset = (typeof GRID_PRESETS)[number];

function numberList(raw: string | null): number[] | null {
  if (raw === null) return null;
  const values = raw.split(/[\s,;]+/).filter(Boolean).map(Number);
  return values.length > 0 && values.every((v) => Number.isFinite(v) && v > 0) ? values : null;
}

export class GridSettings {
  preset = $state<GridPreset>('small');
  // The custom lists start as the small preset's.
  lr = $state(GRID_PRESET_LISTS.small.lr.join(', '));
  epochs = $state(GRID_PRESET_LISTS.small.epochs.join(', '));
  batch = $state(GRID_PRESET_LISTS.small.batch.join(', '));

  constructor(private readonly prefix: string, fallback: GridPreset) {
    this.preset = readChoice(`${prefix}grid`, GRID_PRESETS, fallback);
    this.lr = readParam(`${prefix}lr`) ?? this.lr;
    this.epochs = readParam(`${prefix}ep`) ?? this.epochs;
    this.batch = readParam(`${prefix}bs`) ?? this.batch;
  }

  /** The custom lists, or the first problem with them. */
  custom(): { lr: number[]; epochs: number[]; batch: number[] } | string {
    const lr = numberList(this.lr);
    const epochs = numberList(this.epochs);
    const batch = numberList(this.batch);
    if (!lr) return 'Learning rates: give positive numbers separated by commas, e.g. "1e-4, 3e-4".';
    if (!epochs || epochs.some((e) => !Number.isInteger(e))) return 'Epochs: give whole numbers separated by commas, e.g. "1, 2".';
    if (!batch || batch.some((b) => !Number.isInteger(b))) return 'Batch sizes: give whole numbers separated by commas, e.g. "16, 32".';
    return { lr, epochs, batch };
  }

  toUrl(): Record<string, string | null> {
    const custom = this.preset === 'custom';
    return {
      [`${this.prefix}grid`]: this.preset,
      [`${this.prefix}lr`]: custom ? this.lr : null,
      [`${this.prefix}ep`]: custom ? this.epochs : null,
      [`${this.prefix}bs`]: custom ? this.batch : null,
    };
  }
}

export class ExperimentSettings {
  testFraction = $state(readFloat('tf', 0.2, 0.05, 0.5));
  minTrainPositives = $state(readInt('mintr', 10, 1, 100000));
  minTestPositives = $state(readInt('minte', 3, 1, 100000));
  /** Chosen tasks; null = every task the selection keeps. */
  tasks = $state<string[] | null>(readList('tasks'));
  single = new GridSettings('', 'small');
  transfer = new GridSettings('t', 'small');
  /** 'all' or a number of ordered pairs sampled with the seed. */
  pairs = $state(readParam('pairs') ?? 'all');
  keepHead = $state(readBool('head'));
  /** Weight the loss so that both classes count equally (rare tasks otherwise learn "always no"). */
  classBalanced = $state(readBool('bal'));
  /**
   * Cap on training documents per task (0 = all). The default keeps a first experiment in the
   * browser affordable while the bundled model still learns the demo tasks (with 500 documents
   * most of them stay at F1 0); the paper's setting is 0.
   */
  maxTrainDocs = $state(readInt('maxdocs', 1000, 0, 10_000_000));
  maxLength = $state(readInt('maxlen', 128, 8, 512));
  steps = $state(readInt('steps', 50, 2, 1000));
  method = $state<ConductanceMethod>(readChoice('cmethod', CONDUCTANCE_METHODS, 'gausslegendre'));
  /** Positive test documents per task explained (0 = all). */
  conductanceDocs = $state(readInt('cdocs', 20, 0, 100000));

  /** Writes every setting to the URL, defaults included: a link must not depend on today's defaults. */
  save(): void {
    writeParams({
      tf: this.testFraction,
      mintr: this.minTrainPositives,
      minte: this.minTestPositives,
      tasks: this.tasks ? this.tasks.join(',') : null,
      ...this.single.toUrl(),
      ...this.transfer.toUrl(),
      pairs: this.pairs,
      head: this.keepHead,
      bal: this.classBalanced,
      maxdocs: this.maxTrainDocs,
      maxlen: this.maxLength,
      steps: this.steps,
      cmethod: this.method,
      cdocs: this.conductanceDocs,
    });
  }
}
