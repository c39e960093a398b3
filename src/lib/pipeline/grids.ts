/**
 * Hyper-parameter grids: named presets and custom lists, expanded into the settings each training
 * job runs with. A grid is stored in the experiment's spec as its full lists (not only the preset's
 * name), so a resumed experiment trains what it planned even if a preset changes in a later version.
 */
import type { GridPoint } from '../train/training-settings';

/** Lists of values for each hyper-parameter a grid varies (ranges: spec-options.ts). */
export type Grid = { [K in keyof GridPoint]: number[] } & {
  /** The preset it came from, or "custom". */
  name: string;
};

/** One point of a grid: the varied part of the training settings. */
export type GridSetting = GridPoint;

export const GRID_PRESET_NAMES = ['tiny', 'small', 'paper'] as const;
export type GridPresetName = (typeof GRID_PRESET_NAMES)[number];

/**
 * - `tiny`: one setting, for tests, CI and quick demos (a single short epoch).
 * - `small`: for small BERTs (2–4 layers, hidden 128–256, like the bundled model). Small models
 *   need larger learning rates than BERT-base (Turc et al. 2019 tune them over {1e-4, 3e-4, 5e-5};
 *   at 1e-5…5e-5 a 2-layer model barely moves in a few epochs). Measured with the bundled
 *   ts-bert-l4-h128 on the demo tasks (its model card): 3 epochs at batch 16 on 1,000 documents
 *   learn rare tasks that 2 epochs at batch 32 (lr 1e-4/3e-4, 32–64 steps) leave at F1 0, and the
 *   best rate is 3e-4 for some tasks and 1e-3 for others, so the grid spans both. Two settings keep
 *   the single-task and transfer grids at twice the cost of one training.
 * - `paper`: the paper's grid for BERT-base, 4 × 4 × 2 = 32 settings.
 * The same presets serve the single-task and the transfer grids; each can be chosen separately.
 */
export const GRID_PRESETS: Readonly<Record<GridPresetName, Readonly<Grid>>> = {
  tiny: { name: 'tiny', lr: [3e-4], epochs: [1], batch: [32] },
  small: { name: 'small', lr: [3e-4, 1e-3], epochs: [3], batch: [16] },
  paper: { name: 'paper', lr: [1e-5, 2e-5, 3e-5, 5e-5], epochs: [1, 2, 3, 4], batch: [16, 32] },
};

export function isGridPresetName(s: unknown): s is GridPresetName {
  return typeof s === 'string' && (GRID_PRESET_NAMES as readonly string[]).includes(s);
}

export function gridPreset(name: GridPresetName): Grid {
  const p = GRID_PRESETS[name];
  return { name: p.name, lr: [...p.lr], epochs: [...p.epochs], batch: [...p.batch] };
}

/** Every setting, learning rate slowest-varying (lr, then epochs, then batch). */
export function expandGrid(grid: Grid): GridSetting[] {
  const out: GridSetting[] = [];
  for (const lr of grid.lr) for (const epochs of grid.epochs) for (const batch of grid.batch) out.push({ lr, epochs, batch });
  return out;
}

/** Stable text of a setting for job and record ids: `lr=0.0003,epochs=2,batch=32`. */
export function settingKey(s: GridSetting): string {
  return `lr=${s.lr},epochs=${s.epochs},batch=${s.batch}`;
}
