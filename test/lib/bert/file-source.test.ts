import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { useWasmBackend } from '../../helpers/wasm-backend';
import { hubSource, urlSource, FileNotFoundError, type FileProgress } from '../../../src/lib/bert/file-source';
import { loadBert } from '../../../src/lib/bert/load';
import { BertTokenizer } from '../../../src/lib/bert/tokenizer';

const FIXTURE = fileURLToPath(new URL('../../fixtures/bert-ref/', import.meta.url));
const MODEL_FILES = ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt'];
const expected = JSON.parse(readFileSync(FIXTURE + 'expected.json', 'utf8')) as { sentences: { text: string; input_ids: number[]; tokens: string[] }[] };

useWasmBackend();

/** A fake hub: serves the fixture under /<repo>/resolve/<rev>/<file>, in small chunks, and logs requests. */
function fakeHub(repo: string, files: string[] = MODEL_FILES) {
  const requests: string[] = [];
  const fetchImpl = async (url: string): Promise<Response> => {
    requests.push(url);
    const m = new RegExp(`^https://hub\\.test/${repo}/resolve/main/([\\w.-]+)$`).exec(url);
    if (!m || !files.includes(m[1])) return new Response('Entry not found', { status: 404 });
    const bytes = new Uint8Array(readFileSync(FIXTURE + m[1]));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 65536) controller.enqueue(bytes.slice(i, i + 65536));
        controller.close();
      },
    });
    return new Response(stream, { headers: { 'content-length': String(bytes.length) } });
  };
  return { fetchImpl, requests };
}

/** Minimal Cache API stand-in (Node has none). */
function memoryCaches() {
  const store = new Map<string, Uint8Array>();
  const cache = {
    async match(url: string) {
      const b = store.get(url);
      return b ? new Response(b.slice(), { headers: { 'content-length': String(b.length) } }) : undefined;
    },
    async put(url: string, response: Response) {
      store.set(url, new Uint8Array(await response.arrayBuffer()));
    },
  };
  return { open: async () => cache as unknown as Cache, store };
}

describe('Hugging Face hub source', () => {
  it('loads a model by repo id with progress, then from the cache without network', async () => {
    const hub = fakeHub('org/tiny-bert');
    const caches = memoryCaches();
    const progress: FileProgress[] = [];
    const source = hubSource('org/tiny-bert', { endpoint: 'https://hub.test', fetch: hub.fetchImpl, cache: caches });
    const { model, tokenizer } = await loadBert(source, { onProgress: (p) => progress.push(p) });
    expect(model.config.hidden_size).toBe(32);
    expect(tokenizer.encode(expected.sentences[0].text).inputIds).toEqual(expected.sentences[0].input_ids);
    const total = readFileSync(FIXTURE + 'model.safetensors').length;
    const weightEvents = progress.filter((p) => p.file === 'model.safetensors');
    expect(weightEvents.length).toBeGreaterThan(3); // streamed in chunks
    expect(weightEvents.every((p) => p.total === total)).toBe(true);
    expect(weightEvents.at(-1)!.loaded).toBe(total);
    expect(weightEvents.map((p) => p.loaded)).toEqual([...weightEvents.map((p) => p.loaded)].sort((a, b) => a - b));
    expect(hub.requests).toContain('https://hub.test/org/tiny-bert/resolve/main/model.safetensors');
    model.dispose();

    // Second load: everything that exists comes from the cache; offline mode never fetches.
    const offline = hubSource('org/tiny-bert', { endpoint: 'https://hub.test', cache: caches, offline: true, fetch: () => Promise.reject(new Error('network used')) });
    const again = await loadBert(offline);
    expect(Array.from(await again.model.read('classifier.bias'))).toHaveLength(2);
    again.model.dispose();
  });

  it('says clearly when a repo has no model.safetensors', async () => {
    const hub = fakeHub('org/bin-only', MODEL_FILES.filter((f) => f !== 'model.safetensors'));
    const source = hubSource('org/bin-only', { endpoint: 'https://hub.test', fetch: hub.fetchImpl, cache: null });
    await expect(loadBert(source)).rejects.toThrow(/huggingface\.co\/org\/bin-only has no model\.safetensors/);
  });

  it('rejects a malformed repo id and reports HTTP errors', async () => {
    expect(() => hubSource('../etc/passwd')).toThrow(/not a Hugging Face repo id/);
    const source = hubSource('org/private', { endpoint: 'https://hub.test', cache: null, fetch: async () => new Response('', { status: 401 }) });
    await expect(source.readFile('config.json')).rejects.toThrow(/needs authentication \(HTTP 401\)/);
  });
});

describe('URL source', () => {
  it('reads files under a base URL and maps 404 to FileNotFoundError', async () => {
    const served = new Map(readdirSync(FIXTURE).map((f) => [`/models/tiny/${f}`, new Uint8Array(readFileSync(FIXTURE + f))]));
    const source = urlSource('/models/tiny', async (url) => {
      const b = served.get(url);
      return b ? new Response(b.slice()) : new Response('', { status: 404 });
    });
    const { model } = await loadBert(source);
    expect(model.hasGroup('classifier')).toBe(true);
    model.dispose();
    await expect(source.readFile('missing.bin')).rejects.toBeInstanceOf(FileNotFoundError);
    await expect(source.readFile('../secret')).rejects.toThrow(/invalid model file name/);
  });
});

describe('tokenizer from vocab.txt only', () => {
  it('builds the same tokenizer as tokenizer.json for a checkpoint that ships only vocab.txt', () => {
    const files = new Map([
      ['vocab.txt', new Uint8Array(readFileSync(FIXTURE + 'vocab.txt'))],
      ['tokenizer_config.json', new TextEncoder().encode(JSON.stringify({ do_lower_case: true, model_max_length: 512 }))],
    ]);
    const tok = BertTokenizer.fromFiles(files);
    for (const s of expected.sentences) {
      const enc = tok.encode(s.text);
      expect(enc.inputIds).toEqual(s.input_ids);
      expect(enc.tokens).toEqual(s.tokens);
    }
  });

  it('truncates to maxLength keeping [SEP]', () => {
    const tok = BertTokenizer.fromFiles(new Map([['vocab.txt', new Uint8Array(readFileSync(FIXTURE + 'vocab.txt'))]]));
    const s = expected.sentences[0];
    const enc = tok.encode(s.text, 6);
    expect(enc.inputIds).toEqual([...s.input_ids.slice(0, 5), 3]);
    expect(enc.tokens.at(-1)).toBe('[SEP]');
    expect(() => tok.encode(s.text, 1)).toThrow(/maxLength/);
  });
});
