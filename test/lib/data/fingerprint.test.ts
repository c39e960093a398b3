import { describe, expect, it } from 'vitest';
import { datasetFingerprint } from '../../../src/lib/data/fingerprint';
import { splitDataset } from '../../../src/lib/data/split';
import { syntheticDataset } from './synthetic';

describe('datasetFingerprint', () => {
  it('is stable for the same content and ignores name and notes', () => {
    const a = syntheticDataset();
    const b = { ...syntheticDataset(), name: 'other', source: { ...a.source, notes: ['x'] } };
    expect(datasetFingerprint(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(datasetFingerprint(b)).toBe(datasetFingerprint(a));
  });

  it('changes with a label, a text, an event, a split or the task list', () => {
    const base = syntheticDataset();
    const fp = datasetFingerprint(base);
    const edit = (i: number, patch: object) => ({ ...base, docs: base.docs.map((d, j) => (j === i ? { ...d, ...patch } : d)) });
    const variants = [
      edit(5, { labels: [...base.docs[5].labels, 'rare'] }),
      edit(5, { text: base.docs[5].text + ' ' }),
      edit(5, { event: 'ev9' }),
      edit(5, { split: 'test' }),
      { ...base, tasks: [...base.tasks, 'new'] },
      splitDataset(base, { seed: 1 }),
    ];
    const fps = variants.map(datasetFingerprint);
    for (const v of fps) expect(v).not.toBe(fp);
    expect(new Set(fps).size).toBe(fps.length);
    // Both 32-bit halves must depend on the content (a weak lane once made all the low halves equal).
    expect(new Set(fps.map((f) => f.slice(0, 8))).size).toBe(fps.length);
    expect(new Set(fps.map((f) => f.slice(8))).size).toBe(fps.length);
  });

  it('does not confuse where one field ends and the next begins', () => {
    const one = { ...syntheticDataset(2), docs: [{ id: 'ab', text: 'c', labels: [] }] };
    const two = { ...syntheticDataset(2), docs: [{ id: 'a', text: 'bc', labels: [] }] };
    expect(datasetFingerprint(one)).not.toBe(datasetFingerprint(two));
  });
});
