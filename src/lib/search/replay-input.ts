/**
 * Reads an experiment's output folder (the texts of `runs.csv`, `features.csv` and, optionally,
 * `summary.json`; see `pipeline/outputs.ts`) into `ReplayData`. Framework-free: the caller reads the
 * files. A bad cell is named by file, line and column.
 *
 * - runs.csv gives every run: single-task runs (their values and S, the single-task cost) and
 *   transfer runs (each pair's value and cost).
 * - features.csv gives the pair features: every column that is not a run column and not a
 *   `pred_*` column (those are the analysis's leave-one-target-out predictions, which replay must
 *   not use: they were fitted without the "trained so far" rule). A pair's features are the same on
 *   all its rows, so the first row of the pair is used.
 * - summary.json, if given, gives the conductance time (`timings.conductanceMs`) and, when the
 *   experiment computed LogME, its time (`timings.logmeMs`).
 */
import Papa from 'papaparse';
import type { ReplayCandidate, ReplayData, ReplayTarget } from './replay-types';
import { compareStrings } from './candidates';

export interface ReplayFiles {
  runsCsv: string;
  featuresCsv: string;
  summaryJson?: string;
  /** Names used in messages (default runs.csv, features.csv, summary.json). */
  names?: { runs?: string; features?: string; summary?: string };
}

export class ReplayInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplayInputError';
  }
}

/** features.csv columns that describe the run, not the pair. */
const RUN_COLUMNS = new Set(['source', 'target', 'lr', 'epochs', 'batch', 'seed', 'f1', 'accuracy', 'wall_time_ms']);
const RUNS_REQUIRED = ['kind', 'source', 'task', 'lr', 'epochs', 'batch', 'seed', 'f1', 'wall_time_ms'];
const FEATURES_REQUIRED = ['source', 'target'];

interface Parsed {
  fields: string[];
  rows: Record<string, string>[];
}

function parseCsv(text: string, file: string, required: readonly string[]): Parsed {
  const out = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  const bad = out.errors[0];
  if (bad) throw new ReplayInputError(`${file}, line ${(bad.row ?? 0) + 2}: ${bad.message}`);
  const fields = out.meta.fields ?? [];
  const missing = required.filter((c) => !fields.includes(c));
  if (missing.length > 0) throw new ReplayInputError(`${file}: missing column(s) ${missing.map((c) => `"${c}"`).join(', ')}; found ${fields.join(', ')}`);
  return { fields, rows: out.data };
}

/** Header is line 1; papaparse rows have no embedded newlines in these files, so row i is line i + 2. */
const lineOf = (i: number) => i + 2;

function numberCell(file: string, i: number, row: Record<string, string>, col: string, min = -Infinity, max = Infinity): number {
  const s = row[col] ?? '';
  const v = s.trim() === '' ? NaN : Number(s);
  if (!Number.isFinite(v) || v < min || v > max) {
    const range = min === -Infinity ? 'a finite number' : max === Infinity ? `a finite number ≥ ${min}` : `a number in [${min}, ${max}]`;
    throw new ReplayInputError(`${file}, line ${lineOf(i)}, column "${col}": expected ${range}, got ${JSON.stringify(s)}`);
  }
  return v;
}

function nameCell(file: string, i: number, row: Record<string, string>, col: string): string {
  const s = row[col] ?? '';
  if (s === '') throw new ReplayInputError(`${file}, line ${lineOf(i)}, column "${col}": expected a task name, got an empty cell`);
  return s;
}

/** Runs of one task or pair: their F1 per setting (over seeds) and summed cost (also `recommend`'s pair value). */
export class RunGroup {
  readonly bySetting = new Map<string, number[]>();
  costMs = 0;
  runs = 0;
  firstLine = 0;
  add(setting: string, f1: number, costMs: number, line: number): void {
    if (this.runs === 0) this.firstLine = line;
    let s = this.bySetting.get(setting);
    if (!s) this.bySetting.set(setting, (s = []));
    s.push(f1);
    this.costMs += costMs;
    this.runs += 1;
  }
  /** The best setting's mean over seeds. */
  value(): number {
    return mean(this.bestSetting());
  }
  /** The F1 of each seed of the best setting (the first of equal means, in run order). */
  bestSetting(): number[] {
    let best: number[] = [];
    for (const f1s of this.bySetting.values()) if (best.length === 0 || mean(f1s) > mean(best)) best = f1s;
    return best;
  }
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

const pairKey = (source: string, target: string) => JSON.stringify([source, target]);

export function readReplayData(files: ReplayFiles): ReplayData {
  const runsName = files.names?.runs ?? 'runs.csv';
  const featuresName = files.names?.features ?? 'features.csv';
  const summaryName = files.names?.summary ?? 'summary.json';

  const runs = parseCsv(files.runsCsv, runsName, RUNS_REQUIRED);
  const singles = new Map<string, RunGroup>();
  const transfers = new Map<string, { source: string; target: string; group: RunGroup }>();
  let singleTaskMs = 0;
  runs.rows.forEach((row, i) => {
    const kind = row.kind;
    if (kind !== 'single' && kind !== 'transfer') {
      throw new ReplayInputError(`${runsName}, line ${lineOf(i)}, column "kind": expected "single" or "transfer", got ${JSON.stringify(kind ?? '')}`);
    }
    const task = nameCell(runsName, i, row, 'task');
    const setting = ['lr', 'epochs', 'batch'].map((c) => numberCell(runsName, i, row, c)).join('|');
    numberCell(runsName, i, row, 'seed');
    const f1 = numberCell(runsName, i, row, 'f1', 0, 1);
    const cost = numberCell(runsName, i, row, 'wall_time_ms', 0);
    if (kind === 'single') {
      let g = singles.get(task);
      if (!g) singles.set(task, (g = new RunGroup()));
      g.add(setting, f1, cost, lineOf(i));
      singleTaskMs += cost;
    } else {
      const source = nameCell(runsName, i, row, 'source');
      if (source === task) throw new ReplayInputError(`${runsName}, line ${lineOf(i)}: a transfer run from "${source}" into itself`);
      const key = pairKey(source, task);
      let t = transfers.get(key);
      if (!t) transfers.set(key, (t = { source, target: task, group: new RunGroup() }));
      t.group.add(setting, f1, cost, lineOf(i));
    }
  });
  if (transfers.size === 0) throw new ReplayInputError(`${runsName}: no transfer runs (kind "transfer"); replay needs an exhaustive transfer run`);

  const features = parseCsv(files.featuresCsv, featuresName, FEATURES_REQUIRED);
  const featureNames = features.fields.filter((f) => !RUN_COLUMNS.has(f) && !f.startsWith('pred_'));
  const pairFeatures = new Map<string, Record<string, number>>();
  features.rows.forEach((row, i) => {
    const key = pairKey(nameCell(featuresName, i, row, 'source'), nameCell(featuresName, i, row, 'target'));
    if (pairFeatures.has(key)) return;
    const values: Record<string, number> = {};
    for (const f of featureNames) {
      const s = row[f] ?? '';
      // An empty cell is a missing value (the boosted trees route it by their default direction).
      const v = s.trim() === '' ? NaN : Number(s);
      if (Number.isNaN(v) && s.trim() !== '') {
        throw new ReplayInputError(`${featuresName}, line ${lineOf(i)}, column "${f}": expected a number or an empty cell, got ${JSON.stringify(s)}`);
      }
      values[f] = v;
    }
    pairFeatures.set(key, values);
  });

  const byTarget = new Map<string, ReplayCandidate[]>();
  for (const [key, { source, target, group }] of transfers) {
    const f = pairFeatures.get(key);
    if (!f) throw new ReplayInputError(`${featuresName}: no row for the pair ${source} → ${target} (${runsName}, line ${group.firstLine})`);
    let list = byTarget.get(target);
    if (!list) byTarget.set(target, (list = []));
    list.push({ source, value: group.value(), costMs: group.costMs, features: f, runs: group.runs, seedF1s: [...group.bestSetting()] });
  }
  const targets: ReplayTarget[] = [...byTarget.keys()].sort(compareStrings).map((target) => {
    const single = singles.get(target);
    if (!single) throw new ReplayInputError(`${runsName}: target "${target}" has transfer runs but no single-task run (kind "single", task "${target}")`);
    return { target, singleValue: single.value(), candidates: byTarget.get(target)!.sort((a, b) => compareStrings(a.source, b.source)) };
  });

  return {
    targets,
    featureNames,
    singleTaskMs,
    conductanceMs: files.summaryJson === undefined ? null : conductanceOf(files.summaryJson, summaryName),
    logmeMs: files.summaryJson === undefined ? null : logmeOf(files.summaryJson, summaryName),
  };
}

function conductanceOf(text: string, file: string): number {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ReplayInputError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const v = (doc as { timings?: { conductanceMs?: unknown } } | null)?.timings?.conductanceMs;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new ReplayInputError(`${file}, field "timings.conductanceMs": expected a number ≥ 0, got ${JSON.stringify(v ?? null)}`);
  }
  return v;
}

/** `timings.logmeMs`, or null where summary.json has none (an experiment without LogME, or from before it). */
function logmeOf(text: string, file: string): number | null {
  const v = (JSON.parse(text) as { timings?: { logmeMs?: unknown } } | null)?.timings?.logmeMs;
  if (v === undefined) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new ReplayInputError(`${file}, field "timings.logmeMs": expected a number ≥ 0, got ${JSON.stringify(v)}`);
  }
  return v;
}
