/**
 * Sizes of the production build (dist/, from `npm run build`), raw and gzip-compressed, by part:
 * the page's code, the worker (tfjs and the whole method), the tfjs WebAssembly binaries, styles,
 * the shell (HTML, manifest, icon, service worker) and the data the service worker precaches (the
 * bundled models, the demo data). Prints JSON.
 *
 *   npx vite build && npx tsx scripts/bundle-size.ts [dist]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { listFiles } from './vite-service-worker.ts';

type Part = 'page' | 'worker' | 'wasm' | 'css' | 'shell' | 'models' | 'datasets' | 'other';

/** JavaScript the page itself loads: the entries index.html names. The rest (the worker and the
 * chunks only it imports, e.g. the WebGPU backend) runs in the Web Worker. */
const pageScripts = new Set(
  [...readFileSync(join(process.argv[2] ?? 'dist', 'index.html'), 'utf8').matchAll(/src="\.?\/?([^"]+\.js)"/g)].map((m) => m[1]),
);

function partOf(file: string): Part {
  if (file.startsWith('models/')) return 'models';
  if (file.startsWith('datasets/')) return 'datasets';
  if (file.endsWith('.wasm')) return 'wasm';
  if (file.endsWith('.css')) return 'css';
  if (/^(index\.html|manifest\.webmanifest|icon\.svg|sw\.js|precache\.json)$/.test(file)) return 'shell';
  if (file.endsWith('.js')) return pageScripts.has(file) ? 'page' : 'worker';
  return 'other';
}

const dist = process.argv[2] ?? 'dist';
const parts: Record<string, { files: number; bytes: number; gzipBytes: number }> = {};
const files: { file: string; part: Part; bytes: number; gzipBytes: number }[] = [];
for (const file of listFiles(dist)) {
  if (file.endsWith('.map')) continue;
  const bytes = readFileSync(join(dist, file));
  const part = partOf(file);
  const gz = gzipSync(bytes, { level: 9 }).length;
  files.push({ file, part, bytes: bytes.length, gzipBytes: gz });
  const p = (parts[part] ??= { files: 0, bytes: 0, gzipBytes: 0 });
  p.files++;
  p.bytes += bytes.length;
  p.gzipBytes += gz;
}
const sum = (keys: string[]) =>
  keys.reduce((acc, k) => ({ bytes: acc.bytes + (parts[k]?.bytes ?? 0), gzipBytes: acc.gzipBytes + (parts[k]?.gzipBytes ?? 0) }), { bytes: 0, gzipBytes: 0 });
console.log(JSON.stringify({
  dist,
  /** What a first visit downloads before the app can run (everything but the data). */
  app: sum(['page', 'worker', 'wasm', 'css', 'shell']),
  /** The page's own JavaScript (Svelte, Observable Plot, comlink): what must load before anything shows. */
  pageJs: sum(['page']),
  /** Everything the service worker precaches, data included. */
  total: sum(Object.keys(parts)),
  parts,
  files: files.sort((a, b) => b.bytes - a.bytes),
}, null, 1));
