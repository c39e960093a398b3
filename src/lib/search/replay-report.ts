/**
 * Replay of a finished experiment's outputs, with what it means said in words: the shared step of
 * the CLI's `replay --runs DIR` (files on disk) and the app's Search view (the same files made from
 * the store by `pipeline/outputs.ts`).
 *
 * The verdicts compare strategies on share_to_within_tolerance (the share of the exhaustive transfer
 * cost spent until the best-so-far F1 is within the tolerance of the best available; lower is
 * better), with the rule the recommend issue sets for a claim: a strategy beats random only when
 * the upper end of its 95 % interval over targets is below random's mean. Anything else is "not
 * distinguishable from random", and said so.
 */
import type { GbdtParams } from '../gbdt/params';
import { gbdtRegressor } from '../gbdt/regressor';
import { SPEC_DEFAULTS } from '../pipeline/spec-options';
import type { MeanInterval } from './replay-bootstrap';
import { readReplayData, type ReplayFiles } from './replay-input';
import { DEFAULT_REPLAY_TOLERANCE, replay, type ReplayOptions, type ReplayResult, type ReplayStrategy, type StrategyReport, type Unavailable } from './replay';
import type { ReplayData } from './replay-types';
import { sourceEffects, sourceEffectWarning, type SourceEffects } from './replay-source-effect';

/** The strategies that estimate transferability (random and oracle are the references). */
export const ESTIMATOR_STRATEGIES: readonly ReplayStrategy[] = ['guided', 'f1-only', 'logme'];

/** Cost shares of the Search view's curve: 0, 5 %, …, 100 %. */
export const CURVE_SHARES: readonly number[] = Array.from({ length: 21 }, (_, i) => i / 20);

export type Comparison = 'better' | 'worse' | 'not distinguishable';

export interface ReplayVerdict {
  /** Per estimator strategy that was available: how it compares with random. */
  vsRandom: { strategy: ReplayStrategy; comparison: Comparison; share: MeanInterval }[];
  /** The estimator with the lowest mean share, and whether that lead is beyond the runner-up's interval; null when no transfer helps any target. */
  best: { strategy: ReplayStrategy; share: MeanInterval; aheadOf: ReplayStrategy | null; distinguishable: boolean } | null;
  /** Reasons the figures say little (e.g. no transfer beats its target's single-task model). */
  warnings: string[];
}

export interface ReplayReport {
  result: ReplayResult;
  verdict: ReplayVerdict;
  targets: number;
  candidates: number;
  /** Absolute F1 of share_to_within_tolerance. */
  tolerance: number;
  /** The regressor guided and f1-only refit: the experiment's own (summary.json), else the default. */
  regressor: Partial<GbdtParams>;
  /** Per target: do its sources differ beyond seed noise? */
  sourceEffect: SourceEffects;
}

const isReport = (r: StrategyReport | Unavailable | undefined): r is StrategyReport => !!r && !('unavailable' in r);

/** The experiment's own regressor parameters (summary.json settings.regressor.params), else the contract's default. */
export function regressorParamsOf(summaryText: string | undefined): Partial<GbdtParams> {
  const fallback = { ...SPEC_DEFAULTS.regressor.params } as Partial<GbdtParams>;
  if (summaryText === undefined) return fallback;
  let doc: unknown;
  try {
    doc = JSON.parse(summaryText);
  } catch {
    return fallback; // readReplayData reports the bad JSON with its file name
  }
  const params = (doc as { settings?: { regressor?: { params?: unknown } } } | null)?.settings?.regressor?.params;
  return (typeof params === 'object' && params !== null ? params : fallback) as Partial<GbdtParams>;
}

const noTransferHelps = (data: ReplayData) => data.targets.every((t) => t.candidates.every((c) => c.value <= t.singleValue));

/** Why the figures of this run say little about the strategies, if they do (`effects`: the run's source-effect tests, when already computed). */
export function replayWarnings(data: ReplayData, effects: SourceEffects = sourceEffects(data)): string[] {
  const warnings: string[] = [];
  if (noTransferHelps(data)) {
    warnings.push('no transfer beats its target\'s single-task F1 in this run, so every strategy starts at the best available: the figures say nothing about the strategies');
  }
  const sameSources = sourceEffectWarning(effects);
  if (sameSources) warnings.push(sameSources);
  if (data.targets.length < 5) {
    warnings.push(`only ${data.targets.length} target${data.targets.length === 1 ? '' : 's'}: the intervals over targets are wide, and a difference between strategies is unlikely to be distinguishable`);
  }
  return warnings;
}

export function compareWithRandom(strategy: MeanInterval, random: MeanInterval): Comparison {
  if (strategy.ci95[1] < random.mean) return 'better';
  if (strategy.ci95[0] > random.mean) return 'worse';
  return 'not distinguishable';
}

export function replayVerdict(result: ReplayResult, data: ReplayData, effects: SourceEffects = sourceEffects(data)): ReplayVerdict {
  const random = result.strategies.random;
  const estimators = ESTIMATOR_STRATEGIES.flatMap((s) => {
    const r = result.strategies[s];
    return isReport(r) ? [{ strategy: s, share: r.share_to_within_tolerance }] : [];
  });
  const vsRandom = isReport(random)
    ? estimators.map((e) => ({ ...e, comparison: compareWithRandom(e.share, random.share_to_within_tolerance) }))
    : [];
  const ranked = [...estimators].sort((a, b) => a.share.mean - b.share.mean);
  const [first, second] = ranked;
  // Where no transfer beats its target's own model every order ties at the start: naming a "best"
  // estimator would be a headline made of nothing.
  const best = first && !noTransferHelps(data)
    ? { strategy: first.strategy, share: first.share, aheadOf: second?.strategy ?? null, distinguishable: second ? first.share.ci95[1] < second.share.mean : false }
    : null;
  return { vsRandom, best, warnings: replayWarnings(data, effects) };
}

/** Replays an experiment's output files (runs.csv, features.csv, summary.json). */
export function replayReport(files: ReplayFiles, options: Omit<ReplayOptions, 'fit'> = {}): ReplayReport {
  const data = readReplayData(files);
  const regressor = regressorParamsOf(files.summaryJson);
  const result = replay(data, { ...options, fit: gbdtRegressor(regressor) });
  const sourceEffect = sourceEffects(data);
  return {
    result,
    verdict: replayVerdict(result, data, sourceEffect),
    targets: data.targets.length,
    candidates: data.targets.reduce((s, t) => s + t.candidates.length, 0),
    tolerance: options.tolerance ?? DEFAULT_REPLAY_TOLERANCE,
    regressor,
    sourceEffect,
  };
}
