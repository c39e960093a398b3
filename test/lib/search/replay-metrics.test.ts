import { describe, expect, it } from 'vitest';
import {
  expectedRandomRegretAtK, expectedRandomShareToWithinTolerance, regretAtK, regretAtShare, shareToWithinTolerance,
} from '../../../src/lib/search/replay-metrics';
import type { ReplayTarget } from '../../../src/lib/search/replay-types';

// Single-task 0.5; candidates a..d with values 0.6, 0.8, 0.79, 0.4 and costs 10, 20, 30, 40 (total
// 100). Best available 0.8; with tolerance 0.02 the goal is 0.78, met by b and c.
const target = (singleValue = 0.5): ReplayTarget => ({
  target: 'T',
  singleValue,
  candidates: [
    { source: 'a', value: 0.6, costMs: 10, features: {}, runs: 1 },
    { source: 'b', value: 0.8, costMs: 20, features: {}, runs: 1 },
    { source: 'c', value: 0.79, costMs: 30, features: {}, runs: 1 },
    { source: 'd', value: 0.4, costMs: 40, features: {}, runs: 1 },
  ],
});

function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

describe('replay metrics of a concrete order', () => {
  const t = target();
  it('share_to_within_tolerance: cost share until the best so far is within tolerance', () => {
    expect(shareToWithinTolerance(t, [0, 1, 2, 3], 0.02)).toBeCloseTo(0.3, 12); // a, then b reaches 0.8
    expect(shareToWithinTolerance(t, [3, 2, 1, 0], 0.02)).toBeCloseTo(0.7, 12); // d, then c (0.79 ≥ 0.78)
    expect(shareToWithinTolerance(t, [3, 2, 1, 0], 0)).toBeCloseTo(0.9, 12); // exact best needs b
    expect(shareToWithinTolerance(target(0.79), [3, 2, 1, 0], 0.02)).toBe(0); // single-task already good enough
  });

  it('regret_at_share: relative gap (percent) to the best available after the prefix that fits the budget', () => {
    expect(regretAtShare(t, [0, 1, 2, 3], 0.25)).toBeCloseTo(25, 10); // only a fits 25: best 0.6
    expect(regretAtShare(t, [0, 1, 2, 3], 0.3)).toBeCloseTo(0, 10); // a + b = 30 fits exactly
    expect(regretAtShare(t, [3, 0, 1, 2], 0.1)).toBeCloseTo(37.5, 10); // d does not fit: single-task 0.5
  });

  it('regret_at_k: relative gap (percent) between the best source and the best of the first k', () => {
    expect(regretAtK(t, [0, 1, 2, 3], 1)).toBeCloseTo(25, 10);
    expect(regretAtK(t, [0, 1, 2, 3], 3)).toBe(0);
    expect(regretAtK(t, [3, 0, 2, 1], 3)).toBeCloseTo(1.25, 10); // best of d, a, c is 0.79
    expect(regretAtK(t, [3, 0, 2, 1], 5)).toBe(0); // k beyond N: every candidate
  });

  it('with overhead: overhead in the numerator, the base in the denominator, a budget that pays the overhead first', () => {
    const acc = { overheadMs: 50, baseMs: 50 };
    expect(shareToWithinTolerance(t, [0, 1, 2, 3], 0.02, acc)).toBeCloseTo(80 / 150, 12);
    expect(shareToWithinTolerance(target(0.79), [0, 1, 2, 3], 0.02, acc)).toBeCloseTo(50 / 150, 12);
    expect(regretAtShare(t, [0, 1, 2, 3], 0.5, acc)).toBeCloseTo(25, 10); // 75 − 50 = 25: a only
    expect(regretAtShare(t, [0, 1, 2, 3], 0.1, acc)).toBeCloseTo(37.5, 10); // the overhead alone exceeds the budget
  });

  it('refuses an order that is not a permutation of the candidates', () => {
    expect(() => shareToWithinTolerance(t, [0, 1, 2], 0.02)).toThrow('not a permutation');
    expect(() => regretAtK(t, [0, 1, 1, 3], 1)).toThrow('not a permutation');
  });
});

describe('replay metrics of random orders (exact)', () => {
  const perms = permutations(4);
  const mean = (f: (o: number[]) => number) => perms.reduce((s, o) => s + f(o), 0) / perms.length;

  it('the expected share equals the mean over all 24 orders', () => {
    for (const t of [target(), target(0.79), target(0.1)]) {
      for (const tol of [0, 0.02, 0.3]) {
        for (const acc of [{ overheadMs: 0, baseMs: 0 }, { overheadMs: 30, baseMs: 20 }]) {
          expect(expectedRandomShareToWithinTolerance(t, tol, acc)).toBeCloseTo(mean((o) => shareToWithinTolerance(t, o, tol, acc)), 12);
        }
      }
    }
    // By hand: goods b, c: (20 + 30)/2 + (10 + 40)/3 = 41.67 of 100.
    expect(expectedRandomShareToWithinTolerance(target(), 0.02)).toBeCloseTo(0.25 + 50 / 300, 12);
  });

  it('the expected regret@k equals the mean over all 24 orders', () => {
    const t = target();
    for (const k of [1, 2, 3, 4, 5]) expect(expectedRandomRegretAtK(t, k)).toBeCloseTo(mean((o) => regretAtK(t, o, k)), 10);
  });
});
