import { describe, expect, it } from 'vitest';
import { l2Norm, layerMean, normalizeTokenSums } from '../../../src/lib/explain/token-scores';
import { expected, maxAbsDiff } from './fixture';

describe('token scores', () => {
  it('divides by the L2 norm over all tokens (including [CLS] and [SEP])', () => {
    expect(normalizeTokenSums([3, 0, -4])).toEqual([0.6, 0, -0.8]);
    expect(l2Norm([3, 0, -4])).toBe(5);
  });

  it('gives all zeros, not NaN, when every sum is zero', () => {
    expect(normalizeTokenSums(new Float32Array(4))).toEqual([0, 0, 0, 0]);
  });

  it('reproduces the fixture normalisation and layer mean from its raw sums', () => {
    for (const s of expected.sentences) {
      const c = s.conductance.gausslegendre_50;
      const normalized = c.layers.map((l) => normalizeTokenSums(l.raw_token_sums));
      normalized.forEach((n, l) => expect(maxAbsDiff(n, c.layers[l].normalized)).toBeLessThan(1e-6));
      expect(maxAbsDiff(layerMean(normalized), c.layer_mean_normalized)).toBeLessThan(1e-6);
    }
  });

  it('averages layers per token and checks their lengths', () => {
    expect(layerMean([[1, 2], [3, -2]])).toEqual([2, 0]);
    expect(() => layerMean([])).toThrow(/no layers/);
    expect(() => layerMean([[1, 2], [3]])).toThrow(/layer 1 has 1 tokens, layer 0 has 2/);
  });
});
