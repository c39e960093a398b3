import { describe, expect, it } from 'vitest';
import { fitGbdt } from '../../../src/lib/gbdt/fit';
import { featureImportance, IMPORTANCE_TYPES } from '../../../src/lib/gbdt/importance';
import { fromXgboostJson } from '../../../src/lib/gbdt/xgboost-json';
import { fixtureData, fixtureJson } from './fixtures';

describe('featureImportance', () => {
  const expected = fixtureJson('importance_expected.json');
  for (const name of ['xgb_model.json', 'xgb_model_v2.json']) {
    it(`${name}: equals XGBoost's get_score for every importance type`, () => {
      const model = fromXgboostJson(fixtureJson(name));
      for (const type of IMPORTANCE_TYPES) {
        const ours = featureImportance(model, type);
        const theirs = expected[name][type] as Record<string, number>;
        expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
        for (const [k, v] of Object.entries(theirs)) expect(Math.abs(ours[k] - v) / v).toBeLessThan(1e-6);
      }
    });
  }

  it('sums: weight = number of splits, total_gain = Σ loss changes, gain·weight = total_gain; named features', () => {
    const train = fixtureData('train.csv');
    const params = fixtureJson('params_v2.json').params;
    const model = fitGbdt(train.X, train.n, train.d, train.y, params, { featureNames: train.featureNames });
    let splits = 0;
    let lossSum = 0;
    let coverSum = 0;
    for (const t of model.trees) {
      for (let i = 0; i < t.numNodes; i++) {
        if (t.left[i] === -1) continue;
        splits++;
        lossSum += t.lossChange[i];
        coverSum += t.sumHessian[i];
      }
    }
    const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
    const weight = featureImportance(model, 'weight');
    const gain = featureImportance(model, 'gain');
    const total = featureImportance(model, 'total_gain');
    expect(sum(weight)).toBe(splits);
    expect(sum(total)).toBeCloseTo(lossSum, 6);
    expect(sum(featureImportance(model, 'total_cover'))).toBeCloseTo(coverSum, 6);
    for (const k of Object.keys(weight)) {
      expect(gain[k] * weight[k]).toBeCloseTo(total[k], 6);
      expect(train.featureNames).toContain(k);
    }
    // 2·sin(x0) and 5·x1² are the strongest signals of the fixture's target.
    const top2 = Object.entries(total).sort((a, b) => b[1] - a[1]).slice(0, 2).map(([k]) => k);
    expect(top2.sort()).toEqual(['x0', 'x1']);
    expect(() => featureImportance(model, 'split' as never)).toThrow(/unknown importance type "split"/);
  });
});
