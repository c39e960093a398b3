/**
 * Paired bootstrap interval of a transfer model's gain over its target's single-task model:
 *   gain = mean over seeds of F1(transfer) − mean over seeds of F1(single),
 * both on the SAME test documents of the target task. Pairing is what makes a small gain
 * measurable: a hard resample of documents lowers both F1s, and the difference cancels it, where
 * two separate intervals would overlap. Each replicate draws one document resample for both arms,
 * and one resample of seed INDICES for both (seed s of the transfer setting beside seed s of the
 * single-task setting; the arms must have the same number of seeds). Identical predictions give
 * exactly [0, 0].
 */
import { percentileInterval, resolveBootstrapOptions, type BootstrapOptions, type Interval } from './interval';
import { checkRuns, meanOverSeeds, resamplingStreams, weightedF1, type BinaryVector } from './f1-interval';
import { resampleCounts } from './resample';

export function pairedGainInterval(
  labels: BinaryVector,
  transferPerSeed: readonly BinaryVector[],
  singlePerSeed: readonly BinaryVector[],
  options: BootstrapOptions,
): Interval {
  const { seed, replicates, confidence } = resolveBootstrapOptions(options, 'pairedGainInterval');
  checkRuns(labels, transferPerSeed, 'pairedGainInterval', 'transfer seed');
  checkRuns(labels, singlePerSeed, 'pairedGainInterval', 'single-task seed');
  if (transferPerSeed.length !== singlePerSeed.length) {
    throw new Error(`pairedGainInterval: ${transferPerSeed.length} transfer seeds but ${singlePerSeed.length} single-task seeds; the pairs need the same seeds`);
  }
  const n = labels.length;
  const S = singlePerSeed.length;
  // Per seed, the difference of the two F1s: the mean over seeds of differences is the difference
  // of means, and a seed drawn twice counts twice in both arms.
  const diff = new Float64Array(S);
  const gainOn = (docCounts?: Int32Array, seedCounts?: Int32Array) => {
    for (let s = 0; s < S; s++) {
      diff[s] = !seedCounts || seedCounts[s]
        ? weightedF1(labels, transferPerSeed[s]!, docCounts) - weightedF1(labels, singlePerSeed[s]!, docCounts)
        : 0;
    }
    return meanOverSeeds(diff, seedCounts ?? new Int32Array(S).fill(1));
  };
  const estimate = gainOn();
  const rng = resamplingStreams(seed);
  const docCounts = new Int32Array(n);
  const seedCounts = new Int32Array(S);
  const stats = new Float64Array(replicates);
  for (let r = 0; r < replicates; r++) {
    resampleCounts(n, rng.documents, docCounts);
    resampleCounts(S, rng.seeds, seedCounts);
    stats[r] = gainOn(docCounts, seedCounts);
  }
  return percentileInterval(estimate, stats, confidence);
}
