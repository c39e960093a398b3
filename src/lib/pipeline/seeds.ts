/**
 * Every random choice of a job derives from the spec's seed and the job's id, never from the order
 * jobs happen to run in: a job re-run after a kill makes the same choices as the first attempt would
 * have, and adding a task to a spec does not change the seeds of the other tasks' jobs.
 */
import { subSeed } from '../util/rng';

export function jobSeed(specSeed: number, jobId: string): number {
  return subSeed(specSeed, `job:${jobId}`);
}

/** A seed for a named choice of the experiment (pair sampling, document caps…). */
export function choiceSeed(specSeed: number, purpose: string): number {
  return subSeed(specSeed, `choice:${purpose}`);
}
