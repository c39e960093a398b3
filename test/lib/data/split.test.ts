import { describe, expect, it } from 'vitest';
import { splitDataset } from '../../../src/lib/data/split';
import { countTasks } from '../../../src/lib/data/tasks';
import { syntheticDataset } from './synthetic';

const splits = (ds: ReturnType<typeof syntheticDataset>) => ds.docs.map((d) => d.split).join(',');

describe('splitDataset', () => {
  it('is deterministic per seed and changes with the seed', () => {
    const ds = syntheticDataset();
    const a = splitDataset(ds, { seed: 1 });
    expect(splits(a)).toBe(splits(splitDataset(ds, { seed: 1 })));
    expect(splits(a)).not.toBe(splits(splitDataset(ds, { seed: 2 })));
    expect(ds.docs.every((d) => d.split === undefined)).toBe(true); // the input is not modified
  });

  it('hits the test fraction and gives every task its share of positives on each side', () => {
    const ds = splitDataset(syntheticDataset(), { seed: 3, testFraction: 0.25 });
    expect(ds.docs.every((d) => d.split === 'train' || d.split === 'test')).toBe(true);
    // Documents go where their rarest label is wanted, so the size can miss by a document or two.
    expect(Math.abs(ds.docs.filter((d) => d.split === 'test').length - 75)).toBeLessThanOrEqual(2);
    for (const c of countTasks(ds)) {
      const total = c.all.positives;
      if (total >= 2) {
        // Stratified: positives on both sides, and the test share within one document of 25 %.
        expect(c.train.positives, c.task).toBeGreaterThan(0);
        expect(c.test.positives, c.task).toBeGreaterThan(0);
        expect(Math.abs(c.test.positives - 0.25 * total), c.task).toBeLessThanOrEqual(1);
      }
    }
    const pair = countTasks(ds).find((c) => c.task === 'pair')!;
    expect([pair.train.positives, pair.test.positives]).toEqual([1, 1]);
  });

  it('keeps each event in proportion on both sides', () => {
    const ds = splitDataset(syntheticDataset(400), { seed: 9 });
    for (const ev of ['ev0', 'ev1', 'ev2', 'ev3']) {
      const docs = ds.docs.filter((d) => d.event === ev);
      const test = docs.filter((d) => d.split === 'test').length;
      expect(Math.abs(test - 0.2 * docs.length), ev).toBeLessThanOrEqual(1);
    }
  });

  it('respects splits given in the data and balances the rest around them', () => {
    const base = syntheticDataset();
    // Fix the first 40 documents to test: more than half the test budget.
    const ds = { ...base, docs: base.docs.map((d, i) => (i < 40 ? { ...d, split: 'test' as const } : d)) };
    const out = splitDataset(ds, { seed: 4 });
    expect(out.docs.slice(0, 40).every((d) => d.split === 'test')).toBe(true);
    expect(Math.abs(out.docs.filter((d) => d.split === 'test').length - 60)).toBeLessThanOrEqual(2);
    expect(out.source.notes.at(-1)).toContain('40 documents kept the split given in the data');
    // 'pair' has both positives among the fixed documents; the others still get positives in train
    // and their test share counts the fixed ones.
    for (const c of countTasks(out).filter((c) => ['common', 'mid', 'few'].includes(c.task))) {
      expect(c.train.positives, c.task).toBeGreaterThan(0);
      expect(Math.abs(c.test.positives - 0.2 * c.all.positives), c.task).toBeLessThanOrEqual(1);
    }
  });

  it('does the same with stratification over events turned off', () => {
    const ds = splitDataset(syntheticDataset(), { seed: 1, stratifyEvents: false });
    expect(Math.abs(ds.docs.filter((d) => d.split === 'test').length - 60)).toBeLessThanOrEqual(2);
    expect(ds.source.notes.at(-1)).toMatch(/iterative stratification over 6 tasks\.$/);
  });

  it('rejects a test fraction outside (0, 1)', () => {
    expect(() => splitDataset(syntheticDataset(), { seed: 1, testFraction: 1 })).toThrow(/testFraction must be between 0 and 1/);
  });
});
