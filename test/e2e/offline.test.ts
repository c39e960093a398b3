/**
 * Offline: the app started as the README says (`npm start`, i.e. `startApp`: build, then Vite's
 * preview server), after one visit (the service worker precaches the app, the bundled model and
 * the demo data), starts with the network off — every request the browser would send fails — runs
 * a forward pass with the bundled model, and comes back after a reload.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { startApp } from '../../scripts/start-app';
import { useApp } from './harness';
import { expectClean, openApp, screenshot, waitReady, watch } from './app';

// A build folder of its own: the other e2e files serve dist/ meanwhile.
const app = useApp(4395, async (port) => {
  const outDir = mkdtempSync(join(tmpdir(), 'transferscope-start-'));
  const started = await startApp({ port, outDir, quiet: true });
  return { url: started.url, close: async () => { await started.close(); rmSync(outDir, { recursive: true, force: true }); } };
});

test('started by npm start, after one visit the app loads and runs a forward pass with the network off, also after a reload', async () => {
  const first = await openApp(app.browser.context, `${app.url}?backend=wasm`);
  // The service worker has precached everything once it is active and controls the page.
  await first.page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    }
    return reg.active?.state;
  });
  await expectClean(first.page, first.problems);
  await first.page.close();

  await app.browser.context.setOffline(true);
  const blocked: string[] = [];
  await app.browser.context.route('**/*', (route) => {
    blocked.push(route.request().url());
    return route.abort('internetdisconnected');
  });
  try {
    // A sub-path with a query: any URL of the app is served from the cache.
    const page = await app.browser.context.newPage();
    const problems = watch(page);
    await page.goto(`${app.url}?view=model&backend=wasm&seed=7`);
    await waitReady(page);
    expect(await page.getByTestId('model-summary').textContent()).toMatch(/layers/);
    await page.getByTestId('forward-input').fill('Offline and still working.');
    await page.getByTestId('forward-run').click();
    const logits = JSON.parse((await page.getByTestId('logits-0').textContent({ timeout: 60_000 }))!) as number[];
    expect(logits).toHaveLength(2);
    logits.forEach((v) => expect(Number.isFinite(v)).toBe(true));
    await screenshot(page, 'offline-model');
    await page.reload();
    await waitReady(page);
    expect(await page.getByTestId('model-summary').textContent()).toMatch(/layers/);
    // Nothing needed the network: every request the page made was answered by the service worker.
    expect(blocked).toEqual([]);
    await expectClean(page, problems);
    await page.close();
  } finally {
    await app.browser.context.unroute('**/*');
    await app.browser.context.setOffline(false);
  }
});
