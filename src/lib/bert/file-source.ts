/**
 * Where model files come from: a folder on disk (file-source.node.ts), a URL base (the bundled model
 * in the browser), or the Hugging Face hub by repo id. All give bytes by file name.
 */

export interface FileProgress {
  file: string;
  /** Bytes received so far. */
  loaded: number;
  /** Total bytes when known (Content-Length or cache size). */
  total: number | undefined;
}
export type ProgressCallback = (p: FileProgress) => void;

export interface FileSource {
  /** Human-readable origin, used in error messages ("folder models/x", "huggingface.co/org/id"). */
  readonly description: string;
  readonly kind: 'folder' | 'url' | 'hub' | 'memory';
  /** Throws FileNotFoundError when the file does not exist there. */
  readFile(name: string, onProgress?: ProgressCallback): Promise<Uint8Array>;
  readText(name: string): Promise<string>;
}

export class FileNotFoundError extends Error {
  constructor(readonly fileName: string, readonly sourceDescription: string) {
    super(`${sourceDescription}: ${fileName} not found`);
  }
}

/** Only plain file names: no paths, so a source never reads outside its folder or repo. */
export function checkFileName(name: string): void {
  if (!/^[\w.-]+$/.test(name) || name === '.' || name === '..') throw new Error(`invalid model file name "${name}"`);
}

/** Reads a file, or returns null when it does not exist (for optional files). */
export async function readOptional(source: FileSource, name: string, onProgress?: ProgressCallback): Promise<Uint8Array | null> {
  try {
    return await source.readFile(name, onProgress);
  } catch (err) {
    if (err instanceof FileNotFoundError) return null;
    throw err;
  }
}

/** Files already in memory (uploads, tests). */
export function memorySource(files: Map<string, Uint8Array> | Record<string, Uint8Array>, description = 'uploaded files'): FileSource {
  const map = files instanceof Map ? files : new Map(Object.entries(files));
  return {
    description,
    kind: 'memory',
    async readFile(name) {
      const f = map.get(name);
      if (!f) throw new FileNotFoundError(name, description);
      return f;
    },
    async readText(name) {
      return new TextDecoder().decode(await this.readFile(name));
    },
  };
}

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Reads a response body chunk by chunk, reporting progress. */
export async function readBody(response: Response, file: string, onProgress?: ProgressCallback): Promise<Uint8Array> {
  const header = response.headers.get('content-length');
  const total = header !== null && /^\d+$/.test(header) ? Number(header) : undefined;
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onProgress?.({ file, loaded: bytes.length, total: total ?? bytes.length });
    return bytes;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  onProgress?.({ file, loaded, total });
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onProgress?.({ file, loaded, total });
  }
  if (total !== undefined && loaded !== total) {
    throw new Error(`${file}: download incomplete (${loaded} of ${total} bytes)`);
  }
  const out = new Uint8Array(loaded);
  let pos = 0;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}

/** Files under a URL base, e.g. the model bundled with the app (`/models/fixture-tiny/`). */
export function urlSource(base: string, fetchImpl: FetchLike = (u, i) => fetch(u, i)): FileSource {
  const root = base.endsWith('/') ? base : base + '/';
  const description = root;
  return {
    description,
    kind: 'url',
    async readFile(name, onProgress) {
      checkFileName(name);
      const url = root + name;
      const response = await fetchImpl(url);
      if (response.status === 404) throw new FileNotFoundError(name, description);
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${response.statusText}`);
      return readBody(response, name, onProgress);
    },
    async readText(name) {
      return new TextDecoder().decode(await this.readFile(name));
    },
  };
}

export interface HubOptions {
  revision?: string;
  endpoint?: string;
  fetch?: FetchLike;
  /** Cache API storage (browser); default: used when `caches` exists. */
  cache?: Pick<CacheStorage, 'open'> | null;
  cacheName?: string;
  /** Only serve from the cache, never touch the network. */
  offline?: boolean;
}

const REPO_ID = /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/;

/**
 * A model repo on the Hugging Face hub (`<endpoint>/<id>/resolve/<revision>/<file>`). Creating one
 * is the user's request to go online; files are kept in the browser's Cache API, so a second load
 * (or an offline one) needs no network.
 */
export function hubSource(repoId: string, options: HubOptions = {}): FileSource {
  if (!REPO_ID.test(repoId)) throw new Error(`"${repoId}" is not a Hugging Face repo id (expected "name" or "org/name")`);
  const revision = options.revision ?? 'main';
  const endpoint = (options.endpoint ?? 'https://huggingface.co').replace(/\/$/, '');
  const fetchImpl: FetchLike = options.fetch ?? ((u, i) => fetch(u, i));
  const storage = options.cache !== undefined ? options.cache : typeof caches !== 'undefined' ? caches : null;
  const cacheName = options.cacheName ?? 'transferscope-hf-hub';
  const description = `huggingface.co/${repoId}${revision === 'main' ? '' : `@${revision}`}`;
  return {
    description,
    kind: 'hub',
    async readFile(name, onProgress) {
      checkFileName(name);
      const url = `${endpoint}/${repoId}/resolve/${encodeURIComponent(revision)}/${name}`;
      const cache = storage ? await storage.open(cacheName) : null;
      const hit = cache ? await cache.match(url) : undefined;
      if (hit) return readBody(hit, name, onProgress);
      if (options.offline) throw new FileNotFoundError(name, `${description} (offline, not cached)`);
      let response: Response;
      try {
        response = await fetchImpl(url);
      } catch (err) {
        throw new Error(`${description}: cannot download ${name} (${err instanceof Error ? err.message : String(err)}); are you online?`);
      }
      if (response.status === 404) throw new FileNotFoundError(name, description);
      if (response.status === 401 || response.status === 403) {
        throw new Error(`${description}: ${name} needs authentication (HTTP ${response.status}); gated or private repos are not supported`);
      }
      if (!response.ok) throw new Error(`${description}: ${name}: HTTP ${response.status} ${response.statusText}`);
      const bytes = await readBody(response, name, onProgress);
      if (cache) {
        await cache.put(url, new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-length': String(bytes.length) } }));
      }
      return bytes;
    },
    async readText(name) {
      return new TextDecoder().decode(await this.readFile(name));
    },
  };
}
