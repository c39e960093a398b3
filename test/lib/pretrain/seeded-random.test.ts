import { describe, expect, it } from 'vitest';
import { seededRandom, shuffleInPlace } from '../../../src/lib/pretrain/seeded-random';

describe('seededRandom', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const a = seededRandom(9);
    const b = seededRandom(9);
    const c = seededRandom(10);
    const xs = Array.from({ length: 50 }, () => a.next());
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 50 }, () => c.next())).not.toEqual(xs);
  });

  it('draws uniform integers in range', () => {
    const rng = seededRandom(1);
    const hist = new Array(10).fill(0);
    for (let i = 0; i < 20000; i++) hist[rng.int(10)]++;
    for (const h of hist) expect(Math.abs(h - 2000)).toBeLessThan(200);
    expect(() => rng.int(0)).toThrow(/positive integer/);
  });

  it('shuffles into a permutation', () => {
    const xs = shuffleInPlace(Array.from({ length: 100 }, (_, i) => i), seededRandom(3));
    expect([...xs].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(xs).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
