/**
 * The split an experiment would make, as the Data view shows it before anything runs: the same
 * `splitWithValidation` call as the pipeline's `prepareData` (so the counts, the validation part and
 * the leakage figures on screen are the ones the experiment will have), plus its sentence for the
 * notes. Kept out of the worker so that Node tests can check it against `prepareData`.
 */
import { splitLeakage, type SplitLeakage } from './leakage';
import type { Dataset } from './schema';
import { splitWithValidation, type SplitBy } from './split';

export interface SplitRequest {
  seed: number;
  testFraction: number;
  by: SplitBy;
  validationFraction: number;
}

export interface SplitOverview {
  /** Every document with its side ("train" for the validation part too, as in the pipeline). */
  dataset: Dataset;
  /** The training side, validation part included. */
  trainDocs: number;
  validationDocs: number;
  testDocs: number;
  leakage: SplitLeakage;
  /** What the split did, when it added a sentence to the data set's notes. */
  note?: string;
}

export function splitOverview(ds: Dataset, request: SplitRequest): SplitOverview {
  const split = splitWithValidation(ds, request);
  const added = split.dataset.source.notes.slice(ds.source.notes.length);
  return {
    dataset: split.dataset,
    trainDocs: split.train.length + split.validation.length,
    validationDocs: split.validation.length,
    testDocs: split.test.length,
    leakage: splitLeakage(split.dataset.docs, split),
    ...(added.length ? { note: added.join(' ') } : {}),
  };
}
