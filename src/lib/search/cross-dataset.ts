/**
 * Pair rows that carry from one data set to another (issue 15, cold start). A prior fitted on
 * another data set's exhaustive run sees other F1 levels (debtags single-task F1 averages 0.18,
 * TREC-IS 0.33) and other ANSAT ranges (another vocabulary, other document lengths), so its raw
 * rows tell the boosted trees about a different scale. Two changes make the rows comparable:
 *
 * - features as within-data-set ranks: each feature value becomes its mid-rank percentile among
 *   all pairs of its own run (0 = lowest pair there, 1 = highest), so "this source's F1 is high
 *   for this data set" means the same everywhere; trees depend only on the order of a feature
 *   anyway, so within one data set the ranks lose nothing;
 * - the label as the gain over the target's own single-task F1 (transfer F1 − single F1): what a
 *   source adds, not the target's level. For one target the shift is the same for every source,
 *   so ranking by predicted gain is ranking by predicted F1.
 *
 * `raw` keeps features and labels as measured (what a prior from the same data set needs).
 */
export const FEATURE_SCALES = ['raw', 'ranks'] as const;
export type FeatureScale = (typeof FEATURE_SCALES)[number];

type Features = Readonly<Record<string, number>>;

/**
 * The mid-rank percentile of every feature among `population`: (#below + #equal / 2) / n, NaN kept
 * (a missing cell stays missing). Values not in the population are placed by the same rule.
 */
export function rankScaler(population: readonly Features[], names: readonly string[]): (f: Features) => Record<string, number> {
  const sorted = new Map<string, Float64Array>();
  for (const name of names) {
    const v = population.map((p) => p[name] ?? NaN).filter((x) => !Number.isNaN(x));
    sorted.set(name, Float64Array.from(v).sort());
  }
  return (f) => {
    const out: Record<string, number> = {};
    for (const name of names) {
      const x = f[name] ?? NaN;
      const s = sorted.get(name)!;
      if (Number.isNaN(x) || s.length === 0) {
        out[name] = NaN;
        continue;
      }
      const below = lowerBound(s, x);
      let equal = 0;
      while (below + equal < s.length && s[below + equal] === x) equal++;
      out[name] = (below + equal / 2) / s.length;
    }
    return out;
  };
}

/** First index whose value is ≥ x. */
function lowerBound(s: Float64Array, x: number): number {
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where guided's context rows come from: the run's other targets, the priors, or both. */
export const CONTEXT_SOURCES = ['run', 'prior', 'both'] as const;
export type ContextSource = (typeof CONTEXT_SOURCES)[number];

export interface ScaledTarget {
  target: string;
  singleValue: number;
  candidates: readonly { source: string; value: number; features: Features }[];
}

/** A run's targets with every candidate's features on `scale` (ranks: among all the run's pairs). */
export function scaleTargets<T extends ScaledTarget>(targets: readonly T[], names: readonly string[], scale: FeatureScale): T[] {
  if (scale === 'raw') return [...targets];
  const rank = rankScaler(targets.flatMap((t) => t.candidates.map((c) => c.features)), names);
  return targets.map((t) => ({ ...t, candidates: t.candidates.map((c) => ({ ...c, features: rank(c.features) })) }));
}

/** What a target's values lose to become labels on `scale`: nothing (raw) or its single-task F1 (ranks: gains). */
export function labelOffset(singleValue: number, scale: FeatureScale): number {
  return scale === 'ranks' ? singleValue : 0;
}

/** A row's label on `scale`: the F1 (raw) or the gain over the target's single-task F1 (ranks). */
export function labelOf(value: number, singleValue: number, scale: FeatureScale): number {
  return value - labelOffset(singleValue, scale);
}

/** Every candidate of `targets` as a regressor row (features already scaled), with `target` kept for the same-target rule. */
export function pairRowsOf(targets: readonly ScaledTarget[], scale: FeatureScale): { target: string; features: Features; value: number }[] {
  return targets.flatMap((t) => t.candidates.map((c) => ({ target: t.target, features: c.features, value: labelOf(c.value, t.singleValue, scale) })));
}
