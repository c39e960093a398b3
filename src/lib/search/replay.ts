/**
 * `replay`: simulate search strategies on an exhaustive run, training nothing (issue 15, item 3).
 * For every target the strategy orders the target's candidate sources (`replay-order.ts`); the order
 * is scored per target (`replay-metrics.ts`), and each figure is reported as the mean over targets
 * with a 95 % bootstrap interval over targets (`replay-bootstrap.ts`).
 *
 * Strategies:
 * - guided:  boosted trees refitted before every pick on the other targets' pairs plus this target's
 *            trained pairs, on every pair feature of the run except LogME (kept apart so that it can
 *            be compared as an estimator of its own);
 * - f1-only: the same loop on the F1 features alone (the paper's "F1" baseline);
 * - logme:   the LogME pair feature, highest first (no fitting); unavailable without that column;
 * - random:  the expectation over uniformly random orders: exact for share_to_within_tolerance and
 *            regret_at_k, the mean over `randomOrders` seeded orders for regret_at_share;
 * - oracle:  by actual value (the upper bound no real strategy reaches).
 *
 * Context (guided and f1-only): the rows a strategy may always learn from are the run's other
 * targets (`context: "run"`, the default: as under leave-one-target-out), the `prior` runs' pairs
 * (`"prior"`: the cold start, nothing of this run but the target's own trained pairs), or both.
 * A prior row into a target of the same name is never used. `scale: "ranks"` puts every run's
 * features on within-run ranks and labels on gains (cross-dataset.ts), so that a prior from
 * another data set speaks the same units.
 *
 * with_overhead charges every strategy the whole single-task grid S (transfer starts from the best
 * single-task model; the F1 features come with it), plus the conductance time for a strategy whose
 * features include ANSAT, plus LogME's time (summary.json `timings.logmeMs`, written by the
 * features job) for logme; a run folder without that figure leaves it uncharged (said in `not_counted`).
 */
import { labelOffset, pairRowsOf, scaleTargets, type ContextSource, type FeatureScale } from './cross-dataset';
import { F1_FEATURE_NAMES, isAnsatFeature } from './feature-names';
import { LOGME_FEATURE_NAME } from '../transfer/logme-name';
import { createRng, subSeed } from '../util/rng';
import { bootstrapMeanInterval, DEFAULT_BOOTSTRAP_RESAMPLES, type MeanInterval } from './replay-bootstrap';
import {
  bestSoFarAtShare, expectedRandomRegretAtK, expectedRandomShareToWithinTolerance, regretAtK, regretAtShare, shareToWithinTolerance,
  TRANSFER_ONLY, type Accounting,
} from './replay-metrics';
import { guidedPicker, oracleOrder, scorePicker, sequentialOrder } from './replay-order';
import type { ReplayData, ReplayTarget } from './replay-types';
import type { FitFunction } from './types';

export const REPLAY_STRATEGIES = ['guided', 'random', 'f1-only', 'logme', 'oracle'] as const;
export type ReplayStrategy = (typeof REPLAY_STRATEGIES)[number];

export const DEFAULT_REPLAY_TOLERANCE = 0.02;
export const DEFAULT_RANDOM_ORDERS = 200;
/** Budget shares and depths the figures are reported at (keys of regret_at_share / regret_at_k). */
export const REGRET_SHARES = [0.1, 0.25, 0.5] as const;
export const REGRET_KS = [1, 3, 5] as const;

export interface ReplayOptions {
  strategies?: readonly ReplayStrategy[];
  /** Absolute F1 (default 0.02). */
  tolerance?: number;
  /** Random orders sampled for random's regret_at_share (default 200). */
  randomOrders?: number;
  /** Seeds the random orders and the bootstrap (default 0). */
  seed?: number;
  bootstrapResamples?: number;
  /** The regressor guided and f1-only refit (the experiment's boosted trees in the CLI). */
  fit: FitFunction;
  /** guided's features; default: every pair feature of the run except LogME. */
  guidedFeatures?: readonly string[];
  /** Exhaustive runs of other experiments (other data sets, other base models) guided may learn from. */
  prior?: readonly ReplayData[];
  /** guided's and f1-only's context rows: the run's other targets (default), the priors, or both. */
  context?: ContextSource;
  /** Features and labels as measured (default) or as within-run ranks and gains. */
  scale?: FeatureScale;
  /**
   * Cost shares (transfer-only accounting) at which to report the best-so-far F1, mean over targets
   * with its interval: the curve the Search view draws. None by default (the CLI's figures only).
   */
  curveShares?: readonly number[];
  /** Called after each target of each strategy (guided refits take a while on large runs). */
  onProgress?: (p: { strategy: ReplayStrategy; target: string; done: number; total: number }) => void;
}

export interface ReplayFigures {
  share_to_within_tolerance: MeanInterval;
  /** Keys "0.1", "0.25", "0.5"; percent. */
  regret_at_share: Record<string, MeanInterval>;
}

export interface WithOverhead extends ReplayFigures {
  /** What the strategy pays before its first transfer, per target (ms). */
  overhead_ms: number;
  not_counted?: string;
}

export interface StrategyReport extends ReplayFigures {
  /** Keys "1", "3", "5"; percent. */
  regret_at_k: Record<string, MeanInterval>;
  with_overhead: WithOverhead | Unavailable;
  /** Only with `curveShares`: the best-so-far F1 (mean over targets, 95 % interval) at each share. */
  curve?: { share: number; best_f1: MeanInterval }[];
}

export interface Unavailable {
  unavailable: string;
}

export interface ReplayResult {
  strategies: Record<string, StrategyReport | Unavailable>;
}

/** Per-target numbers of one strategy before they are summarised. */
interface PerTarget {
  share: number[];
  /** Best-so-far F1 at each of the curve's shares. */
  curve: number[][];
  regretAtShare: number[][];
  regretAtK: number[][];
  withOverhead: { share: number[]; regretAtShare: number[][] } | null;
}

export function checkReplayOptions(o: ReplayOptions): void {
  const tol = o.tolerance ?? DEFAULT_REPLAY_TOLERANCE;
  if (!Number.isFinite(tol) || tol < 0 || tol > 1) throw new Error(`replay: tolerance must be an F1 difference in [0, 1], got ${tol}`);
  const orders = o.randomOrders ?? DEFAULT_RANDOM_ORDERS;
  if (!Number.isInteger(orders) || orders < 1) throw new Error(`replay: the number of random orders must be a positive integer, got ${orders}`);
  for (const s of o.curveShares ?? []) {
    if (!(Number.isFinite(s) && s >= 0 && s <= 1)) throw new Error(`replay: a curve share must be in [0, 1], got ${s}`);
  }
  for (const s of o.strategies ?? []) {
    if (!(REPLAY_STRATEGIES as readonly string[]).includes(s)) throw new Error(`replay: unknown strategy "${s}"; known: ${REPLAY_STRATEGIES.join(', ')}`);
  }
}

export function replay(data: ReplayData, options: ReplayOptions): ReplayResult {
  checkReplayOptions(options);
  const tolerance = options.tolerance ?? DEFAULT_REPLAY_TOLERANCE;
  const seed = options.seed ?? 0;
  const resamples = options.bootstrapResamples ?? DEFAULT_BOOTSTRAP_RESAMPLES;
  const strategies = options.strategies ?? REPLAY_STRATEGIES;
  const targets = data.targets;
  if (targets.length === 0) throw new Error('replay: the run has no targets');
  const summarise = (values: number[]) => bootstrapMeanInterval(values, subSeed(seed, 'replay-bootstrap'), resamples);

  const guidedFeatures = options.guidedFeatures ?? data.featureNames.filter((f) => f !== LOGME_FEATURE_NAME);
  const f1Features = F1_FEATURE_NAMES.filter((f) => data.featureNames.includes(f));

  const result: ReplayResult = { strategies: {} };
  for (const name of strategies) {
    const overhead = overheadOf(name, data, guidedFeatures);
    const unavailable = unavailableReason(name, data, guidedFeatures, f1Features, options);
    if (unavailable !== null) {
      result.strategies[name] = { unavailable };
      continue;
    }
    const curveShares = options.curveShares ?? [];
    const perTarget = name === 'random'
      ? randomPerTarget(targets, tolerance, data.singleTaskMs, overhead, options.randomOrders ?? DEFAULT_RANDOM_ORDERS, subSeed(seed, 'replay-random'), curveShares)
      : orderedPerTarget(targets, orderer(name, data, guidedFeatures, f1Features, options), tolerance, data.singleTaskMs, overhead, curveShares, (target, done) =>
          options.onProgress?.({ strategy: name, target, done, total: targets.length }),
        );
    const byShare = (m: number[][]) => Object.fromEntries(REGRET_SHARES.map((s, j) => [String(s), summarise(m.map((row) => row[j]!))]));
    result.strategies[name] = {
      share_to_within_tolerance: summarise(perTarget.share),
      regret_at_share: byShare(perTarget.regretAtShare),
      regret_at_k: Object.fromEntries(REGRET_KS.map((k, j) => [String(k), summarise(perTarget.regretAtK.map((row) => row[j]!))])),
      with_overhead: perTarget.withOverhead === null || overhead.ms === null
        ? { unavailable: overhead.why ?? 'the overhead is unknown' }
        : {
            share_to_within_tolerance: summarise(perTarget.withOverhead.share),
            regret_at_share: byShare(perTarget.withOverhead.regretAtShare),
            overhead_ms: overhead.ms,
            ...(overhead.notCounted ? { not_counted: overhead.notCounted } : {}),
          },
      ...(curveShares.length > 0
        ? { curve: curveShares.map((share, j) => ({ share, best_f1: summarise(perTarget.curve.map((row) => row[j]!)) })) }
        : {}),
    };
  }
  return result;
}

interface Overhead {
  /** null: unknown (then `why` says why). */
  ms: number | null;
  why?: string;
  notCounted?: string;
}

function overheadOf(name: ReplayStrategy, data: ReplayData, guidedFeatures: readonly string[]): Overhead {
  if (name === 'guided' && guidedFeatures.some(isAnsatFeature)) {
    if (data.conductanceMs === null) return { ms: null, why: 'guided uses ANSAT features, and the conductance time is unknown (no summary.json with timings.conductanceMs)' };
    return { ms: data.singleTaskMs + data.conductanceMs };
  }
  if (name === 'logme') {
    if (data.logmeMs !== undefined && data.logmeMs !== null) return { ms: data.singleTaskMs + data.logmeMs };
    return { ms: data.singleTaskMs, notCounted: 'the LogME forward passes (their time is not recorded in the run folder: no summary.json timings.logmeMs)' };
  }
  return { ms: data.singleTaskMs };
}

function unavailableReason(name: ReplayStrategy, data: ReplayData, guidedFeatures: readonly string[], f1Features: readonly string[], o: ReplayOptions): string | null {
  const context = o.context ?? 'run';
  if ((name === 'guided' || name === 'f1-only') && context === 'run' && data.targets.length < 2) {
    return `${name} learns from the other targets' transfers, and the run has only one target ("${data.targets[0]!.target}")`;
  }
  if ((name === 'guided' || name === 'f1-only') && context !== 'run' && !(o.prior ?? []).some((p) => p.targets.length > 0)) {
    return `${name} with context "${context}" learns from prior runs, and none was given`;
  }
  if (name === 'guided' && guidedFeatures.length === 0) return 'features.csv has no pair feature columns';
  if (name === 'f1-only' && f1Features.length === 0) return `features.csv has none of the F1 feature columns (${F1_FEATURE_NAMES.join(', ')})`;
  if (name === 'logme') {
    if (!data.featureNames.includes(LOGME_FEATURE_NAME)) return `features.csv has no "${LOGME_FEATURE_NAME}" column: the experiment did not compute the LogME pair feature`;
    if (data.targets.every((t) => t.candidates.every((c) => Number.isNaN(c.features[LOGME_FEATURE_NAME]!)))) return `the "${LOGME_FEATURE_NAME}" column of features.csv is empty`;
  }
  return null;
}

/**
 * guided's (or f1-only's) order of one target: context rows per `o.context` on `o.scale`, never a
 * row into the target itself, and the target's trained pairs labelled on the same scale.
 */
function learnedOrderer(data: ReplayData, features: readonly string[], o: ReplayOptions): (t: ReplayTarget) => number[] {
  const scale = o.scale ?? 'raw';
  const context = o.context ?? 'run';
  const own = scaleTargets(data.targets, data.featureNames, scale);
  const ownRows = context === 'prior' ? [] : pairRowsOf(own, scale);
  const priorRows = context === 'run' ? [] : (o.prior ?? []).flatMap((p) => pairRowsOf(scaleTargets(p.targets, p.featureNames, scale), scale));
  const rows = [...ownRows, ...priorRows];
  return (t) => {
    const scaled = own[data.targets.indexOf(t)]!;
    return sequentialOrder(scaled, guidedPicker(rows.filter((r) => r.target !== t.target), features, o.fit, labelOffset(t.singleValue, scale)));
  };
}

function orderer(name: ReplayStrategy, data: ReplayData, guidedFeatures: readonly string[], f1Features: readonly string[], o: ReplayOptions): (t: ReplayTarget) => number[] {
  switch (name) {
    case 'guided':
      return learnedOrderer(data, guidedFeatures, o);
    case 'f1-only':
      return learnedOrderer(data, f1Features, o);
    case 'logme':
      return (t) => sequentialOrder(t, scorePicker((f) => f[LOGME_FEATURE_NAME]!));
    case 'oracle':
      return oracleOrder;
    case 'random':
      throw new Error('replay: random has no single order');
  }
}

function withOverheadAccounting(singleTaskMs: number, overhead: Overhead): Accounting | null {
  return overhead.ms === null ? null : { overheadMs: overhead.ms, baseMs: singleTaskMs };
}

function orderedPerTarget(
  targets: readonly ReplayTarget[],
  order: (t: ReplayTarget) => number[],
  tolerance: number,
  singleTaskMs: number,
  overhead: Overhead,
  curveShares: readonly number[],
  progress: (target: string, done: number) => void,
): PerTarget {
  const acc = withOverheadAccounting(singleTaskMs, overhead);
  const out: PerTarget = { share: [], curve: [], regretAtShare: [], regretAtK: [], withOverhead: acc ? { share: [], regretAtShare: [] } : null };
  targets.forEach((t, i) => {
    const o = order(t);
    out.share.push(shareToWithinTolerance(t, o, tolerance, TRANSFER_ONLY));
    out.curve.push(curveShares.map((s) => bestSoFarAtShare(t, o, s, TRANSFER_ONLY)));
    out.regretAtShare.push(REGRET_SHARES.map((s) => regretAtShare(t, o, s, TRANSFER_ONLY)));
    out.regretAtK.push(REGRET_KS.map((k) => regretAtK(t, o, k)));
    if (acc && out.withOverhead) {
      out.withOverhead.share.push(shareToWithinTolerance(t, o, tolerance, acc));
      out.withOverhead.regretAtShare.push(REGRET_SHARES.map((s) => regretAtShare(t, o, s, acc)));
    }
    progress(t.target, i + 1);
  });
  return out;
}

function randomPerTarget(
  targets: readonly ReplayTarget[],
  tolerance: number,
  singleTaskMs: number,
  overhead: Overhead,
  orders: number,
  seed: number,
  curveShares: readonly number[],
): PerTarget {
  const acc = withOverheadAccounting(singleTaskMs, overhead);
  const out: PerTarget = { share: [], curve: [], regretAtShare: [], regretAtK: [], withOverhead: acc ? { share: [], regretAtShare: [] } : null };
  for (const t of targets) {
    out.share.push(expectedRandomShareToWithinTolerance(t, tolerance, TRANSFER_ONLY));
    out.regretAtK.push(REGRET_KS.map((k) => expectedRandomRegretAtK(t, k)));
    // One stream per target, so a target's draws do not depend on which other targets the run has.
    const rng = createRng(subSeed(seed, t.target));
    const sums = new Float64Array(REGRET_SHARES.length);
    const sumsOverhead = new Float64Array(REGRET_SHARES.length);
    const curveSums = new Float64Array(curveShares.length);
    for (let r = 0; r < orders; r++) {
      const o = rng.shuffle(t.candidates.map((_, i) => i));
      REGRET_SHARES.forEach((s, j) => {
        sums[j] += regretAtShare(t, o, s, TRANSFER_ONLY);
        if (acc) sumsOverhead[j] += regretAtShare(t, o, s, acc);
      });
      // The same orders as regret_at_share (drawn first, above): the curve adds no draws, so the
      // figures are the same with or without it.
      curveShares.forEach((s, j) => (curveSums[j] += bestSoFarAtShare(t, o, s, TRANSFER_ONLY)));
    }
    out.regretAtShare.push(Array.from(sums, (v) => v / orders));
    out.curve.push(Array.from(curveSums, (v) => v / orders));
    if (acc && out.withOverhead) {
      out.withOverhead.share.push(expectedRandomShareToWithinTolerance(t, tolerance, acc));
      out.withOverhead.regretAtShare.push(Array.from(sumsOverhead, (v) => v / orders));
    }
  }
  return out;
}
