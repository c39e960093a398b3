import { describe, expect, it } from 'vitest';
import {
  expectedBestOfRandomK,
  expectedCostOfRandomK,
  maxOfRandomSubsetProbabilities,
} from '../../../src/lib/search/random-order';

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

/** Average over all N! orders of the best value (and summed cost) among the first K. */
function bruteForce(values: number[], costs: number[], k: number): { best: number; cost: number } {
  const perms = permutations(values.length);
  let best = 0;
  let cost = 0;
  for (const p of perms) {
    const first = p.slice(0, k);
    best += Math.max(...first.map((i) => values[i]!));
    cost += first.reduce((a, i) => a + costs[i]!, 0);
  }
  return { best: best / perms.length, cost: cost / perms.length };
}

describe('random order expectation', () => {
  it('matches brute-force enumeration of all permutations (with ties, N up to 6)', () => {
    const cases: number[][] = [[0.3], [0.5, 0.2], [0.2, 0.25, 0.3, 0.4], [0.5, 0.7, 0.6], [0.4, 0.4, 0.1, 0.9, 0.4], [0.11, 0.93, 0.27, 0.27, 0.65, 0.02]];
    for (const values of cases) {
      const costs = values.map((_, i) => 3 + 7 * i);
      for (let k = 1; k <= values.length + 1; k++) {
        const bf = bruteForce(values, costs, Math.min(k, values.length));
        expect(expectedBestOfRandomK(values, k)).toBeCloseTo(bf.best, 12);
        expect(expectedCostOfRandomK(costs, k)).toBeCloseTo(bf.cost, 9);
      }
    }
  });

  it('gives the hand-computed values for target C of the synthetic table', () => {
    // Sorted 0.2, 0.25, 0.3, 0.4; K=2: P(max = v(i)) = (i−1)/C(4,2) = (i−1)/6.
    expect(expectedBestOfRandomK([0.3, 0.2, 0.4, 0.25], 2)).toBeCloseTo((0.25 * 1 + 0.3 * 2 + 0.4 * 3) / 6, 14);
    expect(expectedBestOfRandomK([0.3, 0.2, 0.4, 0.25], 1)).toBeCloseTo(1.15 / 4, 14);
    expect(expectedBestOfRandomK([0.3, 0.2, 0.4, 0.25], 9)).toBe(0.4);
  });

  it('probabilities are C(i−1,K−1)/C(N,K), sum to 1, and stay finite for large N', () => {
    const p = maxOfRandomSubsetProbabilities(5, 3); // C(5,3) = 10; C(i−1,2) = 0,0,1,3,6
    expect(Array.from(p).map((x) => x * 10)).toEqual([0, 0, 1, 3, 6].map((x) => expect.closeTo(x, 12)));
    const big = maxOfRandomSubsetProbabilities(5000, 37);
    expect(big.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    // For values 1..N, E[max of a random K-subset] = K(N+1)/(K+1).
    const values = Array.from({ length: 5000 }, (_, i) => i + 1);
    expect(expectedBestOfRandomK(values, 37)).toBeCloseTo((37 * 5001) / 38, 7);
    expect(expectedBestOfRandomK(values, 2500)).toBeCloseTo((2500 * 5001) / 2501, 7);
  });

  it('rejects a non-positive K or an empty candidate list', () => {
    expect(() => expectedBestOfRandomK([0.1], 0)).toThrow(/K must be a positive integer, got 0/);
    expect(() => expectedBestOfRandomK([], 1)).toThrow(/number of candidates must be a positive integer, got 0/);
  });
});
