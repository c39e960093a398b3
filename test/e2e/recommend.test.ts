/**
 * The Recommend view (issue 15, the app's main flow) on the smallest data (the tiny crisis CSV,
 * three tasks) with the tiny fixture model and one setting per grid: a bad budget is refused by
 * the form; a budget of one source trains one transfer into the target, and the ranking shows
 * every candidate with a predicted F1 and its interval, and the measured one. (Three tasks in the
 * file, two kept: a second candidate would need the demo data, minutes on wasm.) Screenshots of the
 * result at 1280 and 375 px (RECOMMEND_SHOTS, default test/e2e/screenshots), with no sideways
 * overflow at either width.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { useApp } from './harness';
import { expectClean, go, openApp, SCREENSHOTS } from './app';

const app = useApp(4401);
const SHOTS = process.env.RECOMMEND_SHOTS ?? SCREENSHOTS;

test('recommend: form validation, then a one-source budget ranks every candidate with intervals and one measured row', async () => {
  const { page, problems } = await openApp(app.browser.context, `${app.url}?backend=wasm&model=bundled:fixture-tiny&grid=tiny&tgrid=tiny&maxdocs=500&steps=4&cdocs=2`);
  await page.getByTestId('import-files').setInputFiles('test/e2e/fixtures/tiny-crisis.csv');
  await page.getByTestId('import-run').click();
  await page.getByTestId('import-notes').waitFor({ timeout: 30_000 });
  await go(page, 'recommend');

  await page.getByTestId('recommend-budget').fill('0');
  expect(await page.getByTestId('recommend-budget-problem').textContent()).toMatch(/at least 1/);
  expect(await page.getByTestId('recommend-run').isDisabled()).toBe(true);
  await page.getByTestId('recommend-budget').fill('1');
  await expect.poll(() => page.getByTestId('recommend-budget-problem').count()).toBe(0);

  const target = await page.getByTestId('recommend-target').inputValue();
  await page.getByTestId('recommend-run').click();
  // Whichever comes first: a failure fails the test with the message the user sees.
  await page.getByTestId('recommend-best').or(page.getByTestId('recommend-error')).first().waitFor({ timeout: 80_000 });
  expect(await page.getByTestId('recommend-error').count(), (await page.getByTestId('recommend-error').allTextContents()).join(' ')).toBe(0);

  const rows = page.getByTestId('recommend-row');
  // The CSV keeps two tasks: one candidate source, trained under the budget of one.
  expect(await rows.count()).toBeGreaterThanOrEqual(1);
  const predicted = await page.getByTestId('recommend-predicted').allTextContents();
  for (const p of predicted) expect(p).toMatch(/^\d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\]$/);
  expect(await page.locator('[data-testid="recommend-row"][data-measured="true"]').count()).toBe(1);
  // A best source is named only when some measured transfer learned (F1 > 0); else the line says so.
  const measuredF1 = (await page.locator('[data-testid="recommend-row"][data-measured="true"] td:nth-child(3)').allTextContents()).map(Number);
  const bestText = await page.getByTestId('recommend-best').textContent();
  if (measuredF1.every((f) => f === 0)) {
    expect(bestText).toMatch(new RegExp(`No source is best: every measured transfer into ${target} has F1 0`));
    expect(await page.locator('[data-testid="recommend-row"].best').count()).toBe(0);
  }
  else expect(bestText).toMatch(/Best so far: /);
  expect(await page.getByTestId('recommend-rows-used').textContent()).toMatch(new RegExp(`1 measured transfer into ${target}`));
  expect(await page.getByTestId('recommend-cost').textContent()).toMatch(/Training all \d+ pairs would take about/);
  expect(await page.getByTestId('recommend-plot').locator('svg').count()).toBeGreaterThan(0);

  mkdirSync(SHOTS, { recursive: true });
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(SHOTS, `recommend-${width}.png`), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `sideways overflow at ${width} px`).toBeLessThanOrEqual(0);
  }
  await expectClean(page, problems);
  await page.close();
});
