/**
 * ANSAT: how many terms two single-task models both find important, per document.
 *
 *   ANSAT(M_A, M_B, D, T) = (1/|D|) Σ_{d∈D} Σ_{term occurrences w in d} 1[score_A(w) ≥ T ∧ score_B(w) ≥ T]
 *
 * score_X(w) is the term's layer-mean normalised conductance under model X (explain/terms.ts).
 * Every occurrence counts (punctuation and [UNK] included, a repeated word once per occurrence),
 * the comparison is `>=` on float64 scores, and an empty D gives 0. For a pair (A, B) the features
 * are D ∈ {D_A, D_B, D_AB} × the 14 thresholds, named by search/feature-names.ts.
 */
import type { DocAttribution } from '../explain/doc-attribution';
import { ANSAT_DOC_SETS, ANSAT_THRESHOLDS, ansatFeatureName, type AnsatDocSet } from '../search/feature-names';

export interface ScoredTerm {
  term: string;
  score: number;
}

/** One document's terms under both models: the same terms in the same order. */
export interface AnsatDocTerms {
  /** For error messages. */
  docId?: string;
  termsA: readonly ScoredTerm[];
  termsB: readonly ScoredTerm[];
}

/** Pairs a document's attributions under M_A and M_B (both from the same tokenizer). */
export function ansatDocTerms(a: DocAttribution, b: DocAttribution, docId?: string): AnsatDocTerms {
  return { docId, termsA: a.terms, termsB: b.terms };
}

function checkAligned(doc: AnsatDocTerms, index: number): void {
  const name = doc.docId !== undefined ? `document "${doc.docId}"` : `document ${index}`;
  if (doc.termsA.length !== doc.termsB.length) {
    throw new Error(
      `ANSAT: ${name} has ${doc.termsA.length} terms under model A but ${doc.termsB.length} under model B; ` +
        'both models must tokenise the document the same way (same vocabulary)',
    );
  }
  doc.termsA.forEach((t, i) => {
    if (t.term !== doc.termsB[i].term) {
      throw new Error(`ANSAT: ${name}, term ${i}: "${t.term}" under model A but "${doc.termsB[i].term}" under model B`);
    }
  });
}

/** Σ_d Σ_w 1[score_A ≥ T ∧ score_B ≥ T] for each threshold (the numerators). */
export function ansatCounts(docs: readonly AnsatDocTerms[], thresholds: readonly number[] = ANSAT_THRESHOLDS): number[] {
  docs.forEach(checkAligned);
  return thresholds.map((T) => {
    let n = 0;
    for (const doc of docs) {
      for (let i = 0; i < doc.termsA.length; i++) {
        if (doc.termsA[i].score >= T && doc.termsB[i].score >= T) n++;
      }
    }
    return n;
  });
}

/** ANSAT for each threshold: counts / |D|, and 0 for an empty D. */
export function ansatValues(docs: readonly AnsatDocTerms[], thresholds: readonly number[] = ANSAT_THRESHOLDS): number[] {
  if (docs.length === 0) return thresholds.map(() => 0);
  return ansatCounts(docs, thresholds).map((n) => n / docs.length);
}

export interface AnsatTable {
  thresholds: number[];
  /** ANSAT per document set, aligned with `thresholds`. */
  values: Record<AnsatDocSet, number[]>;
  numeratorCounts: Record<AnsatDocSet, number[]>;
  /** The 42 pair features by name (ANSAT_FEATURE_NAMES). */
  features: Record<string, number>;
}

/** The 42 ANSAT features of a pair from its three document sets. */
export function ansatTable(sets: Readonly<Record<AnsatDocSet, readonly AnsatDocTerms[]>>): AnsatTable {
  const thresholds = [...ANSAT_THRESHOLDS];
  const values = {} as Record<AnsatDocSet, number[]>;
  const numeratorCounts = {} as Record<AnsatDocSet, number[]>;
  const features: Record<string, number> = {};
  for (const set of ANSAT_DOC_SETS) {
    const docs = sets[set];
    if (!Array.isArray(docs)) throw new Error(`ANSAT: document set ${set} is missing`);
    numeratorCounts[set] = ansatCounts(docs, thresholds);
    values[set] = docs.length === 0 ? thresholds.map(() => 0) : numeratorCounts[set].map((n) => n / docs.length);
    thresholds.forEach((t, i) => (features[ansatFeatureName(set, t)] = values[set][i]));
  }
  return { thresholds, values, numeratorCounts, features };
}
