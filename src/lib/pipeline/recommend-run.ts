/**
 * `recommend` on an experiment (issue 15, item 1): the part the CLI and the app's worker share.
 * Given an experiment opened in a store, it runs the single-task models, conductance and the pair
 * features of every planned pair (runExperiment with `only`), then the transfers into each target
 * in the order of the recommend loop (src/lib/search/recommend-loop.ts), refitting after each
 * measured source, and returns one JSON-ready report per target. Everything lands in the same
 * store as `experiment`, so a paused call resumes where it stopped and finished trainings are
 * never redone.
 *
 * Rows the loop learns from besides the target's own measured transfers: transfers measured in
 * this store into targets not given now or given before this one (so that running the same
 * request again sees the same rows and trains nothing new), and the priors the caller read
 * (the CLI's `--prior` folders).
 */
import { gbdtRegressor } from '../gbdt/regressor';
import type { GbdtParams } from '../gbdt/params';
import { F1_TARGET } from '../search/feature-names';
import { budgetOfFraction, recommendLoop, THIS_RUN_ORIGIN, type PairRow, type RecommendCandidate, type RecommendStep, type StopReason } from '../search/recommend-loop';
import { RunGroup } from '../search/replay-input';
import { subSeed } from '../util/rng';
import type { Clock } from './clock';
import { experimentPlanOf, type OpenedExperiment } from './experiment';
import { recordIds } from './ids';
import type { JobExecutor } from './job-pool';
import { runExperiment, type ProgressEvent, type RunOutcome } from './runner';
import { featureSetsOf } from './spec';
import { loadPairFeatures, trainSettingsOf } from './stored-results';
import type { PipelineEnv, TransferJob } from './types';

/** A request the caller can fix (a target that is not there, a prior that shares nothing): not a crash. */
export class RecommendInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecommendInputError';
  }
}

export type RecommendBudget = { kind: 'count'; n: number } | { kind: 'fraction'; f: number };

/** Rows of an earlier exhaustive run (the CLI's `--prior DIR`), already read. */
export interface RecommendPrior {
  /** Names it in rows_used and warnings (the folder). */
  dir: string;
  rows: PairRow[];
  featureNames: string[];
  modelFingerprint: string | null;
  modelDescription: string | null;
}

export interface RecommendReport {
  target: string;
  ranking: { source: string; predicted_f1: number | null; interval: [number, number]; measured_f1: number | null }[];
  trained: string[];
  trained_now: string[];
  stop: StopReason | null;
  budget: number;
  best: { source: string; f1: number; measured: boolean; interval: [number, number] };
  beats_single_task: boolean | null;
  single_task_f1: number | null;
  cost: { clock: 'wall' | 'work'; singles_ms: number; conductance_ms: number; transfers_ms: number; exhaustive_estimate_ms: number; exhaustive_pairs: number };
  rows_used: {
    basis: RecommendStep['basis'];
    target_measured: number;
    this_run_other_targets: number;
    priors: Record<string, number>;
    dropped_rows_into_target: number;
    interval_informative: boolean;
    features: number;
    warnings: string[];
  };
}

export type RecommendRunOutcome =
  | { status: 'done'; results: RecommendReport[] }
  | { status: 'paused'; done: number; total: number; target?: string };

export interface RecommendRunOptions {
  experimentId: string;
  targets: readonly string[];
  budget: RecommendBudget;
  priors?: readonly RecommendPrior[];
  clock?: Clock;
  signal?: AbortSignal;
  /** Runs the jobs (lanes; runner.ts `executor`); default one at a time in this process. */
  executor?: JobExecutor;
  /** The pipeline's job events (the same as `experiment`'s). */
  onProgress?: (event: ProgressEvent) => void;
  /** Each refit of the loop: the ranking so far, the next source or the stop. */
  onStep?: (target: string, step: RecommendStep, info: { budget: number; singleTaskF1: number | null }) => void;
  /** Lines worth telling the user (what is planned, warnings). */
  say?: (line: string) => void;
}

/** The targets checked against the plan: a target left out of the plan is refused with the plan's reason. */
export function checkTargets(opened: OpenedExperiment, targets: readonly string[]): void {
  const plan = opened.plan;
  const kept = plan.tasks.kept;
  if (targets.length === 0) throw new RecommendInputError('recommend: no target task given');
  for (const t of targets) {
    if (kept.includes(t)) continue;
    const excluded = plan.tasks.excluded.find((x) => x.task === t);
    if (excluded) throw new RecommendInputError(`target ${t}: refused: ${excluded.reason}`);
    const left = plan.tasks.excluded.map((x) => x.task);
    throw new RecommendInputError(`target ${t}: the data has no task "${t}"; its tasks: ${kept.join(', ')}${left.length ? ` (left out: ${left.join(', ')})` : ''}`);
  }
  for (const t of targets) if (candidatesOf(opened, t).length === 0) throw new RecommendInputError(`target ${t}: no planned transfer pair has this target (see the pairs setting)`);
}

const candidatesOf = (opened: OpenedExperiment, t: string) => opened.jobs.pairs.filter(([, tgt]) => tgt === t).map(([s]) => s);

/** A pair measured in the store: every transfer job of the pair done. */
interface StoredPair {
  source: string;
  target: string;
  value: number;
  costMs: number;
  /** When its last job finished (ISO time): orders the sources trained before, as they were trained. */
  finishedAt: string;
}

async function measuredPairs(env: PipelineEnv, opened: OpenedExperiment, experimentId: string): Promise<StoredPair[]> {
  const record = (await env.store.experiments.get(experimentId))!;
  const byPair = new Map<string, TransferJob[]>();
  for (const j of opened.jobs.jobs) {
    if (j.kind !== 'transfer') continue;
    const key = JSON.stringify([j.source, j.target]);
    byPair.set(key, [...(byPair.get(key) ?? []), j]);
  }
  const out: StoredPair[] = [];
  for (const jobs of byPair.values()) {
    if (!jobs.every((j) => record.jobs[j.id]?.status === 'done')) continue;
    const group = new RunGroup();
    for (const j of jobs) {
      const run = await env.store.runs.get(recordIds.run(experimentId, j.id));
      if (!run) throw new Error(`the run of job "${j.id}" is missing from the store (${env.store.location}); re-run that job`);
      const s = trainSettingsOf(run);
      group.add(`${s.lr}|${s.epochs}|${s.batch}`, run.metrics.f1, run.wallTimeMs, 0);
    }
    const finishedAt = jobs.map((j) => record.jobs[j.id]!.finishedAt ?? '').sort().at(-1)!;
    out.push({ source: jobs[0]!.source, target: jobs[0]!.target, value: group.value(), costMs: group.costMs, finishedAt });
  }
  return out;
}

const round = (v: number) => Math.round(v * 1e4) / 1e4;

const isAbort = (signal: AbortSignal | undefined) => signal?.aborted === true;

/** Runs the recommendation for each target in turn (a later target learns from the earlier ones). */
export async function runRecommend(env: PipelineEnv, opened: OpenedExperiment, options: RecommendRunOptions): Promise<RecommendRunOutcome> {
  const { experimentId, targets, budget, signal, clock, onProgress, executor } = options;
  const priors = options.priors ?? [];
  const say = options.say ?? (() => undefined);
  checkTargets(opened, targets);
  const plan = opened.plan;
  const runJobs = (only: Set<string>): Promise<RunOutcome> => runExperiment(env, experimentId, { clock, signal, onProgress, only, ...(executor ? { executor } : {}) });

  // Step 1: everything a prediction needs before the first transfer.
  const prerequisites = new Set(opened.jobs.jobs.filter((j) => j.kind === 'single' || j.kind === 'best' || j.kind === 'conductance' || j.kind === 'features').map((j) => j.id));
  const first = await runJobs(prerequisites);
  if (isAbort(signal)) return { status: 'paused', done: first.done, total: first.total };

  const features = await loadPairFeatures(env.store, experimentId, opened.jobs);
  const featuresOf = (s: string, t: string) => features.get(recordIds.features(experimentId, s, t))!.values;
  const wanted = new Set(featureSetsOf(plan.spec).flatMap((fs) => fs.features));
  const stored = Object.keys(featuresOf(...opened.jobs.pairs[0]!));
  let featureNames = stored.filter((f) => wanted.has(f));
  const warnings: string[] = [];
  for (const p of priors) {
    const shared = featureNames.filter((f) => p.featureNames.includes(f));
    if (shared.length === 0) throw new RecommendInputError(`prior ${p.dir}: refused: it shares no pair feature with this run (it has ${p.featureNames.join(', ') || 'none'}; this run uses ${featureNames.join(', ')})`);
    if (shared.length < featureNames.length) {
      const dropped = featureNames.filter((f) => !shared.includes(f));
      warnings.push(`prior ${p.dir} lacks ${dropped.length} feature(s) of this run (${dropped.slice(0, 6).join(', ')}${dropped.length > 6 ? ', …' : ''}): the regressor uses only the ${shared.length} shared ones`);
      featureNames = shared;
    }
    if (p.modelFingerprint === null) {
      warnings.push(`prior ${p.dir} has no summary.json: its base model is unknown; used, since its rows pair features measured with its own models with the F1 they gave`);
    } else if (p.modelFingerprint !== plan.model.fingerprint) {
      warnings.push(
        `prior ${p.dir} was made with another base model (${p.modelDescription ?? '?'}, fingerprint ${p.modelFingerprint}; this run: ${plan.model.fingerprint}): ` +
          'used, because each of its rows pairs the features measured with its own models (f1_source, f1_target, ANSAT fractions) with the F1 they gave, ' +
          'so the regressor learns transfer F1 relative to those features; its level may still differ, which the intervals do not show',
      );
    }
  }
  for (const w of warnings) say(`warning: ${w}`);
  const priorRows = priors.flatMap((p) => p.rows);
  const fit = gbdtRegressor(plan.spec.regressor.params as Partial<GbdtParams>);

  const results: RecommendReport[] = [];
  for (const [i, target] of targets.entries()) {
    const later = new Set(targets.slice(i));
    const pairsNow = await measuredPairs(env, opened, experimentId);
    const context: PairRow[] = [
      ...pairsNow.filter((p) => !later.has(p.target)).map((p) => ({ source: p.source, target: p.target, features: featuresOf(p.source, p.target), value: p.value, origin: THIS_RUN_ORIGIN })),
      ...priorRows,
    ];
    const sources = candidatesOf(opened, target);
    const candidates: RecommendCandidate[] = sources.map((s) => ({ source: s, features: featuresOf(s, target) }));
    const before = new Map(
      pairsNow.filter((p) => p.target === target).sort((a, b) => (a.finishedAt < b.finishedAt ? -1 : a.finishedAt > b.finishedAt ? 1 : 0)).map((p) => [p.source, p.value]),
    );
    const n = budget.kind === 'count' ? Math.min(budget.n, sources.length) : budgetOfFraction(budget.f, sources.length);
    const singleTaskF1 = candidates[0]!.features[F1_TARGET] ?? null;
    say(`recommend ${target}: ${sources.length} candidate sources, budget ${n}; ${before.size} measured before; ${context.length} context rows; target's own F1 ${singleTaskF1 === null ? '?' : singleTaskF1.toFixed(3)}`);
    let paused: RunOutcome | null = null;
    const measure = async (source: string) => {
      const only = new Set(opened.jobs.jobs.filter((j) => j.kind === 'transfer' && j.source === source && j.target === target).map((j) => j.id));
      const outcome = await runJobs(only);
      if (isAbort(signal)) {
        paused = outcome;
        throw new DOMException('paused by the user', 'AbortError');
      }
      const pair = (await measuredPairs(env, opened, experimentId)).find((p) => p.source === source && p.target === target);
      if (!pair) throw new Error(`recommend: the transfer ${source} → ${target} did not finish (${outcome.status})`);
      return pair.value;
    };
    const onStep = (s: RecommendStep) => {
      if (s.next !== null) say(`recommend ${target}: next ${s.next} (basis ${s.basis}; best so far ${Number.isFinite(s.bestSoFar) ? s.bestSoFar.toFixed(3) : 'none'})`);
      else say(`recommend ${target}: stop (${s.stop})`);
      options.onStep?.(target, s, { budget: n, singleTaskF1 });
    };
    let outcome;
    try {
      outcome = await recommendLoop({ target, candidates, context, featureNames, budget: n, singleTaskF1 }, before, measure, { fit, seed: subSeed(plan.spec.seed, `recommend/${target}`) }, onStep);
    } catch (e) {
      if (isAbort(signal)) {
        const p = paused as RunOutcome | null;
        return { status: 'paused', target, done: p?.done ?? first.done, total: p?.total ?? first.total };
      }
      throw e;
    }
    results.push(await report(env, opened, experimentId, target, outcome, before, n, priors, warnings, featureNames, singleTaskF1));
  }
  return { status: 'done', results };
}

async function report(
  env: PipelineEnv,
  opened: OpenedExperiment,
  experimentId: string,
  target: string,
  outcome: Awaited<ReturnType<typeof recommendLoop>>,
  before: ReadonlyMap<string, number>,
  budget: number,
  priors: readonly RecommendPrior[],
  warnings: readonly string[],
  featureNames: readonly string[],
  singleTaskF1: number | null,
): Promise<RecommendReport> {
  const record = (await env.store.experiments.get(experimentId))!;
  const step = outcome.final;
  const pairs = await measuredPairs(env, opened, experimentId);
  let singlesMs = 0;
  for (const j of opened.jobs.jobs) {
    if (j.kind !== 'single') continue;
    const run = await env.store.runs.get(recordIds.run(experimentId, j.id));
    singlesMs += run?.wallTimeMs ?? 0;
  }
  const conductanceMs = opened.jobs.jobs.filter((j) => j.kind === 'conductance').reduce((s, j) => s + (record.jobs[j.id]?.elapsedMs ?? 0), 0);
  const intoTarget = pairs.filter((p) => p.target === target);
  const meanPairMs = pairs.length ? pairs.reduce((s, p) => s + p.costMs, 0) / pairs.length : 0;
  const interval = (r: { interval: [number, number] }): [number, number] => [round(r.interval[0]), round(r.interval[1])];
  const measured = step.ranking.filter((r) => r.measured_f1 !== null).sort((a, b) => b.measured_f1! - a.measured_f1!)[0];
  const top = measured ?? step.ranking[0]!;
  return {
    target,
    ranking: step.ranking.map((r) => ({
      source: r.source, predicted_f1: r.predicted_f1 === null ? null : round(r.predicted_f1), interval: interval(r), measured_f1: r.measured_f1 === null ? null : round(r.measured_f1),
    })),
    trained: [...before.keys(), ...outcome.trainedNow],
    trained_now: outcome.trainedNow,
    stop: step.stop,
    budget,
    best: { source: top.source, f1: round(top.measured_f1 ?? top.predicted_f1 ?? NaN), measured: measured !== undefined, interval: interval(top) },
    // Whether the best measured transfer beats the target's own single-task model at all (mind the
    // seed noise of about ±0.05 F1 before calling a small difference a gain).
    beats_single_task: measured === undefined || singleTaskF1 === null ? null : measured.measured_f1! > singleTaskF1,
    single_task_f1: singleTaskF1 === null ? null : round(singleTaskF1),
    cost: {
      // "work": the deterministic clock's work units instead of milliseconds (clock.ts).
      clock: experimentPlanOf(record).clock ?? 'wall',
      singles_ms: Math.round(singlesMs),
      conductance_ms: Math.round(conductanceMs),
      transfers_ms: Math.round(intoTarget.reduce((s, p) => s + p.costMs, 0)),
      exhaustive_estimate_ms: Math.round(singlesMs + conductanceMs + meanPairMs * opened.jobs.pairs.length),
      exhaustive_pairs: opened.jobs.pairs.length,
    },
    rows_used: {
      basis: step.basis,
      target_measured: step.rowsUsed.target,
      this_run_other_targets: step.rowsUsed.context[THIS_RUN_ORIGIN] ?? 0,
      priors: Object.fromEntries(priors.map((p) => [p.dir, step.rowsUsed.context[`prior ${p.dir}`] ?? 0])),
      dropped_rows_into_target: step.rowsUsed.droppedSameTarget,
      interval_informative: step.intervalInformative,
      features: featureNames.length,
      warnings: [...warnings],
    },
  };
}
