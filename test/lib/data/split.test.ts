import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { normalizeText } from '../../../src/lib/data/normalize-text';
import { splitLeakage, sidesOfDataset } from '../../../src/lib/data/leakage';
import type { Dataset } from '../../../src/lib/data/schema';
import { splitDataset, splitWithValidation, type SplitOptions } from '../../../src/lib/data/split';
import { countTasks } from '../../../src/lib/data/tasks';
import { duplicatedDataset, syntheticDataset } from './synthetic';

const splits = (ds: ReturnType<typeof syntheticDataset>) => ds.docs.map((d) => d.split).join(',');

describe('splitDataset', () => {
  it('is deterministic per seed and changes with the seed', () => {
    const ds = syntheticDataset();
    const a = splitDataset(ds, { seed: 1 });
    expect(splits(a)).toBe(splits(splitDataset(ds, { seed: 1 })));
    expect(splits(a)).not.toBe(splits(splitDataset(ds, { seed: 2 })));
    expect(ds.docs.every((d) => d.split === undefined)).toBe(true); // the input is not modified
  });

  it('hits the test fraction and gives every task its share of positives on each side', () => {
    const ds = splitDataset(syntheticDataset(), { seed: 3, testFraction: 0.25 });
    expect(ds.docs.every((d) => d.split === 'train' || d.split === 'test')).toBe(true);
    // Documents go where their rarest label is wanted, so the size can miss by a document or two.
    expect(Math.abs(ds.docs.filter((d) => d.split === 'test').length - 75)).toBeLessThanOrEqual(2);
    for (const c of countTasks(ds)) {
      const total = c.all.positives;
      if (total >= 2) {
        // Stratified: positives on both sides, and the test share within one document of 25 %.
        expect(c.train.positives, c.task).toBeGreaterThan(0);
        expect(c.test.positives, c.task).toBeGreaterThan(0);
        expect(Math.abs(c.test.positives - 0.25 * total), c.task).toBeLessThanOrEqual(1);
      }
    }
    const pair = countTasks(ds).find((c) => c.task === 'pair')!;
    expect([pair.train.positives, pair.test.positives]).toEqual([1, 1]);
  });

  it('keeps each event in proportion on both sides', () => {
    const ds = splitDataset(syntheticDataset(400), { seed: 9 });
    for (const ev of ['ev0', 'ev1', 'ev2', 'ev3']) {
      const docs = ds.docs.filter((d) => d.event === ev);
      const test = docs.filter((d) => d.split === 'test').length;
      expect(Math.abs(test - 0.2 * docs.length), ev).toBeLessThanOrEqual(1);
    }
  });

  it('respects splits given in the data and balances the rest around them', () => {
    const base = syntheticDataset();
    // Fix the first 40 documents to test: more than half the test budget.
    const ds = { ...base, docs: base.docs.map((d, i) => (i < 40 ? { ...d, split: 'test' as const } : d)) };
    const out = splitDataset(ds, { seed: 4 });
    expect(out.docs.slice(0, 40).every((d) => d.split === 'test')).toBe(true);
    expect(Math.abs(out.docs.filter((d) => d.split === 'test').length - 60)).toBeLessThanOrEqual(2);
    expect(out.source.notes.at(-1)).toContain('40 documents kept the split given in the data');
    // 'pair' has both positives among the fixed documents; the others still get positives in train
    // and their test share counts the fixed ones.
    for (const c of countTasks(out).filter((c) => ['common', 'mid', 'few'].includes(c.task))) {
      expect(c.train.positives, c.task).toBeGreaterThan(0);
      expect(Math.abs(c.test.positives - 0.2 * c.all.positives), c.task).toBeLessThanOrEqual(1);
    }
  });

  it('does the same with stratification over events turned off', () => {
    const ds = splitDataset(syntheticDataset(), { seed: 1, stratifyEvents: false });
    expect(Math.abs(ds.docs.filter((d) => d.split === 'test').length - 60)).toBeLessThanOrEqual(2);
    expect(ds.source.notes.at(-1)).toMatch(/iterative stratification over 6 tasks, each of 300 groups of documents with the same normalized text on one side\.$/);
  });

  it('rejects a test fraction outside (0, 1)', () => {
    expect(() => splitDataset(syntheticDataset(), { seed: 1, testFraction: 1 })).toThrow(/testFraction must be between 0 and 1/);
  });
});

const bits = (ds: Dataset) => ds.docs.map((d) => (d.split === 'test' ? '1' : '0')).join('');
/** The side of each normalized text; fails if a group is on two sides. */
function sidesOfGroups(ds: Dataset, side: (id: string) => string): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of ds.docs) {
    const key = normalizeText(d.text);
    if (key === '') continue;
    const s = side(d.id);
    expect(out.get(key) ?? s, `group "${key}"`).toBe(s);
    out.set(key, s);
  }
  return out;
}

describe('splitDataset by: none', () => {
  // Made by the split before groups existed (see test/fixtures/split/README.md).
  const reference = JSON.parse(readFileSync(new URL('../../fixtures/split/none-reference.json', import.meta.url), 'utf8')) as Record<string, string>;
  const base = syntheticDataset();
  const cases: Record<string, [Dataset, SplitOptions]> = {
    'synthetic seed 1': [base, { seed: 1 }],
    'synthetic seed 2 testFraction 0.3': [base, { seed: 2, testFraction: 0.3 }],
    'synthetic seed 1 stratifyEvents false': [base, { seed: 1, stratifyEvents: false }],
    'synthetic seed 4 first 40 given test': [{ ...base, docs: base.docs.map((d, i) => (i < 40 ? { ...d, split: 'test' as const } : d)) }, { seed: 4 }],
    'duplicated seed 7': [duplicatedDataset(), { seed: 7 }],
    'duplicated seed 8 tasks rare': [duplicatedDataset(), { seed: 8, tasks: ['rare'] }],
  };
  it('is bit-identical to the split made before groups existed', () => {
    expect(Object.keys(reference).sort()).toEqual(Object.keys(cases).sort());
    for (const [name, [ds, options]] of Object.entries(cases)) expect(bits(splitDataset(ds, { ...options, by: 'none' })), name).toBe(reference[name]);
  });

  it('is what the default gives on data without duplicates, but not on data with them', () => {
    expect(bits(splitDataset(base, { seed: 1 }))).toBe(reference['synthetic seed 1']);
    expect(bits(splitDataset(duplicatedDataset(), { seed: 7 }))).not.toBe(reference['duplicated seed 7']);
  });
});

describe('splitDataset by: duplicates (the default)', () => {
  it('never puts two documents with the same normalized text on two sides, and still stratifies', () => {
    const ds = duplicatedDataset(600, 3);
    for (const seed of [1, 2, 3]) {
      const out = splitDataset(ds, { seed });
      const groups = sidesOfGroups(out, (id) => out.docs.find((d) => d.id === id)!.split!);
      expect(groups.size).toBeLessThan(out.docs.length / 2); // the data really is mostly copies
      const nTest = out.docs.filter((d) => d.split === 'test').length;
      // Whole groups move, so the size misses by more than a document, but not by much.
      expect(Math.abs(nTest - 120), `seed ${seed}`).toBeLessThanOrEqual(12);
      for (const c of countTasks(out)) {
        expect(c.test.positives, c.task).toBeGreaterThan(0);
        expect(c.train.positives, c.task).toBeGreaterThan(0);
      }
      expect(splitLeakage(out.docs, sidesOfDataset(out)).testWithDuplicateInTrain).toBe(0);
    }
  });

  it('leaks under by: none on the same data (what the default prevents)', () => {
    const out = splitDataset(duplicatedDataset(600, 3), { seed: 1, by: 'none' });
    expect(splitLeakage(out.docs, sidesOfDataset(out)).testWithDuplicateInTrain).toBeGreaterThan(30);
  });

  it('gives each document with an empty normalized text its own group', () => {
    // 40 documents that all normalize to "" (links, punctuation): grouped, they would be one block.
    const ds: Dataset = {
      ...syntheticDataset(200),
      docs: syntheticDataset(200).docs.map((d, i) => (i < 40 ? { ...d, text: i % 2 ? 'https://t.co/x' : '!!' } : d)),
    };
    const out = splitDataset(ds, { seed: 5 });
    const empties = out.docs.slice(0, 40);
    expect(empties.some((d) => d.split === 'test')).toBe(true);
    expect(empties.some((d) => d.split === 'train')).toBe(true);
    const leak = splitLeakage(out.docs, sidesOfDataset(out));
    expect(leak.emptyTextDocuments).toBe(40);
    expect(leak.groups).toBe(200);
    expect(leak.testWithDuplicateInTrain).toBe(0);
  });

  it('sends the free members of a group to the side given to the group in the data', () => {
    const ds = duplicatedDataset(300, 4);
    const key = normalizeText(ds.docs[0].text);
    const given = { ...ds, docs: ds.docs.map((d, i) => (i === 0 ? { ...d, split: 'test' as const } : d)) };
    const out = splitDataset(given, { seed: 2 });
    const members = out.docs.filter((d) => normalizeText(d.text) === key);
    expect(members.length).toBeGreaterThan(1);
    expect(members.every((d) => d.split === 'test')).toBe(true);
  });
});

describe('splitDataset by: event', () => {
  it('puts each event on one side only', () => {
    const ds = duplicatedDataset(600, 3, 8);
    const out = splitDataset(ds, { seed: 3, by: 'event' });
    const sideOf = new Map<string, Set<string>>();
    for (const d of out.docs) sideOf.set(d.event!, (sideOf.get(d.event!) ?? new Set()).add(d.split!));
    expect([...sideOf.values()].every((s) => s.size === 1)).toBe(true);
    expect(new Set([...sideOf.values()].map((s) => [...s][0]))).toEqual(new Set(['train', 'test']));
    // Whole events move, so the test size can miss by up to an event (~75 documents here), not more.
    expect(Math.abs(out.docs.filter((d) => d.split === 'test').length - 120)).toBeLessThanOrEqual(75);
    expect(out.source.notes.at(-1)).toMatch(/each of 8 groups \(an event, or a document without one\) on one side/);
  });

  it('does not let one rare label drag a big event to the test side', () => {
    // "rare" has two positives, one in event "big" (300 of 600 documents), one in a small event:
    // whichever event is dealt second is wanted by test for "rare", even when it is "big".
    const docs = Array.from({ length: 600 }, (_, i) => ({
      id: `d${i}`, text: `t${i}`, event: i < 300 ? 'big' : `small${i % 10}`,
      labels: i === 0 || i === 300 ? ['rare', 'common'] : i % 3 ? ['common'] : [],
    }));
    const ds: Dataset = { name: 'events', source: { format: 'jsonl', files: [], notes: [] }, tasks: ['rare', 'common'], docs };
    for (let seed = 1; seed <= 8; seed++) {
      const out = splitDataset(ds, { seed, by: 'event' });
      expect(out.docs[0].split, `seed ${seed}`).toBe('train');
      expect(Math.abs(out.docs.filter((d) => d.split === 'test').length - 120), `seed ${seed}`).toBeLessThanOrEqual(30);
    }
  });

  it('refuses data with one event or none, naming it', () => {
    const one = { ...syntheticDataset(), docs: syntheticDataset().docs.map((d) => ({ ...d, event: 'only' })) };
    expect(() => splitDataset(one, { seed: 1, by: 'event' })).toThrow(/split by event: the data of data set "synthetic" has one event \("only"\); splitting by event needs at least two/);
    const none = { ...syntheticDataset(), docs: syntheticDataset().docs.map(({ event: _e, ...d }) => d) };
    expect(() => splitDataset(none, { seed: 1, by: 'event' })).toThrow(/has no event/);
  });

  it('rejects an unknown mode', () => {
    expect(() => splitDataset(syntheticDataset(), { seed: 1, by: 'text' as never })).toThrow(/by must be one of duplicates, event, none/);
  });
});

describe('splitWithValidation', () => {
  it('keeps splitDataset\'s test side and carves validation out of the training side, grouped', () => {
    const ds = duplicatedDataset(600, 3);
    const s = splitWithValidation(ds, { seed: 4, validationFraction: 0.25 });
    const plain = splitDataset(ds, { seed: 4 });
    expect(s.test).toEqual(plain.docs.filter((d) => d.split === 'test').map((d) => d.id));
    expect(s.train.length + s.validation.length + s.test.length).toBe(600);
    expect(Math.abs(s.validation.length - 0.25 * (600 - s.test.length))).toBeLessThanOrEqual(15);
    const side = new Map<string, string>();
    for (const k of ['train', 'validation', 'test'] as const) for (const id of s[k]) side.set(id, k);
    sidesOfGroups(ds, (id) => side.get(id)!);
    const leak = splitLeakage(ds.docs, s);
    expect([leak.testWithDuplicateInTrain, leak.validationWithDuplicateInTrain, leak.groupsOnSeveralSides]).toEqual([0, 0, 0]);
    const validationDocs = ds.docs.filter((d) => side.get(d.id) === 'validation');
    for (const task of ds.tasks) expect(validationDocs.some((d) => d.labels.includes(task)), task).toBe(true);
  });

  it('has no validation part at fraction 0, and rejects a fraction outside [0, 1)', () => {
    const s = splitWithValidation(syntheticDataset(), { seed: 1, validationFraction: 0 });
    expect(s.validation).toEqual([]);
    expect(() => splitWithValidation(syntheticDataset(), { seed: 1, validationFraction: 1 })).toThrow(/validationFraction must be in \[0, 1\)/);
  });

  it('by event: validation events are neither train nor test events', () => {
    const ds = duplicatedDataset(600, 3, 10);
    const s = splitWithValidation(ds, { seed: 2, by: 'event' });
    const eventsOf = (ids: string[]) => new Set(ids.map((id) => ds.docs.find((d) => d.id === id)!.event));
    const [tr, va, te] = [eventsOf(s.train), eventsOf(s.validation), eventsOf(s.test)];
    expect(va.size).toBeGreaterThan(0);
    for (const e of va) expect(tr.has(e) || te.has(e), e).toBe(false);
    for (const e of te) expect(tr.has(e), e).toBe(false);
  });
});

