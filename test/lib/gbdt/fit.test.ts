import { describe, expect, it } from 'vitest';
import { fitGbdt } from '../../../src/lib/gbdt/fit';
import { gbdtRegressor } from '../../../src/lib/gbdt/regressor';
import { predictGbdt } from '../../../src/lib/gbdt/predict';
import { toXgboostJson } from '../../../src/lib/gbdt/xgboost-json';
import type { RegTree } from '../../../src/lib/gbdt/tree';
import { fixtureData, fixtureJson, maxAbsDiff, rmseOf } from './fixtures';

const train = fixtureData('train.csv');
const test = fixtureData('test.csv');
const VARIANTS = [
  { name: 'v1', params: 'params.json', model: 'xgb_model.json', expected: 'expected_pred.json' },
  { name: 'v2', params: 'params_v2.json', model: 'xgb_model_v2.json', expected: 'expected_pred_v2.json' },
];

function treesJson(model: Parameters<typeof toXgboostJson>[0]): unknown[] {
  return (toXgboostJson(model) as any).learner.gradient_booster.model.trees;
}

describe('exact method reproduces XGBoost 1.7.4 (shared fixtures)', () => {
  for (const v of VARIANTS) {
    it(`${v.name}: test and train predictions within 1e-5`, () => {
      const params = fixtureJson(v.params).params;
      const expected = fixtureJson(v.expected);
      const model = fitGbdt(train.X, train.n, train.d, train.y, params);
      expect(model.trees).toHaveLength(params.n_estimators);
      expect(maxAbsDiff(predictGbdt(model, test.X, test.n), expected.test_predictions)).toBeLessThanOrEqual(1e-5);
      expect(maxAbsDiff(predictGbdt(model, train.X, train.n), expected.train_predictions)).toBeLessThanOrEqual(1e-5);
      expect(rmseOf(predictGbdt(model, test.X, test.n), test.y)).toBeCloseTo(expected.test_rmse, 5);
    });

    it(`${v.name}: every tree equals XGBoost's node for node (splits, gains, weights, pruned nodes)`, () => {
      const params = fixtureJson(v.params).params;
      const model = fitGbdt(train.X, train.n, train.d, train.y, params);
      const theirs = fixtureJson(v.model).learner.gradient_booster.model.trees;
      expect(treesJson(model)).toEqual(theirs);
    });
  }
});

describe('missing values, L1, max_delta_step, base_score (fixture made with XGBoost 1.7.4)', () => {
  const mtrain = fixtureData('missing_train.csv');
  const mtest = fixtureData('missing_test.csv');
  const expected = fixtureJson('missing_expected.json');
  for (const [name, v] of Object.entries<any>(expected.variants)) {
    it(`${name}: predictions within 1e-5 of XGBoost's`, () => {
      const model = fitGbdt(mtrain.X, mtrain.n, mtrain.d, mtrain.y, v.params);
      expect(maxAbsDiff(predictGbdt(model, mtest.X, mtest.n), v.test_predictions)).toBeLessThanOrEqual(1e-5);
      expect(maxAbsDiff(predictGbdt(model, mtrain.X, mtrain.n), v.train_predictions)).toBeLessThanOrEqual(1e-5);
    });
  }

  it('learns the same default directions as XGBoost (trees equal node for node)', () => {
    const model = fitGbdt(mtrain.X, mtrain.n, mtrain.d, mtrain.y, expected.variants.plain.params);
    const theirs = fixtureJson('xgb_model_missing.json').learner.gradient_booster.model.trees;
    expect(treesJson(model)).toEqual(theirs);
    // The data makes both directions useful: some splits send missing values right.
    const dirs = new Set(model.trees.flatMap((t) => Array.from({ length: t.numNodes }, (_, i) => (t.left[i] >= 0 ? t.defaultLeft[i] : -1))));
    expect(dirs.has(0) && dirs.has(1)).toBe(true);
  });
});

describe('missing values go to the learned default direction', () => {
  // One feature; present rows: y = 0 below 0.5 and 10 above; the missing rows' y decides the side.
  function data(missingY: number) {
    const n = 120;
    const X = new Float32Array(n);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      if (i % 4 === 3) {
        X[i] = NaN;
        y[i] = missingY;
      } else {
        X[i] = (i % 97) / 97;
        y[i] = X[i] < 0.5 ? 0 : 10;
      }
    }
    return { X, y, n };
  }
  for (const method of ['exact', 'hist'] as const) {
    it(`${method}: missing with the high rows → right, with the low rows → left`, () => {
      for (const [missingY, left] of [[10, 0], [0, 1]] as const) {
        const { X, y, n } = data(missingY);
        const model = fitGbdt(X, n, 1, y, { tree_method: method, n_estimators: 20, max_depth: 1, learning_rate: 0.5 });
        expect(model.trees[0].defaultLeft[0]).toBe(left);
        const [pMissing, pLow, pHigh] = predictGbdt(model, new Float32Array([NaN, 0.1, 0.9]), 3);
        expect(Math.abs(pMissing - (missingY === 10 ? pHigh : pLow))).toBeLessThan(1e-6);
        expect(pHigh - pLow).toBeGreaterThan(9);
      }
    });
  }
});

describe('hist method', () => {
  for (const v of VARIANTS) {
    it(`${v.name}: test RMSE within 5 % of exact's (default max_bin 256)`, () => {
      const params = fixtureJson(v.params).params;
      const exact = fitGbdt(train.X, train.n, train.d, train.y, params);
      const hist = fitGbdt(train.X, train.n, train.d, train.y, { ...params, tree_method: 'hist' });
      const rExact = rmseOf(predictGbdt(exact, test.X, test.n), test.y);
      const rHist = rmseOf(predictGbdt(hist, test.X, test.n), test.y);
      expect(Math.abs(rHist - rExact) / rExact).toBeLessThanOrEqual(0.05);
    });
  }

  it('with at least one bin per distinct value it makes exactly the exact method\'s trees', () => {
    // 240 rows: every feature has ≤ 256 distinct values, so every exact split is a bin boundary.
    const params = fixtureJson('params_v2.json').params;
    const exact = fitGbdt(train.X, train.n, train.d, train.y, params);
    const hist = fitGbdt(train.X, train.n, train.d, train.y, { ...params, tree_method: 'hist' });
    expect(treesJson(hist)).toEqual(treesJson(exact));
  });

  it('same with missing values and two-byte bins (max_bin 1024 > 260 rows)', () => {
    const mtrain = fixtureData('missing_train.csv');
    const params = fixtureJson('missing_expected.json').variants.alpha_gamma_mcw.params;
    const exact = fitGbdt(mtrain.X, mtrain.n, mtrain.d, mtrain.y, params);
    const hist = fitGbdt(mtrain.X, mtrain.n, mtrain.d, mtrain.y, { ...params, tree_method: 'hist', max_bin: 1024 });
    expect(treesJson(hist)).toEqual(treesJson(exact));
  });

  it('coarse bins change the model but still learn (max_bin 16)', () => {
    const params = fixtureJson('params.json').params;
    const expected = fixtureJson('expected_pred.json');
    const exact = fitGbdt(train.X, train.n, train.d, train.y, params);
    const hist = fitGbdt(train.X, train.n, train.d, train.y, { ...params, tree_method: 'hist', max_bin: 16 });
    expect(treesJson(hist)).not.toEqual(treesJson(exact));
    const rHist = rmseOf(predictGbdt(hist, test.X, test.n), test.y);
    expect(rHist).toBeLessThan(0.5 * expected.baseline_rmse_predict_train_mean);
  });

  it('the WebAssembly and JavaScript histogram kernels give identical models', () => {
    const mtrain = fixtureData('missing_train.csv');
    const params = { tree_method: 'hist', max_bin: 32, n_estimators: 15, max_depth: 5, subsample: 0.8, colsample_bynode: 0.7, seed: 3 };
    const a = fitGbdt(mtrain.X, mtrain.n, mtrain.d, mtrain.y, params);
    const b = fitGbdt(mtrain.X, mtrain.n, mtrain.d, mtrain.y, params, { histKernel: 'js' });
    expect(treesJson(a)).toEqual(treesJson(b));
  });
});

function splitNodes(t: RegTree): number[] {
  return Array.from({ length: t.numNodes }, (_, i) => i).filter((i) => t.left[i] !== -1);
}

describe('gamma pruning', () => {
  const params = fixtureJson('params.json').params;

  it('a huge gamma prunes every tree to its root leaf, keeping the pruned nodes as deleted', () => {
    const model = fitGbdt(train.X, train.n, train.d, train.y, { ...params, gamma: 1e9 });
    for (const t of model.trees) {
      expect(t.left[0]).toBe(-1);
      expect(t.numNodes).toBeGreaterThan(1);
      expect(t.deleted.reduce((s, x) => s + x, 0)).toBe(t.numNodes - 1);
      expect(t.splitCondition[0]).toBeCloseTo(Math.fround(0.3) * t.baseWeight[0], 6);
    }
    const p = predictGbdt(model, test.X, test.n);
    expect(new Set(p).size).toBe(1);
  });

  it('a moderate gamma removes exactly the weak bottom splits', () => {
    const gamma = 30; // the first tree's bottom splits gain 26.8, 40.2 and 15.9
    const grown = fitGbdt(train.X, train.n, train.d, train.y, { ...params, n_estimators: 1 });
    const pruned = fitGbdt(train.X, train.n, train.d, train.y, { ...params, n_estimators: 1, gamma });
    const [g, p] = [grown.trees[0], pruned.trees[0]];
    expect(p.numNodes).toBe(g.numNodes); // same growth, only pruned afterwards
    let deleted = 0;
    for (const i of splitNodes(p)) {
      const bothLeaves = p.left[p.left[i]] === -1 && p.left[p.right[i]] === -1;
      if (bothLeaves) expect(p.lossChange[i]).toBeGreaterThanOrEqual(gamma);
    }
    for (const i of splitNodes(g)) {
      if (p.left[i] === -1) {
        deleted++;
        expect(g.lossChange[i]).toBeLessThan(gamma);
      }
    }
    expect(deleted).toBeGreaterThan(0);
  });
});

describe('row and column sampling', () => {
  for (const method of ['exact', 'hist'] as const) {
    it(`${method}: same seed → same model, other seed → other model`, () => {
      const p = { tree_method: method, n_estimators: 10, subsample: 0.7, colsample_bytree: 0.8, colsample_bylevel: 0.8, colsample_bynode: 0.8 };
      const a = fitGbdt(train.X, train.n, train.d, train.y, { ...p, seed: 1 });
      const b = fitGbdt(train.X, train.n, train.d, train.y, { ...p, seed: 1 });
      const c = fitGbdt(train.X, train.n, train.d, train.y, { ...p, seed: 2 });
      expect(treesJson(a)).toEqual(treesJson(b));
      expect(treesJson(a)).not.toEqual(treesJson(c));
    });

    it(`${method}: colsample_bytree 0.25 of 12 features → each tree splits on at most 3`, () => {
      const model = fitGbdt(train.X, train.n, train.d, train.y, { tree_method: method, n_estimators: 10, colsample_bytree: 0.25, max_depth: 4 });
      const used = model.trees.map((t) => new Set(splitNodes(t).map((i) => t.splitIndex[i])));
      for (const u of used) expect(u.size).toBeLessThanOrEqual(3);
      expect(new Set(used.flatMap((u) => [...u])).size).toBeGreaterThan(3);
    });

    it(`${method}: colsample_bynode 1/12 → nodes of one level split on different features`, () => {
      const model = fitGbdt(train.X, train.n, train.d, train.y, { tree_method: method, n_estimators: 5, colsample_bynode: 1 / 12, max_depth: 3 });
      // With one feature per node, a level's nodes would all use the same feature only by chance.
      const levelFeatures = model.trees.map((t) => new Set([t.splitIndex[1], t.splitIndex[2]].filter((_, k) => t.left[1 + k] !== -1)));
      expect(levelFeatures.some((s) => s.size > 1)).toBe(true);
    });

    it(`${method}: subsample 0.5 → each tree sees about half the rows, a different half`, () => {
      const model = fitGbdt(train.X, train.n, train.d, train.y, { tree_method: method, n_estimators: 8, subsample: 0.5 });
      const roots = model.trees.map((t) => t.sumHessian[0]);
      for (const h of roots) {
        expect(h).toBeGreaterThan(0.35 * train.n);
        expect(h).toBeLessThan(0.65 * train.n);
      }
      expect(new Set(roots).size).toBeGreaterThan(1);
    });
  }
});

describe('early stopping', () => {
  it('stops once the validation RMSE has not improved for early_stopping_rounds, keeping the best trees', () => {
    const history: number[] = [];
    const model = fitGbdt(
      train.X, train.n, train.d, train.y,
      { n_estimators: 500, learning_rate: 0.3, max_depth: 4, early_stopping_rounds: 5 },
      { valid: { X: test.X, n: test.n, y: test.y }, onRound: (_r, _t, v) => history.push(v!) },
    );
    const best = model.bestIteration!;
    expect(model.roundsTrained).toBeLessThan(500);
    expect(model.roundsTrained).toBe(best + 6);
    expect(history).toHaveLength(model.roundsTrained!);
    expect(model.trees).toHaveLength(best + 1);
    expect(Math.min(...history)).toBe(history[best]);
    expect(history.slice(best + 1).every((v) => v >= history[best])).toBe(true);
    expect(rmseOf(predictGbdt(model, test.X, test.n), test.y)).toBeCloseTo(history[best], 10);
  });

  it('needs a validation set', () => {
    expect(() => fitGbdt(train.X, train.n, train.d, train.y, { early_stopping_rounds: 3 })).toThrow(/validation set/);
  });
});

describe('inputs and options', () => {
  it('rejects mismatched shapes, non-finite labels and infinite features, naming the row', () => {
    expect(() => fitGbdt(new Float32Array(5), 2, 3, new Float32Array(2))).toThrow(/2 rows × 3 columns = 6 values, got 5/);
    expect(() => fitGbdt(new Float32Array(6), 2, 3, new Float32Array(3))).toThrow(/2 rows but 3 labels/);
    expect(() => fitGbdt(new Float32Array(6), 2, 3, new Float32Array([1, NaN]))).toThrow(/label of row 1 is NaN/);
    expect(() => fitGbdt(new Float32Array([0, 0, 0, 0, Infinity, 0]), 2, 3, new Float32Array(2))).toThrow(/row 1, column 1 is Infinity/);
  });

  it('stops when aborted', () => {
    const controller = new AbortController();
    let rounds = 0;
    expect(() =>
      fitGbdt(train.X, train.n, train.d, train.y, { n_estimators: 50 }, {
        signal: controller.signal,
        onRound: () => {
          if (++rounds === 3) controller.abort(new Error('user cancelled'));
        },
      }),
    ).toThrow('user cancelled');
    expect(rounds).toBe(3);
  });

  it('gbdtRegressor gives the search code a fit function with the same predictions', () => {
    const fit = gbdtRegressor({ n_estimators: 20, max_depth: 3 });
    const predictor = fit(train.X, train.n, train.d, train.y);
    const model = fitGbdt(train.X, train.n, train.d, train.y, { n_estimators: 20, max_depth: 3 });
    expect(Array.from(predictor(test.X, test.n))).toEqual(Array.from(predictGbdt(model, test.X, test.n)));
    expect(() => gbdtRegressor({ max_dept: 3 } as never)).toThrow(/unknown parameter "max_dept"/);
  });

  it('fits tiny, wide data (the leave-one-target-out pipeline fits many small models)', () => {
    const n = 60;
    const d = 46;
    const X = new Float32Array(n * d).map((_, i) => Math.sin(i * 12.9898) * 0.5 + 0.5);
    const y = new Float32Array(n).map((_, r) => X[r * d] * 2 + X[r * d + 1]);
    const model = fitGbdt(X, n, d, y, { n_estimators: 50, max_depth: 3 });
    expect(rmseOf(predictGbdt(model, X, n), y)).toBeLessThan(0.05);
  });
});
