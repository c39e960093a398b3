/**
 * Packs tokenised corpus lines (sentences) into pretraining sequences `[CLS] s1 s2 … [SEP]` of at most
 * `maxLength` tokens, consecutive sentences together as in BERT's pretraining data, so that few
 * positions are padding and the model sees context across sentence boundaries.
 */
export interface PackOptions {
  maxLength: number;
  clsId: number;
  sepId: number;
  /**
   * What to do where a document ends (a `null` line):
   * - 'separator' (default): keep filling the sequence, with a [SEP] between the documents
   *   (RoBERTa's FULL-SENTENCES; no padding lost to short documents such as package descriptions);
   * - 'flush': start a new sequence (sequences never mix documents; shorter sequences).
   */
  documentBoundary?: 'separator' | 'flush';
}

/**
 * `lines`: token ids of each sentence (no special tokens), `null` between documents. A sentence
 * longer than the space left goes to the next sequence; one longer than a whole sequence is cut
 * into full-length pieces. Empty lines are skipped.
 */
export function* packSequences(lines: Iterable<ArrayLike<number> | null>, opts: PackOptions): Generator<Int32Array> {
  const capacity = opts.maxLength - 2;
  if (!(Number.isInteger(opts.maxLength) && capacity >= 1)) throw new Error(`PackOptions.maxLength must be an integer ≥ 3, got ${opts.maxLength}`);
  const boundary = opts.documentBoundary ?? 'separator';
  let current: number[] = [];
  let pendingBoundary = false;
  const emit = (body: ArrayLike<number>): Int32Array => {
    const seq = new Int32Array(body.length + 2);
    seq[0] = opts.clsId;
    seq.set(body as ArrayLike<number>, 1);
    seq[body.length + 1] = opts.sepId;
    return seq;
  };
  for (const line of lines) {
    if (line === null) {
      if (boundary === 'flush') {
        if (current.length) yield emit(current);
        current = [];
      } else if (current.length) pendingBoundary = true;
      continue;
    }
    if (line.length === 0) continue;
    const sep = pendingBoundary ? 1 : 0;
    if (current.length + sep + line.length <= capacity) {
      if (sep) current.push(opts.sepId);
      for (let i = 0; i < line.length; i++) current.push(line[i]);
      pendingBoundary = false;
      continue;
    }
    if (current.length) yield emit(current);
    current = [];
    pendingBoundary = false;
    let start = 0;
    while (line.length - start > capacity) {
      yield emit(Array.prototype.slice.call(line, start, start + capacity) as number[]);
      start += capacity;
    }
    for (let i = start; i < line.length; i++) current.push(line[i]);
  }
  if (current.length) yield emit(current);
}
