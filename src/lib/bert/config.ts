/**
 * BERT configuration with Hugging Face field names (config.json). Unknown fields are kept as they
 * are, so a loaded config is written back with everything it had.
 */

export type HiddenAct = 'gelu' | 'gelu_new' | 'gelu_pytorch_tanh' | 'relu';
const SUPPORTED_ACTS: readonly string[] = ['gelu', 'gelu_new', 'gelu_pytorch_tanh', 'relu'];

export interface BertConfig {
  vocab_size: number;
  hidden_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  intermediate_size: number;
  /** 'gelu' is the exact erf GELU (HF and the fixtures); the tanh variants are the approximation. */
  hidden_act: HiddenAct;
  max_position_embeddings: number;
  type_vocab_size: number;
  layer_norm_eps: number;
  hidden_dropout_prob: number;
  attention_probs_dropout_prob: number;
  initializer_range: number;
  pad_token_id: number;
  classifier_dropout?: number | null;
  num_labels?: number;
  id2label?: Record<string, string>;
  label2id?: Record<string, number>;
  architectures?: string[];
  model_type?: string;
  [field: string]: unknown;
}

/** HF `BertConfig` defaults for the fields a checkpoint may omit. */
const DEFAULTS = {
  hidden_act: 'gelu',
  max_position_embeddings: 512,
  type_vocab_size: 2,
  layer_norm_eps: 1e-12,
  hidden_dropout_prob: 0.1,
  attention_probs_dropout_prob: 0.1,
  initializer_range: 0.02,
  pad_token_id: 0,
} as const;

export class BertConfigError extends Error {}

/**
 * Sane ranges of the size fields, checked before anything is allocated: a config.json with
 * `num_hidden_layers: 1e9` or `hidden_size: 1e9` is refused in microseconds instead of building a
 * shape table for a billion layers. The upper ends leave room for every released BERT (BERT-large:
 * 24 layers, hidden 1024, intermediate 4096; multilingual vocabularies ~250k; long-context
 * variants 8192 positions) with a wide margin, while a model past them could not fit in a browser.
 */
export const CONFIG_BOUNDS = {
  num_hidden_layers: { min: 1, max: 128 },
  hidden_size: { min: 1, max: 16_384 },
  num_attention_heads: { min: 1, max: 1_024 },
  intermediate_size: { min: 1, max: 65_536 },
  vocab_size: { min: 1, max: 1_048_576 },
  max_position_embeddings: { min: 1, max: 131_072 },
  type_vocab_size: { min: 1, max: 1_024 },
  num_labels: { min: 1, max: 100_000 },
} as const satisfies Record<string, { min: number; max: number }>;

/**
 * Validates a parsed config.json. `source` names the file in error messages.
 * Throws BertConfigError naming the field and what was expected.
 */
export function parseBertConfig(json: unknown, source = 'config.json'): BertConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new BertConfigError(`${source}: expected a JSON object`);
  }
  const raw = json as Record<string, unknown>;
  const cfg: Record<string, unknown> = { ...raw };
  for (const [k, v] of Object.entries(DEFAULTS)) if (cfg[k] === undefined) cfg[k] = v;

  const fail = (field: string, expected: string): never => {
    throw new BertConfigError(`${source}: field "${field}" ${expected}, got ${JSON.stringify(cfg[field])}`);
  };
  const boundedInt = (field: keyof typeof CONFIG_BOUNDS) => {
    const v = cfg[field];
    const { min, max } = CONFIG_BOUNDS[field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(field, `must be an integer in [${min}, ${max}]`);
  };
  const probability = (field: string) => {
    const v = cfg[field];
    if (typeof v !== 'number' || !(v >= 0 && v < 1)) fail(field, 'must be a number in [0, 1)');
  };

  if (cfg.model_type !== undefined && cfg.model_type !== 'bert') {
    fail('model_type', 'must be "bert" (only BERT checkpoints are supported)');
  }
  for (const f of ['vocab_size', 'hidden_size', 'num_hidden_layers', 'num_attention_heads', 'intermediate_size', 'max_position_embeddings', 'type_vocab_size'] as const) {
    boundedInt(f);
  }
  if ((cfg.hidden_size as number) % (cfg.num_attention_heads as number) !== 0) {
    fail('hidden_size', `must be divisible by num_attention_heads (${String(cfg.num_attention_heads)})`);
  }
  if (typeof cfg.hidden_act !== 'string' || !SUPPORTED_ACTS.includes(cfg.hidden_act)) {
    fail('hidden_act', `must be one of ${SUPPORTED_ACTS.join(', ')}`);
  }
  if (typeof cfg.layer_norm_eps !== 'number' || !(cfg.layer_norm_eps > 0)) fail('layer_norm_eps', 'must be a positive number');
  probability('hidden_dropout_prob');
  probability('attention_probs_dropout_prob');
  if (cfg.classifier_dropout !== undefined && cfg.classifier_dropout !== null) probability('classifier_dropout');
  if (typeof cfg.initializer_range !== 'number' || !(cfg.initializer_range > 0)) fail('initializer_range', 'must be a positive number');
  if (typeof cfg.pad_token_id !== 'number' || !Number.isInteger(cfg.pad_token_id) || cfg.pad_token_id < 0 || cfg.pad_token_id >= (cfg.vocab_size as number)) {
    fail('pad_token_id', `must be an integer in [0, vocab_size)`);
  }
  if (cfg.position_embedding_type !== undefined && cfg.position_embedding_type !== 'absolute') {
    fail('position_embedding_type', 'must be "absolute" (relative position embeddings are not supported)');
  }
  if (cfg.num_labels !== undefined) boundedInt('num_labels');
  if (cfg.id2label !== undefined) {
    const v = cfg.id2label;
    if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.values(v).every((s) => typeof s === 'string')) {
      fail('id2label', 'must be an object mapping ids to label names');
    }
  }
  return cfg as BertConfig;
}

/** Number of classifier outputs: num_labels, else the size of id2label, else 2 (HF default). */
export function numLabels(config: BertConfig): number {
  if (typeof config.num_labels === 'number') return config.num_labels;
  if (config.id2label) return Object.keys(config.id2label).length;
  return 2;
}

export function headSize(config: BertConfig): number {
  return config.hidden_size / config.num_attention_heads;
}

/** Dropout before the classifier: HF uses classifier_dropout when set, else hidden_dropout_prob. */
export function classifierDropout(config: BertConfig): number {
  return config.classifier_dropout ?? config.hidden_dropout_prob;
}

/** config.json text as Hugging Face writes it (indent 2, sorted keys, trailing newline). */
export function serializeBertConfig(config: BertConfig): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
    }
    return v;
  };
  return JSON.stringify(sortKeys(config), null, 2) + '\n';
}
