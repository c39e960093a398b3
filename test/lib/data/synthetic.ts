import type { Dataset, Doc } from '../../../src/lib/data/schema';
import { createRng } from '../../../src/lib/util/rng';

/**
 * A multi-label data set with tasks of very different frequency, for split and selection tests:
 * common ≈ 40 %, mid ≈ 10 %, few = 12 docs, rare = 3 docs, pair = 2 docs, empty = 0 docs.
 */
export function syntheticDataset(n = 300, seed = 5): Dataset {
  const rng = createRng(seed);
  const docs: Doc[] = [];
  for (let i = 0; i < n; i++) {
    const labels: string[] = [];
    if (rng.next() < 0.4) labels.push('common');
    if (rng.next() < 0.1) labels.push('mid');
    if (i % 25 === 3) labels.push('few');
    if (i === 10 || i === 150 || i === 290) labels.push('rare');
    if (i === 7 || i === 8) labels.push('pair');
    docs.push({ id: `d${i}`, text: `document ${i}`, labels, event: `ev${i % 4}` });
  }
  return { name: 'synthetic', source: { format: 'jsonl', files: [], notes: [] }, tasks: ['common', 'mid', 'few', 'rare', 'pair', 'empty'], docs };
}

/**
 * A data set full of near-copies, as tweets are: texts drawn from a small pool, each copy varied by
 * case, a retweet prefix, a handle, a URL or punctuation (all removed by `normalizeText`), so many
 * documents share a normalized text. Labels follow the text (copies carry the same labels, as
 * retweets do), with some label noise; events are drawn per document, so a group may span events.
 * A few texts normalize to nothing (a bare URL, punctuation), which must each be their own group.
 */
export function duplicatedDataset(n = 400, seed = 11, events = 5): Dataset {
  const rng = createRng(seed);
  const pool = Math.max(1, Math.round(n / 3));
  const variants = [
    (t: string) => t,
    (t: string) => t.toUpperCase(),
    (t: string) => `RT @user${rng.int(50)}: ${t}`,
    (t: string) => `${t} https://t.co/x${rng.int(1000)}`,
    (t: string) => `@someone_${rng.int(9)} ${t}!!!`,
    (t: string) => `  ${t.replace(/ /g, ' -- ')} `,
  ];
  const docs: Doc[] = [];
  for (let i = 0; i < n; i++) {
    const k = rng.int(pool);
    const labels: string[] = [];
    if (k % 3 === 0) labels.push('common');
    if (k % 11 === 1) labels.push('mid');
    if (k % 37 === 5) labels.push('rare');
    if (rng.next() < 0.05) labels.push('common');
    const text = i % 97 === 13 ? (i % 2 ? 'https://t.co/only-a-link' : '?!') : variants[rng.int(variants.length)]!(`message number ${k} about the flood`);
    docs.push({ id: `p${i}`, text, labels: [...new Set(labels)], event: `ev${rng.int(events)}` });
  }
  return { name: 'duplicated', source: { format: 'jsonl', files: [], notes: [] }, tasks: ['common', 'mid', 'rare'], docs };
}
