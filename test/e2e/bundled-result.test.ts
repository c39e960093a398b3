/**
 * The first visit (issue "the first five minutes"): a fresh browser opens the app and, with nothing
 * trained, Search, Transfer and Explain show the bundled demo result (results/index.json: the
 * committed debtags reference run as a `cli export` zip without models or data set). Its numbers
 * are not zero, Explain shows the stored conductance and says why a new text cannot be explained.
 * Deleting it keeps it deleted after a reload. Screenshots at 1280 and 375 px.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { useApp } from './harness';
import { expectClean, go, openApp, SCREENSHOTS, waitReady } from './app';

const app = useApp(4403);
const [BUNDLED] = JSON.parse(readFileSync('results/index.json', 'utf8')) as { id: string }[];

test('a fresh browser shows the bundled reference run in Search, Transfer and Explain without training', async () => {
  const { page, problems } = await openApp(app.browser.context, `${app.url}?backend=wasm`);
  await go(page, 'search');
  await page.getByTestId('table1').waitFor({ timeout: 30_000 });
  const average = (await page.getByTestId('table1-average').textContent())!;
  const numbers = (average.match(/\d\.\d{3}/g) ?? []).map(Number);
  expect(numbers.length, average).toBeGreaterThan(0);
  expect(Math.max(...numbers), average).toBeGreaterThan(0);
  await page.getByTestId('replay-curve').locator('svg').first().waitFor({ timeout: 60_000 });
  expect(await page.getByTestId('replay-verdict').textContent()).toMatch(/\w/);
  await page.screenshot({ path: join(SCREENSHOTS, 'bundled-search-1280.png'), fullPage: true });

  await go(page, 'transfer');
  await page.getByTestId('gain-heatmap').locator('svg').first().waitFor({ timeout: 30_000 });
  await page.getByTestId('ansat-heatmap').locator('svg').first().waitFor();
  await page.screenshot({ path: join(SCREENSHOTS, 'bundled-transfer-1280.png'), fullPage: true });

  await go(page, 'explain');
  await page.getByTestId('explain-heatmap').locator('svg').first().waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('explain-terms').locator('.term').count()).toBeGreaterThan(0);
  // Every task's best F1 comes from its run (no models are bundled): no "F1 NaN" in the picker.
  expect(await page.getByTestId('explain-task').textContent()).not.toMatch(/NaN/);
  await page.locator('summary', { hasText: 'explain a text of your own' }).click();
  expect(await page.getByTestId('explain-no-model').textContent()).toMatch(/needs the model/);
  expect(await page.getByTestId('explain-run').isDisabled()).toBe(true);
  await page.screenshot({ path: join(SCREENSHOTS, 'bundled-explain-1280.png'), fullPage: true });

  for (const view of ['search', 'transfer', 'explain']) {
    await page.setViewportSize({ width: 375, height: 900 });
    await go(page, view);
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(SCREENSHOTS, `bundled-${view}-375.png`), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `sideways overflow of ${view} at 375 px`).toBeLessThanOrEqual(0);
  }
  await page.setViewportSize({ width: 1280, height: 900 });

  // Deleted, it stays deleted: the import runs once per browser.
  await go(page, 'experiment');
  const row = page.locator('[data-testid="experiment-list"] tbody tr', { hasText: BUNDLED.id });
  expect(await row.count()).toBe(1);
  page.once('dialog', (d) => void d.accept());
  await row.getByRole('button', { name: 'delete' }).click();
  await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(0);
  await page.reload();
  await waitReady(page);
  await go(page, 'experiment');
  expect(await page.locator('[data-testid="experiment-list"] tbody tr', { hasText: BUNDLED.id }).count()).toBe(0);
  await expectClean(page, problems);
  await page.close();
});
