import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS, resolveParams } from '../../../src/lib/gbdt/params';
import { fixtureJson } from './fixtures';

describe('resolveParams', () => {
  it('accepts the fixtures\' XGBRegressor params unchanged', () => {
    const p = resolveParams(fixtureJson('params_v2.json').params);
    expect(p).toMatchObject({ n_estimators: 100, max_depth: 5, learning_rate: 0.1, min_child_weight: 3, reg_lambda: 2, gamma: 0.1, tree_method: 'exact', seed: 0 });
  });

  it('fills XGBoost 1.7 defaults and maps native aliases', () => {
    expect(resolveParams({})).toEqual(DEFAULT_PARAMS);
    expect(resolveParams({ eta: 0.1, lambda: 2, alpha: 0.5, min_split_loss: 1, num_boost_round: 7, random_state: 9 })).toMatchObject({
      learning_rate: 0.1, reg_lambda: 2, reg_alpha: 0.5, gamma: 1, n_estimators: 7, seed: 9,
    });
    expect(resolveParams({ tree_method: 'auto' }).tree_method).toBe('exact');
  });

  it('rejects unknown names, duplicates, wrong types, out-of-range values and unsupported settings', () => {
    expect(() => resolveParams({ max_dept: 3 }, 'p.json')).toThrow(/^p\.json: unknown parameter "max_dept"; known: n_estimators, /);
    expect(() => resolveParams({ eta: 0.1, learning_rate: 0.2 })).toThrow(/"learning_rate" and "eta" are the same parameter/);
    expect(() => resolveParams({ max_depth: '3' })).toThrow('params: max_depth must be a finite number, got "3"');
    expect(() => resolveParams({ subsample: 0 })).toThrow('params: subsample must be in (0, 1], got 0');
    expect(() => resolveParams({ max_depth: 2.5 })).toThrow(/max_depth must be an integer ≥ 0/);
    expect(() => resolveParams({ tree_method: 'approx' })).toThrow(/tree_method must be "exact", "hist" or "auto"/);
    expect(() => resolveParams({ objective: 'binary:logistic' })).toThrow(/objective must be "reg:squarederror"/);
    expect(() => resolveParams({ early_stopping_rounds: 0 })).toThrow(/early_stopping_rounds must be an integer ≥ 1/);
  });
});
