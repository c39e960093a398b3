import { describe, expect, it } from 'vitest';
import { countTasks, degenerateSides, labelCooccurrence, selectTasks } from '../../../src/lib/data/tasks';
import { splitDataset } from '../../../src/lib/data/split';
import type { Dataset } from '../../../src/lib/data/schema';
import { syntheticDataset } from './synthetic';

describe('countTasks', () => {
  it('counts positives and negatives per split', () => {
    const ds: Dataset = {
      name: 'tiny', source: { format: 'csv', files: [], notes: [] }, tasks: ['a', 'b'],
      docs: [
        { id: '1', text: 'x', labels: ['a'], split: 'train' },
        { id: '2', text: 'x', labels: ['a', 'b'], split: 'test' },
        { id: '3', text: 'x', labels: [], split: 'train' },
        { id: '4', text: 'x', labels: ['b'] },
      ],
    };
    const [a, b] = countTasks(ds);
    expect(a).toEqual({ task: 'a', train: { positives: 1, negatives: 1 }, test: { positives: 1, negatives: 0 }, unassigned: { positives: 0, negatives: 1 }, all: { positives: 2, negatives: 2 } });
    expect(b.all).toEqual({ positives: 2, negatives: 2 });
  });
});

describe('selectTasks', () => {
  const ds = splitDataset(syntheticDataset(), { seed: 1 });

  it('keeps tasks with enough positives and reports the others with their reasons, without throwing', () => {
    const sel = selectTasks(ds);
    expect(sel.kept).toEqual(['common', 'mid']);
    const reasons = Object.fromEntries(sel.excluded.map((e) => [e.task, e.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['empty', 'few', 'pair', 'rare']);
    expect(reasons.empty).toBe('no positive documents at all');
    expect(reasons.few).toBe('only 2 positives in test (needs 3)'); // 12 positives: 10 train, 2 test
    expect(reasons.rare).toBe('only 2 positives in train (needs 10); only 1 positive in test (needs 3)');
    expect(reasons.pair).toBe('only 1 positive in train (needs 10); only 1 positive in test (needs 3)');
  });

  it('uses the given minimums, and requires negatives too', () => {
    expect(selectTasks(ds, { minTrainPositives: 2, minTestPositives: 1 }).kept).toEqual(['common', 'mid', 'few', 'rare']);
    const all: Dataset = { ...ds, docs: ds.docs.map((d) => ({ ...d, labels: [...d.labels, 'everything'] })), tasks: [...ds.tasks, 'everything'] };
    const sel = selectTasks(all, { tasks: ['common', 'everything'] });
    expect(sel.kept).toEqual(['common']);
    expect(sel.excluded).toEqual([{ task: 'everything', reason: 'no negatives in train (needs 10); no negatives in test (needs 3)' }]);
  });

  it('reports a requested task that the data set does not have', () => {
    const sel = selectTasks(ds, { tasks: ['common', 'Volunteer'] });
    expect(sel.kept).toEqual(['common']);
    expect(sel.excluded[0].task).toBe('Volunteer');
    expect(sel.excluded[0].reason).toMatch(/^not a task of data set "synthetic"/);
  });

  it('asks for a split first', () => {
    expect(() => selectTasks(syntheticDataset())).toThrow(/300 of 300 documents .* have no split; split the data set/);
  });
});

describe('labelCooccurrence', () => {
  it('counts documents positive for both tasks, with positives on the diagonal', () => {
    const ds: Dataset = {
      name: 't', source: { format: 'csv', files: [], notes: [] }, tasks: ['a', 'b', 'c'],
      docs: [
        { id: '1', text: 'x', labels: ['a', 'b'], split: 'train' },
        { id: '2', text: 'x', labels: ['a'], split: 'test' },
        { id: '3', text: 'x', labels: ['a', 'b', 'c'], split: 'train' },
        { id: '4', text: 'x', labels: [], split: 'train' },
      ],
    };
    expect(labelCooccurrence(ds).counts).toEqual([[3, 2, 1], [2, 2, 1], [1, 1, 1]]);
    expect(labelCooccurrence(ds, ['c', 'a'], 'train')).toEqual({ tasks: ['c', 'a'], docs: 3, counts: [[1, 1], [1, 2]] });
  });
});

describe('degenerate tasks', () => {
  const doc = (id: number, labels: string[], split: 'train' | 'test') => ({ id: String(id), text: 'x', labels, split });
  // "every" is on every document; "none-test" has no positive in test; "ok" has both classes on both sides.
  const ds: Dataset = {
    name: 'degenerate', source: { format: 'csv', files: [], notes: [] }, tasks: ['every', 'none-test', 'ok'],
    docs: [
      doc(1, ['every', 'none-test', 'ok'], 'train'), doc(2, ['every', 'none-test'], 'train'), doc(3, ['every'], 'train'),
      doc(4, ['every', 'ok'], 'test'), doc(5, ['every'], 'test'),
    ],
  };

  it('a side with one class only is never kept, even when the rules ask for no minimum', () => {
    const sel = selectTasks(ds, { minTrainPositives: 0, minTestPositives: 0, minTrainNegatives: 0, minTestNegatives: 0 });
    expect(sel.kept).toEqual(['ok']);
    expect(Object.fromEntries(sel.excluded.map((e) => [e.task, e.reason]))).toEqual({
      every: 'no negatives in train (needs 1); no negatives in test (needs 1)',
      'none-test': 'no positives in test (needs 1)',
    });
  });

  it('degenerateSides says which side lacks which class', () => {
    expect(degenerateSides(3, 3, 1, 2)).toBe('no negative documents in train (all 3 are positive)');
    expect(degenerateSides(1, 3, 0, 2)).toBe('no positive documents in test');
    expect(degenerateSides(1, 3, 1, 2)).toBeUndefined();
  });
});
