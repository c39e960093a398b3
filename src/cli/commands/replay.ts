/** `replay`: simulate search strategies on an exhaustive experiment run, training nothing. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, CliError } from '../args';
import { gbdtRegressor } from '../../lib/gbdt/regressor';
import {
  DEFAULT_RANDOM_ORDERS, DEFAULT_REPLAY_TOLERANCE, REPLAY_STRATEGIES, replay, type ReplayStrategy,
} from '../../lib/search/replay';
import { CONTEXT_SOURCES, FEATURE_SCALES, type ContextSource, type FeatureScale } from '../../lib/search/cross-dataset';
import { readReplayData } from '../../lib/search/replay-input';
import { sourceEffects } from '../../lib/search/replay-source-effect';
import type { ReplayData } from '../../lib/search/replay-types';
import { regressorParamsOf, replayWarnings } from '../../lib/search/replay-report';

export const usage = `usage: npm run cli -- replay --runs DIR [--tolerance ${DEFAULT_REPLAY_TOLERANCE}]
         [--strategies ${REPLAY_STRATEGIES.join(',')}] [--seeds ${DEFAULT_RANDOM_ORDERS}]
         [--prior DIR[,DIR…]] [--context ${CONTEXT_SOURCES.join('|')}] [--scale ${FEATURE_SCALES.join('|')}]
  DIR: an experiment output folder (runs.csv, features.csv; summary.json for the conductance and
  LogME times and the regressor's parameters). Per target, the candidates are its sources: a candidate's cost
  is the summed training time of all its transfer runs, its value the F1 of its best setting (mean
  over seeds). Each strategy orders the candidates using only what it would know at that point
  (guided and f1-only refit the boosted trees on the other targets' pairs plus this target's
  trained pairs; logme orders by the "logme" feature, which experiment computes unless --logme-docs 0,
  and with_overhead charges its time; random is the expectation over orders,
  --seeds sampled orders where no closed form exists; oracle by actual value).
  --tolerance: absolute F1 within which the best-so-far must come of the best available.
  --prior: other exhaustive run folders guided and f1-only may learn from; --context: their rows
  are the run's other targets (run, the default), the priors alone (prior: the cold start) or both;
  --scale ranks: features as within-run ranks and labels as gains over the target's single-task
  F1, so that a prior from another data set speaks the same units (raw: as measured, the default).
  Prints {"strategies":{NAME:{"share_to_within_tolerance":{"mean","ci95"},"regret_at_share":
  {"0.1","0.25","0.5"},"regret_at_k":{"1","3","5"},"with_overhead":{…}}}} (regrets in percent;
  intervals: 95 % bootstrap over targets), or {"unavailable": reason} for a strategy.`;

function readText(path: string, flag = '--runs'): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(`${flag}: cannot read ${path}: ${(e as Error).message}`);
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

function readRunFolder(dir: string, flag: string): { data: ReplayData; summaryJson: string | undefined } {
  if (!existsSync(dir)) throw new CliError(`${flag}: no such folder ${dir}`);
  const summaryPath = join(dir, 'summary.json');
  const summaryJson = existsSync(summaryPath) ? readText(summaryPath, flag) : undefined;
  const data = readReplayData({
    runsCsv: readText(join(dir, 'runs.csv'), flag),
    featuresCsv: readText(join(dir, 'features.csv'), flag),
    summaryJson,
    names: { runs: join(dir, 'runs.csv'), features: join(dir, 'features.csv'), summary: summaryPath },
  });
  return { data, summaryJson };
}

export async function run(argv: string[]): Promise<unknown> {
  const args = parseArgs(argv, ['runs', 'tolerance', 'strategies', 'seeds', 'prior', 'context', 'scale']);
  const context = (args.get('context') ?? 'run') as ContextSource;
  if (!(CONTEXT_SOURCES as readonly string[]).includes(context)) throw new CliError(`--context must be one of ${CONTEXT_SOURCES.join(', ')}, got "${context}"`);
  const scale = (args.get('scale') ?? 'raw') as FeatureScale;
  if (!(FEATURE_SCALES as readonly string[]).includes(scale)) throw new CliError(`--scale must be one of ${FEATURE_SCALES.join(', ')}, got "${scale}"`);
  const priorDirs = (args.get('prior') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (context !== 'run' && priorDirs.length === 0) throw new CliError(`--context ${context} learns from prior runs: give --prior DIR`);
  const dir = args.required('runs');
  const tolerance = args.number('tolerance', DEFAULT_REPLAY_TOLERANCE);
  if (tolerance < 0 || tolerance > 1) throw new CliError(`--tolerance must be an F1 difference in [0, 1], got ${tolerance}`);
  const seeds = args.int('seeds', DEFAULT_RANDOM_ORDERS);
  if (seeds < 1) throw new CliError(`--seeds must be a positive integer (the number of random orders), got ${seeds}`);
  const strategies = parseStrategies(args.get('strategies'));

  const { data, summaryJson } = readRunFolder(dir, '--runs');
  const prior = priorDirs.map((d) => readRunFolder(d, '--prior').data);
  for (const [i, p] of prior.entries()) {
    const missing = data.featureNames.filter((f) => !p.featureNames.includes(f));
    if (missing.length > 0) process.stderr.write(`replay: warning: prior ${priorDirs[i]} lacks ${missing.length} of the run's features (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}): its rows have them missing\n`);
  }
  const effects = sourceEffects(data);
  for (const w of replayWarnings(data, effects)) process.stderr.write(`replay: warning: ${w}\n`);
  const params = regressorParamsOf(summaryJson);
  process.stderr.write(
    `replay: ${data.targets.length} targets, ${data.targets.reduce((s, t) => s + t.candidates.length, 0)} candidate pairs, ` +
      `${data.featureNames.length} pair features; regressor ${JSON.stringify(params)}\n`,
  );
  const result = replay(data, {
    strategies,
    tolerance,
    randomOrders: seeds,
    fit: gbdtRegressor(params),
    prior,
    context,
    scale,
    onProgress: (p) => process.stderr.write(`  ${p.strategy}: ${p.done}/${p.total} targets (${p.target})\n`),
  });
  return { ...result, source_effect: effects };
}
