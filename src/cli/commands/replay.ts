/** `replay`: simulate search strategies on an exhaustive experiment run, training nothing. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, CliError } from '../args';
import { gbdtRegressor } from '../../lib/gbdt/regressor';
import {
  DEFAULT_RANDOM_ORDERS, DEFAULT_REPLAY_TOLERANCE, REPLAY_STRATEGIES, replay, type ReplayStrategy,
} from '../../lib/search/replay';
import { readReplayData } from '../../lib/search/replay-input';
import { regressorParamsOf, replayWarnings } from '../../lib/search/replay-report';

export const usage = `usage: npm run cli -- replay --runs DIR [--tolerance ${DEFAULT_REPLAY_TOLERANCE}]
         [--strategies ${REPLAY_STRATEGIES.join(',')}] [--seeds ${DEFAULT_RANDOM_ORDERS}]
  DIR: an experiment output folder (runs.csv, features.csv; summary.json for the conductance and
  LogME times and the regressor's parameters). Per target, the candidates are its sources: a candidate's cost
  is the summed training time of all its transfer runs, its value the F1 of its best setting (mean
  over seeds). Each strategy orders the candidates using only what it would know at that point
  (guided and f1-only refit the boosted trees on the other targets' pairs plus this target's
  trained pairs; logme orders by the "logme" feature, which experiment computes unless --logme-docs 0,
  and with_overhead charges its time; random is the expectation over orders,
  --seeds sampled orders where no closed form exists; oracle by actual value).
  --tolerance: absolute F1 within which the best-so-far must come of the best available.
  Prints {"strategies":{NAME:{"share_to_within_tolerance":{"mean","ci95"},"regret_at_share":
  {"0.1","0.25","0.5"},"regret_at_k":{"1","3","5"},"with_overhead":{…}}}} (regrets in percent;
  intervals: 95 % bootstrap over targets), or {"unavailable": reason} for a strategy.`;

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(`--runs: cannot read ${path}: ${(e as Error).message}`);
  }
}

function parseStrategies(value: string | undefined): ReplayStrategy[] {
  if (value === undefined) return [...REPLAY_STRATEGIES];
  const names = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new CliError(`--strategies: give at least one of ${REPLAY_STRATEGIES.join(', ')}`);
  for (const n of names) {
    if (!(REPLAY_STRATEGIES as readonly string[]).includes(n)) throw new CliError(`--strategies: unknown strategy "${n}"; known: ${REPLAY_STRATEGIES.join(', ')}`);
  }
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new CliError(`--strategies: "${dup}" is listed twice`);
  return names as ReplayStrategy[];
}

export async function run(argv: string[]): Promise<unknown> {
  const args = parseArgs(argv, ['runs', 'tolerance', 'strategies', 'seeds']);
  const dir = args.required('runs');
  const tolerance = args.number('tolerance', DEFAULT_REPLAY_TOLERANCE);
  if (tolerance < 0 || tolerance > 1) throw new CliError(`--tolerance must be an F1 difference in [0, 1], got ${tolerance}`);
  const seeds = args.int('seeds', DEFAULT_RANDOM_ORDERS);
  if (seeds < 1) throw new CliError(`--seeds must be a positive integer (the number of random orders), got ${seeds}`);
  const strategies = parseStrategies(args.get('strategies'));
  if (!existsSync(dir)) throw new CliError(`--runs: no such folder ${dir}`);

  const summaryPath = join(dir, 'summary.json');
  const summaryJson = existsSync(summaryPath) ? readText(summaryPath) : undefined;
  const data = readReplayData({
    runsCsv: readText(join(dir, 'runs.csv')),
    featuresCsv: readText(join(dir, 'features.csv')),
    summaryJson,
    names: { runs: join(dir, 'runs.csv'), features: join(dir, 'features.csv'), summary: summaryPath },
  });
  for (const w of replayWarnings(data)) process.stderr.write(`replay: warning: ${w}\n`);
  const params = regressorParamsOf(summaryJson);
  process.stderr.write(
    `replay: ${data.targets.length} targets, ${data.targets.reduce((s, t) => s + t.candidates.length, 0)} candidate pairs, ` +
      `${data.featureNames.length} pair features; regressor ${JSON.stringify(params)}\n`,
  );
  return replay(data, {
    strategies,
    tolerance,
    randomOrders: seeds,
    fit: gbdtRegressor(params),
    onProgress: (p) => process.stderr.write(`  ${p.strategy}: ${p.done}/${p.total} targets (${p.target})\n`),
  });
}
