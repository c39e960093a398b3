/**
 * What stands beside an experiment's figures wherever they are shown (summary.json, the Search
 * view): their intervals (result-intervals.ts), the warnings under which they are not findings
 * (search/warnings.ts) and the split's leakage figures. One function for both, so the app and the
 * files never disagree.
 */
import type { SplitLeakage } from '../data/leakage';
import type { Analysis } from '../search/analysis';
import { experimentWarnings, type Warning } from '../search/warnings';
import type { ModelOutcome } from '../search/model-outcome';
import { collapseRate, type CollapseRate } from '../search/collapse-rate';
import type { Store } from '../store/store';
import type { PreparedData } from './prepare';
import { resultIntervals, type ResultIntervals } from './result-intervals';
import type { ExperimentSpec } from './spec';
import { bySetting, loadSingleRuns, loadTransferRows, loadTransferRuns } from './stored-results';
import type { JobPlan } from './types';
import { settingIdOf } from './plan';

export interface ExperimentFindings {
  intervals: ResultIntervals;
  /** Empty when nothing undermines the figures. */
  warnings: Warning[];
  leakage: SplitLeakage;
  /** Models that learned nothing while another seed of their setting learned. */
  collapse: CollapseRate;
}

export async function experimentFindings(
  store: Store,
  experimentId: string,
  input: { spec: ExperimentSpec; plan: JobPlan; prepared: PreparedData; analysis: Analysis },
): Promise<ExperimentFindings> {
  const { spec, plan, prepared, analysis } = input;
  const singles = await loadSingleRuns(store, experimentId, plan);
  const transfers = await loadTransferRuns(store, experimentId, plan);
  const rows = await loadTransferRows(store, experimentId, plan);
  const intervals = resultIntervals({ spec, prepared, singles: bySetting(singles), transfers: bySetting(transfers), rows, analysis });
  // Every trained model (each seed), named for people; its setting groups the seeds.
  const models: ModelOutcome[] = [...singles, ...transfers].map(({ job, run }) => ({
    name: job.model, task: run.task, group: settingIdOf(job), f1: run.metrics.f1, tp: run.metrics.tp, fp: run.metrics.fp, fn: run.metrics.fn, tn: run.metrics.tn,
  }));
  const docs = prepared.dataset.docs;
  const testPositives = Object.fromEntries(plan.tasks.map((t) => [t, prepared.testDocs.filter((i) => docs[i]!.labels.includes(t)).length]));
  const collapse = collapseRate(models);
  const warnings = experimentWarnings({ models, testPositives, collapse, orders: intervals.orders });
  return { intervals, warnings, leakage: prepared.leakage, collapse };
}
