/**
 * Per target of a replayed run: do its sources differ beyond seed noise? (src/lib/stats/source-effect.ts
 * over each source's best-setting seeds.) Where they do not, every strategy's share_to_within_tolerance
 * there measures which seed drew highest, not the strategy; replay's JSON carries the test and its
 * warnings say how many targets it leaves.
 */
import { SOURCE_EFFECT_ALPHA, sourceEffect, type SourceEffect } from '../stats/source-effect';
import type { ReplayData } from './replay-types';

export interface TargetSourceEffect extends SourceEffect {
  target: string;
}

export interface SourceEffects {
  alpha: number;
  method: string;
  targets: TargetSourceEffect[];
  /** Targets whose sources differ (p < alpha). */
  differ: number;
  /** Targets that could be tested (two or more sources, some with two or more seeds, values not all equal). */
  testable: number;
}

export function sourceEffects(data: ReplayData): SourceEffects {
  const targets = data.targets.map((t, i) => ({
    target: t.target,
    // One seed per target, so that a target's result does not depend on which others are replayed.
    ...sourceEffect(t.candidates.map((c) => c.seedF1s ?? [c.value]), { seed: 1000 + i }),
  }));
  return {
    alpha: SOURCE_EFFECT_ALPHA,
    method: 'one-way ANOVA of each target\'s transfer F1 by source (the seeds of each source\'s best setting), p-value from 2000 seeded permutations',
    targets,
    differ: targets.filter((t) => t.verdict === 'sources differ').length,
    testable: targets.filter((t) => t.verdict === 'sources differ' || t.verdict === 'not distinguishable').length,
  };
}

/** The warning replay gives when most targets' sources are indistinguishable, or null. */
export function sourceEffectWarning(e: SourceEffects): string | null {
  const n = e.targets.length;
  const untested = e.targets.filter((t) => t.verdict === 'one seed').length;
  if (untested === n) return 'every source has a single seed: whether the sources differ beyond seed noise cannot be tested; run 2 or more seeds';
  const same = n - e.differ;
  if (same * 2 < n) return null;
  const names = e.targets.filter((t) => t.verdict === 'sources differ').map((t) => t.target);
  return `on ${same} of ${n} targets the sources' transfer F1 are not distinguishable from one another beyond seed noise ` +
    `(one-way ANOVA by permutation, p ≥ ${e.alpha}${untested ? `; ${untested} with one seed, untested` : ''}): there the "best source" is whichever seed drew highest, ` +
    `so no ranking can be expected to reach it more cheaply than random. ` +
    (names.length ? `Sources differ only for ${names.join(', ')}.` : 'The sources differ for none of them.');
}
