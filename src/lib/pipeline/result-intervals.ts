/**
 * The intervals beside every figure an experiment reports (stats/): per task, the test F1 of the
 * chosen single-task setting and of the chosen transfer into it (f1Interval: over test documents
 * AND the setting's seeds), the transfer's gain (pairedGainInterval: the same documents and seed
 * indices for both arms); the Table 1 averages over tasks (meanInterval: the tasks resampled); and
 * per predicted search order its saving against the random order's (orderVsRandom: the targets
 * resampled). "Chosen" is the rule of search/table1 (validation F1 where the runs have it).
 *
 * Read from the runs' stored per-document test predictions; runs stored before those existed give
 * null intervals (the figures stay, without an interval). Every bootstrap seed derives from the
 * spec's seed and what is resampled, so the same experiment gives the same intervals.
 */
import type { Analysis } from '../search/analysis';
import { candidatesByTarget, predictedOrders } from '../search/candidates';
import { bestSingleTask, bestTransferPerTarget } from '../search/table1';
import type { TransferRow } from '../search/types';
import { f1Interval } from '../stats/f1-interval';
import type { Interval } from '../stats/interval';
import { meanInterval } from '../stats/mean-interval';
import { orderVsRandom, type OrderVsRandom } from '../stats/order-vs-random';
import { unpackPredictions } from '../stats/packed-predictions';
import { pairedGainInterval } from '../stats/paired-gain';
import { targetSearchesOf } from '../stats/target-searches';
import type { RunRecord } from '../store/records';
import type { PreparedData } from './prepare';
import { choiceSeed } from './seeds';
import type { ExperimentSpec } from './spec';
import { settingSingleResult, type SettingRuns } from './stored-results';
import type { SingleJob, TransferJob } from './types';

export interface TaskIntervals {
  task: string;
  /** Seeds behind each figure (the spec's `seeds`). */
  seeds: number;
  single: Interval | null;
  transfer: Interval | null;
  gain: Interval | null;
}

export interface ResultIntervals {
  tasks: TaskIntervals[];
  /** Means over the tasks with a transfer (Table 1's averaged tasks), tasks resampled. */
  average: { singleF1: Interval; transferF1: Interval; gain: Interval } | null;
  /** Each predicted order's transfer-only saving at the F1 cost against random's. */
  orders: { order: string; vsRandom: OrderVsRandom }[];
}

/** 0/1 test predictions of a setting's runs, or null when one of them has none stored. */
function predictionsOf(runs: readonly { run: RunRecord }[], testDocs: number): Uint8Array[] | null {
  const out: Uint8Array[] = [];
  for (const { run } of runs) {
    if (!run.testPredictions) return null;
    const p = unpackPredictions(run.testPredictions, `test predictions of run ${run.id}`);
    if (p.length !== testDocs) throw new Error(`run ${run.id} stores ${p.length} test predictions for ${testDocs} test documents`);
    out.push(p);
  }
  return out;
}

export function resultIntervals(input: {
  spec: ExperimentSpec;
  prepared: PreparedData;
  singles: readonly SettingRuns<SingleJob>[];
  transfers: readonly SettingRuns<TransferJob>[];
  /** `loadTransferRows`, one per transfer setting, in `transfers` order. */
  rows: readonly TransferRow[];
  analysis: Analysis;
}): ResultIntervals {
  const { spec, prepared, singles, transfers, rows, analysis } = input;
  const docs = prepared.dataset.docs;
  const n = prepared.testDocs.length;
  const seedOf = (what: string) => ({ seed: choiceSeed(spec.seed, `bootstrap:${what}`) });

  const singleResults = singles.map(settingSingleResult);
  const bestSingle = bestSingleTask(singleResults);
  const bestTransfer = bestTransferPerTarget(rows);
  const tasks: TaskIntervals[] = [...bestSingle.keys()].sort().map((task) => {
    const labels = Uint8Array.from(prepared.testDocs, (i) => (docs[i]!.labels.includes(task) ? 1 : 0));
    const singleRuns = singles[singleResults.indexOf(bestSingle.get(task)!)]!.runs;
    const singleP = predictionsOf(singleRuns, n);
    const t = bestTransfer.get(task);
    const transferP = t ? predictionsOf(transfers[rows.indexOf(t)]!.runs, n) : null;
    return {
      task,
      seeds: singleRuns.length,
      single: singleP ? f1Interval(labels, singleP, seedOf(`single:${task}`)) : null,
      transfer: transferP ? f1Interval(labels, transferP, seedOf(`transfer:${task}`)) : null,
      gain: singleP && transferP && singleP.length === transferP.length ? pairedGainInterval(labels, transferP, singleP, seedOf(`gain:${task}`)) : null,
    };
  });

  const averaged = tasks.filter((t) => t.single && t.transfer && t.gain);
  const average = averaged.length > 0 && averaged.length === analysis.table1.average?.tasks
    ? {
        singleF1: meanInterval(averaged.map((t) => t.single!.estimate), seedOf('average:single')),
        transferF1: meanInterval(averaged.map((t) => t.transfer!.estimate), seedOf('average:transfer')),
        gain: meanInterval(averaged.map((t) => t.gain!.estimate), seedOf('average:gain')),
      }
    : null;

  const groups = candidatesByTarget(rows);
  const orders = analysis.predictions.map((p) => {
    const searches = targetSearchesOf(rows, groups, predictedOrders(rows, groups, p.values));
    const measurable = searches.every((s) => s.orderRuntimeMs.at(-1)! > 0);
    return measurable
      ? { order: `predicted:${p.featureSet}`, vsRandom: orderVsRandom(searches, { ...seedOf(`order:${p.featureSet}`), maxF1Cost: spec.analysis.maxF1Cost }) }
      : null;
  }).filter((o): o is { order: string; vsRandom: OrderVsRandom } => o !== null);

  return { tasks, average, orders };
}
