import { describe, expect, it } from 'vitest';
import { median } from '../../../src/cli/bench/median';

describe('median', () => {
  it('takes the middle value, or the mean of the middle two, without reordering its input', () => {
    const xs = [3, 1, 2];
    expect(median(xs)).toBe(2);
    expect(xs).toEqual([3, 1, 2]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(() => median([])).toThrow(/empty/);
  });
});
