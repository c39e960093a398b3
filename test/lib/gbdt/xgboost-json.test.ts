import { describe, expect, it } from 'vitest';
import { fitGbdt } from '../../../src/lib/gbdt/fit';
import { predictGbdt } from '../../../src/lib/gbdt/predict';
import {
  fromXgboostJson,
  shortestFloat32,
  toXgboostJson,
  toXgboostJsonText,
  xgboostFloatString,
} from '../../../src/lib/gbdt/xgboost-json';
import { fixtureData, fixtureJson, fixtureText, maxAbsDiff } from './fixtures';

const train = fixtureData('train.csv');
const test = fixtureData('test.csv');

describe('reading models saved by XGBoost', () => {
  for (const [model, expected] of [
    ['xgb_model.json', 'expected_pred.json'],
    ['xgb_model_v2.json', 'expected_pred_v2.json'],
  ]) {
    it(`${model} predicts the expected values (float32-exact)`, () => {
      const m = fromXgboostJson(fixtureText(model));
      expect(m.baseScore).toBe(0.5);
      expect(m.numFeature).toBe(12);
      const exp = fixtureJson(expected);
      const p = predictGbdt(m, test.X, test.n);
      expect(maxAbsDiff(p, exp.test_predictions)).toBeLessThanOrEqual(1e-5);
      expect(Array.from(p)).toEqual(exp.test_predictions.map(Math.fround));
      expect(maxAbsDiff(predictGbdt(m, train.X, train.n), exp.train_predictions)).toBeLessThanOrEqual(1e-5);
    });
  }

  it('a model with learned missing-value directions predicts rows with NaN like XGBoost', () => {
    const m = fromXgboostJson(fixtureJson('xgb_model_missing.json'));
    const mtest = fixtureData('missing_test.csv');
    expect(Array.from(mtest.X).some(Number.isNaN)).toBe(true);
    const exp = fixtureJson('missing_expected.json').variants.plain.test_predictions;
    expect(maxAbsDiff(predictGbdt(m, mtest.X, mtest.n), exp)).toBeLessThanOrEqual(1e-5);
  });

  it('writing a loaded model gives back XGBoost\'s own trees, pruned nodes included', () => {
    const doc = fixtureJson('xgb_model_v2.json');
    const again = toXgboostJson(fromXgboostJson(doc)) as any;
    expect(again.learner.gradient_booster.model.trees).toEqual(doc.learner.gradient_booster.model.trees);
    expect(again.learner.learner_model_param).toEqual(doc.learner.learner_model_param);
    expect(again.learner.objective).toEqual(doc.learner.objective);
    expect(again.learner.gradient_booster.model.gbtree_model_param).toEqual(doc.learner.gradient_booster.model.gbtree_model_param);
  });

  it('reports what is wrong and where', () => {
    const doc = () => fixtureJson('xgb_model.json');
    const withObjective = doc();
    withObjective.learner.objective.name = 'binary:logistic';
    expect(() => fromXgboostJson(withObjective)).toThrow(/learner\.objective\.name: only reg:squarederror/);
    const badChild = doc();
    badChild.learner.gradient_booster.model.trees[3].left_children[0] = 99;
    expect(() => fromXgboostJson(badChild)).toThrow(/trees\[3\].*node 0 has child 99 outside 1\.\.14/);
    const short = doc();
    short.learner.gradient_booster.model.trees[1].split_conditions.pop();
    expect(() => fromXgboostJson(short)).toThrow(/trees\[1\]\.split_conditions: expected 15 entries/);
    const badFeature = doc();
    badFeature.learner.gradient_booster.model.trees[0].split_indices[0] = 12;
    expect(() => fromXgboostJson(badFeature)).toThrow(/split_indices\[0\]: feature 12 outside 0\.\.11/);
    expect(() => fromXgboostJson('{"learner": ')).toThrow(/not valid JSON/);
    expect(() => fromXgboostJson({})).toThrow(/learner: expected an object/);
    const dart = doc();
    dart.learner.gradient_booster.name = 'dart';
    expect(() => fromXgboostJson(dart)).toThrow(/only gbtree/);
  });

  it('accepts XGBoost 3\'s bracketed base_score', () => {
    const doc = fixtureJson('xgb_model.json');
    doc.learner.learner_model_param.base_score = '[7.5E-1]';
    expect(fromXgboostJson(doc).baseScore).toBe(0.75);
  });
});

describe('writing models for XGBoost', () => {
  it('own exact model → JSON text → read back predicts identically', () => {
    const params = fixtureJson('params_v2.json').params;
    const model = fitGbdt(train.X, train.n, train.d, train.y, params, { featureNames: train.featureNames });
    const back = fromXgboostJson(JSON.parse(toXgboostJsonText(model)));
    expect(back.featureNames).toEqual(train.featureNames);
    expect(Array.from(predictGbdt(back, test.X, test.n))).toEqual(Array.from(predictGbdt(model, test.X, test.n)));
    expect(back.trees).toEqual(model.trees);
  });

  it('own hist model with missing values, sampling and pruning round-trips too', () => {
    const mtrain = fixtureData('missing_train.csv');
    const mtest = fixtureData('missing_test.csv');
    const model = fitGbdt(mtrain.X, mtrain.n, mtrain.d, mtrain.y, {
      tree_method: 'hist', max_bin: 16, subsample: 0.7, colsample_bynode: 0.6, gamma: 0.5, n_estimators: 30,
    });
    expect(model.trees.some((t) => t.deleted.some((x) => x === 1))).toBe(true);
    const back = fromXgboostJson(toXgboostJsonText(model));
    expect(Array.from(predictGbdt(back, mtest.X, mtest.n))).toEqual(Array.from(predictGbdt(model, mtest.X, mtest.n)));
  });

  it('writes floats as float literals (XGBoost rejects 2 where it expects 2.0) and the 1.7 layout', () => {
    const model = fitGbdt(train.X, train.n, train.d, train.y, { n_estimators: 3, max_depth: 2 });
    const text = toXgboostJsonText(model);
    for (const key of ['split_conditions', 'base_weights', 'loss_changes', 'sum_hessian']) {
      const arrays = [...text.matchAll(new RegExp(`"${key}":\\[([^\\]]*)\\]`, 'g'))].map((m) => m[1].split(','));
      expect(arrays).toHaveLength(3);
      for (const a of arrays) for (const x of a) expect(x).toMatch(/[.eE]/);
    }
    expect(text).toMatch(/"sum_hessian":\[240\.0,/);
    const doc = JSON.parse(text);
    expect(doc.version).toEqual([1, 7, 4]);
    expect(doc.learner.learner_model_param).toEqual({ base_score: '5E-1', boost_from_average: '0', num_class: '0', num_feature: '12', num_target: '1' });
    expect(doc.learner.gradient_booster.model.gbtree_model_param.num_trees).toBe('3');
    expect(doc.learner.gradient_booster.model.tree_info).toEqual([0, 0, 0]);
  });

  it('marks deleted nodes the way XGBoost\'s loader recognises them', () => {
    const params = fixtureJson('params_v2.json').params;
    const model = fitGbdt(train.X, train.n, train.d, train.y, params);
    const tree = (toXgboostJson(model) as any).learner.gradient_booster.model.trees[20];
    const deleted = tree.split_indices.map((s: number, i: number) => (s === 2147483647 ? i : -1)).filter((i: number) => i >= 0);
    expect(deleted).toEqual([35, 36]);
    expect(deleted.map((i: number) => tree.default_left[i])).toEqual([1, 1]);
    expect(tree.tree_param.num_deleted).toBe('2');
  });

  it('float formatting: shortest float32 decimals, XGBoost-style parameter strings', () => {
    for (const x of [0.1, 1 / 3, 3.2549825, -1e-7, 123456.789, 5e-39]) {
      const s = shortestFloat32(x);
      expect(Math.fround(s)).toBe(Math.fround(x));
      expect(String(s).replace(/^-|e.*$|\./g, '').replace(/^0+/, '').length).toBeLessThanOrEqual(9);
    }
    expect(shortestFloat32(0.1)).toBe(0.1);
    expect(xgboostFloatString(0.5)).toBe('5E-1');
    expect(xgboostFloatString(1)).toBe('1E0');
    expect(xgboostFloatString(0.25)).toBe('2.5E-1');
    expect(xgboostFloatString(-12)).toBe('-1.2E1');
  });
});
