import { describe, expect, it } from 'vitest';
import type { BaselineDoc } from '../../../../src/lib/transfer/baselines/docs';
import { BASELINE_FEATURE_NAMES } from '../../../../src/lib/transfer/baselines/names';
import { baselinePairFeatureMap, baselinePairFeatures, pairKey } from '../../../../src/lib/transfer/baselines/pair-features';

// Train documents d0 d1 d2 d4 d5 (N = 5); d3 is test-split and must be ignored everywhere.
const docs: BaselineDoc[] = [
  { text: 'Fire at the bridge', labels: ['fire'], split: 'train' },
  { text: 'Bridge closed, FIRE!', labels: ['fire', 'road'], split: 'train' },
  { text: 'Road closed', labels: ['road'], split: 'train' },
  { text: 'flood warning fire', labels: ['flood', 'fire'], split: 'test' },
  { text: 'Flood water', labels: ['flood'] },
  { text: 'nothing', labels: [], split: 'train' },
];
const tasks = ['fire', 'road', 'flood', 'quake'];

function get(source: string, target: string): Record<string, number> {
  const f = baselinePairFeatureMap(docs, tasks).get(pairKey(source, target));
  if (!f) throw new Error(`no pair ${source}→${target}`);
  return f;
}

describe('cheap transferability baselines', () => {
  it('every ordered pair, sources then targets in task order, all four features', () => {
    const all = baselinePairFeatures(docs, tasks);
    expect(all).toHaveLength(12);
    expect(all.slice(0, 3).map((p) => `${p.source}→${p.target}`)).toEqual(['fire→road', 'fire→flood', 'fire→quake']);
    for (const p of all) expect(Object.keys(p.features)).toEqual([...BASELINE_FEATURE_NAMES]);
  });

  it('label co-occurrence: Jaccard of positive train sets and P(target | source)', () => {
    // P_fire = {d0, d1}, P_road = {d1, d2}, P_flood = {d4} (d3 is test).
    expect(get('fire', 'road').baseline_label_jaccard).toBe(1 / 3);
    expect(get('fire', 'road').baseline_p_target_given_source).toBe(1 / 2);
    expect(get('road', 'fire').baseline_p_target_given_source).toBe(1 / 2);
    expect(get('fire', 'flood').baseline_label_jaccard).toBe(0);
    expect(get('flood', 'fire').baseline_p_target_given_source).toBe(0);
  });

  it('vocabulary overlap of positive train documents', () => {
    // V_fire = {fire, at, the, bridge, closed}, V_road = {bridge, closed, fire, road}: 3 shared of 6.
    expect(get('fire', 'road').baseline_vocab_jaccard).toBe(0.5);
    expect(get('road', 'fire').baseline_vocab_jaccard).toBe(0.5);
    // V_flood = {flood, water}; "warning" and "fire" of the test document do not count.
    expect(get('fire', 'flood').baseline_vocab_jaccard).toBe(0);
  });

  it('TF-IDF centroid cosine, by hand over the vocabulary [fire, at, the, bridge, closed, road]', () => {
    // df: fire 2, at 1, the 1, bridge 2, closed 2, road 1 (N = 5) → idf = ln(6/(1+df)) + 1.
    const i2 = Math.log(6 / 3) + 1;
    const i1 = Math.log(6 / 2) + 1;
    const unit = (v: number[]): number[] => {
      const n = Math.hypot(...v);
      return v.map((x) => x / n);
    };
    const d0 = unit([i2, i1, i1, i2, 0, 0]);
    const d1 = unit([i2, 0, 0, i2, i2, 0]);
    const d2 = unit([0, 0, 0, 0, i2, i1]);
    const fire = d0.map((x, j) => (x + d1[j]!) / 2);
    const road = d1.map((x, j) => (x + d2[j]!) / 2);
    const dot = fire.reduce((a, x, j) => a + x * road[j]!, 0);
    const expected = dot / (Math.hypot(...fire) * Math.hypot(...road));
    expect(get('fire', 'road').baseline_tfidf_cosine).toBeCloseTo(expected, 14);
    expect(get('road', 'fire').baseline_tfidf_cosine).toBeCloseTo(expected, 14);
    expect(expected).toBeGreaterThan(0.3); // a real overlap, not a degenerate 0 or 1
    expect(expected).toBeLessThan(0.9);
    expect(get('fire', 'flood').baseline_tfidf_cosine).toBe(0);
  });

  it('a task without positives gives zeros, never NaN', () => {
    for (const other of ['fire', 'road', 'flood']) {
      for (const f of [get('quake', other), get(other, 'quake')]) {
        for (const name of BASELINE_FEATURE_NAMES) expect(f[name]).toBe(0);
      }
    }
  });

  it('rejects bad input with a located message', () => {
    expect(() => baselinePairFeatures(docs, ['fire'])).toThrow(/at least two task names/);
    expect(() => baselinePairFeatures(docs, ['fire', 'fire'])).toThrow(/task "fire" is listed twice/);
    expect(() => baselinePairFeatures([{ text: 'x', labels: 'fire' as unknown as string[], id: 't9' }], tasks)).toThrow(
      /document 0 \(id "t9"\): field "labels" must be an array of strings/,
    );
    expect(() => baselinePairFeatures([docs[0]!, { text: 3 as unknown as string, labels: [] }], tasks)).toThrow(
      /document 1: field "text" must be a string, got number/,
    );
  });
});
