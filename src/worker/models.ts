/**
 * The base model the user picked, on the worker side: bundled (models/index.json), from the
 * Hugging Face hub (downloaded with progress, kept in the Cache API by `hubSource`), or from local
 * files. Local files are stored in IndexedDB as a `base` model record, so an experiment started from
 * them survives a reload and a shared link names them by id.
 */
import { loadBert, type LoadedBert } from '../lib/bert/load';
import { hubSource, memorySource, urlSource, type FileSource } from '../lib/bert/file-source';
import { predictLogits, softmaxRow } from '../lib/bert/batch';
import type { ModelRecord } from '../lib/store/records';
import type { Store } from '../lib/store/store';
import { bundledModelPath } from '../lib/pipeline/app-index';
import type { BackendGuard } from './backend-guard';
import type { BundledModel, DownloadProgress, ForwardResult, ModelRef, ModelSummary } from './protocol';

export class ModelService {
  private loaded: { ref: ModelRef; bert: LoadedBert; bytes: number; storedId?: string } | null = null;

  constructor(private readonly store: () => Promise<Store>, private readonly appBase: string, private readonly backend: BackendGuard) {}

  async bundledIndex(): Promise<BundledModel[]> {
    const url = new URL('models/index.json', this.appBase);
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url.pathname}: HTTP ${res.status}; the bundled models are missing from this deployment`);
    return (await res.json()) as BundledModel[];
  }

  /** A FileSource for a reference; uploads come as `files`. */
  async sourceFor(ref: ModelRef, files?: Record<string, Uint8Array>): Promise<FileSource> {
    switch (ref.kind) {
      case 'bundled': {
        if (!/^[\w.-]+$/.test(ref.name)) throw new Error(`"${ref.name}" is not a bundled model name`);
        return urlSource(new URL(`models/${bundledModelPath(await this.bundledIndex(), ref.name)}`, this.appBase).href);
      }
      case 'hub':
        return hubSource(ref.id);
      case 'files':
        if (!files) throw new Error('no files were given for a local model');
        return memorySource(files, ref.label);
      case 'stored': {
        const store = await this.store();
        const [record, stored] = await Promise.all([store.models.get(ref.id), store.models.getFiles(ref.id)]);
        if (!record || !stored) throw new Error(`model "${ref.id}" is not stored in this browser (deleted, or the link comes from another browser)`);
        return memorySource({ ...(stored.files ?? {}), 'model.safetensors': stored.safetensors }, `stored model ${ref.id}`);
      }
    }
  }

  async load(ref: ModelRef, files?: Record<string, Uint8Array>, onProgress?: (p: DownloadProgress) => void): Promise<ModelSummary> {
    if (!this.backend.current) throw new Error('the backend is not initialised yet');
    let bytes = 0;
    const source = await this.sourceFor(ref, files);
    const bert = await loadBert(source, {
      onProgress: (p) => {
        if (p.file === 'model.safetensors' && p.total) bytes = p.total;
        onProgress?.({ file: p.file, loaded: p.loaded, total: p.total });
      },
    });
    let storedRef = ref;
    let storedId: string | undefined;
    if (ref.kind === 'files' && files) {
      // Keep the upload: experiments name their base model by id and must find it after a reload.
      storedId = `upload:${ref.label.replace(/[^\w.-]+/g, '-').slice(0, 40)}:${Date.now().toString(36)}`;
      const { 'model.safetensors': safetensors, ...rest } = files;
      const record: ModelRecord = {
        id: storedId, kind: 'base', base: ref.label, config: bert.model.config, createdAt: new Date().toISOString(),
      };
      try {
        await (await this.store()).models.putWithFiles(record, { safetensors, files: rest });
      } catch (e) {
        bert.model.dispose();
        throw e;
      }
      storedRef = { kind: 'stored', id: storedId };
    } else if (ref.kind === 'stored') {
      storedId = ref.id;
    }
    this.loaded?.bert.model.dispose();
    this.loaded = { ref: storedRef, bert, bytes: bytes || bert.model.size() * 4, storedId };
    return this.summary();
  }

  get current(): LoadedBert | null {
    return this.loaded?.bert ?? null;
  }

  get currentRef(): ModelRef | null {
    return this.loaded?.ref ?? null;
  }

  summary(): ModelSummary {
    if (!this.loaded) throw new Error('no model is loaded');
    const c = this.loaded.bert.model.config;
    return {
      ref: this.loaded.ref,
      ...(this.loaded.storedId ? { storedId: this.loaded.storedId } : {}),
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

  /** Uploaded base models kept in the store. */
  async storedBaseModels(): Promise<{ id: string; label: string; createdAt: string }[]> {
    const records = await (await this.store()).models.listBy('kind', 'base');
    return records.map((r) => ({ id: r.id, label: r.base, createdAt: r.createdAt }));
  }

  async deleteStored(id: string): Promise<void> {
    await (await this.store()).models.delete(id);
  }

  async forward(texts: string[]): Promise<ForwardResult[]> {
    await this.backend.settled();
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

  /** Frees the weights (before a backend switch: they live on the old backend). */
  unload(): ModelRef | null {
    const ref = this.loaded?.ref ?? null;
    this.loaded?.bert.model.dispose();
    this.loaded = null;
    return ref;
  }
}
