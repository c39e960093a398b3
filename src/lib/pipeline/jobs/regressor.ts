/**
 * The regressors of one feature set, leave-one-target-out (search/leaveOneTargetOut): for every
 * target, boosted trees fitted on the other targets' transfer rows. Each fold's model is stored in
 * XGBoost's JSON format (loadable by `xgboost.Booster().load_model`), with its held-out RMSE; the
 * analysis job predicts with these stored models rather than fitting again.
 */
import { fitGbdt, predictGbdt, rmse, toXgboostJsonText } from '../../gbdt';
import { designMatrix, labelVector, leaveOneTargetOutFolds } from '../../search/leaveOneTargetOut';
import type { RegressorRecord } from '../../store/records';
import type { Measurement } from '../clock';
import { recordIds } from '../ids';
import type { RegressorJob } from '../plan';
import { NAMED_FEATURE_SETS } from '../spec';
import { loadTransferRows } from '../storedResults';
import { throwIfAborted, type JobContext, type JobOutcome } from './context';

export async function runRegressorJob(ctx: JobContext, job: RegressorJob, work: Measurement): Promise<JobOutcome> {
  const fs = NAMED_FEATURE_SETS[job.featureSet];
  if (!fs) throw new Error(`unknown feature set "${job.featureSet}"`);
  const rows = await loadTransferRows(ctx.env.store, ctx.experimentId, ctx.plan);
  const folds = leaveOneTargetOutFolds(rows);
  const names = [...fs.features];
  const d = names.length;
  const params = ctx.spec.regressor.params;
  const records: RegressorRecord[] = [];
  folds.forEach((fold, k) => {
    throwIfAborted(ctx.signal);
    const X = designMatrix(rows, fold.train, names);
    const y = labelVector(rows, fold.train);
    const model = fitGbdt(X, fold.train.length, d, y, params, { featureNames: names, signal: ctx.signal });
    const testPred = predictGbdt(model, designMatrix(rows, fold.test, names), fold.test.length);
    const trainPred = predictGbdt(model, X, fold.train.length);
    work.add(fold.train.length);
    records.push({
      id: recordIds.regressor(ctx.experimentId, job.id, fold.target),
      experimentId: ctx.experimentId,
      featureSet: fs.name,
      featureNames: names,
      heldOutTarget: fold.target,
      params: { ...params },
      model: toXgboostJsonText(model),
      metrics: {
        trainRows: fold.train.length,
        testRows: fold.test.length,
        trainRmse: rmse(trainPred, y),
        testRmse: rmse(testPred, labelVector(rows, fold.test)),
      },
      createdAt: new Date().toISOString(),
    });
    ctx.onStep({ step: k + 1, totalSteps: folds.length });
  });
  throwIfAborted(ctx.signal);
  await ctx.env.store.regressors.putMany(records);
  return {};
}
