/**
 * Two sets of recipe-sweep runs side by side, paired per task and seed (the same split, sample and
 * seed; only what differs between the two files, e.g. the base model):
 *
 *   npx tsx scripts/recipe/compare.ts --base FILE.jsonl --other FILE.jsonl [--min-positive-share S]
 *
 * Rows of --base are kept where their minPositiveShare (absent: 0) equals S (default 0.25) and a
 * row of --other has the same data, setting, task, seed, maxTrainDocs and validation fraction.
 * Prints per task the mean tuned test F1 of each side over the paired seeds, the paired gain, and
 * each side's collapses (the honest-results issue's: F1 0 or ≥ 95 % predicted positive while
 * another seed of the same task learned); then the means over tasks and the paired gain with a
 * 95 % bootstrap interval over tasks (each task's gain averaged over its seeds first).
 */
import { readFileSync } from 'node:fs';
import { CliError, parseArgs } from '../../src/cli/args';
import { meanInterval } from '../../src/lib/stats/mean-interval';
import { runScript } from '../run-script';
import type { RunRow } from './sweep';

/** What the comparison reads of a sweep row. */
type Row = Pick<RunRow, 'data' | 'task' | 'setting' | 'seed' | 'maxTrainDocs' | 'validationFraction' | 'minPositiveShare' | 'model' | 'tunedF1' | 'tunedCollapsed' | 'testPositives' | 'trainPositives'>;

const read = (file: string): Row[] => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);
const pairKey = (r: Row) => JSON.stringify([r.data, r.setting, r.task, r.seed, r.maxTrainDocs, r.validationFraction ?? null]);
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const round = (x: number) => Number(x.toFixed(3));

/** Collapsed while another seed of the same task learned (a task whose every seed fails counts none). */
function collapses(rows: readonly Row[]): number {
  return rows.filter((r) => r.tunedCollapsed && rows.some((o) => o !== r && !o.tunedCollapsed)).length;
}

export function compareRuns(base: readonly Row[], other: readonly Row[]) {
  const byKey = new Map(other.map((r) => [pairKey(r), r]));
  const pairs = base.flatMap((b) => (byKey.has(pairKey(b)) ? [[b, byKey.get(pairKey(b))!] as const] : []));
  if (pairs.length === 0) throw new CliError('no run of --other pairs with a run of --base (same data, setting, task, seed, documents, validation)');
  const tasks = [...new Set(pairs.map(([b]) => b.task))].sort();
  const perTask = tasks.map((task) => {
    const p = pairs.filter(([b]) => b.task === task);
    const b = p.map(([x]) => x);
    const o = p.map(([, y]) => y);
    return {
      task, seeds: p.length, trainPositives: b[0]!.trainPositives, testPositives: b[0]!.testPositives,
      base: round(mean(b.map((r) => r.tunedF1))), other: round(mean(o.map((r) => r.tunedF1))),
      gain: round(mean(p.map(([x, y]) => y.tunedF1 - x.tunedF1))),
      baseCollapses: collapses(b), otherCollapses: collapses(o),
    };
  });
  const gains = tasks.map((task) => mean(pairs.filter(([b]) => b.task === task).map(([x, y]) => y.tunedF1 - x.tunedF1)));
  const interval = meanInterval(gains, { replicates: 2000, seed: 1, confidence: 0.95 });
  return {
    pairs: pairs.length,
    tasks: perTask,
    mean: { base: round(mean(pairs.map(([b]) => b.tunedF1))), other: round(mean(pairs.map(([, o]) => o.tunedF1))) },
    gain: { estimate: round(interval.estimate), ci95: [round(interval.low), round(interval.high)], over: `${tasks.length} tasks` },
    collapses: { base: perTask.reduce((n, t) => n + t.baseCollapses, 0), other: perTask.reduce((n, t) => n + t.otherCollapses, 0), of: pairs.length },
  };
}

export function main(argv: string[]) {
  const args = parseArgs(argv, ['base', 'other', 'min-positive-share']);
  const share = args.number('min-positive-share', 0.25);
  const base = read(args.required('base')).filter((r) => (r.minPositiveShare ?? 0) === share);
  return compareRuns(base, read(args.required('other')));
}

runScript(import.meta.url, main);
