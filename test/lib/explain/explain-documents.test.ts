import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from '../../helpers/wasm-backend';
import type { LoadedBert } from '../../../src/lib/bert/load';
import {
  attributionKeyString,
  MemoryAttributionCache,
  type AttributionCache,
  type AttributionKey,
} from '../../../src/lib/explain/attribution-cache';
import type { DocAttribution } from '../../../src/lib/explain/doc-attribution';
import { explainDocuments, type ExplainProgress } from '../../../src/lib/explain/explain-documents';
import { textHash } from '../../../src/lib/util/hash';
import { expected, loadModelA, maxAbsDiff } from './fixture';

useWasmBackend();

/** Counts what the pipeline's store adapter would see. */
class CountingCache implements AttributionCache {
  readonly inner = new MemoryAttributionCache();
  gets = 0;
  hits = 0;
  puts: AttributionKey[] = [];
  async get(key: AttributionKey) {
    this.gets++;
    const v = await this.inner.get(key);
    if (v) this.hits++;
    return v;
  }
  async put(key: AttributionKey, value: DocAttribution) {
    this.puts.push(key);
    await this.inner.put(key, value);
  }
}

let bert: LoadedBert;
beforeAll(async () => {
  bert = await loadModelA();
});
afterAll(() => bert.model.dispose());

const docs = expected.sentences.map((s, i) => ({ id: `doc-${i}`, text: s.text }));

describe('explainDocuments with the attribution cache', () => {
  it('explains 8 documents (fixture values), then serves them from the cache without recomputing, leaking no tensor', async () => {
    const cache = new CountingCache();
    const before = tf.memory().numTensors;
    const progress: ExplainProgress[] = [];
    const first = await explainDocuments(bert.model, bert.tokenizer, docs, { modelId: 'A', cache, onProgress: (p) => progress.push(p) });
    expect(tf.memory().numTensors).toBe(before);
    expect(first.computed).toBe(8);
    expect(first.fromCache).toBe(0);
    expect(cache.puts).toHaveLength(8);
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(progress.at(-1)).toMatchObject({ total: 8, computed: 8, fromCache: 0, docId: 'doc-7' });
    first.attributions.forEach((a, i) => {
      const want = expected.sentences[i].conductance.gausslegendre_50;
      expect(a.tokens).toEqual(expected.sentences[i].tokens);
      expect(maxAbsDiff(a.layerMeanNormalized, want.layer_mean_normalized)).toBeLessThan(1e-4);
    });

    const second = await explainDocuments(bert.model, bert.tokenizer, [...docs].reverse(), { modelId: 'A', cache });
    expect(second.computed).toBe(0);
    expect(second.fromCache).toBe(8);
    expect(cache.puts).toHaveLength(8);
    expect(second.attributions[0]).toBe(first.attributions[7]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keys by model, document, method, n_steps and target: any change computes anew', async () => {
    const cache = new CountingCache();
    const one = [docs[4]];
    await explainDocuments(bert.model, bert.tokenizer, one, { modelId: 'A', cache });
    const variants = [
      { modelId: 'B' },
      { modelId: 'A', method: 'riemann_trapezoid' as const },
      { modelId: 'A', nSteps: 10 },
      { modelId: 'A', target: 0 },
    ];
    for (const v of variants) {
      const r = await explainDocuments(bert.model, bert.tokenizer, one, { cache, ...v });
      expect(r.computed, JSON.stringify(v)).toBe(1);
    }
    const again = await explainDocuments(bert.model, bert.tokenizer, one, { modelId: 'A', cache, internalBatchSize: 5 });
    expect(again.fromCache).toBe(1);
    expect(cache.inner.size).toBe(5);
  });

  it('uses a hash of the text when a document has no id', async () => {
    const cache = new CountingCache();
    await explainDocuments(bert.model, bert.tokenizer, [{ text: docs[1].text }], { modelId: 'A', cache });
    expect(cache.puts[0].docId).toBe(textHash(docs[1].text));
    const r = await explainDocuments(bert.model, bert.tokenizer, [{ text: docs[1].text }], { modelId: 'A', cache });
    expect(r.fromCache).toBe(1);
  });

  it('stops when the signal aborts, between documents', async () => {
    const ctl = new AbortController();
    const before = tf.memory().numTensors;
    const run = explainDocuments(bert.model, bert.tokenizer, docs, {
      modelId: 'A',
      signal: ctl.signal,
      onProgress: (p) => {
        if (p.done === 2) ctl.abort(new Error('cancelled by the user'));
      },
    });
    await expect(run).rejects.toThrow(/cancelled by the user/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('an empty document ([CLS] [SEP] = its own baseline) gets zero scores, not NaN, and no terms', async () => {
    const r = await explainDocuments(bert.model, bert.tokenizer, [{ text: '' }], { modelId: 'A' });
    const a = r.attributions[0];
    expect(a.tokens).toEqual(['[CLS]', '[SEP]']);
    expect(a.layers.every((l) => l.rawTokenSums.every((v) => v === 0) && l.normalized.every((v) => v === 0))).toBe(true);
    expect(a.layerMeanNormalized).toEqual([0, 0]);
    expect(a.terms).toEqual([]);
  });

  it('rejects a document without text, naming it', async () => {
    await expect(explainDocuments(bert.model, bert.tokenizer, [{ id: 'x1', text: undefined as unknown as string }], { modelId: 'A' }))
      .rejects.toThrow(/document 0 \(x1\) has no text/);
  });
});

describe('cache keys and text hashes', () => {
  it('cannot make two different keys collide through separators', () => {
    const k = (modelId: string, docId: string): AttributionKey => ({ modelId, docId, method: 'gausslegendre', nSteps: 50, target: 1 });
    expect(attributionKeyString(k('a|b', 'c'))).not.toBe(attributionKeyString(k('a', 'b|c')));
    expect(attributionKeyString(k('a', 'b'))).toBe(attributionKeyString(k('a', 'b')));
  });
});
