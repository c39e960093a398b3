import { describe, expect, it } from 'vitest';
import { pairRowsOf } from '../../../src/lib/search/cross-dataset';
import { gbdtRegressor } from '../../../src/lib/gbdt/regressor';
import { readReplayData } from '../../../src/lib/search/replay-input';
import {
  argmaxByScore, guidedPicker, oracleOrder, sequentialOrder, type UntrainedView,
} from '../../../src/lib/search/replay-order';
import type { ReplayData, ReplayTarget } from '../../../src/lib/search/replay-types';
import type { FitFunction } from '../../../src/lib/search/types';
import { exhaustiveFolder, runFolderTexts } from './replay-run-folder';

const TASKS = ['A', 'B', 'C', 'D', 'E'];
const index = (t: string) => TASKS.indexOf(t);

/**
 * Every pair has a unique feature `x` and a unique value; within every target the BEST candidate
 * has the LAST source name, so alphabetical order is the worst and the oracle order is different.
 */
function uniqueData(): ReplayData {
  const folder = exhaustiveFolder(
    TASKS,
    (s, t) => {
      const rank = index(s) - (index(s) > index(t) ? 1 : 0); // 0..3 alphabetically among t's sources
      return { value: 0.2 + 0.15 * rank + 0.01 * index(t), ms: 10, features: { x: 100 * index(t) + index(s) } };
    },
    () => 0.1,
    ['x'],
  );
  return readReplayData(runFolderTexts(folder));
}

/**
 * A regressor that memorises: it predicts a training row's label for an identical feature vector and
 * the mean label otherwise. Fitted on a row it should not have seen, it ranks that row perfectly.
 */
const memoriser: FitFunction = (X, n, d, y) => {
  const known = new Map<string, number>();
  for (let i = 0; i < n; i++) known.set(Array.from(X.subarray(i * d, (i + 1) * d)).join(','), y[i]!);
  const mean = y.reduce((a, b) => a + b, 0) / n;
  return (X2, n2) => Float32Array.from({ length: n2 }, (_, i) => known.get(Array.from(X2.subarray(i * d, (i + 1) * d)).join(',')) ?? mean);
};

// The context replay's guided learns from by default: every other target's pairs, as measured.
const guidedOrder = (data: ReplayData, t: ReplayTarget, fit: FitFunction) => sequentialOrder(t, guidedPicker(pairRowsOf(data.targets, 'raw').filter((r) => r.target !== t.target), ['x'], fit));

describe('sequentialOrder', () => {
  it('shows a strategy the untrained candidates without their value, and the trained ones with it', () => {
    const t = uniqueData().targets[0]!;
    const seen: { trained: number; untrainedHaveValue: boolean }[] = [];
    const order = sequentialOrder(t, (trained, untrained) => {
      seen.push({ trained: trained.length, untrainedHaveValue: untrained.some((u) => 'value' in u) });
      trained.forEach((tr) => expect(tr.value).toBe(t.candidates[tr.index]!.value));
      return untrained[untrained.length - 1]!.index;
    });
    expect(order).toEqual([3, 2, 1, 0]);
    expect(seen).toEqual([0, 1, 2, 3].map((k) => ({ trained: k, untrainedHaveValue: false })));
  });

  it('refuses a pick that is not an untrained candidate', () => {
    const t = uniqueData().targets[0]!;
    expect(() => sequentialOrder(t, () => 0)).toThrow('not among the untrained ones');
  });
});

describe('guided: no untrained row of the target is ever seen', () => {
  it('every fit sees exactly the target\'s candidates trained so far, and all the other targets\' pairs', () => {
    const data = uniqueData();
    for (const t of data.targets) {
      const fits: number[][] = [];
      const spy: FitFunction = (X, n, d, y) => {
        fits.push(Array.from(y));
        return memoriser(X, n, d, y);
      };
      const order = guidedOrder(data, t, spy);
      const own = new Set(t.candidates.map((c) => Math.fround(c.value)));
      const others = data.targets.filter((o) => o !== t).flatMap((o) => o.candidates.map((c) => Math.fround(c.value)));
      // The last pick has one candidate left: nothing to fit.
      expect(fits).toHaveLength(t.candidates.length - 1);
      fits.forEach((labels, k) => {
        const trainedSoFar = order.slice(0, k).map((i) => Math.fround(t.candidates[i]!.value));
        expect(labels.filter((v) => own.has(v)).sort()).toEqual(trainedSoFar.sort());
        expect(labels.filter((v) => !own.has(v)).sort()).toEqual([...others].sort());
      });
    }
  });

  it('on data where a leaked regressor would be perfect, guided is not', () => {
    const data = uniqueData();
    for (const t of data.targets) {
      // The memoriser never saw an untrained pair of this target, so all untrained predictions tie
      // (the mean) and guided falls back to source-name order: the worst order here. Had it seen
      // the target's rows, it would have reproduced the oracle order exactly.
      expect(guidedOrder(data, t, memoriser)).toEqual([0, 1, 2, 3]);
      expect(oracleOrder(t)).toEqual([3, 2, 1, 0]);
    }
  });

  it('learns from the other targets: with the boosted trees and a feature that tracks the value, the best comes first', () => {
    const folder = exhaustiveFolder(
      TASKS,
      (s, t) => {
        const v = 0.2 + 0.1 * ((index(s) * 3 + index(t)) % 5);
        return { value: v, ms: 10, features: { x: v * 10 + 1 } }; // x determines the value, the same way for every target
      },
      () => 0.1,
      ['x'],
    );
    const data = readReplayData(runFolderTexts(folder));
    const fit = gbdtRegressor({ n_estimators: 30, max_depth: 2, learning_rate: 0.3, min_child_weight: 1 });
    for (const t of data.targets) {
      const first = t.candidates[guidedOrder(data, t, fit)[0]!]!;
      expect(first.value).toBe(Math.max(...t.candidates.map((c) => c.value)));
    }
  });

  it('refuses an empty feature list and a fit without rows', () => {
    const t = uniqueData().targets[0]!;
    expect(() => guidedPicker([], [], memoriser)).toThrow('at least one feature');
    expect(() => sequentialOrder(t, guidedPicker([], ['x'], memoriser))).toThrow('no rows to fit on');
  });
});

describe('scores and ties', () => {
  const views: UntrainedView[] = [
    { index: 0, source: 'b', features: {} },
    { index: 1, source: 'a', features: {} },
    { index: 2, source: 'c', features: {} },
  ];
  it('argmaxByScore: the highest score; ties to the smaller source name; NaN lowest', () => {
    expect(argmaxByScore(views, [0.1, 0.3, 0.2])).toBe(1);
    expect(argmaxByScore(views, [0.3, 0.3, 0.2])).toBe(1);
    expect(argmaxByScore(views, [NaN, NaN, -5])).toBe(2);
    expect(argmaxByScore(views, [NaN, NaN, NaN])).toBe(1);
  });

  it('oracleOrder: by value, then cheaper, then source name', () => {
    const t: ReplayTarget = {
      target: 'T',
      singleValue: 0,
      candidates: [
        { source: 'a', value: 0.5, costMs: 20, features: {}, runs: 1 },
        { source: 'b', value: 0.5, costMs: 10, features: {}, runs: 1 },
        { source: 'c', value: 0.7, costMs: 10, features: {}, runs: 1 },
        { source: 'd', value: 0.5, costMs: 10, features: {}, runs: 1 },
      ],
    };
    expect(oracleOrder(t)).toEqual([2, 1, 3, 0]);
  });
});
