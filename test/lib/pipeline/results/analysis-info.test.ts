import { describe, expect, it } from 'vitest';
import { fitGbdt } from '../../../../src/lib/gbdt/fit';
import { featureImportance } from '../../../../src/lib/gbdt/importance';
import { fromXgboostJson, toXgboostJsonText } from '../../../../src/lib/gbdt/xgboost-json';
import { analysisInfo } from '../../../../src/lib/pipeline/results/analysis-info';
import type { Analysis } from '../../../../src/lib/search/analysis';
import type { RegressorRecord } from '../../../../src/lib/store/records';

/** A small boosted model on columns x (drives y) and z (noise), saved as the regressor job saves it. */
function regressor(featureSet: string, heldOutTarget: string | undefined, seed: number): RegressorRecord {
  const n = 40;
  const X = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    X[2 * i] = i;
    X[2 * i + 1] = (i * 7 + seed) % 5;
    y[i] = i < 20 ? 0 : 1;
  }
  const model = fitGbdt(X, n, 2, y, { n_estimators: 3, max_depth: 2 }, { featureNames: ['x', 'z'] });
  return {
    id: `${featureSet}-${heldOutTarget}`, featureSet, featureNames: ['x', 'z'], ...(heldOutTarget !== undefined ? { heldOutTarget } : {}),
    params: {}, model: toXgboostJsonText(model), metrics: { testRmse: 0.1 * seed, trainRows: 30 + seed }, createdAt: 'now',
  };
}

const ANALYSIS = {
  table1: { rows: [] }, rmseAtK: [], curves: [], headline: {},
  predictions: [{ featureSet: 'F1', values: [0.25, 0.5] }],
} as unknown as Analysis;

describe('analysisInfo', () => {
  it('pairs each prediction with its measured F1 and averages gain importance over all folds', () => {
    const folds = [regressor('F1', 'a', 1), regressor('F1', 'b', 2)];
    const allRows = regressor('F1', undefined, 3); // fitted on all rows: for export, not evaluated
    const broken: RegressorRecord = { ...regressor('F1', 'c', 4), model: '{"not": "a model"}' };
    const rows = [{ source: 'a', target: 'b', f1: 0.75 }, { source: 'b', target: 'a', f1: 0.125 }];
    const info = analysisInfo(ANALYSIS, rows, [...folds, allRows, broken]);

    expect(info.predictions).toEqual([{ featureSet: 'F1', rows: [
      { source: 'a', target: 'b', actual: 0.75, predicted: 0.25 },
      { source: 'b', target: 'a', actual: 0.125, predicted: 0.5 },
    ] }]);
    // Every fold is listed (the unreadable one too), the all-rows regressor is not.
    expect(info.regressors.map((r) => r.heldOutTarget)).toEqual(['a', 'b', 'c']);
    expect(info.regressors[1]).toEqual({ featureSet: 'F1', heldOutTarget: 'b', testRmse: 0.2, trainRows: 32 });
    // Mean over the 3 folds: the unreadable fold adds 0.
    const gains = folds.map((r) => featureImportance(fromXgboostJson(r.model), 'gain'));
    const [fs] = info.importance;
    expect(fs.featureSet).toBe('F1');
    const x = fs.features.find((f) => f.name === 'x')!;
    expect(x.gain).toBeCloseTo(((gains[0].x ?? 0) + (gains[1].x ?? 0)) / 3, 9);
    expect(x.folds).toBe(2);
    expect(fs.features.map((f) => f.gain)).toEqual([...fs.features.map((f) => f.gain)].sort((p, q) => q - p));
  });
});
