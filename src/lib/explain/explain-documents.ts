/**
 * Conductance of one model on a list of documents, through the attribution cache: what the
 * pipeline's conductance step, the CLI and the explorer call. The model's weights are prepared
 * once (FrozenBert) for the whole list.
 */
import type { BertModel } from '../bert/model';
import type { BertTokenizer } from '../bert/tokenizer';
import type { AttributionCache, AttributionKey } from './attribution-cache';
import { attributeDocument, type DocAttribution, type DocAttributionOptions } from './doc-attribution';
import { FrozenBert } from './frozen-forward';
import { DEFAULT_METHOD, DEFAULT_N_STEPS, DEFAULT_TARGET } from './layer-conductance';
import { textHash } from '../util/hash';

export interface ExplainDocument {
  /** Stable id (cache key); textHash(text) when absent. */
  id?: string;
  text: string;
}

export interface ExplainProgress {
  /** Documents finished so far (computed or from the cache) and in all. */
  done: number;
  total: number;
  computed: number;
  fromCache: number;
  /** The document just finished. */
  docId: string;
}

export interface ExplainOptions extends DocAttributionOptions {
  /** Identifies the model in cache keys. */
  modelId: string;
  cache?: AttributionCache;
  /** Longest token sequence ([CLS]/[SEP] included); default the tokenizer's and the model's limit. */
  maxLength?: number;
  onProgress?: (p: ExplainProgress) => void;
}

export interface ExplainResult {
  /** One per document, in input order. */
  attributions: DocAttribution[];
  /** How many were computed now and how many came from the cache. */
  computed: number;
  fromCache: number;
}

export async function explainDocuments(
  model: BertModel,
  tokenizer: BertTokenizer,
  docs: readonly ExplainDocument[],
  options: ExplainOptions,
): Promise<ExplainResult> {
  const method = options.method ?? DEFAULT_METHOD;
  const nSteps = options.nSteps ?? DEFAULT_N_STEPS;
  const target = options.target ?? DEFAULT_TARGET;
  const maxLength = options.maxLength ?? Math.min(tokenizer.maxLength, model.config.max_position_embeddings);
  docs.forEach((d, i) => {
    if (typeof d?.text !== 'string') throw new Error(`explainDocuments: document ${i}${d?.id ? ` (${d.id})` : ''} has no text`);
  });
  const special = { clsId: tokenizer.clsId, sepId: tokenizer.sepId, padId: tokenizer.padId };
  const attributions: DocAttribution[] = [];
  let computed = 0;
  let fromCache = 0;
  let frozen: FrozenBert | undefined;
  try {
    for (const doc of docs) {
      options.signal?.throwIfAborted();
      const docId = doc.id ?? textHash(doc.text);
      const key: AttributionKey = { modelId: options.modelId, docId, method, nSteps, target };
      let attribution = await options.cache?.get(key);
      if (attribution) {
        fromCache++;
      } else {
        frozen ??= new FrozenBert(model);
        const encoding = tokenizer.encode(doc.text, maxLength);
        attribution = await attributeDocument(frozen, encoding, special, {
          method,
          nSteps,
          target,
          internalBatchSize: options.internalBatchSize,
          memoryBudgetBytes: options.memoryBudgetBytes,
          signal: options.signal,
        });
        await options.cache?.put(key, attribution);
        computed++;
      }
      attributions.push(attribution);
      options.onProgress?.({ done: attributions.length, total: docs.length, computed, fromCache, docId });
    }
  } finally {
    frozen?.dispose();
  }
  return { attributions, computed, fromCache };
}
