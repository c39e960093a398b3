/**
 * Picks the best single-task model of a task and deletes the task's other models to save space:
 * only the best one is used later (transfer starts from it, conductance explains it). The runs stay.
 * Deleting is idempotent, so a kill half-way is repaired by re-running the job.
 *
 * The choice is made on the VALIDATION part, never on test (test documents are only reported on):
 * the setting with the highest mean validation F1 over its seeds (search/table1's `bestSingleTask`,
 * ties → shorter training, then smaller settings), then, among that setting's seeds, the run with
 * the highest validation F1 (ties → the lower seed index). An experiment stored before validation
 * existed has no validation F1 and keeps its old rule, the test F1.
 */
import { bestSingleTask } from '../../search/table1';
import type { RunRecord } from '../../store/records';
import { bySetting, loadSingleRuns, settingSingleResult } from '../stored-results';
import type { BestJob } from '../types';
import type { JobContext, JobOutcome } from './context';

/** The selection F1 of one run: validation F1 where it has one, else test F1. */
const selectionF1 = (run: RunRecord) => (typeof run.metrics.validationF1 === 'number' ? run.metrics.validationF1 : run.metrics.f1);

export async function runBestJob(ctx: JobContext, job: BestJob): Promise<JobOutcome> {
  const runs = await loadSingleRuns(ctx.env.store, ctx.experimentId, ctx.plan, job.task);
  if (runs.length === 0) throw new Error(`task "${job.task}" has no single-task runs`);
  const settings = bySetting(runs);
  const results = settings.map(settingSingleResult);
  const best = bestSingleTask(results).get(job.task)!;
  const seedsOfBest = settings[results.indexOf(best)]!.runs;
  let winner = seedsOfBest[0]!.run;
  for (const { run } of seedsOfBest) if (selectionF1(run) > selectionF1(winner)) winner = run;
  if (!winner.modelId || !(await ctx.env.store.models.get(winner.modelId))) {
    throw new Error(`the best run of task "${job.task}" (${winner.id}) has no stored model; re-run its single-task job`);
  }
  for (const { run } of runs) {
    if (run.modelId && run.modelId !== winner.modelId) await ctx.env.store.models.delete(run.modelId);
  }
  return { resultId: winner.modelId };
}
