import { describe, expect, it } from 'vitest';
import {
  ANSAT_FEATURE_NAMES,
  ANSAT_THRESHOLDS,
  ansatFeatureName,
  FEATURE_SET_F1,
  FEATURE_SET_F1_ANSAT,
  FEATURE_SET_F1_BASELINES,
} from '../../../src/lib/search/feature-names';

describe('feature names', () => {
  it('42 ANSAT names, D_A then D_B then D_AB, thresholds 0.05 … 0.70 with two decimals', () => {
    expect(ANSAT_THRESHOLDS).toHaveLength(14);
    expect(ANSAT_THRESHOLDS[1]).toBe(0.1);
    expect(ANSAT_FEATURE_NAMES).toHaveLength(42);
    expect(new Set(ANSAT_FEATURE_NAMES).size).toBe(42);
    expect(ANSAT_FEATURE_NAMES[0]).toBe('ansat_D_A_0.05');
    expect(ANSAT_FEATURE_NAMES[1]).toBe('ansat_D_A_0.10');
    expect(ANSAT_FEATURE_NAMES[13]).toBe('ansat_D_A_0.70');
    expect(ANSAT_FEATURE_NAMES[14]).toBe('ansat_D_B_0.05');
    expect(ANSAT_FEATURE_NAMES[41]).toBe('ansat_D_AB_0.70');
    expect(ansatFeatureName('D_AB', 0.15000000000000002)).toBe('ansat_D_AB_0.15');
    expect(() => ansatFeatureName('D_X' as 'D_A', 0.1)).toThrow(/unknown document set "D_X"/);
  });

  it('feature sets', () => {
    expect(FEATURE_SET_F1.features).toEqual(['f1_source', 'f1_target']);
    expect(FEATURE_SET_F1_ANSAT.features).toHaveLength(44);
    expect(FEATURE_SET_F1_BASELINES.features).toEqual([
      'f1_source', 'f1_target', 'baseline_label_jaccard', 'baseline_p_target_given_source', 'baseline_vocab_jaccard', 'baseline_tfidf_cosine',
    ]);
  });
});
