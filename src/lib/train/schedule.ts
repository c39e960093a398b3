/**
 * Linear decay with optional linear warm-up, as HF `get_linear_schedule_with_warmup`: the factor
 * for the step with index s (0-based, the s-th optimizer step) is s/warmup during warm-up, then
 * (total − s)/(total − warmup). Note that with warm-up the first step has factor 0, as in HF.
 */
export function linearScheduleFactor(step: number, totalSteps: number, warmupSteps: number): number {
  if (step < warmupSteps) return step / Math.max(1, warmupSteps);
  return Math.max(0, (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
}

/** Warm-up steps for a fraction of the total (HF warmup_ratio: ceil). */
export function warmupStepsFor(totalSteps: number, fraction: number): number {
  if (!(fraction >= 0 && fraction < 1)) throw new Error(`warm-up fraction must be in [0, 1), got ${fraction}`);
  return Math.ceil(totalSteps * fraction);
}
