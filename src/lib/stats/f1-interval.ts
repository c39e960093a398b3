/**
 * Bootstrap interval of a setting's F1 over test documents AND seeds.
 *
 * F1 is not a mean of per-document values, so documents are resampled and F1 is recomputed from the
 * resampled predictions (tp, fp, fn as weighted counts). The seeds of one setting are runs on the
 * same test documents, so each replicate draws ONE document resample, shared by every seed, and one
 * resample of the seeds; its value is the mean over the drawn seeds of their F1 on the drawn
 * documents. The estimate is the mean F1 over seeds on all test documents. With one seed this is the
 * plain document bootstrap; seed-to-seed instability (±0.05 here) widens the interval, as it should.
 *
 * Documents and seeds are drawn from separate streams derived from the seed, so repeating a seed's
 * predictions (or adding seeds) does not shift the document draws.
 */
import { createRng, subSeed } from '../util/rng';
import { percentileInterval, resolveBootstrapOptions, type BootstrapOptions, type Interval } from './interval';
import { resampleCounts } from './resample';

/** 0/1 per test document, in one fixed test-document order. */
export type BinaryVector = ArrayLike<number>;

/** F1 of the positive class from document weights (sklearn's zero_division = 0: no tp → 0). */
export function weightedF1(labels: BinaryVector, predictions: BinaryVector, weights?: ArrayLike<number>): number {
  let tp = 0, fp = 0, fn = 0;
  for (let i = 0; i < labels.length; i++) {
    const w = weights ? weights[i]! : 1;
    if (w === 0) continue;
    const y = labels[i] === 1;
    const p = predictions[i] === 1;
    if (y && p) tp += w;
    else if (p) fp += w;
    else if (y) fn += w;
  }
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

export function checkRuns(labels: BinaryVector, runs: readonly BinaryVector[], caller: string, what = 'run'): void {
  if (labels.length === 0) throw new Error(`${caller}: no test documents`);
  if (runs.length === 0) throw new Error(`${caller}: no ${what}s (one prediction vector per seed)`);
  runs.forEach((p, s) => {
    if (p.length !== labels.length) throw new Error(`${caller}: ${what} ${s} has ${p.length} predictions for ${labels.length} test documents`);
  });
}

/** Streams for the two levels of resampling. */
export function resamplingStreams(seed: number) {
  return { documents: createRng(subSeed(seed, 'bootstrap documents')), seeds: createRng(subSeed(seed, 'bootstrap seeds')) };
}

/** Σ_s seedCounts[s] · values[s] / Σ seedCounts (the mean over a resample of seeds). */
export function meanOverSeeds(values: Float64Array, seedCounts: Int32Array): number {
  let sum = 0;
  let n = 0;
  for (let s = 0; s < values.length; s++) {
    sum += seedCounts[s]! * values[s]!;
    n += seedCounts[s]!;
  }
  return sum / n;
}

/**
 * `labels`: the task's 0/1 label per test document; `predictionsPerSeed`: one 0/1 prediction
 * vector per seed of the setting, in the same document order.
 */
export function f1Interval(labels: BinaryVector, predictionsPerSeed: readonly BinaryVector[], options: BootstrapOptions): Interval {
  const { seed, replicates, confidence } = resolveBootstrapOptions(options, 'f1Interval');
  checkRuns(labels, predictionsPerSeed, 'f1Interval', 'seed');
  const n = labels.length;
  const S = predictionsPerSeed.length;
  const all = new Int32Array(S).fill(1);
  const f1s = new Float64Array(S);
  predictionsPerSeed.forEach((p, s) => (f1s[s] = weightedF1(labels, p)));
  const estimate = meanOverSeeds(f1s, all);

  const rng = resamplingStreams(seed);
  const docCounts = new Int32Array(n);
  const seedCounts = new Int32Array(S);
  const stats = new Float64Array(replicates);
  for (let r = 0; r < replicates; r++) {
    resampleCounts(n, rng.documents, docCounts);
    resampleCounts(S, rng.seeds, seedCounts);
    for (let s = 0; s < S; s++) f1s[s] = seedCounts[s] ? weightedF1(labels, predictionsPerSeed[s]!, docCounts) : 0;
    stats[r] = meanOverSeeds(f1s, seedCounts);
  }
  return percentileInterval(estimate, stats, confidence);
}
