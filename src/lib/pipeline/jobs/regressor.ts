/**
 * The regressors of one feature set. Leave-one-target-out (search/leaveOneTargetOut): for every
 * target, boosted trees fitted on the other targets' transfer rows, stored with their held-out
 * RMSE; the analysis job predicts with these stored models rather than fitting again. And one fitted
 * on ALL transfer rows (no held-out target): the model to export for predicting new pairs, which
 * the evaluation never uses. Every model is stored in XGBoost's JSON format (loadable by
 * `xgboost.Booster().load_model`).
 */
import { fitGbdt, rmse } from '../../gbdt/fit';
import { predictGbdt } from '../../gbdt/predict';
import { toXgboostJsonText } from '../../gbdt/xgboost-json';
import { designMatrix, labelVector, leaveOneTargetOutFolds } from '../../search/leave-one-target-out';
import type { Metrics, RegressorRecord } from '../../store/records';
import type { Measurement } from '../clock';
import { recordIds } from '../ids';
import type { RegressorJob } from '../types';
import { NAMED_FEATURE_SETS } from '../spec';
import { loadTransferRows } from '../stored-results';
import { throwIfAborted, type JobContext, type JobOutcome } from './context';

export async function runRegressorJob(ctx: JobContext, job: RegressorJob, work: Measurement): Promise<JobOutcome> {
  const fs = NAMED_FEATURE_SETS[job.featureSet];
  if (!fs) throw new Error(`unknown feature set "${job.featureSet}"`);
  const rows = await loadTransferRows(ctx.env.store, ctx.experimentId, ctx.plan);
  const folds = leaveOneTargetOutFolds(rows);
  const names = [...fs.features];
  const params = ctx.spec.regressor.params;

  /** Fits on `train` (row indices), measures on the held-out target's rows when there is one, and makes the record. */
  const fitRecord = (id: string, train: number[], heldOut?: { target: string; test: number[] }): RegressorRecord => {
    throwIfAborted(ctx.signal);
    const X = designMatrix(rows, train, names);
    const y = labelVector(rows, train);
    const model = fitGbdt(X, train.length, names.length, y, params, { featureNames: names, signal: ctx.signal });
    work.add(train.length);
    const trainRmse = rmse(predictGbdt(model, X, train.length), y);
    const test = heldOut?.test;
    const metrics: Metrics = test
      ? { trainRows: train.length, testRows: test.length, trainRmse, testRmse: rmse(predictGbdt(model, designMatrix(rows, test, names), test.length), labelVector(rows, test)) }
      : { trainRows: train.length, trainRmse };
    return {
      id,
      experimentId: ctx.experimentId,
      featureSet: fs.name,
      featureNames: names,
      ...(heldOut ? { heldOutTarget: heldOut.target } : {}),
      params: { ...params },
      model: toXgboostJsonText(model),
      metrics,
      createdAt: new Date().toISOString(),
    };
  };

  const records: RegressorRecord[] = [];
  const steps = folds.length + 1;
  folds.forEach((fold, k) => {
    records.push(fitRecord(recordIds.regressor(ctx.experimentId, job.id, fold.target), fold.train, fold));
    ctx.onStep({ step: k + 1, totalSteps: steps });
  });
  records.push(fitRecord(recordIds.allRowsRegressor(ctx.experimentId, job.id), rows.map((_, i) => i)));
  ctx.onStep({ step: steps, totalSteps: steps });
  throwIfAborted(ctx.signal);
  await ctx.env.store.regressors.putMany(records);
  return {};
}

