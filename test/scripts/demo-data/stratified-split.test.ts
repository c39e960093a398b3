import { describe, expect, it } from 'vitest';
import { stratifiedGroupSplit, type SplitItem } from '../../../scripts/demo-data/stratified-split';
import { createRng } from '../../../src/lib/util/rng';

const TASKS = ['a', 'b', 'c', 'd'];

function items(): SplitItem[] {
  // Skewed multi-label data: 'd' is rare (12 positives), groups of up to 3 documents.
  const rng = createRng(42);
  const out: SplitItem[] = [];
  for (let i = 0; i < 1000; i++) {
    const labels: string[] = [];
    if (rng.next() < 0.3) labels.push('a');
    if (rng.next() < 0.15) labels.push('b');
    if (rng.next() < 0.05) labels.push('c');
    if (i % 83 === 0) labels.push('d');
    out.push({ group: `g${Math.floor(i / (1 + (i % 3)))}`, labels });
  }
  return out;
}

describe('stratifiedGroupSplit', () => {
  it('gives every task positives on both sides in about the requested proportion', () => {
    const data = items();
    const split = stratifiedGroupSplit(data, TASKS, 0.2, 3);
    const testShare = split.filter((s) => s === 'test').length / split.length;
    expect(testShare).toBeGreaterThan(0.17);
    expect(testShare).toBeLessThan(0.23);
    for (const t of TASKS) {
      const pos = data.map((d, i) => [d, i] as const).filter(([d]) => d.labels.includes(t));
      const test = pos.filter(([, i]) => split[i] === 'test').length;
      expect(test, t).toBeGreaterThan(0);
      expect(pos.length - test, t).toBeGreaterThan(0);
      expect(Math.abs(test - 0.2 * pos.length), t).toBeLessThanOrEqual(Math.max(3, 0.04 * pos.length));
    }
  });

  it('never puts documents of one group on both sides', () => {
    const data = items();
    const split = stratifiedGroupSplit(data, TASKS, 0.2, 3);
    const sideOf = new Map<string, string>();
    data.forEach((d, i) => {
      expect(sideOf.get(d.group) ?? split[i], d.group).toBe(split[i]);
      sideOf.set(d.group, split[i]);
    });
  });

  it('is deterministic per seed', () => {
    const data = items();
    expect(stratifiedGroupSplit(data, TASKS, 0.2, 5)).toEqual(stratifiedGroupSplit(data, TASKS, 0.2, 5));
    expect(stratifiedGroupSplit(data, TASKS, 0.2, 5)).not.toEqual(stratifiedGroupSplit(data, TASKS, 0.2, 6));
  });

  it('rejects a test fraction outside (0, 1)', () => {
    expect(() => stratifiedGroupSplit(items(), TASKS, 1, 1)).toThrow(/testFraction/);
  });
});
