/**
 * The baseline a masked-language model must beat: predict every masked token from the unigram
 * (token frequency) distribution of the training sequences, ignoring context. Its accuracy is the
 * share of targets equal to the most frequent token; its perplexity is exp of the mean negative
 * log-probability of the targets (add-one smoothed, so unseen tokens do not give infinity).
 * A model with random weights scores far below it; a model that learnt anything from context, above.
 */
export interface UnigramModel {
  /** log P(id) for every id of the vocabulary; -Infinity for special ids (never targets). */
  logProb: Float64Array;
  /** The most frequent non-special token. */
  argmax: number;
}

export function fitUnigram(sequences: Iterable<ArrayLike<number>>, vocabSize: number, specialIds: readonly number[]): UnigramModel {
  const counts = new Float64Array(vocabSize);
  for (const s of sequences) for (let i = 0; i < s.length; i++) counts[s[i]]++;
  const special = new Set(specialIds);
  let total = 0;
  let argmax = -1;
  for (let id = 0; id < vocabSize; id++) {
    if (special.has(id)) continue;
    counts[id] += 1; // add-one smoothing over the non-special vocabulary
    total += counts[id];
    if (argmax < 0 || counts[id] > counts[argmax]) argmax = id;
  }
  const logProb = new Float64Array(vocabSize).fill(-Infinity);
  for (let id = 0; id < vocabSize; id++) if (!special.has(id)) logProb[id] = Math.log(counts[id] / total);
  return { logProb, argmax };
}

export interface UnigramScore {
  targets: number;
  accuracy: number;
  perplexity: number;
}

/** Scores the unigram model on masked targets (the original ids at the masked positions). */
export function scoreUnigram(model: UnigramModel, targets: Iterable<number>): UnigramScore {
  let n = 0;
  let hits = 0;
  let nll = 0;
  for (const t of targets) {
    n++;
    if (t === model.argmax) hits++;
    nll -= model.logProb[t];
  }
  return { targets: n, accuracy: n ? hits / n : 0, perplexity: n ? Math.exp(nll / n) : NaN };
}
