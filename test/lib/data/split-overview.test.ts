import { describe, expect, it } from 'vitest';
import { splitOverview } from '../../../src/lib/data/split-overview';
import type { Dataset } from '../../../src/lib/data/schema';
import { prepareData } from '../../../src/lib/pipeline/prepare';
import { resolveSpec } from '../../../src/lib/pipeline/spec';
import { syntheticDataset } from '../pipeline/synthetic';

/** The synthetic set with every fifth document's text copied by the next one (retweet-style). */
function withCopies(): Dataset {
  const ds = syntheticDataset(200, 11);
  const docs = ds.docs.map((d, i) => (i % 5 === 1 ? { ...d, text: `RT @someone: ${ds.docs[i - 1].text.toUpperCase()}` } : d));
  return { ...ds, docs };
}

describe('splitOverview', () => {
  const ds = withCopies();

  for (const by of ['duplicates', 'none'] as const) {
    it(`shows the split and leakage the experiment makes (by ${by})`, () => {
      const spec = resolveSpec({
        dataset: { kind: 'stored', id: 'd' }, model: { kind: 'bundled', name: 'm' }, minPositives: { train: 5, test: 2 },
        split: { by, validationFraction: 0.25 }, seed: 3,
      });
      const o = splitOverview(ds, { seed: spec.split.seed, testFraction: spec.split.testFraction, by, validationFraction: 0.25 });
      const p = prepareData(ds, spec);
      expect(o.leakage).toEqual(p.leakage);
      expect(o.testDocs).toBe(p.testDocs.length);
      expect(o.validationDocs).toBe(p.validationDocs.length);
      expect(o.trainDocs + o.testDocs).toBe(ds.docs.length);
      expect(o.dataset.docs.map((d) => d.split)).toEqual(p.dataset.docs.map((d) => d.split));
      expect(o.leakage.duplicateGroups).toBe(40);
      if (by === 'duplicates') expect(o.leakage.testWithDuplicateInTrain).toBe(0);
      // 40 pairs, about a fifth of them land on two sides when nothing keeps them together.
      else expect(o.leakage.testWithDuplicateInTrain).toBeGreaterThan(0);
    });
  }

  it('says why a split by event is impossible', () => {
    const oneEvent: Dataset = { ...ds, docs: ds.docs.map((d) => ({ ...d, event: 'the only storm' })) };
    expect(() => splitOverview(oneEvent, { seed: 1, testFraction: 0.2, by: 'event', validationFraction: 0.2 })).toThrow(/split by event: .*one event \("the only storm"\)/);
  });
});
