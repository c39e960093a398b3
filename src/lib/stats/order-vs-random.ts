/**
 * Is a search order's headline saving distinguishable from the random order's? A bootstrap over
 * TARGETS: the headline is a mean over targets (best F1@K) and a sum over them (Runtime@K), and the
 * targets are the units a new data set would bring afresh, so they are what is resampled. Each
 * replicate draws targets with replacement and recomputes, for the order and for random, the
 * headline of `search/headline.ts` in the transfer-only accounting (the paper's):
 *   K* = the smallest K with exhaustive mean best F1 − mean best F1@K ≤ maxF1Cost (+1e-9),
 *   timeSaved = 1 − Runtime@K* / Runtime_all,
 * and the difference order − random. The order is distinguishable from random when the interval
 * of the difference excludes 0. On all targets (no resampling) the two savings are exactly the
 * headline's `transferOnly.atF1Cost.timeSaved` of each order.
 *
 * Not modelled: the honest accounting's overheads (single-task grid, conductance) are constants
 * added to every cost, not per-target figures; the integrator can report them beside this.
 */
import { createRng } from '../util/rng';
import { excludesZero, percentileInterval, resolveBootstrapOptions, type BootstrapOptions, type Interval } from './interval';
import { resampleCounts } from './resample';

/** One target's search, K = 1 … its number of candidates (index K − 1); both curves are cumulative. */
export interface TargetSearch {
  target: string;
  /** Best actual F1 among the order's first K candidates; the last value is the target's best. */
  orderBestF1: readonly number[];
  /** Summed wall time of the order's first K candidates; the last value is the target's total. */
  orderRuntimeMs: readonly number[];
  /** The random order's expected best F1 and runtime of the first K (`search/random-order.ts`). */
  randomBestF1: readonly number[];
  randomRuntimeMs: readonly number[];
}

export interface OrderVsRandomOptions extends BootstrapOptions {
  /** The headline's F1 cost; default 0.034 (the paper's), as `search/headline.ts`. */
  maxF1Cost?: number;
}

export interface OrderVsRandom {
  /** Time saved at the F1 cost, transfer-only accounting, with its interval over targets. */
  order: Interval;
  random: Interval;
  /** order − random. */
  difference: Interval;
  /** The difference's interval excludes 0. */
  distinguishable: boolean;
  targets: number;
}

const SLACK = 1e-9;
const DEFAULT_MAX_F1_COST = 0.034;

function checkTargets(targets: readonly TargetSearch[]): void {
  if (targets.length === 0) throw new Error('orderVsRandom: no targets');
  for (const t of targets) {
    const n = t.orderBestF1.length;
    if (n === 0) throw new Error(`orderVsRandom: target "${t.target}" has no candidates`);
    for (const [field, v] of [['orderRuntimeMs', t.orderRuntimeMs], ['randomBestF1', t.randomBestF1], ['randomRuntimeMs', t.randomRuntimeMs]] as const) {
      if (v.length !== n) throw new Error(`orderVsRandom: target "${t.target}": ${field} has ${v.length} values, orderBestF1 ${n}`);
    }
    if (!(t.orderRuntimeMs[n - 1]! > 0)) throw new Error(`orderVsRandom: target "${t.target}": its candidates' total wall time is ${t.orderRuntimeMs[n - 1]} ms; time saved needs it > 0`);
  }
}

/** Time saved at the F1 cost by one curve, over targets weighted by `w` (multiplicities). */
function timeSaved(targets: readonly TargetSearch[], w: Int32Array, which: 'order' | 'random', maxF1Cost: number): number {
  let weight = 0;
  let bestSum = 0;
  let totalMs = 0;
  let depth = 0;
  targets.forEach((t, i) => {
    if (!w[i]) return;
    const n = t.orderBestF1.length;
    weight += w[i]!;
    bestSum += w[i]! * t.orderBestF1[n - 1]!;
    totalMs += w[i]! * t.orderRuntimeMs[n - 1]!;
    depth = Math.max(depth, n);
  });
  const exhaustiveBest = bestSum / weight;
  for (let k = 1; k <= depth; k++) {
    let best = 0;
    let ms = 0;
    targets.forEach((t, i) => {
      if (!w[i]) return;
      const j = Math.min(k, t.orderBestF1.length) - 1;
      best += w[i]! * (which === 'order' ? t.orderBestF1[j]! : t.randomBestF1[j]!);
      ms += w[i]! * (which === 'order' ? t.orderRuntimeMs[j]! : t.randomRuntimeMs[j]!);
    });
    // The same clamp as the headline: a mean of maxima exceeds the full maximum only by rounding.
    if (Math.max(0, exhaustiveBest - best / weight) <= maxF1Cost + SLACK) return 1 - ms / totalMs;
  }
  return 0; // not reached: at the deepest K every candidate is trained, the F1 cost is 0
}

export function orderVsRandom(targets: readonly TargetSearch[], options: OrderVsRandomOptions): OrderVsRandom {
  const { seed, replicates, confidence } = resolveBootstrapOptions(options, 'orderVsRandom');
  const maxF1Cost = options.maxF1Cost ?? DEFAULT_MAX_F1_COST;
  if (!(maxF1Cost >= 0 && Number.isFinite(maxF1Cost))) throw new Error(`orderVsRandom: maxF1Cost must be a finite number ≥ 0, got ${maxF1Cost}`);
  checkTargets(targets);
  const n = targets.length;
  const all = new Int32Array(n).fill(1);
  const est = { order: timeSaved(targets, all, 'order', maxF1Cost), random: timeSaved(targets, all, 'random', maxF1Cost) };
  const rng = createRng(seed);
  const w = new Int32Array(n);
  const order = new Float64Array(replicates);
  const random = new Float64Array(replicates);
  const difference = new Float64Array(replicates);
  for (let r = 0; r < replicates; r++) {
    resampleCounts(n, rng, w);
    order[r] = timeSaved(targets, w, 'order', maxF1Cost);
    random[r] = timeSaved(targets, w, 'random', maxF1Cost);
    difference[r] = order[r]! - random[r]!;
  }
  const diff = percentileInterval(est.order - est.random, difference, confidence);
  return {
    order: percentileInterval(est.order, order, confidence),
    random: percentileInterval(est.random, random, confidence),
    difference: diff,
    distinguishable: excludesZero(diff),
    targets: n,
  };
}
