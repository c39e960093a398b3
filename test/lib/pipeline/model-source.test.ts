import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultModelSource, storedModelSource } from '../../../src/lib/pipeline/model-source';
import { openIdbStore } from '../../../src/lib/store/idb';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('defaultModelSource', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('reads a stored model: its weights, its files and its config', async () => {
    const store = await openIdbStore({ name: `model-source-${process.pid}` });
    await store.models.putWithFiles(
      { id: 'upload:x', kind: 'base', base: 'x', config: { hidden_size: 8 }, createdAt: '2025-01-01T00:00:00Z' },
      { safetensors: new Uint8Array([1, 2, 3]), files: { 'vocab.txt': new TextEncoder().encode('[PAD]\n') } },
    );
    const source = await defaultModelSource()({ kind: 'stored', id: 'upload:x' }, store);
    expect(await source.readFile('model.safetensors')).toEqual(new Uint8Array([1, 2, 3]));
    expect(text(await source.readFile('vocab.txt'))).toBe('[PAD]\n');
    expect(JSON.parse(text(await source.readFile('config.json')))).toEqual({ hidden_size: 8 });
    await expect(storedModelSource(store, 'nope')).rejects.toThrow(/model "nope" is not in the store/);
    await store.close();
  });

  it('finds a bundled model under the path models/index.json gives', async () => {
    const urls: string[] = [];
    vi.stubGlobal('fetch', async (u: URL | string) => {
      const url = String(u);
      urls.push(url);
      if (url.endsWith('models/index.json')) return new Response(JSON.stringify([{ name: 'small', path: 'bert-small-v2/' }]));
      if (url.endsWith('models/bert-small-v2/config.json')) return new Response('{"ok":true}');
      return new Response('', { status: 404 });
    });
    const store = await openIdbStore({ name: `model-source-b-${process.pid}` });
    const source = await defaultModelSource({ appBase: 'https://app.example/ts/' })({ kind: 'bundled', name: 'small' }, store);
    expect(await source.readText('config.json')).toBe('{"ok":true}');
    expect(urls).toEqual(['https://app.example/ts/models/index.json', 'https://app.example/ts/models/bert-small-v2/config.json']);
    await expect(defaultModelSource()({ kind: 'folder', path: '/tmp/m' }, store)).rejects.toThrow(/model folder "\/tmp\/m": folders on disk can only be read by the command line/);
    await expect(defaultModelSource()({ kind: 'bundled', name: 'small' }, store)).rejects.toThrow(/no app base URL/);
    await store.close();
  });
});
