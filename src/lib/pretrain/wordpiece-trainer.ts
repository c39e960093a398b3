/**
 * Learns a WordPiece vocabulary the way Hugging Face `tokenizers`' WordPieceTrainer does: it runs
 * a BPE trainer whose non-initial symbols carry the `##` prefix, and keeps the resulting tokens.
 *
 * Scoring: pairs are merged by FREQUENCY (the HF choice), not by the likelihood score
 * pair/(a·b) of Google's original WordPiece. Frequency favours whole common words and affixes,
 * which is what a small vocabulary needs; likelihood favours rare-but-glued pairs.
 *
 * Vocabulary layout (ids): the special tokens ([PAD]=0, [UNK]=1, [CLS]=2, [SEP]=3, [MASK]=4), then
 * every kept character (sorted by code point), then `##c` for every kept character that can
 * continue a word (punctuation and CJK ideographs are always words of their own after BERT
 * pre-tokenisation, so `##,` could never be used), then the merged tokens in merge order.
 * Ties between equally frequent pairs go to the pair with the smaller ids (as in HF), which makes
 * the result independent of Map iteration order: same counts → same vocabulary.
 *
 * Input is a word → count table (count the corpus first, streaming, with `countWords`), so the
 * trainer's cost depends on the number of distinct words (~130k for ~8M words), not on the corpus.
 */
import { bertPreTokenize, bertNormalize, isChineseChar } from './bert-pre-tokenizer';

export const BERT_SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
export const CONTINUING_PREFIX = '##';

export interface WordPieceTrainerOptions {
  /** Total vocabulary size, special tokens and alphabet included. */
  vocabSize: number;
  /** A pair seen fewer times than this is never merged (training stops there). Default 2. */
  minPairFrequency?: number;
  /** Characters seen fewer times than this are left out of the alphabet (words containing them
   *  become [UNK]). Default 2: drops one-off emoji and stray ideographs. */
  minCharFrequency?: number;
  /** Words longer than this are [UNK] for the tokenizer (HF max_input_chars_per_word); skip them. */
  maxInputCharsPerWord?: number;
  specialTokens?: readonly string[];
}

export interface WordPieceTrainingResult {
  /** Tokens in id order. */
  vocab: string[];
  /** Merges made, in order, as [left, right] token strings. */
  merges: [string, string][];
  alphabetSize: number;
  /** Why training stopped. */
  stoppedBy: 'vocabSize' | 'minPairFrequency';
}

/** Adds the BERT pre-tokens of `text` to a word-count table. */
export function countWords(text: string, counts: Map<string, number> = new Map()): Map<string, number> {
  for (const w of bertPreTokenize(bertNormalize(text))) counts.set(w, (counts.get(w) ?? 0) + 1);
  return counts;
}

const PUNCT = /^[\p{P}\u0021-\u002F\u003A-\u0040\u005B-\u0060\u007B-\u007E]$/u;

function canContinueWord(ch: string): boolean {
  return !PUNCT.test(ch) && !isChineseChar(ch.codePointAt(0)!);
}

/** Pair keys pack two ids into one double-safe integer (ids < 2^21). */
const PAIR_BASE = 2 ** 21;

export function trainWordPiece(wordCounts: ReadonlyMap<string, number>, options: WordPieceTrainerOptions): WordPieceTrainingResult {
  const minPair = options.minPairFrequency ?? 2;
  const minChar = options.minCharFrequency ?? 2;
  const maxChars = options.maxInputCharsPerWord ?? 100;
  const specials = options.specialTokens ?? BERT_SPECIAL_TOKENS;

  // Words in a canonical order (code-unit sort) so that ids and ties never depend on input order.
  const entries = [...wordCounts.entries()].filter(([w, c]) => c > 0 && w.length > 0).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

  // Alphabet.
  const charFreq = new Map<string, number>();
  for (const [w, c] of entries) {
    for (const ch of w) charFreq.set(ch, (charFreq.get(ch) ?? 0) + c);
  }
  const alphabet = [...charFreq.entries()]
    .filter(([, f]) => f >= minChar)
    .map(([ch]) => ch)
    .sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
  const vocab: string[] = [...specials];
  const ids = new Map<string, number>();
  vocab.forEach((t, i) => ids.set(t, i));
  const addToken = (t: string): number => {
    let id = ids.get(t);
    if (id === undefined) {
      id = vocab.length;
      vocab.push(t);
      ids.set(t, id);
    }
    return id;
  };
  for (const ch of alphabet) addToken(ch);
  for (const ch of alphabet) if (canContinueWord(ch)) addToken(CONTINUING_PREFIX + ch);
  const alphabetSize = vocab.length - specials.length;
  if (vocab.length > options.vocabSize) {
    throw new Error(`vocabSize ${options.vocabSize} is smaller than the special tokens + alphabet (${vocab.length}); raise vocabSize or minCharFrequency`);
  }

  // Words as symbol-id sequences. Words with a character outside the alphabet, or too long, can
  // only ever be [UNK]: they do not vote for merges.
  const words: Int32Array[] = [];
  const counts: number[] = [];
  for (const [w, c] of entries) {
    const chars = [...w];
    if (chars.length > maxChars) continue;
    const syms = new Int32Array(chars.length);
    let ok = true;
    for (let i = 0; i < chars.length && ok; i++) {
      const id = ids.get(i === 0 ? chars[i] : CONTINUING_PREFIX + chars[i]);
      if (id === undefined) ok = false;
      else syms[i] = id;
    }
    if (!ok) continue;
    words.push(syms);
    counts.push(c);
  }

  // Pair counts and where each pair occurs.
  const pairCount = new Map<number, number>();
  const where = new Map<number, Set<number>>();
  for (let wi = 0; wi < words.length; wi++) {
    const s = words[wi];
    for (let i = 0; i + 1 < s.length; i++) {
      const key = s[i] * PAIR_BASE + s[i + 1];
      pairCount.set(key, (pairCount.get(key) ?? 0) + counts[wi]);
      let set = where.get(key);
      if (!set) where.set(key, (set = new Set()));
      set.add(wi);
    }
  }
  const heap = new PairHeap();
  for (const [key, c] of pairCount) heap.push(c, key);

  const merges: [string, string][] = [];
  let stoppedBy: WordPieceTrainingResult['stoppedBy'] = 'minPairFrequency';
  const delta = new Map<number, number>();
  while (vocab.length < options.vocabSize) {
    // Pop the best pair whose heap entry is current (entries go stale when counts change).
    let best = -1;
    let bestCount = 0;
    while (heap.size > 0) {
      const { count, key } = heap.pop();
      if (pairCount.get(key) === count) {
        best = key;
        bestCount = count;
        break;
      }
    }
    if (best < 0 || bestCount < minPair) break;
    const a = Math.floor(best / PAIR_BASE);
    const b = best - a * PAIR_BASE;
    const right = vocab[b];
    const merged = vocab[a] + (right.startsWith(CONTINUING_PREFIX) ? right.slice(CONTINUING_PREFIX.length) : right);
    const newId = addToken(merged);
    merges.push([vocab[a], right]);

    delta.clear();
    const bump = (key: number, d: number) => delta.set(key, (delta.get(key) ?? 0) + d);
    for (const wi of where.get(best) ?? []) {
      const s = words[wi];
      // Replace every non-overlapping occurrence, left to right, then re-count the word's pairs.
      let hit = false;
      for (let i = 0; i + 1 < s.length; i++) if (s[i] === a && s[i + 1] === b) hit = true;
      if (!hit) continue;
      const c = counts[wi];
      for (let i = 0; i + 1 < s.length; i++) bump(s[i] * PAIR_BASE + s[i + 1], -c);
      const next: number[] = [];
      for (let i = 0; i < s.length; i++) {
        if (i + 1 < s.length && s[i] === a && s[i + 1] === b) {
          next.push(newId);
          i++;
        } else next.push(s[i]);
      }
      const ns = Int32Array.from(next);
      words[wi] = ns;
      for (let i = 0; i + 1 < ns.length; i++) {
        const key = ns[i] * PAIR_BASE + ns[i + 1];
        bump(key, c);
        let set = where.get(key);
        if (!set) where.set(key, (set = new Set()));
        set.add(wi);
      }
    }
    where.delete(best);
    for (const [key, d] of delta) {
      if (d === 0) continue;
      const c = (pairCount.get(key) ?? 0) + d;
      if (c > 0) {
        pairCount.set(key, c);
        heap.push(c, key);
      } else pairCount.delete(key);
    }
    if (vocab.length >= options.vocabSize) stoppedBy = 'vocabSize';
  }
  return { vocab, merges, alphabetSize, stoppedBy };
}

/** Max-heap on (count, then smaller key first) with parallel arrays: millions of pushes, no objects. */
class PairHeap {
  private counts: number[] = [];
  private keys: number[] = [];
  get size(): number {
    return this.counts.length;
  }
  private before(i: number, j: number): boolean {
    const ci = this.counts[i];
    const cj = this.counts[j];
    return ci > cj || (ci === cj && this.keys[i] < this.keys[j]);
  }
  private swap(i: number, j: number) {
    const c = this.counts[i];
    this.counts[i] = this.counts[j];
    this.counts[j] = c;
    const k = this.keys[i];
    this.keys[i] = this.keys[j];
    this.keys[j] = k;
  }
  push(count: number, key: number) {
    this.counts.push(count);
    this.keys.push(key);
    let i = this.counts.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }
  pop(): { count: number; key: number } {
    const top = { count: this.counts[0], key: this.keys[0] };
    const lastC = this.counts.pop()!;
    const lastK = this.keys.pop()!;
    if (this.counts.length > 0) {
      this.counts[0] = lastC;
      this.keys[0] = lastK;
      let i = 0;
      const n = this.counts.length;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < n && this.before(l, m)) m = l;
        if (r < n && this.before(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }
}
