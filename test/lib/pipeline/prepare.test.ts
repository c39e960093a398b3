import { describe, expect, it } from 'vitest';
import { ansatDocSets, prepareData, PrepareError } from '../../../src/lib/pipeline/prepare';
import { resolveSpec } from '../../../src/lib/pipeline/spec';
import { syntheticDataset } from './synthetic';

const spec = (extra: Record<string, unknown> = {}) =>
  resolveSpec({ dataset: { kind: 'stored', id: 'd' }, model: { kind: 'bundled', name: 'm' }, minPositives: { train: 5, test: 2 }, ...extra });

describe('prepareData', () => {
  const ds = syntheticDataset(200, 11);

  it('splits, keeps the tasks with enough positives and reports the others', () => {
    const p = prepareData(ds, spec());
    expect(p.tasks).toEqual(['flood', 'fire', 'aid']);
    expect(p.selection.excluded.map((e) => e.task)).toEqual(['rare']);
    expect(p.notes[0]).toMatch(/^Task "rare" left out: only \d+ positives? in train \(needs 5\)/);
    expect(p.dataset.docs.every((d) => d.split === 'train' || d.split === 'test')).toBe(true);
    expect(p.testDocs.length).toBe(40);
    // 160 on the training side: 0.2 of it validation (grouped, stratified), the rest trains.
    expect(p.validationDocs.length).toBe(32);
    for (const t of p.tasks) expect(p.trainDocs.get(t)).toHaveLength(128);
    for (const t of p.tasks) expect(p.trainDocs.get(t)!.some((i) => p.validationDocs.includes(i))).toBe(false);
    // Conductance explains every positive test document of a kept task, once.
    const positives = p.testDocs.filter((i) => p.tasks.some((t) => p.dataset.docs[i].labels.includes(t)));
    expect(p.conductanceDocs).toEqual(positives);
    // The input is not modified.
    expect(ds.docs.every((d) => d.split === undefined)).toBe(true);
  });

  it('caps training documents per task with a seeded, stratified subsample', () => {
    const p = prepareData(ds, spec({ maxTrainDocs: 40 }));
    const again = prepareData(ds, spec({ maxTrainDocs: 40 }));
    const other = prepareData(ds, spec({ maxTrainDocs: 40, seed: 9, split: { seed: 0 } }));
    for (const t of p.tasks) {
      const chosen = p.trainDocs.get(t)!;
      expect(chosen).toHaveLength(40);
      expect(chosen).toEqual(again.trainDocs.get(t));
      expect(chosen.every((i) => p.dataset.docs[i].split === 'train')).toBe(true);
      expect([...chosen].sort((a, b) => a - b)).toEqual(chosen);
      const validation = new Set(p.validationDocs);
      const all = p.dataset.docs.filter((d, i) => d.split === 'train' && !validation.has(i));
      const rate = all.filter((d) => d.labels.includes(t)).length / all.length;
      const pos = chosen.filter((i) => p.dataset.docs[i].labels.includes(t)).length;
      expect(pos).toBe(Math.round(40 * rate));
    }
    expect(p.tasks.some((t) => other.trainDocs.get(t)!.join() !== p.trainDocs.get(t)!.join())).toBe(true);
    expect(p.notes.some((n) => /Task "flood": 40 of 128 training documents \(\d+ of \d+ positives\), seeded subsample \(maxTrainDocs 40\)/.test(n))).toBe(true);
  });

  it('minTrainPositiveShare enriches a capped sample with positives, all of them when a task has fewer', () => {
    const own = prepareData(ds, spec({ maxTrainDocs: 40 }));
    const enriched = prepareData(ds, spec({ maxTrainDocs: 40, minTrainPositiveShare: 0.5 }));
    for (const t of enriched.tasks) {
      const isPos = (i: number) => enriched.dataset.docs[i].labels.includes(t);
      const chosen = enriched.trainDocs.get(t)!;
      const available = own.dataset.docs.filter((d, i) => d.split === 'train' && !own.validationDocs.includes(i) && d.labels.includes(t)).length;
      expect(chosen).toHaveLength(40);
      // Half the cap, or every positive there is; never fewer than the task's own rate gives.
      expect(chosen.filter(isPos).length).toBe(Math.max(Math.min(20, available), own.trainDocs.get(t)!.filter(isPos).length));
    }
    // Some task is rarer than half: its sample changed, and the test side did not.
    expect(enriched.tasks.some((t) => enriched.trainDocs.get(t)!.join() !== own.trainDocs.get(t)!.join())).toBe(true);
    expect(enriched.testDocs).toEqual(own.testDocs);
    expect(() => spec({ minTrainPositiveShare: 0.6 })).toThrow(/minTrainPositiveShare/);
  });

  it('caps conductance documents per task and builds the ANSAT document sets from them', () => {
    const p = prepareData(ds, spec({ conductance: { maxDocsPerTask: 3 } }));
    expect(p.conductanceDocs.length).toBeGreaterThanOrEqual(3);
    expect(p.conductanceDocs.length).toBeLessThanOrEqual(9);
    const docs = p.dataset.docs;
    for (const t of p.tasks) expect(p.conductanceDocs.filter((i) => docs[i].labels.includes(t)).length).toBeGreaterThanOrEqual(3);
    const sets = ansatDocSets(p, 'flood', 'fire');
    expect(sets.D_A.every((i) => docs[i].labels.includes('flood'))).toBe(true);
    expect(sets.D_B.every((i) => docs[i].labels.includes('fire'))).toBe(true);
    expect(sets.D_AB).toEqual(sets.D_A.filter((i) => docs[i].labels.includes('fire')));
    expect(p.conductanceDocs.filter((i) => docs[i].labels.includes('flood'))).toEqual(sets.D_A);
  });

  it('is an error, listing every task and why, when fewer than two tasks are kept', () => {
    expect(() => prepareData(ds, spec({ minPositives: { train: 80, test: 3 } }))).toThrow(PrepareError);
    expect(() => prepareData(ds, spec({ minPositives: { train: 80, test: 3 } }))).toThrow(/transfer needs at least two\. Left out: .*flood \(only \d+ positives in train \(needs 80\)\)/);
    expect(() => prepareData(ds, spec({ tasks: ['flood', 'smoke'] }))).toThrow(/spec\.tasks: "smoke" is not a task of data set "synthetic"; its tasks: flood, fire, aid, rare/);
  });
});

describe('prepareData: grouped split with validation', () => {
  it('keeps duplicate texts on one side by default and reports the leakage figures', () => {
    const base = syntheticDataset(200, 11);
    // Every 10th document is a retweet-style copy of the one before it.
    const docs = base.docs.map((d, i) => (i % 10 === 1 ? { ...d, text: `RT @someone: ${base.docs[i - 1].text.toUpperCase()} https://t.co/x`, labels: [...base.docs[i - 1].labels] } : d));
    const ds = { ...base, docs };
    const grouped = prepareData(ds, spec());
    expect(grouped.leakage.duplicateGroups).toBe(20);
    expect(grouped.leakage.testWithDuplicateInTrain).toBe(0);
    expect(grouped.leakage.validationWithDuplicateInTrain).toBe(0);
    expect(grouped.sides.validation).toHaveLength(grouped.validationDocs.length);
    const random = prepareData(ds, spec({ split: { by: 'none' } }));
    expect(random.leakage.groupsOnSeveralSides).toBeGreaterThan(0);
  });

  it('--by event on data with one event is a usage error naming the setting', () => {
    const ds = syntheticDataset(200, 11);
    const oneEvent = { ...ds, docs: ds.docs.map((d) => ({ ...d, event: 'east' })) };
    let err: unknown;
    try {
      prepareData(oneEvent, spec({ split: { by: 'event' } }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PrepareError);
    expect((err as PrepareError).usage).toBe(true);
    expect((err as Error).message).toMatch(/^spec\.split\.by: split by event: the data of data set "synthetic" has one event \("east"\)/);
    // Ten events: each is on one side only.
    const tenEvents = { ...ds, docs: ds.docs.map((d, i) => ({ ...d, event: `e${i % 10}` })) };
    const p = prepareData(tenEvents, spec({ split: { by: 'event' } }));
    const sideOf = new Map<string, Set<string>>();
    p.dataset.docs.forEach((d, i) => {
      const side = d.split === 'test' ? 'test' : p.validationDocs.includes(i) ? 'validation' : 'train';
      if (!sideOf.has(d.event!)) sideOf.set(d.event!, new Set());
      sideOf.get(d.event!)!.add(side);
    });
    for (const sides of sideOf.values()) expect(sides.size).toBe(1);
  });
});

describe('prepareData: a split that leaves a side empty', () => {
  it('is a usage error naming the side', () => {
    // Two events of half the data each: test (20 %) cannot hold one, so both stay in train.
    const ds = syntheticDataset(200, 11);
    expect(() => prepareData(ds, spec({ split: { by: 'event' } }))).toThrow(/^spec\.split: splitting "synthetic" by event left no test documents/);
  });
});
