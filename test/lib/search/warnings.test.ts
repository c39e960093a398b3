import { describe, expect, it } from 'vitest';
import { experimentWarnings } from '../../../src/lib/search/warnings';
import type { ModelOutcome } from '../../../src/lib/search/model-outcome';
import type { OrderVsRandom } from '../../../src/lib/stats/order-vs-random';

/** A model of `task` on 100 test documents with `pos` positives, predicting `predicted` positive of which `hit` correctly. */
function model(name: string, task: string, pos: number, predicted: number, hit: number): ModelOutcome {
  const tp = hit, fp = predicted - hit, fn = pos - hit, tn = 100 - pos - fp;
  const f1 = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  return { name, task, f1, tp, fp, fn, tn };
}
const interval = (estimate: number, low: number, high: number) => ({ estimate, low, high, confidence: 0.95, replicates: 2000 });

describe('experimentWarnings', () => {
  it('is empty for a healthy experiment', () => {
    const models = [model('A', 'a', 30, 30, 20), model('B→A', 'a', 30, 28, 22), model('B', 'b', 20, 25, 15)];
    const orders = [{ order: 'predicted:F1', vsRandom: { order: interval(0.8, 0.7, 0.9), random: interval(0.5, 0.4, 0.6), difference: interval(0.3, 0.1, 0.4), distinguishable: true, targets: 9 } as OrderVsRandom }];
    expect(experimentWarnings({ models, orders })).toEqual([]);
  });

  it('warns about a task whose every model has F1 0, and not when one model learned', () => {
    const models = [model('A', 'a', 30, 0, 0), model('B→A', 'a', 30, 10, 0), model('B', 'b', 30, 0, 0), model('A→B', 'b', 30, 12, 6)];
    const w = experimentWarnings({ models });
    expect(w).toEqual([{ kind: 'no-model-learned', task: 'a', message: expect.stringContaining('Every model of task "a" (2) has F1 0') }]);
  });

  it('warns about models predicting positive for ≥ 95 % of the test documents, naming them', () => {
    const models = [model('A s0', 'a', 10, 95, 10), model('A s1', 'a', 10, 94, 10), model('B→A', 'a', 10, 100, 10), model('B', 'b', 12, 12, 6)];
    const w = experimentWarnings({ models });
    expect(w.map((x) => [x.kind, x.task])).toEqual([['mostly-positive', 'a']]);
    expect(w[0]!.message).toContain('2 of 3 models of task "a" predict the positive class for ≥ 95.0 %');
    expect(w[0]!.message).toContain('(A s0, B→A)');
  });

  it('warns about fewer than 10 test positives, from tp + fn or from the counts given', () => {
    const models = [model('A', 'a', 9, 9, 5), model('B', 'b', 10, 10, 5)];
    expect(experimentWarnings({ models }).map((x) => [x.kind, x.task])).toEqual([['few-test-positives', 'a']]);
    const w = experimentWarnings({ models, testPositives: { a: 12, b: 3, c: 1 } });
    expect(w.map((x) => [x.kind, x.task])).toEqual([['few-test-positives', 'b'], ['few-test-positives', 'c']]);
    expect(w[1]!.message).toContain('Task "c" has 1 test positive (fewer than 10)');
  });

  it('warns about an order whose saving is not distinguishable from random, with the intervals', () => {
    const vsRandom: OrderVsRandom = { order: interval(0.856, 0.6, 0.9), random: interval(0.8, 0.7, 0.85), difference: interval(0.056, -0.1, 0.12), distinguishable: false, targets: 9 };
    const w = experimentWarnings({ models: [model('A', 'a', 30, 30, 20)], orders: [{ order: 'predicted:F1+ANSAT', vsRandom }] });
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ kind: 'order-like-random', task: null });
    expect(w[0]!.message).toBe(
      'The order "predicted:F1+ANSAT" saves 85.6 % [60.0 %, 90.0 %] of the transfer time against the random order\'s 80.0 % [70.0 %, 85.0 %]; ' +
        'the difference 5.6 % [-10.0 %, 12.0 %] (95.0 % bootstrap over 9 targets) includes 0: not distinguishable from random.',
    );
  });

  it('lists kinds in a fixed order and tasks by name', () => {
    const models = [model('Z', 'z', 5, 0, 0), model('A', 'a', 5, 0, 0)];
    expect(experimentWarnings({ models }).map((x) => `${x.kind}:${x.task}`)).toEqual([
      'no-model-learned:a', 'no-model-learned:z', 'few-test-positives:a', 'few-test-positives:z',
    ]);
  });

  it('names a model with bad metrics', () => {
    expect(() => experimentWarnings({ models: [{ ...model('A', 'a', 5, 0, 0), fp: NaN }] })).toThrow(/model "A": fp is NaN/);
  });
});
