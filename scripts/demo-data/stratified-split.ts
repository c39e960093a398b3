/**
 * Seeded train/test split for multi-label data, stratified per label and group-aware.
 *
 * Iterative stratification (Sechidis, Tsoumakas & Vlahavas 2011) on groups instead of documents:
 * the label with the fewest unassigned positives is handled first, each of its groups goes to the
 * side that still "wants" that label most (ties: the side that wants more documents, then a coin
 * flip). Groups keep Debian package families (same first paragraph, e.g. foo-gtk / foo-qt) on one
 * side, so a test document never has a near-copy in train. Documents with no label are spread last
 * to bring both sides to their target sizes.
 */
import { createRng, shuffleInPlace } from '../../src/lib/util/rng';
import { compareStrings } from './select-documents';

export type Split = 'train' | 'test';

export interface SplitItem {
  group: string;
  /** Labels of the document (only those in `tasks` matter). */
  labels: readonly string[];
}

export function stratifiedGroupSplit(items: readonly SplitItem[], tasks: readonly string[], testFraction: number, seed: number): Split[] {
  if (!(testFraction > 0 && testFraction < 1)) throw new Error(`testFraction must be in (0, 1), got ${testFraction}`);
  const rng = createRng(seed);
  const taskIndex = new Map(tasks.map((t, k) => [t, k]));

  // Groups, in first-seen order, with their size and per-task positive counts.
  const groupIndex = new Map<string, number>();
  const groups: { members: number[]; counts: Float64Array }[] = [];
  items.forEach((item, i) => {
    let g = groupIndex.get(item.group);
    if (g === undefined) {
      g = groups.length;
      groupIndex.set(item.group, g);
      groups.push({ members: [], counts: new Float64Array(tasks.length) });
    }
    groups[g].members.push(i);
    for (const label of new Set(item.labels)) {
      const k = taskIndex.get(label);
      if (k !== undefined) groups[g].counts[k]++;
    }
  });

  // Desired remaining documents per side (0 = train, 1 = test), overall and per task.
  const fractions = [1 - testFraction, testFraction];
  const wantSize = fractions.map((f) => f * items.length);
  const totals = new Float64Array(tasks.length);
  for (const g of groups) for (let k = 0; k < tasks.length; k++) totals[k] += g.counts[k];
  const wantTask = fractions.map((f) => Float64Array.from(totals, (t) => f * t));

  const side = new Int8Array(groups.length).fill(-1);
  const assign = (g: number, s: number) => {
    side[g] = s;
    wantSize[s] -= groups[g].members.length;
    for (let k = 0; k < tasks.length; k++) wantTask[s][k] -= groups[g].counts[k];
  };
  const pick = (scoreA: number, scoreB: number): number => {
    if (scoreA !== scoreB) return scoreA > scoreB ? 0 : 1;
    if (wantSize[0] !== wantSize[1]) return wantSize[0] > wantSize[1] ? 0 : 1;
    return rng.int(2);
  };

  // Shuffle once so ties inside a label's groups are broken by the seed, not by input order.
  const order = shuffleInPlace(groups.map((_, g) => g), rng);
  const remaining = Float64Array.from(totals);
  for (;;) {
    let k = -1;
    for (let t = 0; t < tasks.length; t++) {
      if (remaining[t] > 0 && (k < 0 || remaining[t] < remaining[k] || (remaining[t] === remaining[k] && compareStrings(tasks[t], tasks[k]) < 0))) k = t;
    }
    if (k < 0) break;
    for (const g of order) {
      if (side[g] >= 0 || groups[g].counts[k] === 0) continue;
      assign(g, pick(wantTask[0][k], wantTask[1][k]));
      for (let t = 0; t < tasks.length; t++) remaining[t] -= groups[g].counts[t];
    }
  }
  for (const g of order) {
    if (side[g] < 0) assign(g, pick(wantSize[0], wantSize[1]));
  }

  const out: Split[] = new Array(items.length);
  groups.forEach((grp, g) => {
    for (const i of grp.members) out[i] = side[g] === 1 ? 'test' : 'train';
  });
  return out;
}
