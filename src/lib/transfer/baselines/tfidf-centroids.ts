/**
 * TF-IDF centroids of each task's positive train documents, and their cosine similarity.
 *
 * Over the N train documents (every train document, positive for some task or not):
 * - tf(w, d) = number of occurrences of word w in d (words from `tokenize`);
 * - idf(w)   = ln((1 + N) / (1 + df(w))) + 1, df(w) = number of train documents containing w
 *   (scikit-learn's smoothed idf, so that a word in every document still weighs > 0);
 * - a document's vector is tf·idf divided by its L2 norm (a document without words is the zero vector);
 * - a task's centroid is the mean of its positive documents' vectors (zero if it has none).
 * `baseline_tfidf_cosine(A, B)` = cos(centroid_A, centroid_B), 0 when either centroid is zero.
 * Vectors are sparse Maps: vocabularies of tweet collections are large and each tweet is short.
 */
export type SparseVector = Map<string, number>;

export function tfidfDocumentVectors(tokenized: readonly (readonly string[])[]): SparseVector[] {
  const df = new Map<string, number>();
  const counts = tokenized.map((tokens) => {
    const c = new Map<string, number>();
    for (const w of tokens) c.set(w, (c.get(w) ?? 0) + 1);
    for (const w of c.keys()) df.set(w, (df.get(w) ?? 0) + 1);
    return c;
  });
  const n = tokenized.length;
  return counts.map((c) => {
    let norm2 = 0;
    const v: SparseVector = new Map();
    for (const [w, tf] of c) {
      const x = tf * (Math.log((1 + n) / (1 + df.get(w)!)) + 1);
      v.set(w, x);
      norm2 += x * x;
    }
    const norm = Math.sqrt(norm2);
    for (const [w, x] of v) v.set(w, x / norm);
    return v;
  });
}

export function centroid(vectors: readonly SparseVector[], members: readonly number[]): SparseVector {
  const c: SparseVector = new Map();
  for (const i of members) for (const [w, x] of vectors[i]!) c.set(w, (c.get(w) ?? 0) + x);
  for (const [w, x] of c) c.set(w, x / members.length);
  return c;
}

export function cosine(a: SparseVector, b: SparseVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [w, x] of small) {
    const y = large.get(w);
    if (y !== undefined) dot += x * y;
  }
  const norm = (v: SparseVector): number => {
    let s = 0;
    for (const x of v.values()) s += x * x;
    return Math.sqrt(s);
  };
  const na = norm(a);
  const nb = norm(b);
  return na === 0 || nb === 0 ? 0 : dot / (na * nb);
}
