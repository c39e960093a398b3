import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '../../helpers/wasm-backend';
import type { LoadedBert } from '../../../src/lib/bert/load';
import type { DocAttribution } from '../../../src/lib/explain/doc-attribution';
import { explainDocuments } from '../../../src/lib/explain/explain-documents';
import { ANSAT_FEATURE_NAMES, ANSAT_THRESHOLDS } from '../../../src/lib/search/feature-names';
import { ansatCounts, ansatDocTerms, ansatTable, ansatValues, type AnsatDocTerms } from '../../../src/lib/transfer/ansat';
import { expected, expectedAnsat, loadModelA, loadModelB } from '../explain/fixture';

useWasmBackend();

let attributionsA: DocAttribution[];
let attributionsB: DocAttribution[];

beforeAll(async () => {
  const docs = expected.sentences.map((s, i) => ({ id: String(i), text: s.text }));
  const explain = async (load: () => Promise<LoadedBert>, modelId: string) => {
    const { model, tokenizer } = await load();
    try {
      return (await explainDocuments(model, tokenizer, docs, { modelId })).attributions;
    } finally {
      model.dispose();
    }
  };
  attributionsA = await explain(loadModelA, 'A');
  attributionsB = await explain(loadModelB, 'B');
});

describe('ANSAT on the fixture models', () => {
  it('term scores under both models match the fixture within 1e-4', () => {
    expectedAnsat.per_sentence.forEach((s, i) => {
      expect(attributionsA[i].tokens).toEqual(s.tokens);
      expect(attributionsA[i].terms.map((t) => t.term)).toEqual(s.terms.map((t) => t.term));
      s.terms.forEach((t, j) => {
        expect(Math.abs(attributionsA[i].terms[j].score - t.score_a)).toBeLessThan(1e-4);
        expect(Math.abs(attributionsB[i].terms[j].score - t.score_b)).toBeLessThan(1e-4);
      });
    });
  });

  it('equals expected_ansat.json exactly for D_A, D_B, D_AB and all 14 thresholds', () => {
    expect(expectedAnsat.thresholds).toEqual([...ANSAT_THRESHOLDS]);
    const sets = {} as Record<'D_A' | 'D_B' | 'D_AB', AnsatDocTerms[]>;
    for (const [name, indices] of Object.entries(expectedAnsat.document_sets) as ['D_A' | 'D_B' | 'D_AB', number[]][]) {
      sets[name] = indices.map((i) => ansatDocTerms(attributionsA[i], attributionsB[i], String(i)));
    }
    const table = ansatTable(sets);
    expect(table.thresholds).toEqual(expectedAnsat.thresholds);
    expect(table.values).toEqual(expectedAnsat.ansat);
    expect(table.numeratorCounts).toEqual(expectedAnsat.numerator_counts);
    expect(Object.keys(table.features)).toEqual([...ANSAT_FEATURE_NAMES]);
    expect(table.features['ansat_D_A_0.05']).toBe(expectedAnsat.ansat.D_A[0]);
    expect(table.features['ansat_D_AB_0.15']).toBe(expectedAnsat.ansat.D_AB[2]);
    // The fixture is not trivial: several non-zero entries in every set.
    for (const set of ['D_A', 'D_B', 'D_AB'] as const) expect(table.values[set].filter((v) => v > 0).length).toBeGreaterThanOrEqual(2);
  });
});

const doc = (pairs: [string, number, number][], docId?: string): AnsatDocTerms => ({
  docId,
  termsA: pairs.map(([term, a]) => ({ term, score: a })),
  termsB: pairs.map(([term, , b]) => ({ term, score: b })),
});

describe('ANSAT definition', () => {
  it('counts a term when BOTH scores are ≥ T (equality included), every occurrence', () => {
    const d = doc([
      ['flood', 0.1, 0.1], // exactly at T = 0.10 under both: counts at 0.05 and 0.10
      ['the', 0.3, 0.04], // B below 0.05: never
      ['flood', 0.2, 0.5], // second occurrence counts on its own
      [',', -0.2, 0.9],
    ]);
    expect(ansatCounts([d], [0.05, 0.1, 0.15, 0.2, 0.25])).toEqual([2, 2, 1, 1, 0]);
  });

  it('divides by |D|, and gives 0 for an empty D', () => {
    const d1 = doc([['a', 0.5, 0.5], ['b', 0.5, 0.5]]);
    const d2 = doc([['c', 0, 0]]);
    expect(ansatValues([d1, d2], [0.05])).toEqual([1]);
    expect(ansatValues([], [0.05, 0.1])).toEqual([0, 0]);
    const table = ansatTable({ D_A: [d1, d2, d2], D_B: [], D_AB: [d1] });
    expect(table.values.D_A[0]).toBe(2 / 3);
    expect(table.values.D_B).toEqual(new Array(14).fill(0));
    expect(table.numeratorCounts.D_B).toEqual(new Array(14).fill(0));
    // Scores of exactly 0.5: counted up to T = 0.50 (the 10th threshold), not from 0.55 on.
    expect(table.values.D_AB).toEqual([...new Array(10).fill(2), ...new Array(4).fill(0)]);
  });

  it('refuses documents whose terms differ between the two models', () => {
    const bad: AnsatDocTerms = { docId: 'd7', termsA: [{ term: 'a', score: 1 }], termsB: [] };
    expect(() => ansatCounts([bad])).toThrow(/document "d7" has 1 terms under model A but 0 under model B/);
    const renamed: AnsatDocTerms = { termsA: [{ term: 'a', score: 1 }], termsB: [{ term: 'b', score: 1 }] };
    expect(() => ansatCounts([renamed])).toThrow(/document 0, term 0: "a" under model A but "b" under model B/);
    expect(() => ansatTable({ D_A: [], D_B: [] } as never)).toThrow(/document set D_AB is missing/);
  });
});

afterAll(() => {
  attributionsA = [];
  attributionsB = [];
});
