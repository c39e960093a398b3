/**
 * Picks the best single-task model of a task (search/table1's rule: highest F1, ties → shorter
 * training, then smaller settings) and deletes the task's other models to save space: only the best
 * one is used later (transfer starts from it, conductance explains it). The runs stay. Deleting is
 * idempotent, so a kill half-way is repaired by re-running the job.
 */
import { bestSingleTask } from '../../search/table1';
import { loadSingleRuns } from '../storedResults';
import { singleResultOf } from '../storedResults';
import type { BestJob } from '../types';
import type { JobContext, JobOutcome } from './context';

export async function runBestJob(ctx: JobContext, job: BestJob): Promise<JobOutcome> {
  const runs = await loadSingleRuns(ctx.env.store, ctx.experimentId, ctx.plan, job.task);
  if (runs.length === 0) throw new Error(`task "${job.task}" has no single-task runs`);
  const results = runs.map(({ run }) => singleResultOf(run));
  const best = bestSingleTask(results).get(job.task)!;
  const winner = runs[results.indexOf(best)].run;
  if (!winner.modelId || !(await ctx.env.store.models.get(winner.modelId))) {
    throw new Error(`the best run of task "${job.task}" (${winner.id}) has no stored model; re-run its single-task job`);
  }
  for (const { run } of runs) {
    if (run.modelId && run.modelId !== winner.modelId) await ctx.env.store.models.delete(run.modelId);
  }
  return { resultId: winner.modelId };
}
