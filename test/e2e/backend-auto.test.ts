/**
 * "auto" in real Chromium with `--enable-unsafe-webgpu`: the only WebGPU adapter here is SwiftShader
 * (a fallback adapter, ~100× slower than wasm for BERT), and WebGL runs on SwiftShader too. The app
 * must not choose WebGPU, must keep the fastest measured backend, and must say why in the header.
 */
import { expect, test } from 'vitest';
import { useApp } from './harness';
import { expectClean, openApp, screenshot } from './app';

const app = useApp(4398);

test('auto skips the software WebGPU adapter, keeps the fastest backend and says why', async () => {
  const { page, problems } = await openApp(app.browser.context, `${app.url}?backend=auto`);
  // The adapter is there (the test would prove nothing otherwise) and it is a fallback adapter.
  const adapter = await page.evaluate(async () => {
    const a = await (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ isFallbackAdapter?: boolean; info?: { architecture?: string } } | null> } }).gpu?.requestAdapter();
    return a ? { fallback: a.isFallbackAdapter ?? null, architecture: a.info?.architecture ?? null } : null;
  });
  expect(adapter).not.toBeNull();
  expect(adapter?.fallback === true || /swiftshader/i.test(adapter?.architecture ?? '')).toBe(true);

  const name = await page.getByTestId('backend-name').textContent();
  expect(name).not.toBe('webgpu');
  // wasm measures ~10× faster than SwiftShader's WebGL here (shared/BROWSER.md).
  expect(name).toBe('wasm');
  const reason = page.getByTestId('backend-reason');
  expect(await reason.textContent()).toBe('wasm — no GPU found');
  const details = await reason.getAttribute('title');
  expect(details).toMatch(/WebGPU: software adapter \(.*swiftshader.*\), skipped/i);
  expect(details).toMatch(/wasm [\d.]+ GFLOP\/s — chosen/);
  await screenshot(page, 'backend-auto');
  await expectClean(page, problems);
  await page.close();
});
