/**
 * The files of a lower-cased BERT WordPiece tokenizer in Hugging Face format, laid out exactly like
 * models/fixture-tiny (written by `transformers`/`tokenizers`): vocab.txt, tokenizer.json
 * (BertNormalizer, BertPreTokenizer, WordPiece model, TemplateProcessing [CLS] $A [SEP], WordPiece
 * decoder), tokenizer_config.json and special_tokens_map.json. `@xenova/transformers` and
 * `transformers` both load the folder.
 */
import { BERT_SPECIAL_TOKENS, CONTINUING_PREFIX } from './wordpiece-trainer';

export interface BertTokenizerFiles {
  'vocab.txt': string;
  'tokenizer.json': string;
  'tokenizer_config.json': string;
  'special_tokens_map.json': string;
}

export interface BertTokenizerFileOptions {
  /** The model's max_position_embeddings (tokenizer_config model_max_length). */
  modelMaxLength: number;
}

export function bertTokenizerFiles(vocab: readonly string[], opts: BertTokenizerFileOptions): BertTokenizerFiles {
  BERT_SPECIAL_TOKENS.forEach((t, i) => {
    if (vocab[i] !== t) throw new Error(`vocabulary entry ${i} must be ${t}, got ${JSON.stringify(vocab[i])}`);
  });
  const seen = new Set<string>();
  vocab.forEach((t, i) => {
    if (t === '' || /[\n\r]/.test(t)) throw new Error(`vocabulary entry ${i} (${JSON.stringify(t)}) is empty or contains a line break`);
    if (seen.has(t)) throw new Error(`vocabulary entry ${i} (${JSON.stringify(t)}) appears twice`);
    seen.add(t);
  });
  const [pad, unk, cls, sep, mask] = BERT_SPECIAL_TOKENS;
  const addedToken = (id: number, content: string) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  // A JS object would enumerate integer-like keys ("0", "1", …) first; HF writes the vocabulary in id
  // order, so it is spliced in as text.
  const VOCAB_PLACEHOLDER = '\u0000vocab\u0000';
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: BERT_SPECIAL_TOKENS.map((t, i) => addedToken(i, t)),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: cls, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: sep, type_id: 0 } }],
      pair: [
        { SpecialToken: { id: cls, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: sep, type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: sep, type_id: 1 } },
      ],
      special_tokens: {
        [cls]: { id: cls, ids: [vocab.indexOf(cls)], tokens: [cls] },
        [sep]: { id: sep, ids: [vocab.indexOf(sep)], tokens: [sep] },
      },
    },
    decoder: { type: 'WordPiece', prefix: CONTINUING_PREFIX, cleanup: true },
    model: { type: 'WordPiece', unk_token: unk, continuing_subword_prefix: CONTINUING_PREFIX, max_input_chars_per_word: 100, vocab: VOCAB_PLACEHOLDER },
  };
  const addedTokensDecoder: Record<string, object> = {};
  BERT_SPECIAL_TOKENS.forEach((t, i) => {
    addedTokensDecoder[String(i)] = { content: t, lstrip: false, normalized: false, rstrip: false, single_word: false, special: true };
  });
  const config = {
    added_tokens_decoder: addedTokensDecoder,
    clean_up_tokenization_spaces: true,
    cls_token: cls,
    do_basic_tokenize: true,
    do_lower_case: true,
    mask_token: mask,
    model_max_length: opts.modelMaxLength,
    never_split: null,
    pad_token: pad,
    sep_token: sep,
    strip_accents: null,
    tokenize_chinese_chars: true,
    tokenizer_class: 'BertTokenizer',
    unk_token: unk,
  };
  const specialMap = { cls_token: cls, mask_token: mask, pad_token: pad, sep_token: sep, unk_token: unk };
  return {
    'vocab.txt': vocab.join('\n') + '\n',
    'tokenizer.json':
      JSON.stringify(tokenizer, null, 2).replace(
        JSON.stringify(VOCAB_PLACEHOLDER),
        '{\n' + vocab.map((t, i) => `      ${JSON.stringify(t)}: ${i}`).join(',\n') + '\n    }',
      ) + '\n',
    // transformers writes these two with a one-space indent.
    'tokenizer_config.json': JSON.stringify(config, null, 1) + '\n',
    'special_tokens_map.json': JSON.stringify(specialMap, null, 1) + '\n',
  };
}
