/**
 * The committed demo data set agrees with its data card and loads by name through datasets/index.json.
 * Counts are parsed from the README tables, so neither file can drift from the other.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DATASETS = join(import.meta.dirname, '../../../datasets');

interface IndexEntry { name: string; path: string; card: string; title: string; description: string }
interface Doc { id: string; text: string; labels: string[]; split: 'train' | 'test' }
interface Dataset { name: string; source: { format: string; files: string[]; notes: string[] }; tasks: string[]; docs: Doc[] }

function loadByName(name: string): { entry: IndexEntry; dataset: Dataset; card: string } {
  const index = JSON.parse(readFileSync(join(DATASETS, 'index.json'), 'utf8')) as IndexEntry[];
  const entry = index.find((e) => e.name === name);
  if (!entry) throw new Error(`no data set named ${name} in datasets/index.json`);
  return {
    entry,
    dataset: JSON.parse(readFileSync(join(DATASETS, entry.path), 'utf8')) as Dataset,
    card: readFileSync(join(DATASETS, entry.card), 'utf8'),
  };
}

/** Rows of the markdown table that follows `heading`. */
function tableAfter(markdown: string, heading: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`README has no "${heading}" section`);
  const rows: string[][] = [];
  let i = start + 1;
  while (i < lines.length && !lines[i].startsWith('|')) i++;
  for (; i < lines.length && lines[i].startsWith('|'); i++) rows.push(lines[i].split('|').slice(1, -1).map((c) => c.trim()));
  return rows.slice(2); // header and alignment rows
}

describe('datasets/debtags', () => {
  const { entry, dataset, card } = loadByName('debtags');

  it('loads by name and is a well-formed Dataset', () => {
    expect(entry.title.length).toBeGreaterThan(0);
    expect(dataset.name).toBe('debtags');
    expect(dataset.source.format).toBe('debtags');
    expect(dataset.source.files.length).toBeGreaterThan(0);
    expect(new Set(dataset.tasks).size).toBe(dataset.tasks.length);
    const ids = new Set<string>();
    const texts = new Set<string>();
    for (const d of dataset.docs) {
      expect(['train', 'test']).toContain(d.split);
      expect(d.text.split(' ').length).toBeGreaterThanOrEqual(8);
      for (const l of d.labels) expect(dataset.tasks).toContain(l);
      ids.add(d.id);
      texts.add(d.text.toLowerCase());
    }
    expect(ids.size).toBe(dataset.docs.length);
    expect(texts.size).toBe(dataset.docs.length);
    expect(statSync(join(DATASETS, entry.path)).size).toBeLessThanOrEqual(3 * 1024 * 1024);
  });

  it('has the tasks and per-split positive counts stated in the data card', () => {
    const rows = tableAfter(card, '## Label counts');
    expect(rows.map((r) => r[0])).toEqual(dataset.tasks);
    expect(dataset.tasks).toHaveLength(12);
    for (const [task, train, test, total] of rows) {
      const pos = dataset.docs.filter((d) => d.labels.includes(task));
      expect(pos.filter((d) => d.split === 'train').length, task).toBe(Number(train));
      expect(pos.filter((d) => d.split === 'test').length, task).toBe(Number(test));
      expect(pos.length, task).toBe(Number(total));
      // Enough positives to fine-tune on and to evaluate.
      expect(Number(train), task).toBeGreaterThanOrEqual(100);
      expect(Number(test), task).toBeGreaterThanOrEqual(20);
    }
    const m = /^(\d+) documents \((\d+) train, (\d+) test\)/m.exec(card);
    expect(m).not.toBeNull();
    expect(dataset.docs.length).toBe(Number(m![1]));
    expect(dataset.docs.filter((d) => d.split === 'train').length).toBe(Number(m![2]));
    expect(dataset.docs.filter((d) => d.split === 'test').length).toBe(Number(m![3]));
  });

  it('has the co-occurrence table of the data card and real multi-label structure', () => {
    const rows = tableAfter(card, '## Label co-occurrence');
    expect(rows).toHaveLength(dataset.tasks.length);
    rows.forEach((row, a) => {
      row.slice(1).forEach((cell, b) => {
        const both = dataset.docs.filter((d) => d.labels.includes(dataset.tasks[a]) && d.labels.includes(dataset.tasks[b])).length;
        expect(both, `${dataset.tasks[a]} & ${dataset.tasks[b]}`).toBe(Number(cell));
      });
    });
    const byCount = (n: number) => dataset.docs.filter((d) => d.labels.length === n).length;
    expect(byCount(0)).toBeGreaterThan(100);
    expect(byCount(1)).toBeGreaterThan(100);
    expect(dataset.docs.filter((d) => d.labels.length >= 2).length).toBeGreaterThan(100);
  });
});
