import { describe, expect, it } from 'vitest';
import { collapseRate } from '../../../src/lib/search/collapse-rate';
import { experimentWarnings } from '../../../src/lib/search/warnings';
import type { ModelOutcome } from '../../../src/lib/search/model-outcome';

/** A model on 100 test documents with 30 positives: 'ok' learned, 'zero' has F1 0, 'all' calls everything positive. */
function model(name: string, group: string | undefined, how: 'ok' | 'zero' | 'all'): ModelOutcome {
  const c = how === 'ok' ? { tp: 20, fp: 10, fn: 10, tn: 60 } : how === 'zero' ? { tp: 0, fp: 5, fn: 30, tn: 65 } : { tp: 30, fp: 70, fn: 0, tn: 0 };
  const f1 = c.tp === 0 ? 0 : (2 * c.tp) / (2 * c.tp + c.fp + c.fn);
  return { name, task: 'a', group, f1, ...c };
}

describe('collapseRate', () => {
  it('counts a failed seed only where another seed of its setting learned', () => {
    const r = collapseRate([
      model('s/x', 's', 'ok'), model('s/x/seed-1', 's', 'zero'), // collapsed
      model('t/x', 't', 'all'), model('t/x/seed-1', 't', 'ok'), model('t/x/seed-2', 't', 'ok'), // one collapsed (all positive)
      model('u/x', 'u', 'all'), model('u/x/seed-1', 'u', 'all'), // the task itself: every seed alike, not a collapse
      model('v/x', 'v', 'zero'), // one seed: not counted
      model('w', undefined, 'zero'), // no group: not counted
    ]);
    expect(r).toEqual({ models: 7, collapsed: 2, rate: 2 / 7, names: ['s/x/seed-1', 't/x'] });
  });

  it('has no rate without a setting of two seeds', () => {
    expect(collapseRate([model('a', 'a', 'zero'), model('b', 'b', 'ok')])).toEqual({ models: 0, collapsed: 0, rate: null, names: [] });
  });

  it('warns from 5 % on, with the models named, and not below', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => model(`g${i}/seed-1`, `g${i}`, 'ok')).concat(Array.from({ length: n }, (_, i) => model(`g${i}`, `g${i}`, 'ok')));
    const unstable = [...many(9), model('h', 'h', 'ok'), model('h/seed-1', 'h', 'zero')];
    const w = experimentWarnings({ models: unstable, collapse: collapseRate(unstable) }).filter((x) => x.kind === 'collapsed-seeds');
    expect(w).toEqual([{ kind: 'collapsed-seeds', task: null, message: expect.stringMatching(/^1 of 20 models \(5\.0 %; the goal is below 5\.0 %\) learned nothing .*\(h\/seed-1\)/) }]);
    const stable = [...many(10), model('h', 'h', 'ok'), model('h/seed-1', 'h', 'zero')];
    expect(experimentWarnings({ models: stable, collapse: collapseRate(stable) }).some((x) => x.kind === 'collapsed-seeds')).toBe(false);
  });
});
