import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../../scripts/recipe/compare';

const row = (task: string, seed: number, tunedF1: number, extra: Record<string, unknown> = {}) => ({
  data: 'd', task, setting: 's', seed, maxTrainDocs: 300, validationFraction: 0.1, minPositiveShare: 0.25,
  tunedF1, tunedCollapsed: tunedF1 === 0, testPositives: 6, trainPositives: 28, ...extra,
});

describe('recipe compare', () => {
  it('pairs runs by task and seed, and gives the paired gain over tasks and the collapses of each side', () => {
    const base = [row('a', 1, 0.2), row('a', 2, 0), row('b', 1, 0.5), row('b', 2, 0.6), row('c', 1, 0.9)];
    const other = [row('a', 1, 0.3, { model: 'x' }), row('a', 2, 0.25, { model: 'x' }), row('b', 1, 0.5, { model: 'x' }), row('b', 2, 0.7, { model: 'x' })];
    const r = compareRuns(base, other);
    expect(r.pairs).toBe(4); // c has no partner
    expect(r.tasks.map((t) => [t.task, t.base, t.other, t.gain, t.baseCollapses, t.otherCollapses])).toEqual([
      ['a', 0.1, 0.275, 0.175, 1, 0],
      ['b', 0.55, 0.6, 0.05, 0, 0],
    ]);
    expect(r.gain.estimate).toBeCloseTo((0.175 + 0.05) / 2, 3);
    expect(r.gain.ci95[0]).toBeGreaterThanOrEqual(0.05 - 1e-9);
    expect(r.gain.ci95[1]).toBeLessThanOrEqual(0.175 + 1e-9);
    expect(r.collapses).toEqual({ base: 1, other: 0, of: 4 });
  });

  it('does not count a task whose every seed failed as collapsed', () => {
    const r = compareRuns([row('a', 1, 0), row('a', 2, 0)], [row('a', 1, 0), row('a', 2, 0.4)]);
    expect(r.collapses).toEqual({ base: 0, other: 1, of: 2 });
  });
});
