/**
 * A finished experiment's results as files: `runs.csv` (every single-task and transfer run),
 * `features.csv` (every transfer row with its pair features and each feature set's
 * leave-one-target-out prediction), `table1.csv`, `rmse_at_k.csv`, `runtime_at_k.csv`,
 * `headline.csv`, and `summary.json` (settings, counts, timings, Table 1 averages, the headline in
 * both accountings). Beside the figures: 95 % bootstrap intervals (result-intervals.ts; table1.csv's
 * `*_low`/`*_high` columns, headline.csv's `vs_random_*` columns, summary.json's `intervals`), the
 * split's leakage figures (`leakage`) and the warnings under which the figures are not findings
 * (`warnings`, search/warnings.ts). Everything is read from the store, so the files of a resumed experiment equal
 * those of an uninterrupted one (byte for byte with the deterministic clock: nothing here reads the
 * time of day).
 */
import type { CollapseRate } from '../search/collapse-rate';
import { LOGME_FEATURE_NAME } from '../transfer/logme-name';
import type { Analysis } from '../search/analysis';
import { ANSAT_FEATURE_NAMES, F1_FEATURE_NAMES } from '../search/feature-names';
import {
  headlineTable, rmseAtKTable, runtimeAtKTable, table1Table, toCsv, transferTable, type Cell, type Table,
} from '../search/export-tables';
import type { OrderHeadline, SearchPoint } from '../search/headline';
import type { Warning } from '../search/warnings';
import type { SplitLeakage } from '../data/leakage';
import type { Interval } from '../stats/interval';
import { BASELINE_FEATURE_NAMES } from '../transfer/baselines/names';
import { experimentFindings } from './findings';
import type { ResultIntervals } from './result-intervals';
import { openExperiment } from './experiment';
import { jobIds } from './plan';
import { featureSetsOf } from './spec';
import { loadSingleRuns, loadTransferRows, loadTransferRuns, trainSettingsOf } from './stored-results';
import type { JobKind, PipelineEnv } from './types';

export interface ExperimentOutputs {
  /** File name → content. */
  files: Record<string, string>;
  summary: ExperimentSummary;
}

export interface SummaryPoint {
  k: number;
  meanBestF1: number;
  f1Cost: number;
  relativeF1Cost: number;
  runtimeFraction: number;
  timeSaved: number;
}

export interface ExperimentSummary {
  experiment: { id: string; name: string };
  dataset: { id: string; name: string; fingerprint: string; docs: number; trainDocs: number; validationDocs: number; testDocs: number; conductanceDocs: number };
  /** The split: what kept groups on one side, and how much of test (and validation) has a duplicate in train. */
  split: { by: string; validationFraction: number; leakage: SplitLeakage };
  /**
   * Conditions under which the figures below say nothing about transfer (a task nothing learned,
   * all-positive models, too few test positives, an order not distinguishable from random).
   * While any holds, the headline is not a finding.
   */
  warnings: Warning[];
  /** Models that learned nothing (F1 0 or mostly positive) while another seed of their setting learned (search/collapse-rate.ts). */
  collapse: CollapseRate;
  model: { description: string; fingerprint: string; layers: number; hidden: number; maxLength: number };
  settings: unknown;
  tasks: { kept: string[]; excluded: { task: string; reason: string }[] };
  counts: { tasks: number; pairs: number; singleRuns: number; transferRuns: number; explainedDocuments: number; regressors: number; jobs: number };
  /** "work" = the deterministic clock: times are work units (1 per training example / interpolation point / regressor row), not ms. */
  clock: 'wall' | 'work';
  timings: {
    singleTaskTrainingMs: number;
    transferTrainingMs: number;
    conductanceMs: number;
    /** The LogME pair features' time (features job); absent when the experiment computed none. */
    logmeMs?: number;
    /** Every job's duration (training, evaluation, saving…) summed by kind. */
    jobsMs: Record<JobKind, number>;
    totalMs: number;
  };
  table1: { average: Analysis['table1']['average'] };
  /** 95 % bootstrap intervals of Table 1's figures (tasks and averages) and of each predicted order against random. */
  intervals: ResultIntervals;
  exhaustive: Analysis['headline']['exhaustive'];
  headline: {
    maxF1Cost: number;
    timeFraction: number;
    orders: {
      order: string;
      overheadMs: number;
      transferOnly: { atF1Cost: SummaryPoint; atTimeFraction: SummaryPoint };
      honest: { atF1Cost: SummaryPoint; atTimeFraction: SummaryPoint };
    }[];
    definitions: Record<string, string>;
  };
  notes: string[];
}

const point = (p: SearchPoint): SummaryPoint => ({
  k: p.k, meanBestF1: p.meanBestF1, f1Cost: p.f1Cost, relativeF1Cost: p.relativeF1Cost, runtimeFraction: p.runtimeFraction, timeSaved: p.timeSaved,
});

const orderSummary = (o: OrderHeadline) => ({
  order: o.order,
  overheadMs: o.overheadMs,
  transferOnly: { atF1Cost: point(o.transferOnly.atF1Cost), atTimeFraction: point(o.transferOnly.atTimeFraction) },
  honest: { atF1Cost: point(o.honest.atF1Cost), atTimeFraction: point(o.honest.atTimeFraction) },
});

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

const low = (i: Interval | null | undefined): Cell => i?.low ?? null;
const high = (i: Interval | null | undefined): Cell => i?.high ?? null;

/** table1.csv with each figure's 95 % interval (over test documents and seeds; the averages' over tasks). */
function withTable1Intervals(t: Table, iv: ResultIntervals): Table {
  const byTask = new Map(iv.tasks.map((x) => [x.task, x]));
  const extra = ['seeds', 'single_f1_low', 'single_f1_high', 'transfer_f1_low', 'transfer_f1_high', 'gain_low', 'gain_high'];
  return {
    ...t,
    columns: [...t.columns, ...extra],
    rows: t.rows.map((r) => {
      if (r.kind === 'average') {
        const a = iv.average;
        return { ...r, seeds: iv.tasks[0]?.seeds ?? null, single_f1_low: low(a?.singleF1), single_f1_high: high(a?.singleF1), transfer_f1_low: low(a?.transferF1), transfer_f1_high: high(a?.transferF1), gain_low: low(a?.gain), gain_high: high(a?.gain) };
      }
      const x = byTask.get(String(r.task));
      return { ...r, seeds: x?.seeds ?? null, single_f1_low: low(x?.single), single_f1_high: high(x?.single), transfer_f1_low: low(x?.transfer), transfer_f1_high: high(x?.transfer), gain_low: low(x?.gain), gain_high: high(x?.gain) };
    }),
  };
}

/** headline.csv with, on each predicted order's transfer-only F1-cost row, its saving minus random's and whether that is distinguishable from 0. */
function withOrderIntervals(t: Table, iv: ResultIntervals): Table {
  const byOrder = new Map(iv.orders.map((o) => [o.order, o.vsRandom]));
  return {
    ...t,
    columns: [...t.columns, 'vs_random_difference', 'vs_random_low', 'vs_random_high', 'distinguishable_from_random'],
    rows: t.rows.map((r) => {
      const v = r.accounting === 'transfer_only' && r.criterion === 'f1_cost' ? byOrder.get(String(r.order)) : undefined;
      return { ...r, vs_random_difference: v?.difference.estimate ?? null, vs_random_low: low(v?.difference), vs_random_high: high(v?.difference), distinguishable_from_random: v ? (v.distinguishable ? 1 : 0) : null };
    }),
  };
}

export async function experimentOutputs(env: PipelineEnv, experimentId: string): Promise<ExperimentOutputs> {
  const opened = await openExperiment(env, experimentId);
  const { plan: experiment, jobs: plan, record } = opened;
  const analysis = record.analysis;
  const states = record.jobs;
  if (!analysis || states[jobIds.analysis()]?.status !== 'done') {
    throw new Error(`experiment "${experimentId}" has not finished: its analysis job is not done`);
  }
  const store = env.store;
  const singles = await loadSingleRuns(store, experimentId, plan);
  const transfers = await loadTransferRuns(store, experimentId, plan);
  const rows = await loadTransferRows(store, experimentId, plan);
  const bestModels = new Set(plan.tasks.map((t) => states[jobIds.best(t)]?.resultId));
  const { intervals, warnings, collapse } = await experimentFindings(store, experimentId, { spec: experiment.spec, plan, prepared: opened.prepared, analysis });

  const runsTable: Table = {
    name: 'runs',
    columns: [
      'kind', 'source', 'task', 'lr', 'epochs', 'batch', 'seed', 'f1', 'accuracy', 'precision', 'recall',
      'wall_time_ms', 'examples_seen', 'train_docs', 'best', 'backend', 'threshold', 'argmax_f1',
    ],
    rows: [...singles, ...transfers].map(({ run }) => {
      const s = trainSettingsOf(run);
      const row: Record<string, Cell> = {
        kind: run.kind, source: run.sourceTask ?? null, task: run.task, lr: s.lr, epochs: s.epochs, batch: s.batch, seed: s.seed,
        f1: run.metrics.f1, accuracy: run.metrics.accuracy, precision: run.metrics.precision, recall: run.metrics.recall,
        wall_time_ms: run.wallTimeMs, examples_seen: run.examplesSeen, train_docs: Number(run.settings.trainDocs),
        best: run.kind === 'single' ? (bestModels.has(run.modelId) ? 1 : 0) : null, backend: run.backend ?? null,
        // The validation threshold the run predicted at (empty: argmax), and its F1 at argmax.
        threshold: run.metrics.threshold ?? null, argmax_f1: run.metrics.argmaxF1 ?? null,
      };
      return row;
    }),
  };
  const used = new Set(featureSetsOf(experiment.spec).flatMap((fs) => fs.features));
  const featureNames = [...F1_FEATURE_NAMES, ...ANSAT_FEATURE_NAMES, ...BASELINE_FEATURE_NAMES, LOGME_FEATURE_NAME].filter((f) => used.has(f) || rows[0]?.features[f] !== undefined);
  const features = { ...transferTable(rows, featureNames, analysis.predictions), name: 'features' };

  const tables = [
    runsTable, features, withTable1Intervals(table1Table(analysis.table1), intervals), rmseAtKTable(analysis.rmseAtK),
    runtimeAtKTable(analysis.curves, analysis.headline), withOrderIntervals(headlineTable(analysis.headline), intervals),
  ];
  const files: Record<string, string> = {};
  for (const t of tables) files[`${t.name}.csv`] = toCsv(t);

  const jobsMs = { single: 0, best: 0, conductance: 0, features: 0, transfer: 0, regressor: 0, analysis: 0 } as Record<JobKind, number>;
  for (const job of plan.jobs) jobsMs[job.kind] += states[job.id]?.elapsedMs ?? 0;
  const h = analysis.headline;
  const summary: ExperimentSummary = {
    experiment: { id: experimentId, name: record.name },
    dataset: {
      id: experiment.dataset.id, name: experiment.dataset.name, fingerprint: experiment.dataset.fingerprint, docs: experiment.dataset.docs,
      trainDocs: experiment.dataset.trainDocs, validationDocs: opened.prepared.validationDocs.length, testDocs: experiment.dataset.testDocs,
      conductanceDocs: experiment.dataset.conductanceDocs,
    },
    split: { by: experiment.spec.split.by, validationFraction: experiment.spec.split.validationFraction, leakage: opened.prepared.leakage },
    warnings,
    collapse,
    model: {
      description: experiment.model.description, fingerprint: experiment.model.fingerprint, layers: experiment.model.layers,
      hidden: experiment.model.hidden, maxLength: experiment.model.maxLength,
    },
    settings: experiment.spec,
    tasks: { kept: experiment.tasks.kept, excluded: experiment.tasks.excluded },
    counts: {
      tasks: plan.tasks.length,
      pairs: plan.pairs.length,
      singleRuns: singles.length,
      transferRuns: transfers.length,
      explainedDocuments: experiment.dataset.conductanceDocs,
      regressors: featureSetsOf(experiment.spec).length * new Set(rows.map((r) => r.target)).size,
      jobs: plan.jobs.length,
    },
    clock: experiment.clock ?? 'wall',
    timings: {
      singleTaskTrainingMs: sum(singles.map((s) => s.run.wallTimeMs)),
      transferTrainingMs: sum(transfers.map((t) => t.run.wallTimeMs)),
      conductanceMs: h.costs.conductanceMs,
      ...(record.logmeMs !== undefined ? { logmeMs: record.logmeMs } : {}),
      jobsMs,
      totalMs: sum(Object.values(jobsMs)),
    },
    table1: { average: analysis.table1.average },
    intervals,
    exhaustive: h.exhaustive,
    headline: { maxF1Cost: h.maxF1Cost, timeFraction: h.timeFraction, orders: h.orders.map(orderSummary), definitions: h.definitions },
    notes: experiment.notes,
  };
  files['summary.json'] = JSON.stringify(summary, null, 1) + '\n';
  return { files, summary };
}
