/**
 * A short content hash of a data set (documents, labels, splits, tasks), so that a resumed
 * experiment can check it is continuing on the same data and not on a re-import that changed
 * (another merge rule, another seed, an edited file). The name and notes do not count.
 * cyrb53-style mixing (two multiplicative 32-bit lanes, cross-mixed at the end): not
 * cryptographic, but every bit of the 64-bit result depends on the whole input.
 */
import type { Dataset } from './schema';

export function datasetFingerprint(ds: Dataset): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  const step = (c: number) => {
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  };
  const feed = (s: string) => {
    for (let i = 0; i < s.length; i++) step(s.charCodeAt(i));
    // Field separator: a lone surrogate, which decoded text practically never contains.
    step(0xdfff);
  };
  feed(ds.tasks.join('\u0000'));
  for (const d of ds.docs) {
    feed(d.id);
    feed(d.text);
    feed(d.labels.join('\u0000'));
    feed(d.event ?? '\u0001');
    feed(d.split ?? '\u0001');
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}
