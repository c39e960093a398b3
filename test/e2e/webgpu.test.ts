/**
 * The shorter flow on WebGPU (the software adapter is ~100× slower than wasm here): a small imported
 * data set (2 tasks), the fixture model, the smallest grid. Mid-run the GPU device is lost (destroyed
 * on purpose, as a driver reset would): the app says so, switches to the next backend (webgl) and
 * the experiment continues there from its last finished job to the end.
 */
import { expect, test } from 'vitest';
import { useApp } from './harness';
import { doneJobs, expectClean, go, openApp, planExperiment, readOwnStore, screenshot, waitDone } from './app';

const app = useApp(4396);

test('WebGPU: a short experiment survives the loss of the GPU device', async () => {
  const { page, problems } = await openApp(app.browser.context, `${app.url}?backend=webgpu&model=bundled:fixture-tiny&grid=tiny&tgrid=tiny&maxdocs=500&steps=4&cdocs=2`);
  expect(await page.getByTestId('backend-name').textContent()).toBe('webgpu');
  await page.getByTestId('import-files').setInputFiles('test/e2e/fixtures/tiny-crisis.csv');
  await page.getByTestId('import-run').click();
  await page.getByTestId('import-notes').waitFor({ timeout: 30_000 });

  await planExperiment(page, 300_000);
  expect(await page.getByTestId('job-total').textContent()).toBe('14 jobs');
  await page.getByTestId('run').click();
  await expect.poll(() => doneJobs(page), { timeout: 300_000, interval: 250 }).toBeGreaterThanOrEqual(1);

  expect(await page.evaluate(() => (window as unknown as { transferscope: { simulateDeviceLoss(): Promise<boolean> } }).transferscope.simulateDeviceLoss())).toBe(true);
  await expect.poll(() => page.getByTestId('backend-name').textContent(), { timeout: 60_000 }).toBe('webgl');
  expect(await page.getByTestId('notice').first().textContent()).toMatch(/WebGPU device was lost.*switched to the webgl backend/);
  await screenshot(page, 'webgpu-device-lost');
  await waitDone(page, 480_000);

  const runs = await readOwnStore<{ backend?: string }>(page, 'runs');
  expect(runs).toHaveLength(2 + 2);
  expect(runs.some((r) => r.backend === 'webgpu')).toBe(true);
  expect(runs.some((r) => r.backend === 'webgl')).toBe(true);
  await go(page, 'search');
  await page.getByTestId('table1').waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('table1-average').textContent()).toMatch(/average \(2 tasks\)\s*\d\.\d{3}/);
  await page.getByTestId('fig2').locator('svg').first().waitFor();
  await expectClean(page, problems);
  await page.close();
});
