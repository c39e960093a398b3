import { describe, expect, it } from 'vitest';
import { f1Features } from '../../../src/lib/search/f1-features';
import { bestSingleTask } from '../../../src/lib/search/table1';
import { syntheticSingleTask } from './synthetic-runs';

describe('f1Features', () => {
  it('takes the best single-task F1 of source and target', () => {
    const best = bestSingleTask(syntheticSingleTask());
    expect(f1Features(best, 'A', 'D')).toEqual({ f1_source: 0.5, f1_target: 0.75 });
    expect(() => f1Features(best, 'A', 'Z')).toThrow(/target task "Z" has no single-task result/);
  });
});
