/**
 * The paper's analysis in one call (docs/DESIGN.md steps 5–6): leave-one-target-out predictions per feature
 * set, Table 1, Fig. 1 (RMSE@K), Fig. 2 (best F1@K vs Runtime@K for predicted, random and oracle orders)
 * and the headline savings in both accountings. Deterministic: the same inputs (and a deterministic
 * `fit`) give the same result, whatever the order of the input rows except in exact ties of last resort.
 */
import { budgetCurveOfOrder, exhaustiveSearch, randomBudgetCurve, type BudgetCurve, type ExhaustiveSearch } from './budget-curve';
import { candidatesByTarget, oracleOrders, predictedOrders } from './candidates';
import { headline, honestOverheadMs, type Headline, type OverheadCosts } from './headline';
import { leaveOneTargetOut } from './leave-one-target-out';
import { DEFAULT_RMSE_KS, rmseAtK, type RmseAtKPoint } from './rmse-at-k';
import { table1, type Table1 } from './table1';
import type { FeatureSet, FitFunction, SingleTaskResult, TransferRow } from './types';
import { requireNonEmpty, validateSingleTaskResults, validateTransferRows } from './validate';

export interface AnalysisInput {
  singleTask: readonly SingleTaskResult[];
  transfer: readonly TransferRow[];
  /** e.g. `PAPER_FEATURE_SETS` ([F1, F1+ANSAT]); names must be unique. */
  featureSets: readonly FeatureSet[];
  /** The regressor (the pipeline passes the boosted trees). */
  fit: FitFunction;
  /**
   * Costs outside the transfer trainings, for the honest accounting. `singleTaskMs` defaults to the
   * summed wall time of `singleTask`; `conductanceMs` must be given (0 if no conductance was run).
   */
  costs: { singleTaskMs?: number; conductanceMs: number; logmeMs?: number };
  /** Headline criteria (defaults: 0.034 absolute F1, 0.5 of the exhaustive time). */
  maxF1Cost?: number;
  timeFraction?: number;
  /** Fig. 1 K values (default 5, 10, 20, …, 100). */
  rmseKs?: readonly number[];
}

export interface FeatureSetPredictions {
  featureSet: string;
  /** Leave-one-target-out predictions, aligned with the input transfer rows. */
  values: Float64Array;
}

export interface Analysis {
  table1: Table1;
  predictions: FeatureSetPredictions[];
  rmseAtK: RmseAtKPoint[];
  exhaustive: ExhaustiveSearch;
  /** Fig. 2: one curve per feature set ("predicted:<name>"), then "random", then "oracle". */
  curves: BudgetCurve[];
  headline: Headline;
}

export function analyse(input: AnalysisInput): Analysis {
  const { singleTask, transfer, featureSets, fit } = input;
  requireNonEmpty('analyse', transfer);
  validateSingleTaskResults(singleTask);
  validateTransferRows(transfer);
  if (featureSets.length === 0) throw new Error('analyse: no feature sets given');
  const names = featureSets.map((f) => f.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw new Error(`analyse: feature set name "${duplicate}" is used twice`);

  const costs: OverheadCosts = {
    singleTaskMs: input.costs.singleTaskMs ?? singleTask.reduce((acc, r) => acc + r.wallTimeMs, 0),
    conductanceMs: input.costs.conductanceMs,
    ...(input.costs.logmeMs !== undefined ? { logmeMs: input.costs.logmeMs } : {}),
  };
  // Table 1 first: it checks that every target has a single-task result before the (costly) fits.
  const t1 = table1(singleTask, transfer);
  const groups = candidatesByTarget(transfer);
  const predictions = featureSets.map((fs) => ({
    featureSet: fs.name,
    values: leaveOneTargetOut(transfer, fs.features, fit),
  }));
  const curves: BudgetCurve[] = [
    ...featureSets.map((fs, s) =>
      budgetCurveOfOrder(transfer, predictedOrders(transfer, groups, predictions[s]!.values), {
        order: `predicted:${fs.name}`,
        kind: 'predicted',
        overheadMs: honestOverheadMs(costs, fs),
      }),
    ),
    randomBudgetCurve(transfer, groups, honestOverheadMs(costs)),
    budgetCurveOfOrder(transfer, oracleOrders(transfer, groups), {
      order: 'oracle',
      kind: 'oracle',
      overheadMs: honestOverheadMs(costs),
    }),
  ];
  const exhaustive = exhaustiveSearch(transfer, groups);
  return {
    table1: t1,
    predictions,
    rmseAtK: predictions.flatMap((p) => rmseAtK(transfer, p.values, p.featureSet, input.rmseKs ?? DEFAULT_RMSE_KS)),
    exhaustive,
    curves,
    headline: headline(curves, exhaustive, costs, { maxF1Cost: input.maxF1Cost, timeFraction: input.timeFraction }),
  };
}
