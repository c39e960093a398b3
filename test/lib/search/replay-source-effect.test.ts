import { describe, expect, it } from 'vitest';
import { readReplayData } from '../../../src/lib/search/replay-input';
import { sourceEffects, sourceEffectWarning } from '../../../src/lib/search/replay-source-effect';
import { replayWarnings } from '../../../src/lib/search/replay-report';
import type { ReplayData } from '../../../src/lib/search/replay-types';
import { runFolderTexts, type SyntheticPair } from './replay-run-folder';

/** Targets T0…: in the first `differ` of them source S0 is far ahead; in the others every source draws from the same spread. */
function data(targets: number, differ: number, seeds = 3): ReplayData {
  const pairs: SyntheticPair[] = [];
  for (let t = 0; t < targets; t++) {
    for (let s = 0; s < 4; s++) {
      const base = t < differ && s === 0 ? 0.8 : 0.3;
      // The same three "seed draws" for every source: no spread between them where base is equal.
      const runs = Array.from({ length: seeds }, (_, k) => ({ lr: 1e-4, seed: k, f1: base + [0.05, -0.04, 0.01][k % 3] + 0.001 * s * (k - 1), ms: 10 }));
      // A worse second setting, which the test must not mix in.
      runs.push({ lr: 3e-4, seed: 0, f1: 0.01, ms: 10 });
      pairs.push({ source: `S${s}`, target: `T${t}`, runs, features: { x: s } });
    }
  }
  const singles = Array.from({ length: targets }, (_, t) => ({ task: `T${t}`, runs: [{ lr: 1e-4, seed: 0, f1: 0.2, ms: 5 }] }));
  return readReplayData(runFolderTexts({ singles, pairs, featureNames: ['x'] }));
}

describe('replay: does the source matter for a target?', () => {
  it('reads each source\'s best-setting seeds from runs.csv and finds the targets where one source stands out', () => {
    const d = data(5, 2);
    expect(d.targets[0].candidates[0].seedF1s).toHaveLength(3);
    expect(d.targets[0].candidates[0].seedF1s![0]).toBeCloseTo(0.85, 10);
    const e = sourceEffects(d);
    expect(e.targets.map((t) => t.verdict)).toEqual(['sources differ', 'sources differ', 'not distinguishable', 'not distinguishable', 'not distinguishable']);
    expect([e.differ, e.testable]).toEqual([2, 5]);
  });

  it('warns when most targets\' sources are indistinguishable, naming the ones that differ, and not otherwise', () => {
    const w = sourceEffectWarning(sourceEffects(data(5, 1)));
    expect(w).toMatch(/^on 4 of 5 targets the sources' transfer F1 are not distinguishable/);
    expect(w).toContain('Sources differ only for T0.');
    expect(replayWarnings(data(5, 1))).toContain(w);
    expect(sourceEffectWarning(sourceEffects(data(5, 4)))).toBeNull();
  });

  it('says the test needs seeds when every source has one', () => {
    const e = sourceEffects(data(3, 1, 1));
    expect(e.targets.every((t) => t.verdict === 'one seed')).toBe(true);
    expect(sourceEffectWarning(e)).toMatch(/single seed.*run 2 or more seeds/);
  });
});
