/**
 * `recommend` in the worker (issue 15, item 1, the app side): "I have a target task: which source?".
 * Plans the experiment of the page's settings (the same spec and id as the Experiment view, so the
 * same store entry: a recommendation resumes where it stopped, and a later full run reuses every
 * training it did), then runs the shared loop (src/lib/pipeline/recommend-run.ts) in the
 * experiments' one run slot: pause is `experiments.pause()`, job progress reaches the experiment
 * subscribers as usual, and each refit of the loop reaches `onEvent` with the ranking so far.
 */
import { createExperiment } from '../lib/pipeline/experiment';
import { checkTargets, RecommendInputError, runRecommend, type RecommendBudget, type RecommendReport } from '../lib/pipeline/recommend-run';
import { PipelineJobError } from '../lib/pipeline/runner';
import { storedPriors } from '../lib/pipeline/stored-priors';
import { resolveSpec, SpecError } from '../lib/pipeline/spec';
import type { ExperimentSpecInput } from '../lib/pipeline/spec-types';
import type { RankedCandidate, RecommendStep } from '../lib/search/recommend-loop';
import { StorageFullError } from '../lib/store/errors';
import { experimentIdOf, type ExperimentService } from './experiments';

export interface RecommendRequest {
  /** The experiment settings (data set, base model, grids…), as the Experiment view plans them. */
  spec: ExperimentSpecInput;
  target: string;
  /** Sources trained into the target at most (an integer ≥ 1); or `budgetFraction` of the candidates. */
  budget?: number;
  budgetFraction?: number;
  /** Jobs at once (lanes.ts), as in the Experiment view; default: what the last run used. */
  lanes?: number;
  /**
   * Learn also from the other finished experiments in this browser (the bundled reference run
   * among them): their transfers are prior rows for the regressor (default on).
   */
  usePriors?: boolean;
}

/** Each refit of the loop: the ranking so far (measured and predicted), the next source or the stop. */
export interface RecommendProgress {
  type: 'ranking';
  experimentId: string;
  target: string;
  ranking: Omit<RankedCandidate, 'expected_improvement'>[];
  next: string | null;
  stop: RecommendStep['stop'];
  /** Best measured so far, or the target's own single-task F1 (null before anything is known). */
  bestSoFar: number | null;
  budget: number;
  singleTaskF1: number | null;
  basis: RecommendStep['basis'];
  rowsUsed: RecommendStep['rowsUsed'];
}

export type RecommendOutcome =
  | { status: 'done'; experimentId: string; report: RecommendReport }
  | { status: 'paused'; experimentId: string }
  /** Not started: a bad request (budget, target), with the reason. */
  | { status: 'refused'; error: string; experimentId?: string }
  | { status: 'failed' | 'busy'; error: string; experimentId?: string; storageFull?: boolean };

/** The budget of a request, or why it is refused (the form checks the same before sending). */
export function budgetOfRequest(r: Pick<RecommendRequest, 'budget' | 'budgetFraction'>): RecommendBudget | string {
  const hasN = r.budget !== undefined;
  const hasF = r.budgetFraction !== undefined;
  if (hasN === hasF) return 'give exactly one of a budget (sources per target) and a budget fraction';
  if (hasN) return Number.isInteger(r.budget) && r.budget! >= 1 ? { kind: 'count', n: r.budget! } : `the budget must be an integer ≥ 1 (sources trained into the target), got ${r.budget}`;
  return r.budgetFraction! > 0 && r.budgetFraction! <= 1 ? { kind: 'fraction', f: r.budgetFraction! } : `the budget fraction must be in (0, 1], got ${r.budgetFraction}`;
}

export class RecommendService {
  constructor(private readonly experiments: ExperimentService) {}

  /** Runs (or resumes) a recommendation; resolves when it finishes, pauses, fails or is refused. */
  async start(request: RecommendRequest, onEvent?: (e: RecommendProgress) => void): Promise<RecommendOutcome> {
    const budget = budgetOfRequest(request);
    if (typeof budget === 'string') return { status: 'refused', error: budget };
    const env = await this.experiments.env();
    let opened;
    let experimentId: string;
    try {
      const spec = resolveSpec(request.spec);
      experimentId = experimentIdOf(spec);
      opened = await createExperiment(env, spec, { id: experimentId });
      checkTargets(opened, [request.target]);
    } catch (e) {
      if (e instanceof SpecError || e instanceof RecommendInputError) return { status: 'refused', error: e.message };
      return { status: 'failed', error: e instanceof Error ? e.message : String(e) };
    }
    // Cold start: the other finished experiments of this browser lend their measured transfers.
    const priors = request.usePriors === false ? [] : (await storedPriors(env, experimentId)).priors;
    let report: RecommendReport | null = null;
    let runError: string | null = null;
    const outcome = await this.experiments.runWith(experimentId, async (signal, onProgress, executor) => {
      try {
        const r = await runRecommend(env, opened, {
          experimentId, targets: [request.target], budget, signal, onProgress, executor, priors,
          onStep: (target, s, info) => onEvent?.({
            type: 'ranking', experimentId, target,
            ranking: s.ranking.map(({ source, predicted_f1, interval, measured_f1 }) => ({ source, predicted_f1, interval: [...interval], measured_f1 })),
            next: s.next, stop: s.stop, bestSoFar: Number.isFinite(s.bestSoFar) ? s.bestSoFar : null,
            budget: info.budget, singleTaskF1: info.singleTaskF1, basis: s.basis, rowsUsed: structuredClone(s.rowsUsed),
          }),
        });
        if (r.status === 'paused') return { status: 'paused' };
        report = r.results[0]!;
        return { status: 'done' };
      } catch (e) {
        runError = e instanceof Error ? e.message : String(e);
        const storageFull = e instanceof StorageFullError || (e instanceof Error && e.cause instanceof StorageFullError);
        if (e instanceof RecommendInputError) return { status: 'failed', error: runError };
        return { status: 'failed', error: e instanceof PipelineJobError ? `${runError} (re-run that job in the Experiment view)` : runError, ...(storageFull ? { storageFull } : {}) };
      }
    }, request.lanes !== undefined ? { lanes: request.lanes } : {});
    if (outcome.status === 'done' && report) return { status: 'done', experimentId, report };
    if (outcome.status === 'paused') return { status: 'paused', experimentId };
    return { status: outcome.status === 'busy' ? 'busy' : 'failed', experimentId, error: outcome.error ?? runError ?? 'the recommendation stopped', ...(outcome.storageFull ? { storageFull: true } : {}) };
  }

  /** Pauses the running recommendation (or experiment) after its current step. */
  async pause(): Promise<void> {
    await this.experiments.pause();
  }
}
