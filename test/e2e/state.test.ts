/**
 * State that follows the user: the chosen data set survives a reload of the plain start address;
 * two experiments on the same data and model get different names; selecting an experiment shows
 * its settings in the form and in the page's address (the share link reproduces it).
 */
import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { useApp } from './harness';
import { BUNDLED_EXPERIMENT_IDS, expectClean, go, openApp, waitReady } from './app';

const app = useApp(4399);

const cardName = async (page: Page): Promise<string | null> => {
  const h2 = page.locator('[data-testid="plan-card"] h2');
  if ((await h2.count()) === 0) return null;
  return h2.first().evaluate((h) => h.firstChild?.textContent?.trim() ?? '');
};

/**
 * Plans the experiment of the form's settings and returns its name, without waiting for an
 * estimate. `existing`: the settings are those of a stored experiment, which planning finds.
 */
async function plan(page: Page, existing = false): Promise<string> {
  const before = await cardName(page);
  await page.getByTestId('plan').click();
  if (existing) await expect.poll(() => page.getByTestId('run-message').textContent({ timeout: 10 }).catch(() => ''), { timeout: 60_000 }).toContain('already exists');
  else await expect.poll(() => cardName(page), { timeout: 60_000 }).not.toBe(before);
  const error = await page.getByTestId('plan-error').textContent({ timeout: 10 }).catch(() => null);
  if (error) throw new Error(`planning failed: ${error}`);
  return (await cardName(page))!;
}

test('the data set survives a reload; names are unique; the form and the link follow the selected experiment', async () => {
  const { page, problems } = await openApp(app.browser.context, `${app.url}?backend=wasm`);
  await page.getByTestId('import-format').selectOption('csv');
  await page.getByTestId('import-name').fill('tiny crisis');
  await page.getByTestId('import-files').setInputFiles('test/e2e/fixtures/tiny-crisis.csv');
  await page.getByTestId('import-run').click();
  await expect.poll(() => page.getByTestId('dataset-summary').textContent(), { timeout: 30_000 }).toContain('70 documents');
  const radios = page.getByTestId('dataset-radio');
  await expect.poll(() => radios.count()).toBe(2);
  await radios.nth(1).check();
  const chosen = new URL(page.url()).searchParams.get('data');
  expect(chosen).not.toBe('demo:debtags');

  // The start address again (no `data` in it), as after opening the README's URL once more.
  await page.goto(`${app.url}?backend=wasm`);
  await waitReady(page);
  expect(new URL(page.url()).searchParams.get('data')).toBe(chosen);
  expect(await radios.nth(1).isChecked()).toBe(true);

  // Two experiments on the same data and model, differing in one setting.
  await page.goto(`${app.url}?backend=wasm&view=experiment&grid=tiny&tgrid=tiny&steps=4&cdocs=2`);
  await waitReady(page);
  await page.getByTestId('task-choice').waitFor({ timeout: 30_000 });
  const first = await plan(page);
  await page.getByTestId('steps').fill('6');
  await page.getByTestId('steps').dispatchEvent('change');
  const second = await plan(page);
  expect(second).not.toBe(first);
  expect(second).toBe(`${first} (2)`);
  // The same settings again find the same experiment, under its name.
  expect(await plan(page, true)).toBe(second);

  // Selecting the first one shows its settings, in the form and in the link.
  await go(page, 'experiment');
  const rows = page.locator('input[type="radio"][name="experiment"]');
  // Its two, beside the bundled demo result of the first visit.
  await expect.poll(() => rows.count()).toBe(2 + BUNDLED_EXPERIMENT_IDS.length);
  const names = await page.locator('input[type="radio"][name="experiment"]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  await rows.nth(names.indexOf(`Show ${first}`)).check();
  await expect.poll(() => page.getByTestId('steps').inputValue()).toBe('4');
  expect(new URL(page.url()).searchParams.get('steps')).toBe('4');
  await rows.nth(names.indexOf(`Show ${second}`)).check();
  await expect.poll(() => page.getByTestId('steps').inputValue()).toBe('6');
  expect(new URL(page.url()).searchParams.get('steps')).toBe('6');
  // The link of the selected experiment, opened afresh, plans that very experiment.
  const link = page.url();
  const other = await app.browser.context.newPage();
  await other.goto(link);
  await waitReady(other);
  await go(other, 'experiment');
  await other.getByTestId('task-choice').waitFor({ timeout: 30_000 });
  expect(await plan(other, true)).toBe(second);
  await other.close();
  await expectClean(page, problems);
  await page.close();
});
