/**
 * The cheap transferability baselines for every ordered pair of tasks (source ≠ target), computed from
 * the labelled train documents alone. Names and definitions: `names.ts`. Cost: one pass to tokenise,
 * then per-task sets and centroids, then O(tasks²) set/vector comparisons; milliseconds for TREC-IS.
 */
import { isTrainDoc, positiveDocs, validateBaselineInput, type BaselineDoc } from './docs';
import {
  BASELINE_LABEL_JACCARD,
  BASELINE_P_TARGET_GIVEN_SOURCE,
  BASELINE_TFIDF_COSINE,
  BASELINE_VOCAB_JACCARD,
} from './names';
import { intersectionSize, jaccard } from './set-similarity';
import { centroid, cosine, tfidfDocumentVectors } from './tfidf-centroids';
import { tokenize } from './tokenize';

export interface BaselinePairFeatures {
  source: string;
  target: string;
  /** Keys: `BASELINE_FEATURE_NAMES`. */
  features: Record<string, number>;
}

/** All ordered pairs, sources in `tasks` order, then targets in `tasks` order. */
export function baselinePairFeatures(docs: readonly BaselineDoc[], tasks: readonly string[]): BaselinePairFeatures[] {
  validateBaselineInput(docs, tasks);
  const train = docs.filter(isTrainDoc);
  const positives = positiveDocs(train, tasks);
  const tokenized = train.map((d) => tokenize(d.text));
  const positiveSets = positives.map((p) => new Set(p));
  const vocabularies = positives.map((p) => new Set(p.flatMap((i) => tokenized[i]!)));
  const vectors = tfidfDocumentVectors(tokenized);
  const centroids = positives.map((p) => centroid(vectors, p));

  const out: BaselinePairFeatures[] = [];
  tasks.forEach((source, a) => {
    tasks.forEach((target, b) => {
      if (a === b) return;
      const pa = positiveSets[a]!;
      const pb = positiveSets[b]!;
      out.push({
        source,
        target,
        features: {
          [BASELINE_LABEL_JACCARD]: jaccard(pa, pb),
          [BASELINE_P_TARGET_GIVEN_SOURCE]: pa.size === 0 ? 0 : intersectionSize(pa, pb) / pa.size,
          [BASELINE_VOCAB_JACCARD]: jaccard(vocabularies[a]!, vocabularies[b]!),
          [BASELINE_TFIDF_COSINE]: cosine(centroids[a]!, centroids[b]!),
        },
      });
    });
  });
  return out;
}

/** Key for looking a pair up; JSON of the pair, so that no task name can make two pairs collide. */
export function pairKey(source: string, target: string): string {
  return JSON.stringify([source, target]);
}

/** The pair features as a Map keyed by `pairKey`, for joining onto transfer rows. */
export function baselinePairFeatureMap(docs: readonly BaselineDoc[], tasks: readonly string[]): Map<string, Record<string, number>> {
  return new Map(baselinePairFeatures(docs, tasks).map((p) => [pairKey(p.source, p.target), p.features]));
}
