/**
 * `npm run bench -- experiment [--lanes 1,2]`: the same small experiment (the bundled model, a
 * seeded synthetic data set of 600 documents, 4 tasks (`--tasks N`, 1–6), 12 pairs, tiny grids,
 * 400 training documents per task, 8 conductance steps on 3 documents per task; 30 jobs) run from
 * scratch at each lane count, each
 * in its own CLI process. Prints per lane count: jobs, wall seconds (the whole command), training
 * examples per second (examples seen by every run / wall) and the process's peak RSS (VmHWM, every
 * lane's thread included). Asserts nothing; on a shared machine the figures are noisy.
 *
 * For each lane count N > 1 it also runs N independent one-lane processes of the same experiment at
 * once (`independent`): what this machine gives N copies of the work that share nothing but the
 * cores and the memory bus. `scaling` sets both against one lane, so the lanes' speed-up is read
 * against the machine's own ceiling, measured in the same run (the cores share caches, memory
 * bandwidth and a clock that may drop under load; docs/PERFORMANCE.md has measured figures).
 * Options: --lanes 1,2 · --tasks N · --repeat R (R rounds, every other one in reverse lane order;
 * prints each and the medians of the ratios) · --docs N (data set size) · --max-train-docs N ·
 * --model DIR · --no-control.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { createRng } from '../../lib/util/rng';
import { CliError, parseArgs } from '../args';
import { median } from './median';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The synthetic tasks, in order: `--tasks N` takes the first N. */
const TASK_WORDS: Record<string, string[]> = {
  flood: ['water', 'river', 'sea', 'rain', 'boat'],
  fire: ['hot', 'light', 'red', 'sun', 'smoke'],
  aid: ['help', 'food', 'give', 'care', 'home'],
  quake: ['shake', 'crack', 'ground', 'wall', 'fall'],
  storm: ['wind', 'cloud', 'thunder', 'gust', 'hail'],
  health: ['doctor', 'ill', 'clinic', 'fever', 'nurse'],
};
export const MAX_BENCH_TASKS = Object.keys(TASK_WORDS).length;
/**
 * 4 tasks (16 trainings, 12 of them transfers that can run side by side) by default: with 3, one
 * lane's run was 45 s and the fixed start and the graph's serial parts weighed on the lanes' ratio;
 * at 4 the whole bench still takes about 3 minutes.
 */
const DEFAULT_BENCH_TASKS = 4;
const NEUTRAL = 'the people city road near school car north day night group after town street mile country state old new'.split(' ');

/**
 * Seeded documents whose positives contain their task's words (as test/lib/pipeline/synthetic.ts),
 * over the first `tasks` tasks (3 gives the data set of earlier runs, value for value).
 */
export function syntheticJsonl(n: number, tasks = 3): string {
  if (!Number.isInteger(tasks) || tasks < 1 || tasks > MAX_BENCH_TASKS) throw new CliError(`--tasks must be an integer from 1 to ${MAX_BENCH_TASKS}, got ${tasks}`);
  const rng = createRng(7);
  const pick = (xs: string[]) => xs[rng.int(xs.length)];
  const names = Object.keys(TASK_WORDS).slice(0, tasks);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const labels = names.filter(() => rng.next() < 0.35);
    const words = Array.from({ length: 10 + rng.int(10) }, () => pick(NEUTRAL));
    for (const l of labels) for (let k = 0; k < 2; k++) words.splice(rng.int(words.length + 1), 0, pick(TASK_WORDS[l]));
    lines.push(JSON.stringify({ id: `d${i}`, text: words.join(' '), labels }));
  }
  return lines.join('\n') + '\n';
}

interface LaneResult { lanes: number; jobs: number; wall_s: number; examples_per_s: number; peak_rss_mb: number }
/** N one-lane processes of the same experiment, started together. */
interface IndependentResult { processes: number; jobs: number; wall_s: number; examples_per_s: number }
interface Scaling { lanes: number; lanes_vs_one: number; independent_vs_one?: number; lanes_share_of_independent?: number }

/** Runs the CLI; polls the child's VmHWM (peak resident set) while it runs. */
export function runCli(argv: string[]): Promise<{ code: number | null; stderr: string; wallMs: number; peakKb: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...argv], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let peakKb = 0;
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch { /* exited */ }
    }, 200);
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({ code, stderr, wallMs: performance.now() - t0, peakKb });
    });
  });
}

/** The benchmark experiment's command line (without --lanes), for this bench and the queue's. */
export function benchExperimentArgs(data: string, out: string, maxTrainDocs: number, model?: string): string[] {
  return [
    'experiment', '--data', data, '--format', 'jsonl', '--out', out, '--grid', 'tiny', '--max-train-docs', String(maxTrainDocs),
    '--steps', '8', '--max-docs-per-task', '3', '--no-estimate', ...(model ? ['--model', model] : []),
  ];
}

export async function run(argv: string[]): Promise<unknown> {
  const args = parseArgs(argv, ['lanes', 'docs', 'max-train-docs', 'model', 'tasks', 'repeat'], ['no-control']);
  const tasks = args.int('tasks', DEFAULT_BENCH_TASKS);
  const repeat = args.int('repeat', 1);
  if (!Number.isInteger(repeat) || repeat < 1) throw new CliError(`--repeat must be an integer ≥ 1, got ${repeat}`);
  const laneCounts = (args.get('lanes') ?? '1,2').split(',').map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw new CliError(`--lanes must be a list of integers ≥ 1, got "${s}"`);
    return n;
  });
  const dir = mkdtempSync(join(tmpdir(), 'bench-experiment-'));
  try {
    const data = join(dir, 'docs.jsonl');
    writeFileSync(data, syntheticJsonl(args.int('docs', 600), tasks));
    const maxTrainDocs = args.int('max-train-docs', 400);
    const experiment = async (out: string, lanes: number) => {
      const r = await runCli([...benchExperimentArgs(data, out, maxTrainDocs, args.get('model')), '--lanes', String(lanes)]);
      if (r.code !== 0) throw new Error(`the experiment with --lanes ${lanes} failed (exit ${r.code}): ${r.stderr.split('\n').filter(Boolean).slice(-3).join(' | ')}`);
      return { ...r, ...outputCounts(out) };
    };
    const once = async (r: number) => {
      const results: LaneResult[] = [];
      const independent: IndependentResult[] = [];
      // Every other repeat in the reverse order: a slow spell of the shared machine then falls on
      // different lane counts, not always on the last one.
      for (const lanes of r % 2 === 0 ? laneCounts : [...laneCounts].reverse()) {
        const res = await experiment(join(dir, `r${r}-lanes-${lanes}`), lanes);
        const wall = res.wallMs / 1000;
        results.push({ lanes, jobs: res.jobs, wall_s: round1(wall), examples_per_s: round1(res.examples / wall), peak_rss_mb: Math.round(res.peakKb / 1024) });
        if (lanes > 1 && !args.has('no-control')) {
          const copies = await Promise.all(Array.from({ length: lanes }, (_, k) => experiment(join(dir, `r${r}-independent-${lanes}-${k}`), 1)));
          const copiesWall = Math.max(...copies.map((c) => c.wallMs)) / 1000;
          const sum = (f: (c: (typeof copies)[number]) => number) => copies.reduce((t, c) => t + f(c), 0);
          independent.push({ processes: lanes, jobs: sum((c) => c.jobs), wall_s: round1(copiesWall), examples_per_s: round1(sum((c) => c.examples) / copiesWall) });
        }
      }
      results.sort((a, b) => a.lanes - b.lanes);
      return { results, independent, scaling: scalingOf(results, independent) };
    };
    const repeats = [];
    for (let r = 0; r < repeat; r++) repeats.push(await once(r));
    if (repeat === 1) return { bench: 'experiment', tasks, ...repeats[0] };
    return { bench: 'experiment', tasks, repeat, scaling_median: medianScaling(repeats.map((x) => x.scaling)), repeats };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const round1 = (x: number) => Number(x.toFixed(1));
const round3 = (x: number) => Number(x.toFixed(3));

/** Jobs and training examples of a finished bench experiment, from its output files. */
function outputCounts(out: string): { jobs: number; examples: number } {
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { counts: { jobs: number } };
  const runs = Papa.parse<Record<string, string>>(readFileSync(join(out, 'runs.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
  return { jobs: summary.counts.jobs, examples: runs.reduce((s, row) => s + Number(row.examples_seen), 0) };
}

/**
 * The median over repeats of each figure of `scalingOf`, per lane count: one slow spell of the
 * shared machine moves a single run's ratio by as much as the lanes' whole gap to 2×.
 */
export function medianScaling(perRepeat: readonly Scaling[][]): Scaling[] {
  const lanes = [...new Set(perRepeat.flat().map((s) => s.lanes))].sort((a, b) => a - b);
  return lanes.map((n) => {
    const rows = perRepeat.flatMap((r) => r.filter((s) => s.lanes === n));
    const of = (k: 'independent_vs_one' | 'lanes_share_of_independent') => {
      const xs = rows.map((s) => s[k]).filter((x): x is number => x !== undefined);
      return xs.length === rows.length && xs.length > 0 ? { [k]: round3(median(xs)) } : {};
    };
    return { lanes: n, lanes_vs_one: round3(median(rows.map((s) => s.lanes_vs_one))), ...of('independent_vs_one'), ...of('lanes_share_of_independent') };
  });
}

/**
 * Jobs per second of N lanes and of N independent processes, each against one lane's; and the
 * lanes' share of what the independent processes reached (1 = the lanes lose nothing to scheduling).
 * Empty without a one-lane result to compare with.
 */
export function scalingOf(results: readonly LaneResult[], independent: readonly IndependentResult[]): Scaling[] {
  const one = results.find((r) => r.lanes === 1);
  if (!one) return [];
  const rate = (r: { jobs: number; wall_s: number }) => r.jobs / r.wall_s;
  return results.filter((r) => r.lanes > 1).map((r) => {
    const copies = independent.find((c) => c.processes === r.lanes);
    const lanesVsOne = rate(r) / rate(one);
    return {
      lanes: r.lanes,
      lanes_vs_one: round3(lanesVsOne),
      ...(copies ? { independent_vs_one: round3(rate(copies) / rate(one)), lanes_share_of_independent: round3(rate(r) / rate(copies)) } : {}),
    };
  });
}
