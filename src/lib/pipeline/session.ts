/**
 * What one run of the pipeline holds in memory: the base model and its tokenizer (loaded once, used
 * by every single-task job), the token ids of the documents (encoded once, on demand), and at most
 * one source model for transfer jobs (consecutive transfer jobs share their source, so it is loaded
 * once per source rather than once per job). Everything is disposed by `dispose()`.
 */
import { parseBertConfig } from '../bert/config';
import { loadBert } from '../bert/load';
import type { BertModel } from '../bert/model';
import type { BertTokenizer } from '../bert/tokenizer';
import { modelFromSafetensors } from '../bert/weights';
import type { Store } from '../store/store';
import type { TrainExample } from '../train/fine-tune';
import { describeBaseModel, ExperimentMismatchError } from './experiment';
import type { PreparedData } from './prepare';
import type { ExperimentSpec } from './spec';
import type { BaseModelInfo, PipelineEnv } from './types';

export class Session {
  private readonly encoded = new Map<number, number[]>();
  private cachedSource: { id: string; model: BertModel } | undefined;

  private constructor(
    readonly store: Store,
    readonly base: BertModel,
    readonly tokenizer: BertTokenizer,
    readonly maxLength: number,
    readonly prepared: PreparedData,
  ) {}

  /** Loads the base model, checking it is the one the experiment was planned with. */
  static async open(env: PipelineEnv, spec: ExperimentSpec, expected: BaseModelInfo, prepared: PreparedData): Promise<Session> {
    const source = await env.modelSource(spec.model, env.store);
    const info = await describeBaseModel(source, spec);
    if (info.fingerprint !== expected.fingerprint) {
      throw new ExperimentMismatchError(
        `the base model ${info.description} changed since the experiment started (fingerprint ${expected.fingerprint}, now ${info.fingerprint}); ` +
          'its results would mix two models. Start a new experiment for the new model.',
      );
    }
    const { model, tokenizer } = await loadBert(source, { seed: spec.seed });
    return new Session(env.store, model, tokenizer, expected.maxLength, prepared);
  }

  get padId(): number {
    return this.tokenizer.padId;
  }

  /** Token ids of a document of the prepared data set ([CLS] … [SEP], truncated to maxLength). */
  ids(docIndex: number): number[] {
    let ids = this.encoded.get(docIndex);
    if (!ids) {
      ids = this.tokenizer.encode(this.prepared.dataset.docs[docIndex].text, this.maxLength).inputIds;
      this.encoded.set(docIndex, ids);
    }
    return ids;
  }

  /** Binary examples for a task: label 1 when the document is positive for it. */
  examples(task: string, docIndices: readonly number[]): TrainExample[] {
    const docs = this.prepared.dataset.docs;
    return docIndices.map((i) => ({ inputIds: this.ids(i), label: docs[i].labels.includes(task) ? 1 : 0 }));
  }

  /** A stored single-task model; the caller disposes it. */
  async loadStoredModel(id: string): Promise<BertModel> {
    const record = await this.store.models.get(id);
    const files = await this.store.models.getFiles(id);
    if (!record || !files) throw new Error(`model "${id}" is missing from the store (${this.store.location})`);
    const config = parseBertConfig(record.config, `stored model ${id} (config)`);
    return modelFromSafetensors(config, files.safetensors, { head: 'classification', source: `stored model ${id}` });
  }

  /**
   * A source model for transfer, kept until another one is asked for or the session ends. The caller
   * must not dispose it.
   */
  async sourceModel(id: string): Promise<BertModel> {
    if (this.cachedSource?.id === id) return this.cachedSource.model;
    this.releaseSource();
    const model = await this.loadStoredModel(id);
    this.cachedSource = { id, model };
    return model;
  }

  releaseSource(): void {
    this.cachedSource?.model.dispose();
    this.cachedSource = undefined;
  }

  dispose(): void {
    this.releaseSource();
    this.base.dispose();
  }
}
