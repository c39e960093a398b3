/**
 * Seeded row and column sampling. XGBoost draws from C++'s std::mt19937 through libstdc++'s
 * distributions, which cannot be reproduced portably, so the draws here are our own; what matches
 * XGBoost is the semantics: rows kept independently with probability `subsample` per tree, and
 * features drawn without replacement, ⌊fraction·k⌋ (at least 1) of the k available, nested
 * tree → level → node.
 */
import { createRng, type Rng } from '../util/rng';

/**
 * The fit's random stream for a `seed` parameter: the project's mulberry32, started from the seed
 * XOR a golden-ratio constant (as it always has been here, so a seed keeps giving the same model).
 */
export function samplingRng(seed: number): Rng {
  return createRng((Math.trunc(seed) ^ 0x9e3779b9) >>> 0);
}

/** Draws ⌊fraction·k⌋ (≥ 1) of `features` without replacement, returned in increasing order. */
export function sampleFeatures(rng: Rng, features: Int32Array, fraction: number): Int32Array {
  if (fraction >= 1) return features;
  const k = features.length;
  const take = Math.max(1, Math.floor(fraction * k));
  const pool = features.slice();
  for (let i = 0; i < take; i++) {
    const j = i + rng.int(k - i);
    const tmp = pool[i];
    pool[i] = pool[j];
    pool[j] = tmp;
  }
  return pool.subarray(0, take).sort();
}

/**
 * Per-tree feature sets: the tree's draw, one draw per level from it, and per node one draw from
 * its level's set. Sets are sorted so that features are always scanned in increasing index order,
 * which is what XGBoost's tie rule (lower feature index wins) relies on.
 */
export class ColumnSampler {
  private readonly all: Int32Array;
  private tree: Int32Array;
  private levels: Int32Array[] = [];

  constructor(
    d: number,
    private readonly rng: Rng,
    private readonly byTree: number,
    private readonly byLevel: number,
    private readonly byNode: number,
  ) {
    this.all = Int32Array.from({ length: d }, (_, i) => i);
    this.tree = this.all;
  }

  /** True when every node may use every feature (the common case: no per-node work at all). */
  get samplesNothing(): boolean {
    return this.byTree >= 1 && this.byLevel >= 1 && this.byNode >= 1;
  }

  startTree(): void {
    this.tree = sampleFeatures(this.rng, this.all, this.byTree);
    this.levels = [];
  }

  forNode(depth: number): Int32Array {
    let level = this.levels[depth];
    if (!level) level = this.levels[depth] = sampleFeatures(this.rng, this.tree, this.byLevel);
    return sampleFeatures(this.rng, level, this.byNode);
  }
}
