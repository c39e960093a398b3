/**
 * Table 1 of the paper: per task, the best BERT→Target model against the best BERT→Source→Target.
 *
 * - Best single-task model of a task: highest selection F1 (`selectionF1`: the validation F1 where
 *   the results carry one, else the test F1 of experiments without a validation part); ties →
 *   shorter wall time, then smaller lr, epochs, batch, seed, then the earlier record (so the choice
 *   never depends on anything but the results). The table reports its TEST F1.
 * - Best transfer model into a target: highest selection F1 among the transfer rows of that target;
 *   same ties, with the source name compared before the settings.
 * - gain = best transfer F1 − best single-task F1.
 * - Averages: mean over the tasks that have both a single-task result and at least one transfer row
 *   into them (a `--pairs N` subset may leave a target without transfer rows; such a task is listed
 *   with null transfer fields and left out of every average, so all averages are over the same tasks).
 */
import { compareStrings } from './candidates';
import type { SingleTaskResult, TrainSettings, TransferRow } from './types';
import { validateSingleTaskResults, validateTransferRows } from './validate';

function compareSettings(a: TrainSettings, b: TrainSettings): number {
  return a.lr - b.lr || a.epochs - b.epochs || a.batch - b.batch || a.seed - b.seed;
}

/**
 * What chooses between results: validation F1 when every result of the comparison has one (test
 * documents are then only reported on), else test F1.
 */
function selectionF1Of(results: readonly { f1: number; validationF1?: number }[]): (r: { f1: number; validationF1?: number }) => number {
  const validation = results.length > 0 && results.every((r) => r.validationF1 !== undefined);
  return validation ? (r) => r.validationF1! : (r) => r.f1;
}

/** The best single-task result per task (selection F1, ties → shorter time), as a Map keyed by task name. */
export function bestSingleTask(results: readonly SingleTaskResult[]): Map<string, SingleTaskResult> {
  validateSingleTaskResults(results);
  const score = selectionF1Of(results);
  const best = new Map<string, SingleTaskResult>();
  for (const r of results) {
    const b = best.get(r.task);
    if (
      b === undefined ||
      score(r) > score(b) ||
      (score(r) === score(b) && (r.wallTimeMs < b.wallTimeMs || (r.wallTimeMs === b.wallTimeMs && compareSettings(r.settings, b.settings) < 0)))
    ) {
      best.set(r.task, r);
    }
  }
  return best;
}

/** The best transfer row per target (selection F1, ties → shorter time, source name, settings, input order). */
export function bestTransferPerTarget(rows: readonly TransferRow[]): Map<string, TransferRow> {
  const score = selectionF1Of(rows);
  const best = new Map<string, TransferRow>();
  for (const r of rows) {
    const b = best.get(r.target);
    if (
      b === undefined ||
      score(r) > score(b) ||
      (score(r) === score(b) &&
        (r.wallTimeMs < b.wallTimeMs ||
          (r.wallTimeMs === b.wallTimeMs && (compareStrings(r.source, b.source) || compareSettings(r.settings, b.settings)) < 0)))
    ) {
      best.set(r.target, r);
    }
  }
  return best;
}

export interface Table1Row {
  task: string;
  /** BERT→Target: the best single-task model. */
  singleF1: number;
  singleAccuracy: number;
  singleSettings: TrainSettings;
  /** BERT→Source→Target: the best transfer model into this task; null when none was trained. */
  transferSource: string | null;
  transferF1: number | null;
  transferAccuracy: number | null;
  transferSettings: TrainSettings | null;
  /** transferF1 − singleF1. */
  gain: number | null;
  /** Number of transfer rows into this task. */
  candidates: number;
}

export interface Table1 {
  rows: Table1Row[];
  /** null when no task has a transfer row. */
  average: Table1Average | null;
}

export interface Table1Average {
  /** Number of tasks averaged (those with a transfer row). */
  tasks: number;
  singleF1: number;
  singleAccuracy: number;
  transferF1: number;
  transferAccuracy: number;
  gain: number;
}

export function table1(singleTask: readonly SingleTaskResult[], transfer: readonly TransferRow[]): Table1 {
  if (singleTask.length === 0) throw new Error('table1: no single-task results given');
  validateTransferRows(transfer);
  const single = bestSingleTask(singleTask);
  transfer.forEach((r, i) => {
    if (!single.has(r.target)) {
      throw new Error(`table1: transfer row ${i} (${r.source}→${r.target}) has target "${r.target}", which has no single-task result`);
    }
  });
  const bestTransfer = bestTransferPerTarget(transfer);
  const counts = new Map<string, number>();
  for (const r of transfer) counts.set(r.target, (counts.get(r.target) ?? 0) + 1);

  const rows: Table1Row[] = [...single.keys()].sort(compareStrings).map((task) => {
    const s = single.get(task)!;
    const t = bestTransfer.get(task);
    return {
      task,
      singleF1: s.f1,
      singleAccuracy: s.accuracy,
      singleSettings: { ...s.settings },
      transferSource: t?.source ?? null,
      transferF1: t?.f1 ?? null,
      transferAccuracy: t?.accuracy ?? null,
      transferSettings: t ? { ...t.settings } : null,
      gain: t ? t.f1 - s.f1 : null,
      candidates: counts.get(task) ?? 0,
    };
  });
  const averaged = rows.filter((r) => r.transferF1 !== null);
  const mean = (f: (r: Table1Row) => number): number => averaged.reduce((acc, r) => acc + f(r), 0) / averaged.length;
  return {
    rows,
    average: averaged.length === 0 ? null : {
      tasks: averaged.length,
      singleF1: mean((r) => r.singleF1),
      singleAccuracy: mean((r) => r.singleAccuracy),
      transferF1: mean((r) => r.transferF1!),
      transferAccuracy: mean((r) => r.transferAccuracy!),
      gain: mean((r) => r.gain!),
    },
  };
}
