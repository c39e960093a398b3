import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderSource } from '../../../src/lib/bert/file-source.node.js';
import { loadBert, type LoadedBert } from '../../../src/lib/bert/load';
import { explainDocuments } from '../../../src/lib/explain/explain-documents';
import { StoreAttributionCache, fromAttributionRecord, readAttribution } from '../../../src/lib/pipeline/attribution-store';
import { workClock } from '../../../src/lib/pipeline/clock';
import { openFolderStore } from '../../../src/lib/store/folder.node.js';
import { openIdbStore } from '../../../src/lib/store/idb';
import type { Store } from '../../../src/lib/store/store';
import { useWasmBackend } from '../../helpers/wasm-backend';

useWasmBackend();
const FIXTURE = fileURLToPath(new URL('../../../models/fixture-tiny/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'pipeline-attr-'));
let bert: LoadedBert;
beforeAll(async () => {
  bert = await loadBert(folderSource(FIXTURE));
});
afterAll(() => {
  bert.model.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const DOCS = [
  { id: 'a', text: 'flooding near the river, people evacuated' },
  { id: 'b', text: 'smoke and fire over the hills tonight' },
];

describe.each([
  ['folder', () => openFolderStore(mkdtempSync(join(dir, 's-')))],
  ['IndexedDB', () => openIdbStore({ name: `attr-${process.pid}` })],
] as [string, () => Promise<Store>][])('StoreAttributionCache on the %s store', (_name, open) => {
  it('stores each document once and reads back exactly what was computed', async () => {
    const store = await open();
    const options = { modelId: 'm1', nSteps: 4, method: 'gausslegendre' as const };
    const fresh = await explainDocuments(bert.model, bert.tokenizer, DOCS, options);
    const cache = new StoreAttributionCache(store, 'exp', workClock(), 5);
    const first = await explainDocuments(bert.model, bert.tokenizer, DOCS, { ...options, cache });
    expect(first.computed).toBe(2);
    expect(first.attributions).toEqual(fresh.attributions);
    const second = await explainDocuments(bert.model, bert.tokenizer, DOCS, { ...options, cache });
    expect(second).toMatchObject({ computed: 0, fromCache: 2 });
    // Norms, normalised scores, layer means and terms are recomputed from the stored raw sums: equal, not close.
    expect(second.attributions).toEqual(fresh.attributions);
    const rec = await readAttribution(store, { modelId: 'm1', docId: 'b', method: 'gausslegendre', nSteps: 4, target: 1 });
    expect(rec).toMatchObject({ id: 'm1::b::gausslegendre:4:1', modelId: 'm1', docId: 'b', experimentId: 'exp', elapsedMs: 5, layers: 2, nSteps: 4 });
    expect(rec!.terms).toEqual(fresh.attributions[1].terms.map((t) => t.term));
    expect(fromAttributionRecord(rec!)).toEqual(fresh.attributions[1]);
    // Other conductance settings are a miss, not a wrong hit.
    expect(await readAttribution(store, { modelId: 'm1', docId: 'b', method: 'gausslegendre', nSteps: 8, target: 1 })).toBeUndefined();
    const other = await explainDocuments(bert.model, bert.tokenizer, DOCS.slice(0, 1), { ...options, nSteps: 3, cache });
    expect(other.computed).toBe(1);
    // Both settings stay stored: the second did not overwrite the first.
    const both = await store.attributions.listBy('docId', 'a');
    expect(both.map((r) => r.nSteps).sort()).toEqual([3, 4]);
    expect(fromAttributionRecord((await readAttribution(store, { modelId: 'm1', docId: 'a', method: 'gausslegendre', nSteps: 4, target: 1 }))!)).toEqual(fresh.attributions[0]);
    await store.close();
  });
});
