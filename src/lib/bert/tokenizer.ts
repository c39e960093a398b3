/**
 * WordPiece tokenization through `@xenova/transformers`' tokenizer classes (the same class that
 * `AutoTokenizer` picks from tokenizer_config.json), fed with files from a FileSource, so loading
 * never touches the network by itself. Checkpoints that ship only vocab.txt (many Google BERTs)
 * get the tokenizer.json that `BertTokenizerFast` would build from it.
 */
import { AutoTokenizer, PreTrainedTokenizer, type XenovaTokenizer } from '@xenova/transformers/src/tokenizers.js';
import { FileNotFoundError, readOptional, type FileSource } from './file-source';

export interface Encoding {
  inputIds: number[];
  /** Word pieces, e.g. ["[CLS]", "flood", "##ing", …, "[SEP]"]. */
  tokens: string[];
}

/** Files that make up a tokenizer; copied verbatim when a model is saved. */
export const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt'] as const;

const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

/** tokenizer.json for a BERT WordPiece vocabulary, as HF's converter writes it. */
export function bertTokenizerJsonFromVocab(vocabText: string, lowercase: boolean): Record<string, unknown> {
  const lines = vocabText.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const vocab: Record<string, number> = {};
  lines.forEach((tok, i) => {
    const t = tok.replace(/\r$/, '');
    if (!(t in vocab)) vocab[t] = i;
  });
  for (const s of ['[UNK]', '[CLS]', '[SEP]']) {
    if (!(s in vocab)) throw new Error(`vocab.txt has no ${s} token`);
  }
  const special = (id: string, typeId: number) => ({ SpecialToken: { id, type_id: typeId } });
  const seq = (id: string, typeId: number) => ({ Sequence: { id, type_id: typeId } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL.filter((s) => s in vocab).map((s) => ({
      id: vocab[s], content: s, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('[CLS]', 0), seq('A', 0), special('[SEP]', 0)],
      pair: [special('[CLS]', 0), seq('A', 0), special('[SEP]', 0), seq('B', 1), special('[SEP]', 1)],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [vocab['[CLS]']], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [vocab['[SEP]']], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}

export class BertTokenizer {
  readonly padId: number;
  readonly clsId: number;
  readonly sepId: number;
  readonly unkId: number;
  readonly maskId: number | undefined;
  /** Longest input (special tokens included) the tokenizer config allows; 512 when it says nothing sane. */
  readonly maxLength: number;

  constructor(
    private readonly inner: XenovaTokenizer,
    config: Record<string, unknown>,
    /** The raw tokenizer files, written back unchanged when the model is saved. */
    readonly files: Map<string, Uint8Array>,
  ) {
    const id = (field: string, fallback: string): number | undefined => {
      const tok = typeof config[field] === 'string' ? (config[field] as string) : fallback;
      return inner.model.tokens_to_ids.get(tok);
    };
    const required = (field: string, fallback: string): number => {
      const v = id(field, fallback);
      if (v === undefined) throw new Error(`tokenizer: the vocabulary has no ${field} (${String(config[field] ?? fallback)})`);
      return v;
    };
    this.padId = required('pad_token', '[PAD]');
    this.clsId = required('cls_token', '[CLS]');
    this.sepId = required('sep_token', '[SEP]');
    this.unkId = required('unk_token', '[UNK]');
    this.maskId = id('mask_token', '[MASK]');
    const m = Number(config.model_max_length);
    this.maxLength = Number.isInteger(m) && m >= 2 && m <= 1_000_000 ? m : 512;
  }

  get vocabSize(): number {
    return this.inner.model.vocab.length;
  }

  /**
   * [CLS] pieces [SEP] for one text. When longer than maxLength, the pieces are cut and the final
   * [SEP] is kept (the model was trained with it).
   */
  encode(text: string, maxLength = this.maxLength): Encoding {
    if (!Number.isInteger(maxLength) || maxLength < 2) throw new Error(`maxLength must be an integer ≥ 2, got ${maxLength}`);
    let ids = this.inner.encode(text);
    if (ids.length > maxLength) ids = [...ids.slice(0, maxLength - 1), ids[ids.length - 1]];
    return { inputIds: ids, tokens: this.idsToTokens(ids) };
  }

  idsToTokens(ids: number[]): string[] {
    return this.inner.model.convert_ids_to_tokens(ids);
  }

  tokenToId(token: string): number | undefined {
    return this.inner.model.tokens_to_ids.get(token);
  }

  decode(ids: number[]): string {
    return this.inner.decode(ids, { skip_special_tokens: true });
  }

  /**
   * Reads tokenizer.json (or builds it from vocab.txt) and tokenizer_config.json from a source.
   * Throws with the source and file names when neither tokenizer.json nor vocab.txt is there.
   */
  static async fromSource(source: FileSource): Promise<BertTokenizer> {
    const files = new Map<string, Uint8Array>();
    for (const name of TOKENIZER_FILES) {
      const bytes = await readOptional(source, name);
      if (bytes) files.set(name, bytes);
    }
    return BertTokenizer.fromFiles(files, source.description);
  }

  static fromFiles(files: Map<string, Uint8Array>, description = 'tokenizer files'): BertTokenizer {
    const text = (name: string) => {
      const b = files.get(name);
      return b ? new TextDecoder().decode(b) : undefined;
    };
    const parse = (name: string): Record<string, unknown> | undefined => {
      const t = text(name);
      if (t === undefined) return undefined;
      try {
        return JSON.parse(t) as Record<string, unknown>;
      } catch (err) {
        throw new Error(`${description}/${name} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
      }
    };
    const config = parse('tokenizer_config.json') ?? {};
    // Legacy checkpoints keep the special tokens only in special_tokens_map.json.
    const specialMap = parse('special_tokens_map.json') ?? {};
    for (const [k, v] of Object.entries(specialMap)) {
      if (config[k] === undefined && typeof v === 'string') config[k] = v;
    }
    let tokenizerJson = parse('tokenizer.json');
    // The file the vocabulary comes from, named in every message about it.
    const vocabFile = `${description}/${tokenizerJson ? 'tokenizer.json' : 'vocab.txt'}`;
    if (!tokenizerJson) {
      const vocab = text('vocab.txt');
      if (vocab === undefined) throw new FileNotFoundError('tokenizer.json (or vocab.txt)', description);
      try {
        tokenizerJson = bertTokenizerJsonFromVocab(vocab, config.do_lower_case !== false);
      } catch (err) {
        throw new Error(`${vocabFile}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const className = typeof config.tokenizer_class === 'string' ? config.tokenizer_class.replace(/Fast$/, '') : 'BertTokenizer';
    const cls = AutoTokenizer.TOKENIZER_CLASS_MAPPING[className] ?? PreTrainedTokenizer;
    let inner: XenovaTokenizer;
    try {
      inner = new cls(tokenizerJson, config);
    } catch (err) {
      const with_ = files.has('tokenizer_config.json') ? ' (with tokenizer_config.json)' : '';
      throw new Error(`${vocabFile}: cannot build a ${className} from it${with_}: ${err instanceof Error ? err.message : String(err)}`);
    }
    try {
      return new BertTokenizer(inner, config, files);
    } catch (err) {
      throw new Error(`${vocabFile}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
