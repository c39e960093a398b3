/**
 * Writes a synthetic exhaustive run in the experiment output format (runs.csv and features.csv with
 * the columns of `pipeline/outputs.ts` / `search/export-tables.ts`, summary.json with
 * timings.conductanceMs and settings.regressor.params), so that replay's tests read exactly what
 * the `experiment` command writes.
 */
import Papa from 'papaparse';

export interface SyntheticRun {
  lr: number;
  seed: number;
  f1: number;
  ms: number;
}

export interface SyntheticPair {
  source: string;
  target: string;
  runs: SyntheticRun[];
  features: Record<string, number | null>;
}

export interface SyntheticFolder {
  singles: { task: string; runs: SyntheticRun[] }[];
  pairs: SyntheticPair[];
  featureNames: string[];
  conductanceMs?: number;
  /** summary.json timings.logmeMs; left out when undefined. */
  logmeMs?: number;
  regressorParams?: Record<string, number | string>;
}

const RUN_COLUMNS = ['kind', 'source', 'task', 'lr', 'epochs', 'batch', 'seed', 'f1', 'accuracy', 'precision', 'recall', 'wall_time_ms', 'examples_seen', 'train_docs', 'best', 'backend'];

export function runFolderTexts(f: SyntheticFolder): { runsCsv: string; featuresCsv: string; summaryJson: string } {
  const runRow = (kind: string, source: string | null, task: string, r: SyntheticRun) => [
    kind, source, task, r.lr, 1, 16, r.seed, r.f1, 0.9, 0.5, 0.5, r.ms, 100, 100, kind === 'single' ? 0 : null, 'wasm',
  ];
  const runs = [
    ...f.singles.flatMap((s) => s.runs.map((r) => runRow('single', null, s.task, r))),
    ...f.pairs.flatMap((p) => p.runs.map((r) => runRow('transfer', p.source, p.target, r))),
  ];
  const featureColumns = ['source', 'target', 'lr', 'epochs', 'batch', 'seed', 'f1', 'accuracy', 'wall_time_ms', ...f.featureNames, 'pred_F1'];
  const features = f.pairs.flatMap((p) =>
    p.runs.map((r) => [p.source, p.target, r.lr, 1, 16, r.seed, r.f1, 0.9, r.ms, ...f.featureNames.map((n) => p.features[n] ?? null), 0.123]),
  );
  const csv = (fields: string[], data: unknown[][]) => Papa.unparse({ fields, data }, { newline: '\n' }) + '\n';
  return {
    runsCsv: csv(RUN_COLUMNS, runs),
    featuresCsv: csv(featureColumns, features),
    summaryJson: JSON.stringify({
      settings: { regressor: { params: f.regressorParams ?? { n_estimators: 20, max_depth: 2, learning_rate: 0.3 } } },
      timings: { conductanceMs: f.conductanceMs ?? 0, ...(f.logmeMs !== undefined ? { logmeMs: f.logmeMs } : {}) },
    }),
  };
}

/**
 * Every ordered pair of `tasks` with one run each (lr 1e-4, seed 0) of the given value and cost, and
 * one single-task run per task.
 */
export function exhaustiveFolder(
  tasks: string[],
  pair: (source: string, target: string) => { value: number; ms: number; features: Record<string, number | null> },
  single: (task: string) => number,
  featureNames: string[],
  extra: Partial<SyntheticFolder> = {},
): SyntheticFolder {
  const pairs: SyntheticPair[] = [];
  for (const target of tasks) {
    for (const source of tasks) {
      if (source === target) continue;
      const p = pair(source, target);
      pairs.push({ source, target, runs: [{ lr: 1e-4, seed: 0, f1: p.value, ms: p.ms }], features: p.features });
    }
  }
  return {
    singles: tasks.map((task) => ({ task, runs: [{ lr: 1e-4, seed: 0, f1: single(task), ms: 7 }] })),
    pairs,
    featureNames,
    ...extra,
  };
}
