/**
 * The built site works from any sub-path (e.g. a project page at /org/project/): served by a plain
 * static file server under /deep/project/, the app starts, loads the bundled model, runs a forward
 * pass, and its service worker's scope is that sub-path.
 */
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { expect, test } from 'vitest';
import { expectClean, openApp } from './app';
import { useApp } from './harness';
import type { ServedApp } from './server';

const PREFIX = '/deep/project/';
const TYPES: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
  '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.webmanifest': 'application/manifest+json',
};

/** Like a static host: files of dist/ under the prefix, nothing else (no SPA fallback). */
async function serveUnderPrefix(port: number): Promise<ServedApp> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    const rel = path.startsWith(PREFIX) ? normalize(path.slice(PREFIX.length) || 'index.html').replace(/^(\.\.[/\\])+/, '') : null;
    const file = rel === null ? null : join('dist', rel.endsWith('/') ? `${rel}index.html` : rel);
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}${PREFIX}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const app = useApp(4384, serveUnderPrefix);

test('the built app runs from a sub-path of a static host', async () => {
  const { page, problems } = await openApp(app.browser.context, `${app.url}?view=model&model=bundled:fixture-tiny&backend=wasm`);
  await page.getByTestId('forward-run').click();
  const logits = JSON.parse((await page.getByTestId('logits-0').textContent({ timeout: 60_000 }))!) as number[];
  expect(logits).toHaveLength(2);
  expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).scope)).toBe(app.url);
  await expectClean(page, problems);
  await page.close();
});
