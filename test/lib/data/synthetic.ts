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
