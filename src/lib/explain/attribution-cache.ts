/**
 * Conductance of a model on a document is computed once and reused by every pair that needs it
 * (a model M_A takes part in 2·(tasks−1) ordered pairs). The cache is keyed by everything the
 * result depends on: the model, the document, the interpolation method, n_steps and the target
 * logit. The internal batch size is not part of the key: it changes nothing but float32 summation
 * order (≤ 1e-6).
 *
 * The interface is what the pipeline adapts its persistent store (IndexedDB / folder) to; the
 * in-memory implementation serves the CLI, the tests and a single session.
 */
import type { DocAttribution } from './doc-attribution';
import type { ConductanceMethod } from './interpolation';

export interface AttributionKey {
  /** Stable id of the model (store id, folder path, hub id + revision…). */
  modelId: string;
  /** The document's id, or textHash(text) when it has none. */
  docId: string;
  method: ConductanceMethod;
  nSteps: number;
  target: number;
}

export interface AttributionCache {
  get(key: AttributionKey): Promise<DocAttribution | undefined>;
  put(key: AttributionKey, value: DocAttribution): Promise<void>;
}

/**
 * One string per key, e.g. for a store record id. Fields are JSON-encoded so that a `|` or any
 * other character inside a model or document id can never make two keys collide.
 */
export function attributionKeyString(key: AttributionKey): string {
  return JSON.stringify([key.modelId, key.docId, key.method, key.nSteps, key.target]);
}

/** A Map-backed cache. Values are stored as given (they are plain data; callers must not mutate them). */
export class MemoryAttributionCache implements AttributionCache {
  private readonly entries = new Map<string, DocAttribution>();

  async get(key: AttributionKey): Promise<DocAttribution | undefined> {
    return this.entries.get(attributionKeyString(key));
  }

  async put(key: AttributionKey, value: DocAttribution): Promise<void> {
    this.entries.set(attributionKeyString(key), value);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
