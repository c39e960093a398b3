/**
 * How long a plan takes with N lanes, from each job's estimated time: the job pool's scheduling
 * rule replayed on the job graph (pure: the plan estimate stores the result, the page reads it).
 */
import type { JobPlan, PlanEstimate } from './types';

/** The most lanes an estimate gives a wall time for. */
export const MAX_ESTIMATED_LANES = 8;

/**
 * Wall seconds of running `plan` with `lanes` lanes, job `i` taking `seconds[i]`: the job pool's
 * rule (the ready jobs in plan order fill the free lanes; a job is ready when its deps are done).
 */
export function scheduledSeconds(plan: JobPlan, seconds: readonly number[], lanes: number): number {
  const index = new Map(plan.jobs.map((j, i) => [j.id, i]));
  const remainingDeps = plan.jobs.map((j) => j.deps.filter((d) => index.has(d)).length);
  const dependents = plan.jobs.map(() => [] as number[]);
  plan.jobs.forEach((j, i) => { for (const d of j.deps) { const k = index.get(d); if (k !== undefined) dependents[k].push(i); } });
  const started = new Array<boolean>(plan.jobs.length).fill(false);
  let running: { job: number; end: number }[] = [];
  let now = 0;
  let next = 0; // no job before `next` is waiting: every one is started
  for (;;) {
    for (let i = next; i < plan.jobs.length && running.length < lanes; i++) {
      if (started[i] || remainingDeps[i] > 0) continue;
      started[i] = true;
      running.push({ job: i, end: now + seconds[i] });
    }
    while (next < plan.jobs.length && started[next]) next++;
    if (running.length === 0) return now;
    now = Math.min(...running.map((r) => r.end));
    for (const r of running.filter((x) => x.end === now)) for (const k of dependents[r.job]) remainingDeps[k]--;
    running = running.filter((r) => r.end !== now);
  }
}

/** The estimate's wall time with `lanes` lanes (the most it knows for more), or the one-lane total. */
export function secondsWithLanes(estimate: Pick<PlanEstimate, 'seconds' | 'lanesSeconds'>, lanes: number): number {
  const l = estimate.lanesSeconds;
  if (!l || l.length === 0 || lanes <= 1) return estimate.seconds.total;
  return l[Math.min(lanes, l.length) - 1];
}
