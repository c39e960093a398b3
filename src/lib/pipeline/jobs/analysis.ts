/**
 * The analysis (search/analysis: Table 1, RMSE@K, Runtime@K curves, headline in both accountings),
 * from the stored runs, features and regressors. Its result is stored in the experiment record
 * (`analysis`) in the same update that marks the job done.
 */
import { DEFAULT_TARGET } from '../../explain/layer-conductance';
import type { GbdtModel } from '../../gbdt/model';
import { predictGbdt } from '../../gbdt/predict';
import { fromXgboostJson } from '../../gbdt/xgboost-json';
import { analyse, type Analysis } from '../../search/analysis';
import { leaveOneTargetOutFolds } from '../../search/leave-one-target-out';
import type { FitFunction, TransferRow } from '../../search/types';
import { readAttribution } from '../attribution-store';
import { recordIds } from '../ids';
import { jobIds } from '../plan';
import { featureSetsOf, needsConductance } from '../spec';
import { bySetting, loadSingleRuns, loadTransferRows, settingSingleResult } from '../stored-results';
import { bestModelId, type JobContext, type JobOutcome } from './context';

/**
 * A FitFunction that "fits" by handing out the stored fold models, in the order `analyse` asks for
 * them (feature sets in spec order, targets in fold order), checking each request's shape.
 */
export interface StoredFold {
  target: string;
  /** Rows and features the stored model was fitted on. */
  n: number;
  d: number;
  model: GbdtModel;
}

export function storedModelsFit(folds: readonly StoredFold[]): FitFunction {
  let next = 0;
  return (_X, n, dim) => {
    const fold = folds[next++];
    if (!fold) throw new Error('analysis: asked for more regressors than were stored');
    if (fold.n !== n || fold.d !== dim) {
      throw new Error(`analysis: the stored regressor for target "${fold.target}" was fitted on ${fold.n} rows, the analysis has ${n} (${dim} features): re-run the regressor jobs`);
    }
    return (X2, n2) => predictGbdt(fold.model, X2, n2);
  };
}

/** Summed conductance time of every best model over every explained document. */
async function conductanceMs(ctx: JobContext): Promise<number> {
  if (!needsConductance(ctx.spec)) return 0;
  let total = 0;
  for (const task of ctx.plan.tasks) {
    const modelId = bestModelId(ctx, task);
    for (const i of ctx.prepared.conductanceDocs) {
      const key = { modelId, docId: ctx.prepared.dataset.docs[i].id, method: ctx.spec.conductance.method, nSteps: ctx.spec.conductance.nSteps, target: DEFAULT_TARGET };
      const r = await readAttribution(ctx.env.store, key);
      if (!r) throw new Error(`the conductance of document "${key.docId}" under the best "${task}" model is missing`);
      total += r.elapsedMs;
    }
  }
  return total;
}

export async function analyseStored(ctx: JobContext): Promise<{ analysis: Analysis; rows: TransferRow[] }> {
  const store = ctx.env.store;
  const singleRuns = await loadSingleRuns(store, ctx.experimentId, ctx.plan);
  // One result per setting (seeds averaged); the single-task cost is every run's training.
  const singles = bySetting(singleRuns).map(settingSingleResult);
  const singleTaskMs = singleRuns.reduce((acc, { run }) => acc + run.wallTimeMs, 0);
  const rows = await loadTransferRows(store, ctx.experimentId, ctx.plan);
  const featureSets = featureSetsOf(ctx.spec);
  const folds = leaveOneTargetOutFolds(rows);
  const stored: StoredFold[] = [];
  for (const fs of featureSets) {
    const jobId = jobIds.regressor(fs.name);
    for (const fold of folds) {
      const r = await store.regressors.get(recordIds.regressor(ctx.experimentId, jobId, fold.target));
      if (!r) throw new Error(`the regressor of feature set "${fs.name}" for target "${fold.target}" is missing; re-run job ${jobId}`);
      stored.push({ target: fold.target, n: Number(r.metrics?.trainRows), d: r.featureNames.length, model: fromXgboostJson(r.model) });
    }
  }
  const fit = storedModelsFit(stored);
  const logmeMs = (await store.experiments.get(ctx.experimentId))?.logmeMs;
  const analysis = analyse({
    singleTask: singles,
    transfer: rows,
    featureSets,
    fit,
    costs: { singleTaskMs, conductanceMs: await conductanceMs(ctx), ...(logmeMs !== undefined ? { logmeMs } : {}) },
    maxF1Cost: ctx.spec.analysis.maxF1Cost,
    timeFraction: ctx.spec.analysis.timeFraction,
  });
  return { analysis, rows };
}

export async function runAnalysisJob(ctx: JobContext): Promise<JobOutcome> {
  const { analysis } = await analyseStored(ctx);
  return { recordPatch: { analysis } };
}
