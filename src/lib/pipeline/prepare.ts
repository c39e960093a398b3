/**
 * From a data set and a spec to the documents every job uses: the split (grouped by `split.by`,
 * with a validation part of the training side: data/split.ts `splitWithValidation`), the kept
 * tasks, each task's training documents (optionally a capped, seeded subsample; never validation
 * documents), the validation documents (they choose the best grid setting), the test documents
 * (only reported on), and the documents conductance explains. Pure and deterministic: a resumed run prepares exactly what the first run
 * did, which is what lets jobs be re-run independently.
 */
import { datasetFingerprint } from '../data/fingerprint';
import type { Dataset } from '../data/schema';
import { splitLeakage, type SplitLeakage } from '../data/leakage';
import { splitWithValidation, type SplitSides } from '../data/split';
import { degenerateSides, selectTasks, type TaskSelection } from '../data/tasks';
import { createRng, shuffleInPlace } from '../util/rng';
import { choiceSeed } from './seeds';
import type { ExperimentSpec } from './spec';

export interface PreparedData {
  /** The data set with every document split. */
  dataset: Dataset;
  /** `datasetFingerprint` of the data set as given (before the split). */
  fingerprint: string;
  /** `datasetFingerprint` after the split. */
  splitFingerprint: string;
  selection: TaskSelection;
  /** Kept tasks, in the data set's order. */
  tasks: string[];
  /** Per kept task: indices (into dataset.docs) of its training documents, in data set order. */
  trainDocs: Map<string, number[]>;
  /** Indices of every test document (each task is evaluated on all of them). */
  testDocs: number[];
  /**
   * Indices of the validation documents (a part of the training side, `split` in `dataset` is
   * "train"): every model is evaluated on them too, and they choose the best setting. Empty for a
   * legacy spec (validationFraction 0).
   */
  validationDocs: number[];
  /** Document ids per side. */
  sides: SplitSides;
  /** How much of the test (and validation) side has a duplicate on the training side. */
  leakage: SplitLeakage;
  /** Indices of the documents conductance explains: the union of the kept tasks' (capped) positive test documents. */
  conductanceDocs: number[];
  /** What was decided, in sentences (caps, left-out tasks). */
  notes: string[];
}

/** `usage`: the spec asks for something the data set lacks (e.g. an unknown task), not a data problem. */
export class PrepareError extends Error {
  constructor(message: string, readonly usage = false) {
    super(message);
    this.name = 'PrepareError';
  }
}

/** `n` items of `items` chosen with the seed, returned in their original order. */
function seededChoice(items: readonly number[], n: number, seed: number): number[] {
  if (n >= items.length) return [...items];
  return shuffleInPlace([...items], createRng(seed)).slice(0, n).sort((a, b) => a - b);
}

/**
 * A task's training documents under a cap: a stratified subsample that keeps the task's positive
 * rate (rounded), but never fewer positives than the selection minimum (a rare task would otherwise
 * lose the positives it was kept for) nor than `minPositiveShare` of the cap (a rare task's sample
 * at its own rate has too few positives to learn from; the validation threshold, chosen at the
 * true rate, undoes the shift in prior that the enrichment brings).
 */
function cappedTrainDocs(positives: number[], negatives: number[], cap: number, minPositives: number, seed: number, minPositiveShare = 0): number[] {
  const total = positives.length + negatives.length;
  if (total <= cap) return [...positives, ...negatives].sort((a, b) => a - b);
  let nPos = Math.round((cap * positives.length) / total);
  nPos = Math.max(nPos, Math.min(positives.length, minPositives), Math.min(positives.length, Math.floor(cap * minPositiveShare)));
  nPos = Math.min(nPos, positives.length, cap - Math.min(negatives.length, minPositives));
  const nNeg = Math.min(cap - nPos, negatives.length);
  return [
    ...seededChoice(positives, nPos, seed),
    ...seededChoice(negatives, nNeg, seed ^ 0x5bd1e995),
  ].sort((a, b) => a - b);
}

/**
 * The training documents of a target that its LogME pair features are computed on: all of them
 * under `spec.logmeDocs`, else a seeded subsample of that many that keeps the positive rate (and
 * both classes). Never a test or validation document.
 */
export function logmeDocsOf(prepared: PreparedData, spec: ExperimentSpec, task: string): number[] {
  const train = prepared.trainDocs.get(task);
  if (!train) throw new Error(`logmeDocsOf: "${task}" is not a kept task`);
  const cap = spec.logmeDocs;
  if (cap === 0) return [];
  const pos = train.filter((i) => prepared.dataset.docs[i].labels.includes(task));
  const neg = train.filter((i) => !prepared.dataset.docs[i].labels.includes(task));
  return cappedTrainDocs(pos, neg, cap, Math.min(1, Math.floor(cap / 2)), choiceSeed(spec.seed, `logme-docs:${task}`));
}

export function prepareData(input: Dataset, spec: ExperimentSpec): PreparedData {
  const fingerprint = datasetFingerprint(input);
  let split;
  try {
    split = splitWithValidation(input, { seed: spec.split.seed, testFraction: spec.split.testFraction, by: spec.split.by, validationFraction: spec.split.validationFraction });
  } catch (e) {
    // "split by event: … has one event": the spec asks for what the data cannot give.
    if (e instanceof Error && e.message.startsWith('split by event')) throw new PrepareError(`spec.split.by: ${e.message}`, true);
    throw e;
  }
  // Groups too large for a side (two events where test wants 20 %) can leave a side empty.
  const empty = split.test.length === 0 ? 'test' : spec.split.validationFraction > 0 && split.validation.length === 0 ? 'validation' : null;
  if (empty) {
    throw new PrepareError(`spec.split: splitting "${input.name}" by ${spec.split.by} left no ${empty} documents (groups too large for the ${empty} fraction); choose another split.by or fraction`, true);
  }
  const dataset = split.dataset;
  const validationIds = new Set(split.validation);
  const selection = selectTasks(dataset, {
    tasks: spec.tasks === 'all' ? undefined : spec.tasks,
    minTrainPositives: spec.minPositives.train,
    minTestPositives: spec.minPositives.test,
  });
  const unknown = selection.excluded.filter((e) => !dataset.tasks.includes(e.task));
  if (unknown.length > 0) {
    throw new PrepareError(`spec.tasks: ${unknown.map((e) => `"${e.task}"`).join(', ')} ${unknown.length === 1 ? 'is not a task' : 'are not tasks'} of data set "${dataset.name}"; its tasks: ${dataset.tasks.join(', ')}`, true);
  }
  const notes: string[] = [];
  const train: number[] = [];
  const testDocs: number[] = [];
  const validationDocs: number[] = [];
  dataset.docs.forEach((d, i) => (d.split === 'test' ? testDocs : validationIds.has(d.id) ? validationDocs : train).push(i));
  const validationNote = validationDocs.length > 0
    ? (`Validation: ${validationDocs.length} documents of the training side (split.validationFraction ${spec.split.validationFraction}) choose each task's best setting; models train on the other ${train.length} and are reported on the ${testDocs.length} test documents.`)
    : 'No validation part (an experiment stored before validation existed): the best setting of each task is chosen on its test F1, which flatters the reported F1.';
  const positiveIn = (indices: number[], task: string) => indices.filter((i) => dataset.docs[i].labels.includes(task));

  // Each kept task's training documents; a cap that would leave one class only excludes the task
  // (its F1 would be 1.0 or 0 whatever the model does), with the reason.
  const minPositives = Math.max(1, spec.minPositives.train);
  const trainDocs = new Map<string, number[]>();
  const capNotes: string[] = [];
  for (const task of selection.kept) {
    const pos = positiveIn(train, task);
    if (spec.maxTrainDocs === null || train.length <= spec.maxTrainDocs) {
      trainDocs.set(task, train);
      continue;
    }
    const posSet = new Set(pos);
    const neg = train.filter((i) => !posSet.has(i));
    const chosen = cappedTrainDocs(pos, neg, spec.maxTrainDocs, minPositives, choiceSeed(spec.seed, `train-docs:${task}`), spec.minTrainPositiveShare);
    const chosenPos = chosen.filter((i) => posSet.has(i)).length;
    const degenerate = degenerateSides(chosenPos, chosen.length, positiveIn(testDocs, task).length, testDocs.length);
    if (degenerate) {
      selection.excluded.push({ task, reason: `with maxTrainDocs ${spec.maxTrainDocs}: ${degenerate}` });
      continue;
    }
    trainDocs.set(task, chosen);
    capNotes.push(`Task "${task}": ${chosen.length} of ${train.length} training documents (${chosenPos} of ${pos.length} positives), seeded subsample (maxTrainDocs ${spec.maxTrainDocs}).`);
  }
  selection.kept = selection.kept.filter((t) => trainDocs.has(t));
  const tasks = selection.kept;
  for (const e of selection.excluded) notes.push(`Task "${e.task}" left out: ${e.reason}.`);
  notes.push(...capNotes);
  if (tasks.length < 2) {
    throw new PrepareError(
      `only ${tasks.length} task${tasks.length === 1 ? '' : 's'} of "${dataset.name}" ${tasks.length === 1 ? 'has' : 'have'} enough positives ` +
        `(≥ ${spec.minPositives.train} in train, ≥ ${spec.minPositives.test} in test)${tasks.length ? `: ${tasks.join(', ')}` : ''}; ` +
        `transfer needs at least two. Left out: ${selection.excluded.map((e) => `${e.task} (${e.reason})`).join('; ')}`,
    );
  }

  const union = new Set<number>();
  for (const task of tasks) {
    const pos = positiveIn(testDocs, task);
    const cap = spec.conductance.maxDocsPerTask;
    const chosen = cap === null ? pos : seededChoice(pos, cap, choiceSeed(spec.seed, `conductance-docs:${task}`));
    if (chosen.length < pos.length) notes.push(`Task "${task}": conductance on ${chosen.length} of its ${pos.length} positive test documents (maxDocsPerTask ${cap}).`);
    for (const i of chosen) union.add(i);
  }
  const conductanceDocs = [...union].sort((a, b) => a - b);
  notes.push(validationNote);

  return {
    dataset,
    fingerprint,
    splitFingerprint: datasetFingerprint(dataset),
    selection,
    tasks,
    trainDocs,
    testDocs,
    validationDocs,
    sides: { train: split.train, validation: split.validation, test: split.test },
    leakage: splitLeakage(dataset.docs, split),
    conductanceDocs,
    notes,
  };
}

/**
 * The ANSAT document sets of a pair among the explained documents: D_A = those positive for A,
 * D_B = for B, D_AB = for both (positive test documents; see docs/DESIGN.md step 3).
 */
export function ansatDocSets(prepared: PreparedData, a: string, b: string): { D_A: number[]; D_B: number[]; D_AB: number[] } {
  const docs = prepared.dataset.docs;
  const has = (i: number, t: string) => docs[i].labels.includes(t);
  const D_A = prepared.conductanceDocs.filter((i) => has(i, a));
  const D_B = prepared.conductanceDocs.filter((i) => has(i, b));
  const D_AB = D_A.filter((i) => has(i, b));
  return { D_A, D_B, D_AB };
}
