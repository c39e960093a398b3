/**
 * From raw per-token conductance sums to the scores the paper compares: per layer divided by the
 * L2 norm over ALL the document's tokens ([CLS] and [SEP] included, as the fixtures), so every
 * layer's scores lie in [−1, 1] whatever the logit scale; then averaged over layers.
 */

/**
 * c_t = s_t / ‖s‖₂ in float64. A layer whose sums are all zero (‖s‖₂ = 0, e.g. a document the
 * model is indifferent to) gets all-zero scores rather than NaN: it says nothing about any token.
 */
export function normalizeTokenSums(sums: ArrayLike<number>): number[] {
  let sq = 0;
  for (let t = 0; t < sums.length; t++) sq += sums[t] * sums[t];
  const norm = Math.sqrt(sq);
  return Array.from(sums, (s) => (norm === 0 ? 0 : s / norm));
}

/** The L2 norm the normalisation divides by. */
export function l2Norm(values: ArrayLike<number>): number {
  let sq = 0;
  for (let i = 0; i < values.length; i++) sq += values[i] * values[i];
  return Math.sqrt(sq);
}

/** Mean over layers of per-layer token scores (all layers must have the same length). */
export function layerMean(perLayer: readonly (readonly number[])[]): number[] {
  if (perLayer.length === 0) throw new Error('layerMean: no layers');
  const T = perLayer[0].length;
  for (const [l, row] of perLayer.entries()) {
    if (row.length !== T) throw new Error(`layerMean: layer ${l} has ${row.length} tokens, layer 0 has ${T}`);
  }
  return Array.from({ length: T }, (_, t) => {
    let s = 0;
    for (const row of perLayer) s += row[t];
    return s / perLayer.length;
  });
}
