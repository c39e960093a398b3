import { describe, expect, it } from 'vitest';
import { createRng, shuffleInPlace } from '../../../src/lib/util/rng';

describe('createRng', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const a = Array.from({ length: 5 }, createRng(7).next);
    const b = Array.from({ length: 5 }, createRng(7).next);
    const c = Array.from({ length: 5 }, createRng(8).next);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    for (const x of a) expect(x >= 0 && x < 1).toBe(true);
  });

  it('draws integers in range, roughly uniformly', () => {
    const rng = createRng(1);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[rng.int(4)]++;
    for (const n of counts) expect(n).toBeGreaterThan(900);
    expect(() => rng.int(0)).toThrow(/positive integer/);
  });

  it('shuffles to a permutation that depends on the seed', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const s1 = shuffleInPlace([...items], createRng(3));
    expect([...s1].sort((x, y) => x - y)).toEqual(items);
    expect(s1).toEqual(shuffleInPlace([...items], createRng(3)));
    expect(s1).not.toEqual(shuffleInPlace([...items], createRng(4)));
  });
});
