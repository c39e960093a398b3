/**
 * Loading and saving a Hugging Face BERT folder: config.json, model.safetensors and the tokenizer
 * files, from any FileSource.
 */
import { parseBertConfig, serializeBertConfig, type BertConfig } from './config';
import { FileNotFoundError, type FileSource, type ProgressCallback } from './file-source';
import type { BertModel } from './model';
import { BertTokenizer } from './tokenizer';
import { modelFromSafetensors, modelToSafetensors, type BertHead } from './weights';

export interface LoadOptions {
  /** Which head to load or create (default 'classification'). */
  head?: BertHead;
  /** Seed for heads the checkpoint lacks. */
  seed?: number;
  /** Download progress per file (hub and URL sources stream; folders report once). */
  onProgress?: ProgressCallback;
}

export interface LoadedBert {
  model: BertModel;
  tokenizer: BertTokenizer;
}

export async function loadConfig(source: FileSource): Promise<BertConfig> {
  const text = await source.readText('config.json');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source.description}/config.json is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseBertConfig(json, `${source.description}/config.json`);
}

export async function loadBert(source: FileSource, options: LoadOptions = {}): Promise<LoadedBert> {
  const config = await loadConfig(source);
  const tokenizer = await BertTokenizer.fromSource(source);
  if (tokenizer.vocabSize > config.vocab_size) {
    throw new Error(`${source.description}: the tokenizer has ${tokenizer.vocabSize} tokens but config.json says vocab_size ${config.vocab_size}`);
  }
  let weights: Uint8Array;
  try {
    weights = await source.readFile('model.safetensors', options.onProgress);
  } catch (err) {
    if (err instanceof FileNotFoundError) {
      throw new Error(
        `${source.description} has no model.safetensors; TransferScope reads only safetensors weights ` +
          `(a repo with only pytorch_model.bin can be converted with transformers: save_pretrained(dir, safe_serialization=True))`,
      );
    }
    throw err;
  }
  const model = modelFromSafetensors(config, weights, {
    head: options.head,
    seed: options.seed,
    source: `${source.description}/model.safetensors`,
    configSource: `${source.description}/config.json`,
  });
  return { model, tokenizer };
}

/** `architectures` as HF would write it for the heads this model has. */
function architectureOf(model: BertModel): string {
  if (model.has('classifier.weight')) return 'BertForSequenceClassification';
  if (model.has('cls.predictions.bias')) return 'BertForMaskedLM';
  return 'BertModel';
}

/**
 * The files of an HF-format folder: config.json, model.safetensors and (when given) the tokenizer
 * files exactly as they were loaded.
 */
export async function saveBert(model: BertModel, tokenizer?: BertTokenizer): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const config: BertConfig = { ...model.config, architectures: [architectureOf(model)] };
  files.set('config.json', new TextEncoder().encode(serializeBertConfig(config)));
  files.set('model.safetensors', await modelToSafetensors(model));
  if (tokenizer) for (const [name, bytes] of tokenizer.files) files.set(name, bytes);
  return files;
}
