import { describe, expect, it } from 'vitest';
import { analyse } from '../../../src/lib/search/analysis';
import type { FeatureSet } from '../../../src/lib/search/types';
import { FIXED_PREDICTIONS, firstColumnFit, syntheticSingleTask, syntheticTransferRows } from './synthetic-runs';

// Two "feature sets" that a first-column stub turns into the same fixed predictions; the second
// contains an ANSAT feature, so the honest accounting charges it the conductance time.
const featureSets: FeatureSet[] = [
  { name: 'F1', features: ['fixed_pred', 'f1_source', 'f1_target'] },
  { name: 'F1+ANSAT', features: ['fixed_pred', 'f1_source', 'f1_target', 'ansat_D_A_0.05'] },
];

describe('analyse', () => {
  const result = analyse({
    singleTask: syntheticSingleTask(),
    transfer: syntheticTransferRows(),
    featureSets,
    fit: firstColumnFit,
    costs: { conductanceMs: 50 },
    rmseKs: [1, 2, 5],
  });

  it('predictions come from leave-one-target-out fits, one array per feature set', () => {
    expect(result.predictions.map((p) => p.featureSet)).toEqual(['F1', 'F1+ANSAT']);
    result.predictions[0]!.values.forEach((v, i) => expect(v).toBeCloseTo(FIXED_PREDICTIONS[i]!, 6));
  });

  it('curves: predicted per feature set, random, oracle; honest overheads from the single-task total', () => {
    expect(result.curves.map((c) => c.order)).toEqual(['predicted:F1', 'predicted:F1+ANSAT', 'random', 'oracle']);
    // S defaults to the summed single-task time: 60+70+100+50+30+40+80+90 = 520.
    expect(result.curves.map((c) => c.overheadMs)).toEqual([520, 570, 520, 520]);
    expect(result.curves[0]!.points.map((p) => p.runtimeMs)).toEqual([75, 100, 125, 135]);
  });

  it('headline in both accountings', () => {
    const [f1, ansat] = result.headline.orders;
    expect(result.headline.exhaustive).toMatchObject({ transferRuntimeMs: 135, honestRuntimeMs: 655 });
    expect(f1!.transferOnly.atF1Cost).toMatchObject({ k: 2, runtimeMs: 100 });
    expect(f1!.honest.atF1Cost.timeSaved).toBeCloseTo(1 - 620 / 655, 14);
    expect(ansat!.honest.atF1Cost.timeSaved).toBeCloseTo(1 - 670 / 655, 14);
    expect(result.headline.costs).toEqual({ singleTaskMs: 520, conductanceMs: 50 });
  });

  it('Table 1 and RMSE@K are included', () => {
    expect(result.table1.average!.tasks).toBe(3);
    expect(result.rmseAtK.map((p) => `${p.featureSet}@${p.k}`)).toEqual(['F1@1', 'F1@2', 'F1@4', 'F1+ANSAT@1', 'F1+ANSAT@2', 'F1+ANSAT@4']);
    expect(result.rmseAtK[0]!.rmsePooled).toBeCloseTo(Math.sqrt((0.0025 + 0.0025 + 0.09) / 3), 6);
  });

  it('an explicit single-task cost overrides the default', () => {
    const r = analyse({ singleTask: syntheticSingleTask(), transfer: syntheticTransferRows(), featureSets, fit: firstColumnFit, costs: { singleTaskMs: 0, conductanceMs: 0 } });
    expect(r.headline.exhaustive.honestRuntimeMs).toBe(135);
    expect(r.headline.orders[0]!.honest.atF1Cost.timeSaved).toBeCloseTo(1 - 100 / 135, 14);
  });

  it('rejects empty input and duplicate feature-set names', () => {
    const base = { singleTask: syntheticSingleTask(), featureSets, fit: firstColumnFit, costs: { conductanceMs: 0 } };
    expect(() => analyse({ ...base, transfer: [] })).toThrow(/analyse: no transfer rows given/);
    expect(() => analyse({ ...base, transfer: syntheticTransferRows(), featureSets: [] })).toThrow(/no feature sets/);
    expect(() => analyse({ ...base, transfer: syntheticTransferRows(), featureSets: [featureSets[0]!, featureSets[0]!] })).toThrow(
      /feature set name "F1" is used twice/,
    );
  });
});
