import { describe, expect, it } from 'vitest';
import { dedupeByText, sampleDocuments, type Candidate } from '../../../scripts/demo-data/select-documents';
import { hasLabel } from '../../../scripts/demo-data/debtags';

describe('dedupeByText', () => {
  it('keeps the package whose name sorts first, ignoring case and spacing in the comparison', () => {
    const { kept, dropped } = dedupeByText([
      { id: 'zeta', text: 'Same  text' },
      { id: 'alpha', text: 'same text' },
      { id: 'beta', text: 'other' },
    ]);
    expect(kept.map((d) => d.id)).toEqual(['alpha', 'beta']);
    expect(dropped.map((d) => d.id)).toEqual(['zeta']);
  });
});

function pool(): Candidate[] {
  // 40 rare-label docs, 400 common-label docs, 1000 unlabelled docs.
  const out: Candidate[] = [];
  for (let i = 0; i < 40; i++) out.push({ id: `r${i}`, text: `r${i}`, tags: ['x::rare'], group: `r${i}` });
  for (let i = 0; i < 400; i++) out.push({ id: `c${i}`, text: `c${i}`, tags: ['x::common'], group: `c${i}` });
  for (let i = 0; i < 1000; i++) out.push({ id: `n${i}`, text: `n${i}`, tags: ['role::program'], group: `n${i}` });
  return out;
}

describe('sampleDocuments', () => {
  it('keeps every positive of a label rarer than the quota, at least the quota of the others, and the target size', () => {
    const s = sampleDocuments(pool(), ['x::rare', 'x::common'], { targetSize: 300, perLabelQuota: 100, seed: 1 });
    expect(s).toHaveLength(300);
    expect(s.filter((c) => hasLabel(c.tags, 'x::rare'))).toHaveLength(40);
    expect(s.filter((c) => hasLabel(c.tags, 'x::common')).length).toBeGreaterThanOrEqual(100);
    expect(s.filter((c) => c.tags.length === 1 && c.tags[0] === 'role::program').length).toBeGreaterThan(50);
    expect(new Set(s.map((c) => c.id)).size).toBe(300);
  });

  it('is deterministic per seed and independent of input order', () => {
    const a = sampleDocuments(pool(), ['x::rare', 'x::common'], { targetSize: 300, perLabelQuota: 100, seed: 7 });
    const b = sampleDocuments(pool().reverse(), ['x::rare', 'x::common'], { targetSize: 300, perLabelQuota: 100, seed: 7 });
    const c = sampleDocuments(pool(), ['x::rare', 'x::common'], { targetSize: 300, perLabelQuota: 100, seed: 8 });
    expect(b.map((d) => d.id)).toEqual(a.map((d) => d.id));
    expect(c.map((d) => d.id)).not.toEqual(a.map((d) => d.id));
  });
});
