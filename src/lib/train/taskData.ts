/**
 * Labelled documents for one binary task, from JSON Lines: one object per line,
 * `{"text": "...", "labels": ["A", "B"], "split": "train" | "test"}` (split optional).
 * Documents without a split are split with a seeded shuffle.
 */
import { createRng, subSeed } from '../util/rng';

export interface LabeledDoc {
  text: string;
  labels: string[];
  split?: 'train' | 'test';
  /** 1-based line in the source file, for messages. */
  line: number;
}

export class TaskDataError extends Error {}

/** Parses JSONL text; every malformed line is an error naming the file and line. */
export function parseTaskJsonl(text: string, fileName: string): LabeledDoc[] {
  const docs: LabeledDoc[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    const where = `${fileName}:${line}`;
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch (err) {
      throw new TaskDataError(`${where}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new TaskDataError(`${where}: expected a JSON object`);
    const o = obj as Record<string, unknown>;
    if (typeof o.text !== 'string') throw new TaskDataError(`${where}: field "text" must be a string`);
    if (!Array.isArray(o.labels) || !o.labels.every((l) => typeof l === 'string')) {
      throw new TaskDataError(`${where}: field "labels" must be an array of strings`);
    }
    if (o.split !== undefined && o.split !== 'train' && o.split !== 'test') {
      throw new TaskDataError(`${where}: field "split" must be "train" or "test", got ${JSON.stringify(o.split)}`);
    }
    docs.push({ text: o.text, labels: o.labels as string[], line, ...(o.split ? { split: o.split as 'train' | 'test' } : {}) });
  });
  if (docs.length === 0) throw new TaskDataError(`${fileName}: no documents`);
  return docs;
}

/** Every label that occurs, sorted. */
export function labelsOf(docs: readonly LabeledDoc[]): string[] {
  return [...new Set(docs.flatMap((d) => d.labels))].sort();
}

/**
 * Train/test split: documents keep their own `split`; the others are shuffled with the seed and
 * `testFraction` of them (rounded) go to test.
 */
export function splitDocs(docs: readonly LabeledDoc[], testFraction: number, seed: number): { train: LabeledDoc[]; test: LabeledDoc[] } {
  if (!(testFraction >= 0 && testFraction < 1)) throw new TaskDataError(`test fraction must be in [0, 1), got ${testFraction}`);
  const train = docs.filter((d) => d.split === 'train');
  const test = docs.filter((d) => d.split === 'test');
  const free = createRng(subSeed(seed, 'split')).shuffle(docs.filter((d) => d.split === undefined));
  const nTest = Math.round(free.length * testFraction);
  test.push(...free.slice(0, nTest));
  train.push(...free.slice(nTest));
  const byLine = (a: LabeledDoc, b: LabeledDoc) => a.line - b.line;
  return { train: train.sort(byLine), test: test.sort(byLine) };
}
