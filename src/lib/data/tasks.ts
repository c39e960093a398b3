/**
 * Task selection: which tasks have enough positives (and negatives) in each split to train and
 * evaluate a binary classifier. Rare tasks are normal in crisis data (TREC-IS 2020-A has 4 tweets
 * of GoodsServices), so a task that falls short is reported with its reason and left out; it never
 * stops the pipeline.
 */
import type { Dataset, Split } from './schema';

export interface SideCounts {
  positives: number;
  negatives: number;
}

export interface TaskCounts {
  task: string;
  train: SideCounts;
  test: SideCounts;
  /** Documents without a split yet. */
  unassigned: SideCounts;
  all: SideCounts;
}

export interface SelectionRules {
  /** Tasks to consider (default: all of the data set's tasks, in its order). */
  tasks?: string[];
  /** Default 10. */
  minTrainPositives?: number;
  /** Default 3. */
  minTestPositives?: number;
  /** A classifier needs both classes too; defaults to the positive minimums. */
  minTrainNegatives?: number;
  minTestNegatives?: number;
}

export interface ExcludedTask {
  task: string;
  reason: string;
}

export interface TaskSelection {
  kept: string[];
  excluded: ExcludedTask[];
  /** Counts for every considered task that exists in the data set. */
  counts: TaskCounts[];
  rules: Required<Omit<SelectionRules, 'tasks'>>;
}

const zero = (): SideCounts => ({ positives: 0, negatives: 0 });

export function countTasks(ds: Dataset, tasks: readonly string[] = ds.tasks): TaskCounts[] {
  const index = new Map(tasks.map((t, i) => [t, i]));
  const pos: Record<Split | 'unassigned', Int32Array> = {
    train: new Int32Array(tasks.length),
    test: new Int32Array(tasks.length),
    unassigned: new Int32Array(tasks.length),
  };
  const docs = { train: 0, test: 0, unassigned: 0 };
  for (const d of ds.docs) {
    const side = d.split ?? 'unassigned';
    docs[side]++;
    for (const l of new Set(d.labels)) {
      const i = index.get(l);
      if (i !== undefined) pos[side][i]++;
    }
  }
  return tasks.map((task, i) => {
    const side = (s: Split | 'unassigned'): SideCounts => ({ positives: pos[s][i], negatives: docs[s] - pos[s][i] });
    const train = side('train');
    const test = side('test');
    const unassigned = side('unassigned');
    const all = zero();
    for (const c of [train, test, unassigned]) { all.positives += c.positives; all.negatives += c.negatives; }
    return { task, train, test, unassigned, all };
  });
}

/**
 * Why a task with these counts cannot give a meaningful result, or undefined when it can: with no
 * negatives (or no positives) on the training side a classifier learns one answer, and on the test
 * side F1 is 1.0 or 0 whatever the model does. Checked whatever the selection minimums are.
 */
export function degenerateSides(trainPositives: number, trainDocs: number, testPositives: number, testDocs: number): string | undefined {
  const reasons: string[] = [];
  const side = (name: Split, pos: number, n: number) => {
    if (pos === 0) reasons.push(`no positive documents in ${name}`);
    if (pos === n) reasons.push(`no negative documents in ${name} (all ${n} are positive)`);
  };
  side('train', trainPositives, trainDocs);
  side('test', testPositives, testDocs);
  return reasons.length ? reasons.join('; ') : undefined;
}

function shortfall(kind: 'positive' | 'negative', side: Split, have: number, need: number): string | undefined {
  if (have >= need) return undefined;
  return `${have === 0 ? 'no' : `only ${have}`} ${kind}${have === 1 ? '' : 's'} in ${side} (needs ${need})`;
}

/**
 * Keeps the tasks that meet the minimums in both splits. The data set must be split first
 * (`splitDataset`), because the minimums are per split.
 */
export function selectTasks(ds: Dataset, rules: SelectionRules = {}): TaskSelection {
  // At least one of each class on each side, whatever the rules say (see degenerateSides).
  const atLeastOne = (n: number) => Math.max(1, n);
  const r = {
    minTrainPositives: atLeastOne(rules.minTrainPositives ?? 10),
    minTestPositives: atLeastOne(rules.minTestPositives ?? 3),
    minTrainNegatives: atLeastOne(rules.minTrainNegatives ?? rules.minTrainPositives ?? 10),
    minTestNegatives: atLeastOne(rules.minTestNegatives ?? rules.minTestPositives ?? 3),
  };
  const unassigned = ds.docs.filter((d) => d.split === undefined).length;
  if (unassigned > 0) {
    throw new Error(`selectTasks: ${unassigned} of ${ds.docs.length} documents of "${ds.name}" have no split; split the data set (splitDataset) before selecting tasks`);
  }
  const wanted = rules.tasks ?? ds.tasks;
  const known = new Set(ds.tasks);
  const excluded: ExcludedTask[] = [];
  const present = wanted.filter((t) => {
    if (known.has(t)) return true;
    excluded.push({ task: t, reason: `not a task of data set "${ds.name}" (its tasks: ${ds.tasks.join(', ')})` });
    return false;
  });
  const counts = countTasks(ds, [...new Set(present)]);
  const kept: string[] = [];
  for (const c of counts) {
    if (c.all.positives === 0) {
      excluded.push({ task: c.task, reason: 'no positive documents at all' });
      continue;
    }
    const reasons = [
      shortfall('positive', 'train', c.train.positives, r.minTrainPositives),
      shortfall('positive', 'test', c.test.positives, r.minTestPositives),
      shortfall('negative', 'train', c.train.negatives, r.minTrainNegatives),
      shortfall('negative', 'test', c.test.negatives, r.minTestNegatives),
    ].filter((x): x is string => x !== undefined);
    if (reasons.length) excluded.push({ task: c.task, reason: reasons.join('; ') });
    else kept.push(c.task);
  }
  return { kept, excluded, counts, rules: r };
}

export interface Cooccurrence {
  tasks: string[];
  /** Number of documents counted. */
  docs: number;
  /** counts[i][j] = documents positive for both tasks i and j; the diagonal holds positives. */
  counts: number[][];
}

/** Label co-occurrence over all documents, or one split. */
export function labelCooccurrence(ds: Dataset, tasks: readonly string[] = ds.tasks, split?: Split): Cooccurrence {
  const index = new Map(tasks.map((t, i) => [t, i]));
  const n = tasks.length;
  const flat = new Int32Array(n * n);
  let docs = 0;
  for (const d of ds.docs) {
    if (split !== undefined && d.split !== split) continue;
    docs++;
    const ids = [...new Set(d.labels)].map((l) => index.get(l)).filter((i): i is number => i !== undefined);
    for (const a of ids) for (const b of ids) flat[a * n + b]++;
  }
  const counts = Array.from({ length: n }, (_, i) => Array.from(flat.subarray(i * n, (i + 1) * n)));
  return { tasks: [...tasks], docs, counts };
}
