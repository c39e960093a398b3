/**
 * The Recommend view's state: the request (target, budget), the live ranking the worker sends at
 * each refit, and the final report. Kept outside the view so that leaving and coming back to it
 * during a run keeps what was shown. The experiment settings (data set, base model, grids) are the
 * Experiment view's, so a recommendation and a full experiment on the same settings share the
 * store: what one trained the other reuses.
 */
import type { RecommendReport } from '../../lib/pipeline/recommend-run';
import type { RecommendOutcome, RecommendProgress } from '../../worker/recommend';
import type { AppState } from './app.svelte';
import type { ExperimentState } from './experiment.svelte';
import { callback, messageOf } from './worker-client';

export type BudgetKind = 'count' | 'fraction';

/** Why a budget is not acceptable, or null (the worker checks the same). */
export function budgetProblem(kind: BudgetKind, value: number): string | null {
  if (!Number.isFinite(value)) return 'Give a budget.';
  if (kind === 'count') return Number.isInteger(value) && value >= 1 ? null : 'The budget must be a whole number of sources, at least 1.';
  return value > 0 && value <= 1 ? null : 'The budget fraction must be more than 0 and at most 1.';
}

export class RecommendState {
  target = $state<string | null>(null);
  budgetKind = $state<BudgetKind>('count');
  budget = $state(2);
  running = $state(false);
  live = $state<RecommendProgress | null>(null);
  report = $state<RecommendReport | null>(null);
  error = $state<string | null>(null);
  message = $state<string | null>(null);

  constructor(private readonly app: AppState, private readonly experiment: ExperimentState) {}

  async run(): Promise<void> {
    const api = this.app.api;
    if (!api) return;
    const target = this.target;
    if (!target) { this.error = 'Choose a target task.'; return; }
    const problem = budgetProblem(this.budgetKind, this.budget);
    if (problem) { this.error = problem; return; }
    const spec = this.experiment.spec();
    if (typeof spec === 'string') { this.error = spec; return; }
    this.running = true;
    this.error = null;
    this.message = null;
    this.report = null;
    this.live = null;
    try {
      const request = {
        spec: $state.snapshot(spec), target, lanes: this.app.lanes,
        ...(this.budgetKind === 'count' ? { budget: this.budget } : { budgetFraction: this.budget }),
      };
      const outcome: RecommendOutcome = await api.recommend.start(request, callback((e: RecommendProgress) => { this.live = e; }));
      if (outcome.status === 'done') {
        this.report = outcome.report;
        this.message = outcome.report.trained_now.length === 0 ? 'Nothing new to train: this is the stored answer for these settings.' : null;
      } else if (outcome.status === 'paused') {
        this.message = 'Paused. Run again to continue where it stopped; finished trainings are kept.';
      } else {
        this.error = outcome.status === 'refused' ? `Refused: ${outcome.error}` : outcome.error;
      }
    } catch (e) {
      this.error = messageOf(e);
    } finally {
      this.running = false;
      void this.experiment.refreshList();
    }
  }

  async pause(): Promise<void> {
    await this.app.api?.recommend.pause();
  }
}
