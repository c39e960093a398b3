import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { sourceEffect } from '../../../src/lib/stats/source-effect';

interface Case { name: string; groups: number[][]; F: number; p: number }
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/source-effect/expected.json', import.meta.url), 'utf8')) as { cases: Case[] };

describe('sourceEffect (one-way ANOVA by permutation)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('matches SciPy f_oneway on "%s": same F, p-value close to the F distribution\'s', (_, c) => {
    const r = sourceEffect(c.groups, { permutations: 4000, seed: 3 });
    expect(r.F).not.toBeNull();
    expect(Math.abs(r.F! - c.F) / c.F).toBeLessThan(1e-9);
    expect(Math.abs(r.p! - c.p)).toBeLessThan(0.03);
    expect(r.verdict).toBe(c.p < 0.05 ? 'sources differ' : 'not distinguishable');
    expect(r.runs).toBe(c.groups.flat().length);
  });

  it('is deterministic for a seed', () => {
    const g = fixture.cases[2].groups;
    expect(sourceEffect(g, { seed: 5 })).toEqual(sourceEffect(g, { seed: 5 }));
  });

  it('names the cases it cannot test: one seed per source, every value equal', () => {
    expect(sourceEffect([[0.3], [0.5], [0.1]]).verdict).toBe('one seed');
    expect(sourceEffect([[0.3, 0.3], [0.3, 0.3]])).toMatchObject({ verdict: 'constant', F: null, p: null });
    expect(sourceEffect([[0.4, 0.4]]).verdict).toBe('one seed'); // a single source: nothing to compare
  });

  it('sources that differ with no spread within give the smallest p-value the permutations allow', () => {
    const r = sourceEffect([[0, 0], [1, 1], [0.5, 0.5]], { permutations: 999 });
    // Of the 90 distinct assignments only the 6 that keep the pairs together are as extreme.
    expect(r.F).toBeNull();
    expect(r.p!).toBeLessThan(0.12);
    expect(r.p!).toBeGreaterThan(0.03);
  });

  it('no difference between the source means gives p = 1', () => {
    expect(sourceEffect([[0.1, 0.3], [0.3, 0.1]]).p).toBe(1);
  });

  it('refuses non-finite values and a bad permutation count', () => {
    expect(() => sourceEffect([[0.1, NaN], [0.2, 0.3]])).toThrow(/finite/);
    expect(() => sourceEffect([[0.1, 0.2], [0.2, 0.3]], { permutations: 0 })).toThrow(/permutations/);
  });
});
