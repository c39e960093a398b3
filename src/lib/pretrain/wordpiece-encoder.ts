/**
 * Greedy longest-match-first WordPiece encoding (BERT's WordpieceTokenizer, HF `WordPiece` model)
 * on top of the BERT pre-tokenizer. The pretraining scripts use it to turn ~8M words into ids in
 * seconds and to measure vocabulary coverage; the app tokenises through `@xenova/transformers`
 * (tests check that both give the same ids). No special tokens are added here.
 */
import { basicTokenize } from './bert-pre-tokenizer';
import { CONTINUING_PREFIX } from './wordpiece-trainer';

export interface WordPieceEncoderOptions {
  unkToken?: string;
  maxInputCharsPerWord?: number;
}

export class WordPieceEncoder {
  readonly vocab: readonly string[];
  readonly unkId: number;
  private readonly ids: Map<string, number>;
  private readonly maxChars: number;
  /** Words repeat a lot (Zipf): caching the pieces of each distinct word makes encoding ~10× faster. */
  private readonly cache = new Map<string, readonly number[]>();

  constructor(vocab: readonly string[], opts: WordPieceEncoderOptions = {}) {
    this.vocab = vocab;
    this.ids = new Map(vocab.map((t, i) => [t, i]));
    const unk = opts.unkToken ?? '[UNK]';
    const unkId = this.ids.get(unk);
    if (unkId === undefined) throw new Error(`the vocabulary has no unknown token ${unk}`);
    this.unkId = unkId;
    this.maxChars = opts.maxInputCharsPerWord ?? 100;
  }

  /** Pieces of one pre-tokenised word; [UNK] alone if any part cannot be matched. */
  encodeWord(word: string): readonly number[] {
    const hit = this.cache.get(word);
    if (hit) return hit;
    const chars = [...word];
    let out: number[] = [];
    if (chars.length > this.maxChars) out = [this.unkId];
    else {
      let start = 0;
      while (start < chars.length) {
        let end = chars.length;
        let found = -1;
        while (start < end) {
          const piece = (start > 0 ? CONTINUING_PREFIX : '') + chars.slice(start, end).join('');
          const id = this.ids.get(piece);
          if (id !== undefined) {
            found = id;
            break;
          }
          end--;
        }
        if (found < 0) {
          out = [this.unkId];
          break;
        }
        out.push(found);
        start = end;
      }
    }
    if (this.cache.size < 1_000_000) this.cache.set(word, out);
    return out;
  }

  /** Ids of a text, without [CLS]/[SEP]. */
  encode(text: string): number[] {
    const out: number[] = [];
    for (const w of basicTokenize(text)) out.push(...this.encodeWord(w));
    return out;
  }

  tokens(text: string): string[] {
    return this.encode(text).map((id) => this.vocab[id]);
  }
}

export interface CoverageStats {
  /** Pre-tokenised words seen. */
  words: number;
  /** Share of words that became [UNK]. */
  unkWordRate: number;
  /** Mean word pieces per word. */
  piecesPerWord: number;
  /** Share of words kept whole (a single piece). */
  wholeWordRate: number;
}

export function measureCoverage(encoder: WordPieceEncoder, lines: Iterable<string>): CoverageStats {
  let words = 0;
  let unk = 0;
  let pieces = 0;
  let whole = 0;
  for (const line of lines) {
    for (const w of basicTokenize(line)) {
      const p = encoder.encodeWord(w);
      words++;
      pieces += p.length;
      if (p.length === 1) {
        if (p[0] === encoder.unkId) unk++;
        else whole++;
      }
    }
  }
  return { words, unkWordRate: words ? unk / words : 0, piecesPerWord: words ? pieces / words : 0, wholeWordRate: words ? whole / words : 0 };
}
