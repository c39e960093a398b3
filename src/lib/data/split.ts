/**
 * Deterministic, seeded train/test split of a multi-label data set, stratified per task.
 *
 * Why iterative stratification (Sechidis, Tsoumakas & Vlahavas, 2011) and not a per-task split or
 * a random one: every task must be evaluated on the SAME test documents (transfer models are
 * compared across tasks), so one split must serve all tasks at once, and rare tasks (5 positives
 * out of 6,658) would often land entirely on one side of a random split. The algorithm deals out
 * the documents of the rarest remaining label first, each to the side that still wants most of
 * that label, so rare labels are split first and in proportion; frequent labels, which have
 * slack, absorb the rest. It is greedy and deterministic given the document order, which we
 * shuffle with the seed (ties between sides are broken by the same PRNG).
 *
 * Two additions to the published algorithm:
 * - a label with at least two positives gets at least one on each side (a test set without
 *   positives gives no F1; a training set without them gives no model);
 * - events count as strata too, so each event is represented on both sides in proportion (TREC-IS
 *   results are pooled over events).
 * Documents that already carry a split keep it; the targets are reduced by what they provide.
 */
import { createRng, shuffleInPlace } from '../util/rng';
import type { Dataset, Doc, Split } from './schema';
import { plural } from './text-utils';

export interface SplitOptions {
  seed: number;
  /** Fraction of documents in the test split, in (0, 1). Default 0.2. */
  testFraction?: number;
  /** Tasks to stratify on (default: all tasks of the data set). */
  tasks?: string[];
  /** Treat events as strata too (default true). */
  stratifyEvents?: boolean;
}

const SIDES: Split[] = ['train', 'test'];

/** Returns a copy of the data set whose documents all have a split; the input is not changed. */
export function splitDataset(ds: Dataset, options: SplitOptions): Dataset {
  const f = options.testFraction ?? 0.2;
  if (!(f > 0 && f < 1)) throw new Error(`splitDataset: testFraction must be between 0 and 1 (exclusive), got ${f}`);
  if (!Number.isFinite(options.seed)) throw new Error(`splitDataset: seed must be a finite number, got ${options.seed}`);
  const tasks = options.tasks ?? ds.tasks;
  const byEvent = options.stratifyEvents ?? true;

  // Strata: one per task, one per event. Keys are indices; each doc lists its strata.
  const stratumIndex = new Map<string, number>();
  tasks.forEach((t) => stratumIndex.set(`task\u0000${t}`, stratumIndex.size));
  const docs: Doc[] = ds.docs.map((d) => ({ ...d, labels: [...d.labels] }));
  const strataOf: number[][] = docs.map((d) => {
    const s: number[] = [];
    for (const l of new Set(d.labels)) {
      const i = stratumIndex.get(`task\u0000${l}`);
      if (i !== undefined) s.push(i);
    }
    if (byEvent && d.event !== undefined) {
      const key = `event\u0000${d.event}`;
      if (!stratumIndex.has(key)) stratumIndex.set(key, stratumIndex.size);
      s.push(stratumIndex.get(key)!);
    }
    return s;
  });
  const S = stratumIndex.size;
  const total = new Int32Array(S);
  const pre = [new Int32Array(S), new Int32Array(S)];
  const preDocs = [0, 0];
  docs.forEach((d, i) => {
    for (const s of strataOf[i]) total[s]++;
    if (d.split !== undefined) {
      const k = SIDES.indexOf(d.split);
      preDocs[k]++;
      for (const s of strataOf[i]) pre[k][s]++;
    }
  });

  // What each side still wants, per stratum and overall.
  const wantDocs = [0, 0];
  const testDocs = Math.round(docs.length * f);
  wantDocs[1] = testDocs - preDocs[1];
  wantDocs[0] = docs.length - testDocs - preDocs[0];
  const want = [new Float64Array(S), new Float64Array(S)];
  for (let s = 0; s < S; s++) {
    let testTarget = total[s] * f;
    if (total[s] >= 2) testTarget = Math.min(Math.max(testTarget, 1), total[s] - 1);
    want[1][s] = testTarget - pre[1][s];
    want[0][s] = total[s] - testTarget - pre[0][s];
  }

  const rng = createRng(options.seed);
  const order = shuffleInPlace(docs.map((_, i) => i).filter((i) => docs[i].split === undefined), rng);
  const members: number[][] = Array.from({ length: S }, () => []);
  const remaining = new Int32Array(S);
  for (const i of order) for (const s of strataOf[i]) { members[s].push(i); remaining[s]++; }
  const assigned = new Uint8Array(docs.length);

  const assign = (i: number, k: number): void => {
    docs[i].split = SIDES[k];
    assigned[i] = 1;
    wantDocs[k]--;
    for (const s of strataOf[i]) { want[k][s]--; remaining[s]--; }
  };
  const better = (a: number, b: number): number => (a > b ? 0 : b > a ? 1 : -1);

  for (;;) {
    // The stratum with the fewest unassigned documents left goes next (ties: lowest index, i.e.
    // task order before events).
    let next = -1;
    for (let s = 0; s < S; s++) if (remaining[s] > 0 && (next < 0 || remaining[s] < remaining[next])) next = s;
    if (next < 0) break;
    for (const i of members[next]) {
      if (assigned[i]) continue;
      let k = better(want[0][next], want[1][next]);
      if (k < 0) k = better(wantDocs[0], wantDocs[1]);
      if (k < 0) k = rng.int(2);
      assign(i, k);
    }
  }
  // Documents in no stratum (no label among `tasks`, no event) fill the sizes.
  for (const i of order) {
    if (assigned[i]) continue;
    let k = better(wantDocs[0], wantDocs[1]);
    if (k < 0) k = rng.int(2);
    assign(i, k);
  }

  const nTest = docs.filter((d) => d.split === 'test').length;
  const events = [...stratumIndex.keys()].filter((k) => k.startsWith('event\u0000')).length;
  const kept = preDocs[0] + preDocs[1];
  const note =
    `Split with seed ${options.seed}: ${plural(docs.length - nTest, 'train document')}, ${plural(nTest, 'test document')} ` +
    `(${docs.length ? ((100 * nTest) / docs.length).toFixed(1) : '0.0'} % test, asked ${(100 * f).toFixed(1)} %), ` +
    `by iterative stratification over ${plural(tasks.length, 'task')}${byEvent ? ` and ${plural(events, 'event')}` : ''}` +
    (kept ? `; ${plural(kept, 'document')} kept the split given in the data.` : '.');
  return { ...ds, source: { ...ds.source, notes: [...ds.source.notes, note] }, docs };
}
