/**
 * A small synthetic multi-label data set for the pipeline tests: three tasks whose positive
 * documents contain task words (so a model can learn them), plus a rare fourth task that task
 * selection must leave out. Seeded, so every test sees the same documents.
 */
import type { Dataset, Doc } from '../../../src/lib/data/schema';
import { createRng } from '../../../src/lib/util/rng';

const TASK_WORDS: Record<string, string[]> = {
  flood: ['water', 'river', 'sea', 'rain', 'boat'],
  fire: ['hot', 'light', 'red', 'sun', 'smoke'],
  aid: ['help', 'food', 'give', 'care', 'home'],
};
const NEUTRAL = 'the people city road near school car north day night group after town street mile country state near old new'.split(' ');

export const SYNTHETIC_TASKS = ['flood', 'fire', 'aid', 'rare'];

export function syntheticDocs(n = 120, seed = 7): Doc[] {
  const rng = createRng(seed);
  const pick = (xs: string[]) => xs[rng.int(xs.length)];
  return Array.from({ length: n }, (_, i) => {
    const labels = ['flood', 'fire', 'aid'].filter(() => rng.next() < 0.35);
    if (i % 40 === 0) labels.push('rare');
    const words = Array.from({ length: 6 + rng.int(4) }, () => pick(NEUTRAL));
    for (const l of labels) if (l !== 'rare') for (let k = 0; k < 2; k++) words.splice(rng.int(words.length + 1), 0, pick(TASK_WORDS[l]));
    return { id: `d${i}`, text: words.join(' '), labels, event: i % 2 ? 'east' : 'west' };
  });
}

export function syntheticDataset(n = 120, seed = 7): Dataset {
  return { name: 'synthetic', source: { format: 'jsonl', files: ['synthetic.jsonl'], notes: [] }, tasks: [...SYNTHETIC_TASKS], docs: syntheticDocs(n, seed) };
}

/** The same documents as JSON Lines for the CLI's `--format jsonl`. */
export function syntheticJsonl(n = 120, seed = 7): string {
  return syntheticDocs(n, seed).map((d) => JSON.stringify({ id: d.id, text: d.text, labels: d.labels, event: d.event })).join('\n') + '\n';
}
