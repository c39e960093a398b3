/**
 * A short content hash of a data set (documents, labels, splits, tasks), so that a resumed
 * experiment can check it is continuing on the same data and not on a re-import that changed
 * (another merge rule, another seed, an edited file). The name and notes do not count.
 * The project's one hash (util/hash.ts) over the fields' UTF-16 code units.
 */
import { ContentHasher } from '../util/hash';
import type { Dataset } from './schema';

/** A field's separator: a lone surrogate, which decoded text practically never contains. */
const FIELD_SEPARATOR = 0xdfff;

export function datasetFingerprint(ds: Dataset): string {
  const hasher = new ContentHasher();
  const feed = (s: string) => hasher.codeUnits(s).unit(FIELD_SEPARATOR);
  feed(ds.tasks.join('\u0000'));
  for (const d of ds.docs) {
    feed(d.id);
    feed(d.text);
    feed(d.labels.join('\u0000'));
    feed(d.event ?? '\u0001');
    feed(d.split ?? '\u0001');
  }
  return hasher.digest();
}
