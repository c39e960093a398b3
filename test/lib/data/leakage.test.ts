import { describe, expect, it } from 'vitest';
import { sidesOfDataset, splitLeakage } from '../../../src/lib/data/leakage';
import type { Dataset, Doc } from '../../../src/lib/data/schema';

const doc = (id: string, text: string): Doc => ({ id, text, labels: [] });
// Groups by normalized text: {a1, a2, a3} "flood in town", {b1, b2} "bridge closed", {c} alone,
// e1 and e2 empty after normalization (each its own group).
const docs: Doc[] = [
  doc('a1', 'Flood in town'),
  doc('a2', 'RT @x: flood in town https://t.co/1'),
  doc('a3', 'FLOOD... in town!'),
  doc('b1', 'Bridge closed'),
  doc('b2', 'bridge   closed'),
  doc('c', 'Stay safe'),
  doc('e1', 'https://t.co/2'),
  doc('e2', '@someone'),
];

describe('splitLeakage', () => {
  it('counts groups, duplicates and test documents with a copy on the training side', () => {
    const leak = splitLeakage(docs, { train: ['a1', 'b1', 'e1'], validation: ['a2', 'b2'], test: ['a3', 'c', 'e2'] });
    expect(leak).toEqual({
      documents: 8,
      groups: 5, // a, b, c, e1, e2
      duplicateGroups: 2,
      documentsInDuplicateGroups: 5,
      emptyTextDocuments: 2,
      groupsOnSeveralSides: 2, // a (train, validation, test), b (train, validation)
      testDocuments: 3,
      testWithDuplicateInTrain: 1, // a3 (a1 in train); e2 has no copy, the empty texts are not one group
      validationDocuments: 2,
      validationWithDuplicateInTrain: 2, // a2, b2
    });
  });

  it('counts a test copy of a validation document as training-side leakage', () => {
    const leak = splitLeakage(docs, { train: ['c', 'e1'], validation: ['b1'], test: ['a1', 'a2', 'a3', 'b2', 'e2'] });
    expect(leak.testWithDuplicateInTrain).toBe(1);
    expect(leak.validationWithDuplicateInTrain).toBe(0);
  });

  it('is 0 when every group is on one side', () => {
    const leak = splitLeakage(docs, { train: ['a1', 'a2', 'a3', 'e1'], validation: ['c'], test: ['b1', 'b2', 'e2'] });
    expect([leak.testWithDuplicateInTrain, leak.validationWithDuplicateInTrain, leak.groupsOnSeveralSides]).toEqual([0, 0, 0]);
  });

  it('rejects sides that do not cover the data exactly once', () => {
    const all = { train: ['a1', 'a2', 'a3', 'b1'], validation: [], test: ['b2', 'c', 'e1', 'e2'] };
    expect(() => splitLeakage(docs, { ...all, validation: ['a1'] })).toThrow(/"a1" is on two sides \(train and validation\)/);
    expect(() => splitLeakage(docs, { ...all, test: ['b2', 'c', 'e1'] })).toThrow(/"e2" is on no side/);
    expect(() => splitLeakage(docs, { ...all, test: [...all.test, 'zz'] })).toThrow(/test lists "zz", which is not a document/);
  });
});

describe('sidesOfDataset', () => {
  it('lists the ids of each split and refuses an unsplit document', () => {
    const ds: Dataset = { name: 'x', source: { format: 'jsonl', files: [], notes: [] }, tasks: [], docs: docs.slice(0, 3).map((d, i) => ({ ...d, split: i ? 'test' : 'train' })) };
    expect(sidesOfDataset(ds)).toEqual({ train: ['a1'], validation: [], test: ['a2', 'a3'] });
    expect(() => sidesOfDataset({ ...ds, docs: [...ds.docs, doc('n', 'x')] })).toThrow(/"n" of "x" has no split/);
  });
});
