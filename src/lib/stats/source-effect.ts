/**
 * Does the choice of source matter for a target, beyond seed noise? A one-way analysis of variance
 * of the target's transfer F1 with the source as the factor and the seeds as replicates, its
 * p-value from a seeded permutation test (the F1 of a few seeds are not normal: many sit at 0 or at
 * the share of positives, so the F distribution's p-value would be a guess).
 *
 * Why it matters: a search over sources can only beat random where the sources differ. Where they
 * do not, "the best source" of an exhaustive run is whichever seed drew highest, and no estimator
 * can be expected to find it cheaply; replay says so instead of reporting a loss or a win.
 */
import { createRng } from '../util/rng';

export type SourceEffectVerdict =
  /** p < alpha: the sources' F1 differ by more than the seeds' spread explains. */
  | 'sources differ'
  /** p ≥ alpha. */
  | 'not distinguishable'
  /** Every value is the same (e.g. every model predicts every document positive). */
  | 'constant'
  /** No source has two seeds: the seeds' spread is unknown. */
  | 'one seed';

export interface SourceEffect {
  sources: number;
  /** Values in all (source × seed). */
  runs: number;
  /** The F statistic (between-source over within-source mean square); null when it is undefined. */
  F: number | null;
  /** Permutation p-value, (1 + #{F_perm ≥ F}) / (1 + permutations); null when untestable. */
  p: number | null;
  verdict: SourceEffectVerdict;
}

export const SOURCE_EFFECT_ALPHA = 0.05;
export const SOURCE_EFFECT_PERMUTATIONS = 2000;

/** The F statistic of values laid out group after group (`sizes[g]` values each). */
function fStatistic(values: Float64Array, sizes: readonly number[], total: number): number {
  let grand = 0;
  for (let i = 0; i < values.length; i++) grand += values[i];
  grand /= values.length;
  let between = 0;
  let within = 0;
  let at = 0;
  for (const n of sizes) {
    let mean = 0;
    for (let i = at; i < at + n; i++) mean += values[i];
    mean /= n;
    for (let i = at; i < at + n; i++) within += (values[i] - mean) ** 2;
    between += n * (mean - grand) ** 2;
    at += n;
  }
  const k = sizes.length;
  return (between / (k - 1)) / (within / (total - k));
}

/**
 * The test over `groups` (one array of F1 values per source). Groups with no value are ignored.
 * Deterministic for a given `seed`.
 */
export function sourceEffect(groups: readonly (readonly number[])[], opts: { permutations?: number; seed?: number; alpha?: number } = {}): SourceEffect {
  const permutations = opts.permutations ?? SOURCE_EFFECT_PERMUTATIONS;
  const alpha = opts.alpha ?? SOURCE_EFFECT_ALPHA;
  if (!(Number.isInteger(permutations) && permutations >= 1)) throw new Error(`source effect: permutations must be an integer ≥ 1, got ${permutations}`);
  const used = groups.filter((g) => g.length > 0);
  for (const g of used) for (const v of g) if (!Number.isFinite(v)) throw new Error(`source effect: every value must be a finite number, got ${v}`);
  const sizes = used.map((g) => g.length);
  const runs = sizes.reduce((a, b) => a + b, 0);
  const base = { sources: used.length, runs };
  if (used.length < 2 || runs - used.length < 1) return { ...base, F: null, p: null, verdict: 'one seed' };
  const values = Float64Array.from(used.flat());
  if (values.every((v) => v === values[0])) return { ...base, F: null, p: null, verdict: 'constant' };

  const observed = fStatistic(values, sizes, runs);
  const rng = createRng(opts.seed ?? 0);
  const shuffled = Float64Array.from(values);
  let atLeast = 0;
  // Slack for rounding: a permutation that only reorders equal values (or equal means) must count as
  // "as extreme" even where its F differs from the observed one in the last bits.
  const threshold = observed === Infinity ? Infinity : observed * (1 - 1e-9) - 1e-12;
  for (let r = 0; r < permutations; r++) {
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = shuffled[i];
      shuffled[i] = shuffled[j];
      shuffled[j] = t;
    }
    if (fStatistic(shuffled, sizes, runs) >= threshold) atLeast++;
  }
  const p = (1 + atLeast) / (1 + permutations);
  return { ...base, F: observed === Infinity ? null : observed, p, verdict: p < alpha ? 'sources differ' : 'not distinguishable' };
}
