/**
 * The analysis of a finished experiment in the shapes the Search view draws: the analysis job's
 * result (Table 1, RMSE@K, the budget curves, the headline), each feature set's leave-one-target-out
 * predictions next to the measured F1, and the regressors' gain importance averaged over the folds.
 */
import { featureImportance } from '../../gbdt/importance';
import { fromXgboostJson } from '../../gbdt/xgboost-json';
import type { Analysis } from '../../search/analysis';
import type { BudgetCurve } from '../../search/budget-curve';
import type { Headline } from '../../search/headline';
import type { RmseAtKPoint } from '../../search/rmse-at-k';
import type { Table1 } from '../../search/table1';
import type { RegressorRecord } from '../../store/records';
import type { Store } from '../../store/store';
import { experimentFindings, type ExperimentFindings } from '../findings';
import { jobIds, planJobs } from '../plan';
import type { PreparedData } from '../prepare';
import { bySetting, loadTransferRuns } from '../stored-results';
import type { StoredExperiment } from './stored-experiment';

export interface AnalysisInfo {
  table1: Table1;
  rmseAtK: RmseAtKPoint[];
  curves: BudgetCurve[];
  headline: Headline;
  /** Leave-one-target-out predictions next to the measured F1, per feature set. */
  predictions: { featureSet: string; rows: { source: string; target: string; actual: number; predicted: number }[] }[];
  /** Mean gain importance over the folds, per feature set (top features first). */
  importance: { featureSet: string; features: { name: string; gain: number; folds: number }[] }[];
  /** Each fold's held-out RMSE, per feature set. */
  regressors: { featureSet: string; heldOutTarget: string; testRmse: number; trainRows: number }[];
  /** Intervals, warnings and leakage (findings.ts), when the prepared data was given. */
  findings?: ExperimentFindings;
}

/**
 * The analysis once the analysis job is done; null before. With `prepared` (gives the experiment's
 * prepared data; called only once the analysis is done) it carries the findings too: the Search view shows the warnings above the headline.
 */
export async function readAnalysisInfo(store: Store, { record, plan }: StoredExperiment, prepared?: () => Promise<PreparedData>): Promise<AnalysisInfo | null> {
  if (!record.analysis || record.jobs[jobIds.analysis()]?.status !== 'done') return null;
  const jobs = planJobs(plan.spec, plan.tasks.kept);
  const transfers = await loadTransferRuns(store, record.id, jobs);
  const regressors = await store.regressors.listBy('experimentId', record.id);
  // One row per setting, as the analysis' predictions (seeds averaged: stored-results.ts).
  const rows = bySetting(transfers).map((g) => ({
    source: g.runs[0]!.job.source, target: g.runs[0]!.job.target, f1: g.runs.reduce((a, r) => a + r.run.metrics.f1, 0) / g.runs.length,
  }));
  const info = analysisInfo(record.analysis, rows, regressors);
  if (prepared) info.findings = await experimentFindings(store, record.id, { spec: plan.spec, plan: jobs, prepared: await prepared(), analysis: record.analysis });
  return info;
}

/**
 * `rows`: the transfer runs in the order the analysis's predictions are in. Importance is the mean
 * over ALL folds of a feature set (a fold that never split on a feature counts as 0), so rarely used
 * features rank low; the regressor fitted on all rows (no held-out target) is for export, not part
 * of the evaluation, and is left out.
 */
export function analysisInfo(a: Analysis, rows: { source: string; target: string; f1: number }[], regressors: RegressorRecord[]): AnalysisInfo {
  const importance = new Map<string, Map<string, { gain: number; folds: number }>>();
  const folds: AnalysisInfo['regressors'] = [];
  const foldRegressors = regressors.filter((r) => r.heldOutTarget !== undefined);
  for (const r of foldRegressors) {
    folds.push({ featureSet: r.featureSet, heldOutTarget: r.heldOutTarget!, testRmse: r.metrics?.testRmse ?? NaN, trainRows: r.metrics?.trainRows ?? 0 });
    let scores: Record<string, number>;
    try {
      scores = featureImportance(fromXgboostJson(r.model), 'gain');
    } catch {
      continue; // an unreadable model still lists its fold; it adds no importance
    }
    const m = importance.get(r.featureSet) ?? new Map<string, { gain: number; folds: number }>();
    importance.set(r.featureSet, m);
    for (const [name, gain] of Object.entries(scores)) {
      const e = m.get(name) ?? { gain: 0, folds: 0 };
      e.gain += gain;
      e.folds += 1;
      m.set(name, e);
    }
  }
  const foldCount = (fs: string) => foldRegressors.filter((r) => r.featureSet === fs).length || 1;
  return {
    table1: a.table1,
    rmseAtK: a.rmseAtK,
    curves: a.curves,
    headline: a.headline,
    predictions: a.predictions.map((p) => ({
      featureSet: p.featureSet,
      rows: rows.map((r, i) => ({ source: r.source, target: r.target, actual: r.f1, predicted: p.values[i] })),
    })),
    importance: [...importance].map(([featureSet, m]) => ({
      featureSet,
      features: [...m].map(([name, e]) => ({ name, gain: e.gain / foldCount(featureSet), folds: e.folds })).sort((x, y) => y.gain - x.gain),
    })),
    regressors: folds,
  };
}
