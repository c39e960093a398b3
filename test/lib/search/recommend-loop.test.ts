import { describe, expect, it } from 'vitest';
import { gbdtRegressor } from '../../../src/lib/gbdt/regressor';
import { MIN_ROWS_FOR_INTERVAL } from '../../../src/lib/search/recommend-ensemble';
import { budgetOfFraction, recommendLoop, recommendStep, SEED_NOISE_F1, type PairRow, type RecommendInput } from '../../../src/lib/search/recommend-loop';
import type { FitFunction } from '../../../src/lib/search/types';
import { createRng } from '../../../src/lib/util/rng';

const fit = gbdtRegressor({ n_estimators: 40, learning_rate: 0.3, max_depth: 2 });
const options = { fit, members: 12, seed: 3 };

/** Transfer F1 = 0.1 + 0.8 x (+ noise): a world the regressor can learn from other targets. */
const truth = (x: number) => 0.1 + 0.8 * x;

function contextRows(n: number, seed = 1): PairRow[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => {
    const x = rng.next();
    return { source: `s${i}`, target: `other${i % 4}`, features: { x, f1_source: 0.5 }, value: truth(x) + (rng.next() - 0.5) * 0.02, origin: 'this run' };
  });
}

/** Eight candidates; "star" (x = 1) clearly dominates the others (x ≤ 0.3). */
function dominated(budget: number): { input: RecommendInput; values: Map<string, number> } {
  const xs: Record<string, number> = { star: 1, a: 0.3, b: 0.25, c: 0.2, d: 0.15, e: 0.1, f: 0.05, g: 0 };
  const candidates = Object.entries(xs).map(([source, x]) => ({ source, features: { x, f1_source: 0.5 } }));
  const values = new Map(Object.entries(xs).map(([s, x]) => [s, truth(x)]));
  return { input: { target: 'T', candidates, context: contextRows(40), featureNames: ['x'], budget }, values };
}

describe('recommendStep / recommendLoop', () => {
  it('trains the dominant source first and stops early when no untrained source can beat it', async () => {
    const { input, values } = dominated(8);
    const out = await recommendLoop(input, new Map(), async (s) => values.get(s)!, options);
    expect(out.trainedNow[0]).toBe('star');
    expect(out.trainedNow.length).toBeLessThan(input.candidates.length);
    expect(out.final.stop).toBe('no-chance');
    expect(out.final.ranking[0]).toMatchObject({ source: 'star', measured_f1: truth(1) });
    for (const r of out.final.ranking.filter((r) => r.measured_f1 === null)) expect(r.interval[1]).toBeLessThanOrEqual(out.final.bestSoFar);
    expect(out.final.rowsUsed).toEqual({ target: out.trainedNow.length, context: { 'this run': 40 }, droppedSameTarget: 0 });
  });

  it('every interval contains its prediction and lies in [0, 1]; the ranking is by measured, else predicted F1', () => {
    const { input } = dominated(8);
    const step = recommendStep(input, new Map([['g', truth(0)]]), options);
    expect(step.intervalInformative).toBe(true);
    for (const r of step.ranking) {
      expect(r.interval[0]).toBeGreaterThanOrEqual(0);
      expect(r.interval[1]).toBeLessThanOrEqual(1);
      expect(r.interval[0]).toBeLessThanOrEqual(r.interval[1]);
      if (r.measured_f1 === null) expect(r.predicted_f1!).toBeGreaterThan(r.interval[0] - 0.05);
    }
    const est = step.ranking.map((r) => r.measured_f1 ?? r.predicted_f1!);
    expect(est).toEqual([...est].sort((a, b) => b - a));
    expect(step.next).toBe('star');
  });

  it('stops at the budget, counting transfers measured before', async () => {
    const { input, values } = dominated(2);
    input.context = []; // no context: with 2 rows the interval is [0, 1], so only the budget stops it
    const out = await recommendLoop(input, new Map([['g', values.get('g')!]]), async (s) => values.get(s)!, options);
    expect(out.trainedNow).toHaveLength(1);
    expect(out.final.stop).toBe('budget');
    expect(out.final.intervalInformative).toBe(false);
    expect(out.final.ranking.every((r) => r.measured_f1 !== null || (r.interval[0] === 0 && r.interval[1] === 1))).toBe(true);
    expect(2).toBeLessThan(MIN_ROWS_FOR_INTERVAL);
  });

  it('never fits on a row of the target that the loop has not measured', async () => {
    const { input, values } = dominated(8);
    // Rows into T itself (e.g. a prior of the same data) carry the answers: they must be dropped.
    const leak = input.candidates.map((c) => ({ source: c.source, target: 'T', features: c.features, value: 0.75, origin: 'prior' }));
    input.context = [...input.context, ...leak];
    const seen: number[][] = [];
    const spy: FitFunction = (X, n, d, y) => {
      seen.push(Array.from(y));
      return fit(X, n, d, y);
    };
    const out = await recommendLoop(input, new Map(), async (s) => values.get(s)!, { ...options, fit: spy });
    expect(seen.length).toBeGreaterThan(0);
    for (const labels of seen) expect(labels).not.toContain(0.75);
    expect(out.final.rowsUsed.droppedSameTarget).toBe(leak.length);
    expect(out.final.rowsUsed.context).toEqual({ 'this run': 40 });
  });

  it('with no rows at all, picks the source with the best single-task F1 and gives no prediction', () => {
    const candidates = [{ source: 'a', features: { f1_source: 0.4 } }, { source: 'b', features: { f1_source: 0.9 } }, { source: 'c', features: { f1_source: NaN } }];
    const step = recommendStep({ target: 'T', candidates, context: [], featureNames: ['f1_source'], budget: 2 }, new Map(), options);
    expect(step.next).toBe('b');
    expect(step.basis).toMatch(/^f1_source/);
    expect(step.ranking.every((r) => r.predicted_f1 === null && r.interval[0] === 0 && r.interval[1] === 1)).toBe(true);
  });

  it('stops before any transfer when the target\'s own model beats every upper interval end', () => {
    const { input } = dominated(8);
    const step = recommendStep({ ...input, singleTaskF1: 0.99 }, new Map(), options);
    expect(step.stop).toBe('no-chance');
    expect(step.next).toBeNull();
    expect(step.bestSoFar).toBe(0.99);
  });

  it('with priors alone (no row of this run), trains one transfer into the target before it can stop for "no chance"', () => {
    const { input } = dominated(8);
    const priorOnly = { ...input, singleTaskF1: 0.99, context: input.context.map((r) => ({ ...r, origin: 'prior experiment "x"' })) };
    const first = recommendStep(priorOnly, new Map(), options);
    expect(first.stop).toBeNull();
    expect(first.next).not.toBeNull();
    const after = recommendStep(priorOnly, new Map([[first.next!, 0.1]]), options);
    expect(after.stop).toBe('no-chance');
  });

  it('is deterministic for a seed and refuses a bad budget or a source of itself', () => {
    const { input } = dominated(8);
    expect(recommendStep(input, new Map(), options)).toEqual(recommendStep(input, new Map(), options));
    expect(() => recommendStep({ ...input, budget: 0 }, new Map(), options)).toThrow(/budget must be a positive integer/);
    expect(() => recommendStep({ ...input, candidates: [...input.candidates, { source: 'T', features: {} }] }, new Map(), options)).toThrow(/source of itself/);
  });

  it('keeps an interval at least as wide as the seed noise: rows that all read F1 0 do not stop the loop', async () => {
    const zeros: PairRow[] = contextRows(20).map((r) => ({ ...r, value: 0 }));
    const candidates = ['a', 'b', 'c'].map((source, i) => ({ source, features: { x: i / 3, f1_source: 0.5 } }));
    const step = recommendStep({ target: 'T', candidates, context: zeros, featureNames: ['x'], budget: 3, singleTaskF1: 0 }, new Map(), options);
    for (const r of step.ranking) {
      expect(r.interval[1] - r.predicted_f1!).toBeGreaterThanOrEqual(SEED_NOISE_F1 - 1e-9);
      expect(r.interval[0]).toBeGreaterThanOrEqual(0);
    }
    expect(step.stop).toBeNull(); // a source could still beat F1 0 within the noise
  });

  it('budgetOfFraction: ceil of the share, at least one, at most all', () => {
    expect(budgetOfFraction(0.25, 8)).toBe(2);
    expect(budgetOfFraction(0.3, 8)).toBe(3);
    expect(budgetOfFraction(0.01, 8)).toBe(1);
    expect(budgetOfFraction(1, 8)).toBe(8);
    expect(() => budgetOfFraction(1.5, 8)).toThrow(/\(0, 1\]/);
    expect(() => budgetOfFraction(0, 8)).toThrow(/\(0, 1\]/);
  });
});
