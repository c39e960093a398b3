/**
 * How much of a split's test side is a copy of its training side: the figures the Data view and
 * summary.json show beside any split, whatever made it (`by: 'none'`, a split given in the data, or
 * the default, under which `testWithDuplicateInTrain` is 0 by construction). Duplicates are
 * documents with the same `normalizeText`; documents whose normalized text is empty are each their
 * own group (counted in `emptyTextDocuments`), since nothing is left to compare.
 */
import type { Dataset, Doc } from './schema';
import { groupIndexOf, type SplitSides } from './split';

export interface SplitLeakage {
  documents: number;
  /** Distinct normalized texts, plus one per document with an empty normalized text. */
  groups: number;
  /** Groups of more than one document. */
  duplicateGroups: number;
  /** Documents in groups of more than one document. */
  documentsInDuplicateGroups: number;
  /** Documents whose normalized text is empty (each its own group). */
  emptyTextDocuments: number;
  /** Groups with documents on more than one side (train, validation, test). */
  groupsOnSeveralSides: number;
  testDocuments: number;
  /** Test documents with a duplicate on the training side (train or validation). */
  testWithDuplicateInTrain: number;
  validationDocuments: number;
  /** Validation documents with a duplicate in train. */
  validationWithDuplicateInTrain: number;
}

type Side = 'train' | 'validation' | 'test';
const SIDE_NAMES: readonly Side[] = ['train', 'validation', 'test'];

/**
 * Leakage of `sides` over `docs`. Every document must be on exactly one side (an id on two sides,
 * an unknown id or a document on no side is an error: a figure over part of the data would mislead).
 */
export function splitLeakage(docs: readonly Doc[], sides: Readonly<SplitSides>): SplitLeakage {
  const known = new Set(docs.map((d) => d.id));
  const sideOf = new Map<string, Side>();
  for (const side of SIDE_NAMES) {
    for (const id of sides[side]) {
      if (!known.has(id)) throw new Error(`splitLeakage: ${side} lists "${id}", which is not a document of the data`);
      const before = sideOf.get(id);
      if (before !== undefined) throw new Error(`splitLeakage: document "${id}" is on two sides (${before} and ${side})`);
      sideOf.set(id, side);
    }
  }
  const missing = docs.find((d) => !sideOf.has(d.id));
  if (missing) throw new Error(`splitLeakage: document "${missing.id}" is on no side`);

  const { groupOf, groups, keyless } = groupIndexOf(docs, 'duplicates');
  // Per group: its size and how many of its documents are on each side.
  const count = { train: new Int32Array(groups), validation: new Int32Array(groups), test: new Int32Array(groups) };
  docs.forEach((d, i) => count[sideOf.get(d.id)!][groupOf[i]]++);
  const size = (g: number) => count.train[g] + count.validation[g] + count.test[g];

  let duplicateGroups = 0;
  let documentsInDuplicateGroups = 0;
  let groupsOnSeveralSides = 0;
  let testWithDuplicateInTrain = 0;
  let validationWithDuplicateInTrain = 0;
  for (let g = 0; g < groups; g++) {
    const n = size(g);
    if (n > 1) {
      duplicateGroups++;
      documentsInDuplicateGroups += n;
    }
    const onSides = SIDE_NAMES.filter((s) => count[s][g] > 0).length;
    if (onSides > 1) groupsOnSeveralSides++;
    if (count.train[g] + count.validation[g] > 0) testWithDuplicateInTrain += count.test[g];
    if (count.train[g] > 0) validationWithDuplicateInTrain += count.validation[g];
  }
  return {
    documents: docs.length,
    groups,
    duplicateGroups,
    documentsInDuplicateGroups,
    emptyTextDocuments: keyless,
    groupsOnSeveralSides,
    testDocuments: sides.test.length,
    testWithDuplicateInTrain,
    validationDocuments: sides.validation.length,
    validationWithDuplicateInTrain,
  };
}

/** The sides of a data set whose documents carry a split (no validation part); unsplit ones are an error. */
export function sidesOfDataset(ds: Dataset): SplitSides {
  const sides: SplitSides = { train: [], validation: [], test: [] };
  for (const d of ds.docs) {
    if (d.split === undefined) throw new Error(`sidesOfDataset: document "${d.id}" of "${ds.name}" has no split; split the data set first`);
    sides[d.split].push(d.id);
  }
  return sides;
}
