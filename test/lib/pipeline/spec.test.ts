import { describe, expect, it } from 'vitest';
import { GRID_PRESETS, expandGrid, settingKey } from '../../../src/lib/pipeline/grids';
import {
  canonicalJson, DEFAULT_FEATURE_SETS, isLegacySpec, LEGACY_MIN_TRAIN_POSITIVE_SHARE, LEGACY_SPLIT, needsConductance, resolveSpec, resolveSpecFor, specDifferences, SpecError, upgradeStoredSpec,
} from '../../../src/lib/pipeline/spec';

const base = { dataset: { kind: 'stored', id: 'd1' }, model: { kind: 'bundled', name: 'fixture-tiny' } };

describe('resolveSpec', () => {
  it('fills every default and expands grid presets into their lists', () => {
    const s = resolveSpec({ ...base, grids: { single: 'paper', transfer: 'tiny' } });
    expect(s.tasks).toBe('all');
    expect(s.split).toEqual({ seed: 0, testFraction: 0.2, by: 'duplicates', validationFraction: 0.2 });
    expect(s.seeds).toBe(1);
    expect(s.minPositives).toEqual({ train: 10, test: 3 });
    expect(s.grids.single).toEqual({ name: 'paper', lr: [1e-5, 2e-5, 3e-5, 5e-5], epochs: [1, 2, 3, 4], batch: [16, 32] });
    expect(expandGrid(s.grids.single)).toHaveLength(32);
    expect(s.grids.transfer).toEqual({ name: 'tiny', lr: [3e-4], epochs: [1], batch: [32] });
    expect(s.pairs).toEqual({ kind: 'all' });
    expect(s.conductance).toEqual({ method: 'gausslegendre', nSteps: 50, internalBatchSize: null, maxDocsPerTask: null });
    expect(s.featureSets).toEqual(DEFAULT_FEATURE_SETS);
    expect(s.maxLength).toBeNull();
    expect(s.maxTrainDocs).toBeNull();
    expect(needsConductance(s)).toBe(true);
  });

  it('defaults both grids to "small" and the split seed to the spec seed', () => {
    const s = resolveSpec({ ...base, seed: 42 });
    expect(s.grids.single).toEqual({ ...GRID_PRESETS.small });
    expect(expandGrid(s.grids.transfer).map(settingKey)).toEqual(['lr=0.0003,epochs=3,batch=16', 'lr=0.001,epochs=3,batch=16']);
    expect(s.split.seed).toBe(42);
  });

  it('accepts custom grids, a pair count, a pair list and model kinds', () => {
    const s = resolveSpec({
      ...base, model: { kind: 'hub', id: 'google/bert_uncased_L-2_H-128_A-2' },
      grids: { single: { lr: [1e-3, 2e-3], epochs: [1], batch: [8, 16] } }, pairs: 5,
    });
    expect(s.grids.single.name).toBe('custom');
    expect(expandGrid(s.grids.single)).toHaveLength(4);
    expect(s.pairs).toEqual({ kind: 'sample', count: 5 });
    expect(s.model).toEqual({ kind: 'hub', id: 'google/bert_uncased_L-2_H-128_A-2' });
    const l = resolveSpec({ ...base, pairs: { kind: 'list', pairs: [['a', 'b'], ['b', 'a']] } });
    expect(l.pairs).toEqual({ kind: 'list', pairs: [['a', 'b'], ['b', 'a']] });
    expect(needsConductance(resolveSpec({ ...base, featureSets: ['F1', 'F1+baselines'] }))).toBe(false);
  });

  const bad: [string, unknown, RegExp][] = [
    ['not an object', 42, /^experiment spec, spec: expected an object, got 42/],
    ['missing dataset', { model: base.model }, /spec\.dataset: is required/],
    ['missing model', { dataset: base.dataset }, /spec\.model: is required/],
    ['unknown field (typo)', { ...base, seed_s: 1 }, /spec\.seed_s: unknown field; known fields: version, name, dataset/],
    ['unknown dataset kind', { ...base, dataset: { kind: 'url', id: 'x' } }, /spec\.dataset\.kind: expected "stored" \(with id\) or "demo" \(with name\), got "url"/],
    ['unknown grid preset', { ...base, grids: { single: 'huge' } }, /spec\.grids\.single: unknown grid preset "huge"; presets: tiny, small, paper/],
    ['negative learning rate', { ...base, grids: { single: { lr: [-1], epochs: [1], batch: [8] } } }, /spec\.grids\.single\.lr\[0\]: expected a number > 0, got -1/],
    ['fractional epochs', { ...base, grids: { transfer: { lr: [1e-4], epochs: [1.5], batch: [8] } } }, /spec\.grids\.transfer\.epochs\[0\]: expected an integer ≥ 1, got 1\.5/],
    ['duplicate batch', { ...base, grids: { single: { lr: [1e-4], epochs: [1], batch: [8, 8] } } }, /spec\.grids\.single\.batch: 8 is listed twice/],
    ['test fraction 1', { ...base, split: { testFraction: 1 } }, /spec\.split\.testFraction: expected a fraction in \(0, 1\), got 1/],
    ['pair with itself', { ...base, pairs: { kind: 'list', pairs: [['a', 'a']] } }, /spec\.pairs\.pairs\[0\]: source and target are both "a"/],
    ['pair count 0', { ...base, pairs: 0 }, /spec\.pairs: expected an integer ≥ 1, got 0/],
    ['unknown feature set', { ...base, featureSets: ['F1', 'ANSAT'] }, /spec\.featureSets\[1\]: unknown feature set "ANSAT"; known: F1, F1\+ANSAT/],
    ['unknown conductance method', { ...base, conductance: { method: 'riemann_left' } }, /spec\.conductance\.method: expected one of gausslegendre, riemann_trapezoid/],
    ['unknown regressor parameter', { ...base, regressor: { params: { max_dept: 3 } } }, /spec\.regressor\.params: unknown parameter "max_dept"/],
    ['bad regressor value', { ...base, regressor: { params: { subsample: 2 } } }, /spec\.regressor\.params: subsample must be in \(0, 1\], got 2/],
    ['cap below the minimum positives', { ...base, maxTrainDocs: 15 }, /spec\.maxTrainDocs: 15 is too small: .* must be ≥ 20/],
    ['tasks listed twice', { ...base, tasks: ['a', 'b', 'a'] }, /spec\.tasks: task "a" is listed twice/],
    ['model folder without path', { ...base, model: { kind: 'folder' } }, /spec\.model\.path: expected a non-empty string, got nothing/],
  ];
  it.each(bad)('rejects %s with a located message', (_name, value, message) => {
    let err: unknown;
    try {
      resolveSpec(value);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SpecError);
    expect((err as Error).message).toMatch(message);
  });
});

describe('spec comparison', () => {
  it('canonical JSON ignores key order; differences name the changed fields', () => {
    const a = resolveSpec({ ...base, seed: 1 });
    const b = resolveSpec({ model: base.model, seed: 1, dataset: base.dataset });
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(specDifferences(a, b)).toEqual([]);
    const c = resolveSpec({ ...base, seed: 1, pairs: 3, grids: { single: 'tiny' } });
    const diff = specDifferences(a, c);
    expect(diff.map((d) => d.split(':')[0])).toEqual(['grids', 'pairs']);
    expect(diff[1]).toContain('{"kind":"all"} → {"kind":"sample","count":3}');
  });
});

describe('specs stored before split.by, split.validationFraction and seeds', () => {
  const refs = { dataset: { kind: 'stored', id: 'd' }, model: { kind: 'bundled', name: 'm' } };
  const stored = () => {
    const s = resolveSpec({ ...refs, seed: 3 }) as unknown as Record<string, unknown>;
    const { seeds: _seeds, minTrainPositiveShare: _share, ...rest } = s;
    return { ...rest, split: { seed: 3, testFraction: 0.2 } } as unknown as ReturnType<typeof resolveSpec>;
  };

  it('are read as they ran: the duplicate-aware split, no validation part, one seed', () => {
    const up = upgradeStoredSpec(stored());
    expect(up.split).toEqual({ seed: 3, testFraction: 0.2, ...LEGACY_SPLIT });
    expect(up.seeds).toBe(1);
    expect(up.minTrainPositiveShare).toBe(LEGACY_MIN_TRAIN_POSITIVE_SHARE);
    expect(isLegacySpec(up)).toBe(true);
    const fresh = resolveSpec({ ...refs });
    expect(upgradeStoredSpec(fresh)).toBe(fresh);
    expect(isLegacySpec(fresh)).toBe(false);
  });

  it('resume with the same input; naming a new setting is a different experiment', () => {
    const up = upgradeStoredSpec(stored());
    expect(canonicalJson(resolveSpecFor(up, { ...refs, seed: 3 }))).toBe(canonicalJson(up));
    const other = resolveSpecFor(up, { ...refs, seed: 3, seeds: 2 });
    expect(specDifferences(up, other)).toEqual([expect.stringMatching(/^split: /), 'seeds: 1 → 2']);
    expect(other.split.validationFraction).toBe(0.2);
    // A new spec is never legacy: 0 is refused.
    expect(() => resolveSpec({ ...refs, split: { validationFraction: 0 } })).toThrow('spec.split.validationFraction: expected a fraction in (0, 1), got 0');
  });
});
