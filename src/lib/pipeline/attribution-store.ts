/**
 * The explain module's AttributionCache on top of the store's `attributions` table, so conductance
 * computed once survives a reload and is shared by every pair (and the explorer).
 *
 * A record (store/records.ts) keeps the normalised per-layer scores, layer means and terms, and what
 * rebuilds the full DocAttribution exactly: the raw per-token sums (float32 values already, so a
 * Float32Array loses nothing), F(x), F(x′) and the convergence deltas. Reading a record back
 * derives norms, normalised scores, layer means and terms with the function that made them
 * (`docAttributionFromSums`), so ANSAT gives the same numbers from a stored attribution as from a
 * fresh one. Its id names
 * the model, the document and the conductance settings, so other settings are other records.
 *
 * Each record also carries the time its document took (`elapsedMs`, from the pipeline's clock): the
 * conductance cost in the honest accounting is their sum, which stays right when a conductance job
 * is interrupted and resumed (documents done before the interruption are not recomputed).
 *
 * A document's record is complete when written (one atomic put); an interrupted conductance job
 * leaves complete records of the documents it finished, which the resumed job reuses.
 */
import type { AttributionCache, AttributionKey } from '../explain/attribution-cache';
import { docAttributionFromSums, type DocAttribution } from '../explain/doc-attribution';
import type { AttributionRecord } from '../store/records';
import type { Store } from '../store/store';
import type { Clock, Measurement } from './clock';
import { recordIds } from './ids';

export function toAttributionRecord(
  key: AttributionKey,
  a: DocAttribution,
  experimentId: string,
  elapsedMs: number,
): AttributionRecord {
  const L = a.layers.length;
  const T = a.tokens.length;
  const perLayer = new Float32Array(L * T);
  const raw = new Float32Array(L * T);
  a.layers.forEach((layer, l) => {
    perLayer.set(layer.normalized, l * T);
    raw.set(layer.rawTokenSums, l * T);
  });
  return {
    id: recordIds.attribution(key),
    modelId: key.modelId,
    docId: key.docId,
    experimentId,
    tokens: [...a.tokens],
    layers: L,
    perLayer,
    layerMean: Float32Array.from(a.layerMeanNormalized),
    terms: a.terms.map((t) => t.term),
    termScores: Float32Array.from(a.terms, (t) => t.score),
    nSteps: a.nSteps,
    method: a.method,
    target: a.target,
    inputIds: Int32Array.from(a.inputIds),
    fInput: a.fInput,
    fBaseline: a.fBaseline,
    rawTokenSums: raw,
    convergenceDelta: Float64Array.from(a.layers, (l) => l.convergenceDelta),
    elapsedMs,
  };
}

export function fromAttributionRecord(r: AttributionRecord): DocAttribution {
  const T = r.tokens.length;
  return docAttributionFromSums({
    ...r,
    rawTokenSums: Array.from({ length: r.layers }, (_, l) => r.rawTokenSums.subarray(l * T, (l + 1) * T)),
  });
}

/** Records written before the id named the settings could hold other settings; check them anyway. */
const matches = (r: AttributionRecord, key: AttributionKey) =>
  r.nSteps === key.nSteps && r.method === key.method && r.target === key.target && r.rawTokenSums instanceof Float32Array;

/**
 * The cache one conductance job uses. It times each document from the cache miss to the put (the
 * explain loop does exactly get → compute → put per document), charging `unitsPerDocument` of work
 * to the deterministic clock.
 */
export class StoreAttributionCache implements AttributionCache {
  private readonly pending = new Map<string, Measurement>();

  constructor(
    private readonly store: Store,
    private readonly experimentId: string,
    private readonly clock: Clock,
    private readonly unitsPerDocument: number,
  ) {}

  async get(key: AttributionKey): Promise<DocAttribution | undefined> {
    const id = recordIds.attribution(key);
    const r = await this.store.attributions.get(id);
    if (r && matches(r, key)) return fromAttributionRecord(r);
    this.pending.set(id, this.clock.measure());
    return undefined;
  }

  async put(key: AttributionKey, value: DocAttribution): Promise<void> {
    const id = recordIds.attribution(key);
    const m = this.pending.get(id) ?? this.clock.measure();
    this.pending.delete(id);
    m.add(this.unitsPerDocument);
    await this.store.attributions.put(toAttributionRecord(key, value, this.experimentId, m.elapsedMs()));
  }
}

/** A stored attribution, if it was made with these conductance settings. */
export async function readAttribution(store: Store, key: AttributionKey): Promise<AttributionRecord | undefined> {
  const r = await store.attributions.get(recordIds.attribution(key));
  return r && matches(r, key) ? r : undefined;
}
