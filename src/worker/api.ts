/**
 * What the worker does on behalf of the page: backend choice, model loading and inference.
 * Runs inside the Web Worker, where tfjs lives; methods return plain data only.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../lib/runtime/backend.browser';
import { loadBert, type LoadedBert } from '../lib/bert/load';
import { hubSource, memorySource, urlSource, type FileSource } from '../lib/bert/fileSource';
import { predictLogits, softmaxRow } from '../lib/bert/batch';
import type { BackendInfo, BackendPreference, DownloadProgress, ForwardResult, ModelRef, ModelSummary } from './protocol';

export class WorkerApi {
  private backend: BackendInfo | null = null;
  private loaded: { ref: ModelRef; bert: LoadedBert; bytes: number } | null = null;

  /** `appBase`: the page's base URL, so bundled files resolve from inside the worker too. */
  constructor(private readonly appBase: string) {}

  async init(preference: BackendPreference): Promise<BackendInfo> {
    this.backend = await initBackend(preference);
    return this.backend;
  }

  private sourceFor(ref: ModelRef, files?: Record<string, Uint8Array>): FileSource {
    switch (ref.kind) {
      case 'bundled':
        if (!/^[\w.-]+$/.test(ref.name)) throw new Error(`"${ref.name}" is not a bundled model name`);
        return urlSource(new URL(`models/${ref.name}/`, this.appBase).href);
      case 'hub':
        return hubSource(ref.id);
      case 'files':
        if (!files) throw new Error('no files were given for a local model');
        return memorySource(files, ref.label);
    }
  }

  async loadModel(
    ref: ModelRef,
    files?: Record<string, Uint8Array>,
    onProgress?: (p: DownloadProgress) => void,
  ): Promise<ModelSummary> {
    if (!this.backend) throw new Error('the backend is not initialised yet');
    let bytes = 0;
    const bert = await loadBert(this.sourceFor(ref, files), {
      onProgress: (p) => {
        if (p.file === 'model.safetensors' && p.total) bytes = p.total;
        onProgress?.({ file: p.file, loaded: p.loaded, total: p.total });
      },
    });
    this.loaded?.bert.model.dispose();
    const size = bert.model.size();
    this.loaded = { ref, bert, bytes: bytes || size * 4 };
    return this.summary();
  }

  summary(): ModelSummary {
    if (!this.loaded) throw new Error('no model is loaded');
    const c = this.loaded.bert.model.config;
    return {
      ref: this.loaded.ref,
      layers: c.num_hidden_layers,
      hidden: c.hidden_size,
      heads: c.num_attention_heads,
      intermediate: c.intermediate_size,
      vocabSize: c.vocab_size,
      maxPositions: c.max_position_embeddings,
      parameters: this.loaded.bert.model.size(),
      bytes: this.loaded.bytes,
      notes: [...this.loaded.bert.model.notes],
    };
  }

  async forward(texts: string[]): Promise<ForwardResult[]> {
    if (!this.loaded) throw new Error('no model is loaded');
    const { model, tokenizer } = this.loaded.bert;
    const maxLength = Math.min(tokenizer.maxLength, model.config.max_position_embeddings);
    const encoded = texts.map((t) => tokenizer.encode(t, maxLength));
    const logits = await predictLogits(model, encoded.map((e) => e.inputIds), { padId: tokenizer.padId });
    return texts.map((text, i) => ({
      text,
      tokens: encoded[i].tokens,
      inputIds: encoded[i].inputIds,
      logits: logits[i],
      probabilities: softmaxRow(logits[i]),
    }));
  }

  memory(): { numTensors: number; numBytes: number } {
    const m = tf.memory();
    return { numTensors: m.numTensors, numBytes: m.numBytes };
  }
}
