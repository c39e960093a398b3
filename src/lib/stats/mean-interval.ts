/** Bootstrap interval of the mean of independent values (per-target figures, per-seed scalars). */
import { createRng } from '../util/rng';
import { percentileInterval, resolveBootstrapOptions, type BootstrapOptions, type Interval } from './interval';
import { resampleCounts } from './resample';

export function meanInterval(values: ArrayLike<number>, options: BootstrapOptions): Interval {
  const { seed, replicates, confidence } = resolveBootstrapOptions(options, 'meanInterval');
  const n = values.length;
  if (n === 0) throw new Error('meanInterval: no values');
  for (let i = 0; i < n; i++) if (!Number.isFinite(values[i])) throw new Error(`meanInterval: value ${i} is ${values[i]}, not a finite number`);
  const mean = (w?: Int32Array) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += (w ? w[i]! : 1) * values[i]!;
    return s / n;
  };
  const rng = createRng(seed);
  const counts = new Int32Array(n);
  const stats = new Float64Array(replicates);
  for (let r = 0; r < replicates; r++) stats[r] = mean(resampleCounts(n, rng, counts));
  return percentileInterval(mean(), stats, confidence);
}
