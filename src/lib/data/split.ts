/**
 * Deterministic, seeded train/test split of a multi-label data set, stratified per task, with
 * groups of documents that must stay on one side.
 *
 * Why iterative stratification (Sechidis, Tsoumakas & Vlahavas, 2011) and not a per-task split or
 * a random one: every task must be evaluated on the SAME test documents (transfer models are
 * compared across tasks), so one split must serve all tasks at once, and rare tasks (5 positives
 * out of 6,658) would often land entirely on one side of a random split. The algorithm deals out
 * the groups of the rarest remaining label first, each to the side that still wants most of
 * that label, so rare labels are split first and in proportion; frequent labels, which have
 * slack, absorb the rest. It is greedy and deterministic given the group order, which we
 * shuffle with the seed (ties between sides are broken by the same PRNG).
 *
 * Why groups: in TREC-IS 2020-A, 37.5 % of a random test split has an exact copy (a retweet, a
 * pasted message) in the training side once case, links and handles are ignored, so test F1
 * partly measures memorisation. `by` says what a group is:
 * - `duplicates` (default): documents with the same `normalizeText`; an empty normalized text
 *   makes no group (each such document is its own);
 * - `event`: documents of one event (the "new crisis" question: is a model any good on an event
 *   it has never seen?); needs at least two events; documents without an event are each their own;
 * - `none`: every document its own group: exactly the split made before groups existed (kept
 *   bit-identical for the same seed, so old experiments can be reproduced).
 * With groups of one document the algorithm is the published one; a group counts as its documents'
 * summed labels and size.
 *
 * Three additions to the published algorithm:
 * - a label with at least two positives gets at least one on each side (a test set without
 *   positives gives no F1; a training set without them gives no model); groups can defeat this
 *   (both positives in one group), and task selection then leaves the task out with its reason;
 * - events count as strata too, so each event is represented on both sides in proportion (TREC-IS
 *   results are pooled over events); not under `by: 'event'`, where an event is one group;
 * - a group of two or more documents that the chosen side cannot hold (it wants fewer than half
 *   the group's documents) goes to the other side when that one wants more, so that one rare label
 *   cannot drag a large event to test (TREC-IS 2020-A by event: 34.6 % test instead of 20 % before).
 * Documents that already carry a split keep it, and the targets are reduced by what they provide; the
 * other members of their group follow them (the side most of the given members have; train on a tie).
 *
 * `splitWithValidation` then splits the training side again, the same way, into train and
 * validation: validation chooses settings, test is only reported on.
 */
import { createRng, shuffleInPlace, subSeed, type Rng } from '../util/rng';
import { normalizeText } from './normalize-text';
import type { Dataset, Doc, Split } from './schema';
import { plural } from './text-utils';

/** What makes documents a group that is never on two sides. */
export const SPLIT_BY = ['duplicates', 'event', 'none'] as const;
export type SplitBy = (typeof SPLIT_BY)[number];
export const DEFAULT_SPLIT_BY: SplitBy = 'duplicates';
/** Fraction of all documents that go to test, in (0, 1). */
export const DEFAULT_TEST_FRACTION = 0.2;
/** Fraction of the TRAINING side that goes to validation, in [0, 1) (0: no validation part). */
export const DEFAULT_VALIDATION_FRACTION = 0.2;

export interface SplitOptions {
  seed: number;
  /** Fraction of documents in the test split, in (0, 1). Default `DEFAULT_TEST_FRACTION`. */
  testFraction?: number;
  /** Tasks to stratify on (default: all tasks of the data set). */
  tasks?: string[];
  /** Treat events as strata too (default true; ignored under `by: 'event'`). */
  stratifyEvents?: boolean;
  /** Default `DEFAULT_SPLIT_BY`. */
  by?: SplitBy;
}

const SIDES: Split[] = ['train', 'test'];

/**
 * The group of each document: index into the groups, numbered in order of their first document,
 * so that with one document per group the group order IS the document order (what keeps
 * `by: 'none'` identical to the ungrouped split). `keyless`: documents with no key (an empty
 * normalized text, no event), each its own group. Exported for the leakage figures.
 */
export function groupIndexOf(docs: readonly Doc[], by: SplitBy): { groupOf: Int32Array; groups: number; keyless: number } {
  const groupOf = new Int32Array(docs.length);
  const keyIndex = new Map<string, number>();
  let groups = 0;
  let keyless = 0;
  docs.forEach((d, i) => {
    const key = by === 'duplicates' ? normalizeText(d.text) : by === 'event' ? (d.event ?? '') : '';
    if (key === '') {
      groupOf[i] = groups++;
      if (by !== 'none') keyless++;
      return;
    }
    let g = keyIndex.get(key);
    if (g === undefined) {
      g = groups++;
      keyIndex.set(key, g);
    }
    groupOf[i] = g;
  });
  return { groupOf, groups, keyless };
}

function checkOptions(options: SplitOptions, caller: string): { f: number; by: SplitBy } {
  const f = options.testFraction ?? DEFAULT_TEST_FRACTION;
  if (!(f > 0 && f < 1)) throw new Error(`${caller}: testFraction must be between 0 and 1 (exclusive), got ${f}`);
  if (!Number.isFinite(options.seed)) throw new Error(`${caller}: seed must be a finite number, got ${options.seed}`);
  const by = options.by ?? DEFAULT_SPLIT_BY;
  if (!SPLIT_BY.includes(by)) throw new Error(`${caller}: by must be one of ${SPLIT_BY.join(', ')}, got ${JSON.stringify(by)}`);
  return { f, by };
}

function requireTwoEvents(ds: Dataset, docs: readonly Doc[], where: string): void {
  const events = [...new Set(docs.map((d) => d.event).filter((e): e is string => e !== undefined))];
  if (events.length < 2) {
    const which = events.length === 0 ? 'no event' : `one event ("${events[0]}")`;
    throw new Error(`split by event: ${where} of data set "${ds.name}" has ${which}; splitting by event needs at least two (use by duplicates or none)`);
  }
}

/**
 * Assigns `docs[i].split` for every document without one (mutates `docs`, a private copy).
 * Returns the number of groups.
 */
function assignSides(docs: Doc[], tasks: readonly string[], by: SplitBy, eventStrata: boolean, f: number, rng: Rng): { groups: number; events: number } {
  // Strata: one per task, one per event. Keys are indices; each doc lists its strata.
  const stratumIndex = new Map<string, number>();
  tasks.forEach((t) => stratumIndex.set(`task\u0000${t}`, stratumIndex.size));
  const strataOf: number[][] = docs.map((d) => {
    const s: number[] = [];
    for (const l of new Set(d.labels)) {
      const i = stratumIndex.get(`task\u0000${l}`);
      if (i !== undefined) s.push(i);
    }
    if (eventStrata && d.event !== undefined) {
      const key = `event\u0000${d.event}`;
      if (!stratumIndex.has(key)) stratumIndex.set(key, stratumIndex.size);
      s.push(stratumIndex.get(key)!);
    }
    return s;
  });
  const S = stratumIndex.size;
  const events = [...stratumIndex.keys()].filter((k) => k.startsWith('event\u0000')).length;

  const { groupOf, groups: G } = groupIndexOf(docs, by);
  const membersOf: number[][] = Array.from({ length: G }, () => []);
  docs.forEach((_, i) => membersOf[groupOf[i]].push(i));

  // A group with given splits: its other members follow the side most given members have.
  const givenSide = new Int8Array(G).fill(-1);
  for (let g = 0; g < G; g++) {
    const counts = [0, 0];
    for (const i of membersOf[g]) if (docs[i].split !== undefined) counts[SIDES.indexOf(docs[i].split!)]++;
    if (counts[0] + counts[1] > 0) givenSide[g] = counts[1] > counts[0] ? 1 : 0;
  }

  const total = new Int32Array(S);
  const pre = [new Int32Array(S), new Int32Array(S)];
  const preDocs = [0, 0];
  docs.forEach((d, i) => {
    for (const s of strataOf[i]) total[s]++;
    const k = d.split !== undefined ? SIDES.indexOf(d.split) : givenSide[groupOf[i]];
    if (k >= 0) {
      preDocs[k]++;
      for (const s of strataOf[i]) pre[k][s]++;
    }
  });
  for (let g = 0; g < G; g++) {
    if (givenSide[g] < 0) continue;
    for (const i of membersOf[g]) docs[i].split ??= SIDES[givenSide[g]];
  }

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

  // Each free group's strata with their document counts.
  const order = shuffleInPlace(membersOf.map((_, g) => g).filter((g) => givenSide[g] < 0), rng);
  const groupStrata = new Map<number, Map<number, number>>();
  const members: number[][] = Array.from({ length: S }, () => []);
  const remaining = new Int32Array(S);
  for (const g of order) {
    const counts = new Map<number, number>();
    for (const i of membersOf[g]) for (const s of strataOf[i]) counts.set(s, (counts.get(s) ?? 0) + 1);
    groupStrata.set(g, counts);
    for (const [s, c] of counts) { members[s].push(g); remaining[s] += c; }
  }
  const assigned = new Uint8Array(G);

  const assign = (g: number, k: number): void => {
    for (const i of membersOf[g]) docs[i].split = SIDES[k];
    assigned[g] = 1;
    wantDocs[k] -= membersOf[g].length;
    for (const [s, c] of groupStrata.get(g)!) { want[k][s] -= c; remaining[s] -= c; }
  };
  const better = (a: number, b: number): number => (a > b ? 0 : b > a ? 1 : -1);

  for (;;) {
    // The stratum with the fewest unassigned documents left goes next (ties: lowest index, i.e.
    // task order before events).
    let next = -1;
    for (let s = 0; s < S; s++) if (remaining[s] > 0 && (next < 0 || remaining[s] < remaining[next])) next = s;
    if (next < 0) break;
    for (const g of members[next]) {
      if (assigned[g]) continue;
      let k = better(want[0][next], want[1][next]);
      if (k < 0) k = better(wantDocs[0], wantDocs[1]);
      if (k < 0) k = rng.int(2);
      // A big group (an event) the side cannot hold goes to the other side if that one wants more
      // documents: otherwise one rare label's event can double the test side. Only groups of two
      // or more, so that without groups the split stays the published one.
      const size = membersOf[g].length;
      if (size > 1 && wantDocs[k] < size / 2 && wantDocs[1 - k] > wantDocs[k]) k = 1 - k;
      assign(g, k);
    }
  }
  // Groups in no stratum (no label among `tasks`, no event) fill the sizes.
  for (const g of order) {
    if (assigned[g]) continue;
    let k = better(wantDocs[0], wantDocs[1]);
    if (k < 0) k = rng.int(2);
    assign(g, k);
  }
  return { groups: G, events };
}

/** Returns a copy of the data set whose documents all have a split; the input is not changed. */
export function splitDataset(ds: Dataset, options: SplitOptions): Dataset {
  const { f, by } = checkOptions(options, 'splitDataset');
  const tasks = options.tasks ?? ds.tasks;
  if (by === 'event') requireTwoEvents(ds, ds.docs, 'the data');
  const byEvent = by !== 'event' && (options.stratifyEvents ?? true);
  const docs: Doc[] = ds.docs.map((d) => ({ ...d, labels: [...d.labels] }));
  const kept = ds.docs.filter((d) => d.split !== undefined).length;
  const { groups, events } = assignSides(docs, tasks, by, byEvent, f, createRng(options.seed));

  const nTest = docs.filter((d) => d.split === 'test').length;
  const grouping =
    by === 'none' ? '' : by === 'duplicates'
      ? `, each of ${plural(groups, 'group')} of documents with the same normalized text on one side`
      : `, each of ${plural(groups, 'group')} (an event, or a document without one) on one side`;
  const note =
    `Split with seed ${options.seed}: ${plural(docs.length - nTest, 'train document')}, ${plural(nTest, 'test document')} ` +
    `(${docs.length ? ((100 * nTest) / docs.length).toFixed(1) : '0.0'} % test, asked ${(100 * f).toFixed(1)} %), ` +
    `by iterative stratification over ${plural(tasks.length, 'task')}${byEvent ? ` and ${plural(events, 'event')}` : ''}${grouping}` +
    (kept ? `; ${plural(kept, 'document')} kept the split given in the data.` : '.');
  return { ...ds, source: { ...ds.source, notes: [...ds.source.notes, note] }, docs };
}

export interface ValidationSplitOptions extends SplitOptions {
  /** Fraction of the training side that goes to validation, in [0, 1). Default `DEFAULT_VALIDATION_FRACTION`. */
  validationFraction?: number;
}

/** Document ids per side, each list in data order; `validation` is carved out of the training side. */
export interface SplitSides {
  train: string[];
  validation: string[];
  test: string[];
}

export interface ValidationSplit extends SplitSides {
  by: SplitBy;
  seed: number;
  /** The train/test split (`splitDataset`); the validation documents are `train` in it. */
  dataset: Dataset;
}

/**
 * Splits into train / validation / test. Test is exactly `splitDataset`'s; validation is a
 * `validationFraction` part of the training side, grouped and stratified the same way, with a seed
 * derived from `seed` (so the train/test part does not depend on the validation fraction).
 * Documents given `train` in the data may go to validation; given `test` stay test.
 */
export function splitWithValidation(ds: Dataset, options: ValidationSplitOptions): ValidationSplit {
  const { by } = checkOptions(options, 'splitWithValidation');
  const v = options.validationFraction ?? DEFAULT_VALIDATION_FRACTION;
  if (!(v >= 0 && v < 1)) throw new Error(`splitWithValidation: validationFraction must be in [0, 1), got ${v}`);
  const dataset = splitDataset(ds, options);
  const trainSide = dataset.docs.filter((d) => d.split === 'train');
  const validation = new Set<string>();
  if (v > 0 && trainSide.length > 0) {
    if (by === 'event') requireTwoEvents(ds, trainSide, 'the training side');
    const inner = splitDataset(
      { ...dataset, docs: trainSide.map((d) => ({ ...d, split: undefined })) },
      { ...options, seed: subSeed(options.seed, 'validation'), testFraction: v },
    );
    for (const d of inner.docs) if (d.split === 'test') validation.add(d.id);
  }
  const sides: SplitSides = { train: [], validation: [], test: [] };
  for (const d of dataset.docs) {
    if (d.split === 'test') sides.test.push(d.id);
    else if (validation.has(d.id)) sides.validation.push(d.id);
    else sides.train.push(d.id);
  }
  return { by, seed: options.seed, ...sides, dataset };
}
