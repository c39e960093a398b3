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
    for (const t of p.tasks) expect(p.trainDocs.get(t)).toHaveLength(160);
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
      const all = p.dataset.docs.filter((d) => d.split === 'train');
      const rate = all.filter((d) => d.labels.includes(t)).length / all.length;
      const pos = chosen.filter((i) => p.dataset.docs[i].labels.includes(t)).length;
      expect(pos).toBe(Math.round(40 * rate));
    }
    expect(p.tasks.some((t) => other.trainDocs.get(t)!.join() !== p.trainDocs.get(t)!.join())).toBe(true);
    expect(p.notes.some((n) => /Task "flood": 40 of 160 training documents \(\d+ of \d+ positives\), seeded subsample \(maxTrainDocs 40\)/.test(n))).toBe(true);
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
