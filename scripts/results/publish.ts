/**
 * Publishes a finished experiment run as a committed result (issue "honest results", part 6):
 * copies its numeric outputs from the run's --out folder into results/NAME/ (runs.csv,
 * features.csv, table1.csv, rmse_at_k.csv, runtime_at_k.csv, headline.csv, summary.json — no text,
 * no models, no store), replays the search strategies on them (replay.json, the `replay` command),
 * records where and how it ran (run.json: commit, machine, wall time), and with --bundle writes the
 * app's bundled demo result (experiment.zip, `cli export` without models or data set, under the id
 * `bundled-NAME-reference`).
 *
 *   npx tsx scripts/results/publish.ts --run /path/to/out --name debtags --commit SHA \
 *     [--started ISO] [--bundle]
 *
 * results/NAME/README.md (the command, the settings and what the numbers say) is written by hand.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError, parseArgs } from '../../src/cli/args';
import { run as exportRun } from '../../src/cli/commands/export';
import { run as replayRun } from '../../src/cli/commands/replay';
import { writeFileAtomic } from '../../src/lib/util/atomic-write.node.js';
import { runScript } from '../run-script';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PUBLISHED_FILES = ['runs.csv', 'features.csv', 'table1.csv', 'rmse_at_k.csv', 'runtime_at_k.csv', 'headline.csv', 'summary.json'];

export async function main(argv: string[]): Promise<unknown> {
  const args = parseArgs(argv, ['run', 'name', 'commit', 'started', 'dest'], ['bundle']);
  const runDir = path.resolve(args.required('run'));
  const name = args.required('name');
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new CliError(`--name: lower-case letters, digits and "-", got ${JSON.stringify(name)}`);
  const dest = path.resolve(args.get('dest') ?? path.join(ROOT, 'results', name));
  for (const f of PUBLISHED_FILES) if (!existsSync(path.join(runDir, f))) throw new CliError(`--run: ${runDir} has no ${f}; has the experiment finished?`);
  mkdirSync(dest, { recursive: true });
  for (const f of PUBLISHED_FILES) copyFileSync(path.join(runDir, f), path.join(dest, f));

  const replay = await replayRun(['--runs', dest]);
  await writeFileAtomic(path.join(dest, 'replay.json'), JSON.stringify(replay, null, 1) + '\n');

  const summary = JSON.parse(readFileSync(path.join(dest, 'summary.json'), 'utf8')) as { timings?: { totalMs?: number } };
  const finished = statSync(path.join(runDir, 'summary.json')).mtime.toISOString();
  const started = args.get('started');
  const cpu = cpus();
  const runInfo = {
    commit: args.get('commit') ?? null,
    started: started ?? null,
    finished,
    wall_s: started ? Math.round((Date.parse(finished) - Date.parse(started)) / 1000) : null,
    // The sum of the jobs' own times (what a one-lane run would take, less waiting).
    jobs_total_s: summary.timings?.totalMs !== undefined ? Math.round(summary.timings.totalMs / 1000) : null,
    machine: { cpu: cpu[0]?.model ?? 'unknown', cores: cpu.length, memory_gb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform },
  };
  await writeFileAtomic(path.join(dest, 'run.json'), JSON.stringify(runInfo, null, 1) + '\n');

  let bundle: unknown = null;
  if (args.has('bundle')) {
    bundle = await exportRun(['--out', runDir, '--to', path.join(dest, 'experiment.zip'), '--id', `bundled-${name}-reference`,
      '--name', `${name} reference run (bundled)`, '--attributions', '--without-dataset']);
  }
  return { dest, files: [...PUBLISHED_FILES, 'replay.json', 'run.json', ...(bundle ? ['experiment.zip'] : [])], run: runInfo, bundle };
}

runScript(import.meta.url, main);
