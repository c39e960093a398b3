/**
 * Every result of the analysis as a flat table with stable, snake_case column names in a fixed order,
 * written as CSV (papaparse `unparse`) or JSON. Numbers are written by JavaScript's shortest
 * round-trip formatting, so parsing a cell back gives the identical double (full precision).
 * Missing values (null, NaN, ±Infinity) are written as an empty CSV cell and as JSON null.
 */
import Papa from 'papaparse';
import type { Analysis, FeatureSetPredictions } from './analysis';
import type { BudgetCurve } from './budget-curve';
import type { Headline, SearchPoint } from './headline';
import type { RmseAtKPoint } from './rmse-at-k';
import type { Table1 } from './table1';
import type { SingleTaskResult, TransferRow } from './types';

export type Cell = string | number | null;

export interface Table {
  /** File stem, e.g. "table1" → table1.csv / table1.json. */
  name: string;
  columns: readonly string[];
  rows: Record<string, Cell>[];
}

function clean(v: Cell | undefined): Cell {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  return v;
}

function checkTable(table: Table): void {
  table.rows.forEach((row, i) => {
    for (const key of Object.keys(row)) {
      if (!table.columns.includes(key)) throw new Error(`table "${table.name}", row ${i}: column "${key}" is not among [${table.columns.join(', ')}]`);
    }
  });
}

/** CSV with a header row, "\n" line ends, cells quoted only when needed. */
export function toCsv(table: Table): string {
  checkTable(table);
  const data = table.rows.map((row) => table.columns.map((c) => clean(row[c])));
  return Papa.unparse({ fields: [...table.columns], data }, { newline: '\n' }) + '\n';
}

/** JSON array of objects whose keys follow `columns` (JSON.stringify keeps insertion order). */
export function toJson(table: Table): string {
  checkTable(table);
  const rows = table.rows.map((row) => Object.fromEntries(table.columns.map((c) => [c, clean(row[c])])));
  return JSON.stringify(rows, null, 1) + '\n';
}

const SETTINGS_COLUMNS = ['lr', 'epochs', 'batch', 'seed'] as const;

export function singleTaskTable(results: readonly SingleTaskResult[]): Table {
  return {
    name: 'single_task_runs',
    columns: ['task', ...SETTINGS_COLUMNS, 'f1', 'accuracy', 'precision', 'recall', 'wall_time_ms', 'examples_seen'],
    rows: results.map((r) => ({
      task: r.task,
      ...r.settings,
      f1: r.f1,
      accuracy: r.accuracy,
      precision: r.precision,
      recall: r.recall,
      wall_time_ms: r.wallTimeMs,
      examples_seen: r.examplesSeen,
    })),
  };
}

/**
 * The transfer rows with the given features (in that order) and, if given, each feature set's
 * leave-one-target-out prediction as `pred_<feature set name>`.
 */
export function transferTable(
  rows: readonly TransferRow[],
  featureNames: readonly string[],
  predictions: readonly FeatureSetPredictions[] = [],
): Table {
  const predColumns = predictions.map((p) => `pred_${p.featureSet}`);
  return {
    name: 'transfer_runs',
    columns: ['source', 'target', ...SETTINGS_COLUMNS, 'f1', 'accuracy', 'wall_time_ms', ...featureNames, ...predColumns],
    rows: rows.map((r, i) => {
      const out: Record<string, Cell> = {
        source: r.source,
        target: r.target,
        ...r.settings,
        f1: r.f1,
        accuracy: r.accuracy,
        wall_time_ms: r.wallTimeMs,
      };
      for (const f of featureNames) out[f] = r.features[f] ?? null;
      predictions.forEach((p, s) => (out[predColumns[s]!] = p.values[i] ?? null));
      return out;
    }),
  };
}

/** One row per task (`kind` = "task"), then one `kind` = "average" row over the averaged tasks. */
export function table1Table(t: Table1): Table {
  const columns = [
    'kind', 'task',
    'single_f1', 'single_accuracy', 'single_lr', 'single_epochs', 'single_batch', 'single_seed',
    'transfer_source', 'transfer_f1', 'transfer_accuracy', 'transfer_lr', 'transfer_epochs', 'transfer_batch', 'transfer_seed',
    'gain', 'candidates', 'tasks_averaged',
  ];
  const rows: Record<string, Cell>[] = t.rows.map((r) => ({
    kind: 'task',
    task: r.task,
    single_f1: r.singleF1,
    single_accuracy: r.singleAccuracy,
    single_lr: r.singleSettings.lr,
    single_epochs: r.singleSettings.epochs,
    single_batch: r.singleSettings.batch,
    single_seed: r.singleSettings.seed,
    transfer_source: r.transferSource,
    transfer_f1: r.transferF1,
    transfer_accuracy: r.transferAccuracy,
    transfer_lr: r.transferSettings?.lr ?? null,
    transfer_epochs: r.transferSettings?.epochs ?? null,
    transfer_batch: r.transferSettings?.batch ?? null,
    transfer_seed: r.transferSettings?.seed ?? null,
    gain: r.gain,
    candidates: r.candidates,
    tasks_averaged: null,
  }));
  if (t.average !== null) {
    rows.push({
      kind: 'average',
      single_f1: t.average.singleF1,
      single_accuracy: t.average.singleAccuracy,
      transfer_f1: t.average.transferF1,
      transfer_accuracy: t.average.transferAccuracy,
      gain: t.average.gain,
      tasks_averaged: t.average.tasks,
    });
  }
  return { name: 'table1', columns, rows };
}

export function rmseAtKTable(points: readonly RmseAtKPoint[]): Table {
  return {
    name: 'rmse_at_k',
    columns: ['feature_set', 'k', 'rmse_pooled', 'rmse_per_target_mean', 'rows_pooled', 'targets'],
    rows: points.map((p) => ({
      feature_set: p.featureSet,
      k: p.k,
      rmse_pooled: p.rmsePooled,
      rmse_per_target_mean: p.rmsePerTargetMean,
      rows_pooled: p.rowsPooled,
      targets: p.targets,
    })),
  };
}

/**
 * Fig. 2, one row per (order, K). `runtime_fraction` is Runtime@K / all transfer time;
 * `honest_runtime_ms` = overhead + Runtime@K and `honest_runtime_fraction` divides it by the honest
 * exhaustive cost (see `headline.ts`).
 */
export function runtimeAtKTable(curves: readonly BudgetCurve[], h: Headline): Table {
  return {
    name: 'runtime_at_k',
    columns: ['order', 'kind', 'k', 'mean_best_f1', 'runtime_ms', 'runtime_fraction', 'honest_runtime_ms', 'honest_runtime_fraction'],
    rows: curves.flatMap((c) =>
      c.points.map((p) => ({
        order: c.order,
        kind: c.kind,
        k: p.k,
        mean_best_f1: p.meanBestF1,
        runtime_ms: p.runtimeMs,
        runtime_fraction: p.runtimeMs / h.exhaustive.transferRuntimeMs,
        honest_runtime_ms: c.overheadMs + p.runtimeMs,
        honest_runtime_fraction: (c.overheadMs + p.runtimeMs) / h.exhaustive.honestRuntimeMs,
      })),
    ),
  };
}

/** The headline, one row per (order, accounting, criterion), preceded by exhaustive search. */
export function headlineTable(h: Headline): Table {
  const columns = [
    'order', 'kind', 'accounting', 'criterion', 'threshold', 'k', 'mean_best_f1', 'f1_cost', 'relative_f1_cost',
    'runtime_ms', 'exhaustive_runtime_ms', 'runtime_fraction', 'time_saved', 'overhead_ms',
  ];
  const rows: Record<string, Cell>[] = [];
  for (const [accounting, runtime] of [
    ['transfer_only', h.exhaustive.transferRuntimeMs],
    ['honest', h.exhaustive.honestRuntimeMs],
  ] as const) {
    rows.push({
      order: 'exhaustive', kind: 'exhaustive', accounting, criterion: 'all', threshold: null, k: null,
      mean_best_f1: h.exhaustive.meanBestF1, f1_cost: 0, relative_f1_cost: 0, runtime_ms: runtime,
      exhaustive_runtime_ms: runtime, runtime_fraction: 1, time_saved: 0,
      overhead_ms: accounting === 'honest' ? h.costs.singleTaskMs : 0,
    });
  }
  const point = (p: SearchPoint): Record<string, Cell> => ({
    k: p.k, mean_best_f1: p.meanBestF1, f1_cost: p.f1Cost, relative_f1_cost: p.relativeF1Cost, runtime_ms: p.runtimeMs,
    exhaustive_runtime_ms: p.exhaustiveRuntimeMs, runtime_fraction: p.runtimeFraction, time_saved: p.timeSaved,
  });
  for (const o of h.orders) {
    for (const accounting of ['transfer_only', 'honest'] as const) {
      const a = accounting === 'honest' ? o.honest : o.transferOnly;
      const overhead_ms = accounting === 'honest' ? o.overheadMs : 0;
      rows.push({ order: o.order, kind: o.kind, accounting, criterion: 'f1_cost', threshold: h.maxF1Cost, ...point(a.atF1Cost), overhead_ms });
      rows.push({ order: o.order, kind: o.kind, accounting, criterion: 'time_fraction', threshold: h.timeFraction, ...point(a.atTimeFraction), overhead_ms });
    }
  }
  return { name: 'headline', columns, rows };
}

/** All tables of an analysis: table1, rmse_at_k, runtime_at_k, headline and (if rows given) transfer_runs. */
export function analysisTables(
  a: Analysis,
  transfer?: { rows: readonly TransferRow[]; featureNames: readonly string[] },
): Table[] {
  const tables = [table1Table(a.table1), rmseAtKTable(a.rmseAtK), runtimeAtKTable(a.curves, a.headline), headlineTable(a.headline)];
  if (transfer) tables.push(transferTable(transfer.rows, transfer.featureNames, a.predictions));
  return tables;
}

/** A JSON-ready summary (no per-row arrays): Table 1 averages, exhaustive search, RMSE@K, the headline. */
export function analysisSummary(a: Analysis): {
  table1Average: Table1['average'];
  exhaustive: Analysis['exhaustive'];
  rmseAtK: RmseAtKPoint[];
  headline: Headline;
} {
  return { table1Average: a.table1.average, exhaustive: a.exhaustive, rmseAtK: a.rmseAtK, headline: a.headline };
}
