/**
 * Which Debian packages become demo documents: duplicate texts dropped, then a seeded sample that
 * guarantees every label a minimum number of positives before filling up uniformly.
 */
import { hasLabel } from './debtags';
import { createRng, shuffleInPlace } from '../../src/lib/util/rng';

export interface Candidate {
  /** Package name (unique). */
  id: string;
  text: string;
  /** All of the package's debtags. */
  tags: string[];
  /** Split group (packages sharing a first paragraph), see stratified-split.ts. */
  group: string;
}

/** Same text (ignoring case and spacing) → keep the package whose name sorts first, so the choice
 *  does not depend on the order of the Packages list. */
export function dedupeByText<T extends { id: string; text: string }>(items: readonly T[]): { kept: T[]; dropped: T[] } {
  const byId = [...items].sort((a, b) => compareStrings(a.id, b.id));
  const seen = new Set<string>();
  const kept: T[] = [];
  const dropped: T[] = [];
  for (const item of byId) {
    const key = item.text.toLowerCase().replace(/\s+/g, ' ').trim();
    if (seen.has(key)) dropped.push(item);
    else {
      seen.add(key);
      kept.push(item);
    }
  }
  return { kept, dropped };
}

export interface SampleOptions {
  /** Documents wanted in total (fewer if there are not enough candidates). */
  targetSize: number;
  /** Minimum positives kept per label (all of them if the label has fewer). */
  perLabelQuota: number;
  seed: number;
}

/**
 * Seeded sample in two steps:
 * 1. labels from rarest to most common: add that label's positives (in one global seeded order)
 *    until it has `perLabelQuota` kept positives — rare labels keep all theirs;
 * 2. fill up to `targetSize` with the candidates not yet chosen, in the same seeded order.
 * The result is a seeded prefix of all candidates (where labels, and documents with no label, occur
 * at their natural rates) plus, for each label short of the quota in that prefix, its next
 * positives in the same order.
 * A plain uniform sample of ~half the candidates would leave the rarest label (works-with::video)
 * with ~75 positives, too few to train and test on.
 */
export function sampleDocuments(candidates: readonly Candidate[], labels: readonly string[], opts: SampleOptions): Candidate[] {
  const sorted = [...candidates].sort((a, b) => compareStrings(a.id, b.id));
  const order = shuffleInPlace(sorted.map((_, i) => i), createRng(opts.seed));
  const positives = labels.map((label) => order.filter((i) => hasLabel(sorted[i].tags, label)));
  const labelOrder = labels
    .map((label, k) => ({ label, k, count: positives[k].length }))
    .sort((a, b) => a.count - b.count || compareStrings(a.label, b.label));
  const chosen = new Set<number>();
  for (const { k } of labelOrder) {
    let have = positives[k].filter((i) => chosen.has(i)).length;
    for (const i of positives[k]) {
      if (have >= opts.perLabelQuota) break;
      if (!chosen.has(i)) {
        chosen.add(i);
        have++;
      }
    }
  }
  for (const i of order) {
    if (chosen.size >= opts.targetSize) break;
    chosen.add(i);
  }
  return [...chosen].sort((a, b) => a - b).map((i) => sorted[i]);
}

/** Code-unit order, independent of the locale (localeCompare is not). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
