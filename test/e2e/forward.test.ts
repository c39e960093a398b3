/**
 * The Base model view's forward pass: the app starts, reports the backend it chose, and shows logits
 * of the bundled fixture model that agree with PyTorch — once on wasm and once on WebGPU (software
 * adapter) — with no CSP violation and no uncaught error.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { useApp } from './harness';
import { expectClean, openApp, screenshot } from './app';

const expected = JSON.parse(readFileSync('test/fixtures/bert-ref/expected.json', 'utf8')) as {
  sentences: { text: string; logits: number[] }[];
};

const app = useApp(4391);

describe.each([
  { backend: 'wasm', tolerance: 1e-5 },
  // The software WebGPU adapter computes in float32, but its reductions run in another order.
  { backend: 'webgpu', tolerance: 1e-4 },
])('forward pass on $backend', ({ backend, tolerance }) => {
  test('shows the backend and logits matching PyTorch for a fixture sentence', async () => {
    const { page, problems } = await openApp(app.browser.context, `${app.url}?view=model&model=bundled:fixture-tiny&backend=${backend}`);
    expect(await page.getByTestId('backend-name').textContent()).toBe(backend);
    if (backend === 'webgpu') expect(await page.getByTestId('backend-adapter').textContent()).toMatch(/\S/);

    const sentence = expected.sentences[2];
    await page.getByTestId('forward-input').fill(sentence.text);
    await page.getByTestId('forward-run').click();
    const shown = JSON.parse((await page.getByTestId('logits-0').textContent({ timeout: 120_000 }))!) as number[];
    expect(shown).toHaveLength(2);
    shown.forEach((v, i) => expect(Math.abs(v - sentence.logits[i])).toBeLessThan(tolerance));
    if (backend === 'wasm') await screenshot(page, 'model');
    await expectClean(page, problems);
    await page.close();
  });
});

test('a malformed local model shows the loader\'s specific error and keeps the model in use', async () => {
  const { page, problems } = await openApp(app.browser.context, `${app.url}?view=model&model=bundled:fixture-tiny&backend=wasm`);
  const dir = mkdtempSync(join(tmpdir(), 'transferscope-bad-model-'));
  writeFileSync(join(dir, 'model.safetensors'), new Uint8Array([1, 2, 3, 4]));
  const fixture = 'models/fixture-tiny';
  await page.getByTestId('model-files').setInputFiles([
    join(fixture, 'config.json'), join(fixture, 'tokenizer.json'), join(fixture, 'tokenizer_config.json'), join(dir, 'model.safetensors'),
  ]);
  await page.getByTestId('model-files-load').click();
  const error = await page.getByTestId('model-error').textContent({ timeout: 30_000 });
  expect(error).toMatch(/model\.safetensors: truncated: 4 bytes/);
  expect(error).toContain('The model in use has not changed');
  expect(await page.getByTestId('model-summary').textContent()).toContain('fixture-tiny');
  await expectClean(page, problems);
  await page.close();
});
