import { createReadStream, existsSync, statSync, cpSync } from 'node:fs';
import { join, normalize, resolve, extname } from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.safetensors': 'application/octet-stream',
  '.csv': 'text/csv; charset=utf-8',
  '.zip': 'application/zip',
};

/**
 * Serves top-level data folders (the bundled model, the demo data) in dev/preview and copies them
 * into the build output, so they stay out of public/ and keep their own place in the repository.
 */
export function serveFolders(folders: string[]): Plugin {
  let config: ResolvedConfig;
  const middleware = (root: string) => (req: { url?: string }, res: import('node:http').ServerResponse, next: () => void) => {
    const url = decodeURIComponent((req.url ?? '').split('?')[0]);
    const rel = normalize(url).replace(/^(\.\.[/\\])+/, '').replace(/^[/\\]+/, '');
    const top = rel.split(/[/\\]/)[0];
    if (!folders.includes(top)) return next();
    const file = resolve(root, rel);
    if (!file.startsWith(resolve(root, top)) || !existsSync(file) || !statSync(file).isFile()) return next();
    res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
    res.setHeader('Content-Length', String(statSync(file).size));
    createReadStream(file).pipe(res);
  };
  return {
    name: 'transferscope-serve-folders',
    configResolved(c) { config = c; },
    configureServer(server) { server.middlewares.use(middleware(server.config.root)); },
    configurePreviewServer(server) { server.middlewares.use(middleware(server.config.root)); },
    writeBundle() {
      for (const f of folders) {
        const src = join(config.root, f);
        if (existsSync(src)) cpSync(src, join(config.build.outDir, f), { recursive: true });
      }
    },
  };
}
