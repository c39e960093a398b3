import { describe, expect, it } from 'vitest';
import { createRng, shuffleInPlace, subSeed } from '../../../src/lib/util/rng';

describe('createRng', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const a = Array.from({ length: 5 }, createRng(7).next);
    const b = Array.from({ length: 5 }, createRng(7).next);
    const c = Array.from({ length: 5 }, createRng(8).next);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    for (const x of a) expect(x >= 0 && x < 1).toBe(true);
  });

  it('fills raw 32-bit draws that are next() times 2^32, and moves the state on as next() would', () => {
    const a = createRng(11);
    const b = createRng(11);
    const raw = new Uint32Array(1000);
    a.fillUint32(raw);
    for (const r of raw) expect(r).toBe(b.next() * 4294967296);
    expect(a.next()).toBe(b.next());
    expect(new Set(raw).size).toBeGreaterThan(990);
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

  it('draws standard normals and tfjs seeds', () => {
    const rng = createRng(9);
    const xs = Array.from({ length: 20000 }, rng.normal);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    for (let i = 0; i < 100; i++) {
      const s = rng.seed();
      expect(Number.isInteger(s) && s >= 1 && s <= 2 ** 31 - 1).toBe(true);
    }
  });

  it('shuffle is shuffleInPlace with its own stream', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    expect(createRng(5).shuffle([...items])).toEqual(shuffleInPlace([...items], createRng(5)));
  });
});

describe('subSeed', () => {
  it('gives each purpose its own repeatable seed', () => {
    expect(subSeed(1, 'head')).toBe(subSeed(1, 'head'));
    expect(subSeed(1, 'head')).not.toBe(subSeed(1, 'shuffle'));
    expect(subSeed(1, 'head')).not.toBe(subSeed(2, 'head'));
    expect(Number.isInteger(subSeed(1, 'head')) && subSeed(1, 'head') >= 0).toBe(true);
  });
});
