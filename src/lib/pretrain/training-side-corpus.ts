/**
 * The texts of a labelled data set that continued masked-LM pretraining may read: the training side
 * of the split an experiment with the same split settings makes (train and validation; never test).
 * The split keeps documents with equal normalized text on one side (`by: duplicates`), so no copy of
 * a test document is on the training side; on top of that, a training-side text whose normalized
 * form equals a test document's is dropped (it can only happen under `by: none`), and training-side
 * copies are kept once (retweets would otherwise be seen many times).
 */
import { normalizeText } from '../data/normalize-text';
import type { Dataset } from '../data/schema';
import { splitWithValidation, type SplitBy } from '../data/split';
import { normalizeLine } from './corpus-text';

export interface TrainingSideCorpus {
  /** One text per kept document, whitespace collapsed, in the data set's order. */
  texts: string[];
  counts: { documents: number; test: number; trainingSide: number; droppedAsTestCopy: number; droppedAsCopy: number; droppedEmpty: number; kept: number };
}

export function trainingSideCorpus(dataset: Dataset, split: { seed: number; testFraction: number; by: SplitBy }): TrainingSideCorpus {
  // validationFraction 0: the validation part is training side here either way.
  const sides = splitWithValidation(dataset, { ...split, validationFraction: 0 });
  const test = new Set(sides.test);
  const testKeys = new Set(dataset.docs.filter((d) => test.has(d.id)).map((d) => normalizeText(d.text)));
  const seen = new Set<string>();
  const texts: string[] = [];
  const counts = { documents: dataset.docs.length, test: test.size, trainingSide: 0, droppedAsTestCopy: 0, droppedAsCopy: 0, droppedEmpty: 0, kept: 0 };
  for (const doc of dataset.docs) {
    if (test.has(doc.id)) continue;
    counts.trainingSide++;
    const text = normalizeLine(doc.text);
    const key = normalizeText(text);
    if (key === '') counts.droppedEmpty++;
    else if (testKeys.has(key)) counts.droppedAsTestCopy++;
    else if (seen.has(key)) counts.droppedAsCopy++;
    else {
      seen.add(key);
      texts.push(text);
    }
  }
  counts.kept = texts.length;
  return { texts, counts };
}
