/**
 * The quick preset end to end in the browser (issue "the first five minutes", part 2): a fresh
 * browser, the form as it starts (the quick preset: three demo tasks, every ordered pair), wasm on
 * two lanes; Plan, Run, wait for the end; then runs.csv from the Export view: every transfer is
 * trained and at least 3/4 of them reach F1 > 0 (the validation threshold is what gets there: at
 * argmax the same run has 4 of 6, the model card's "Quick preset").
 *
 * Minutes on a 2-core machine, so not part of `npm test`: `npm run test:e2e:long`. It prints the
 * wall time of the run; the time itself is measured by `time npm run cli -- experiment --preset
 * quick --lanes 2` (a benchmark, not a timed test).
 */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { expect, test } from 'vitest';
import { useApp } from '../e2e/harness';
import { expectClean, go, openApp, planExperiment, waitDone } from '../e2e/app';

const app = useApp(4404);

test('the quick preset runs to the end on wasm with two lanes and most transfers learn', async () => {
  const { page, problems } = await openApp(app.browser.context, `${app.url}?backend=wasm&lanes=2`);
  await planExperiment(page);
  const t0 = Date.now();
  await page.getByTestId('run').click();
  await waitDone(page, 900_000);
  console.log(`quick preset in the browser (wasm, 2 lanes): ${((Date.now() - t0) / 1000).toFixed(0)} s`);

  await go(page, 'export');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-runs.csv').click()]);
  const rows = Papa.parse<Record<string, string>>(readFileSync((await download.path())!, 'utf8'), { header: true, skipEmptyLines: true }).data;
  const singles = rows.filter((r) => r.kind === 'single');
  const transfers = rows.filter((r) => r.kind === 'transfer');
  const tasks = new Set(singles.map((r) => r.task));
  expect(tasks.size).toBeGreaterThanOrEqual(3);
  // Every ordered pair of the preset's tasks.
  expect(transfers).toHaveLength(tasks.size * (tasks.size - 1));
  const learned = transfers.filter((r) => Number(r.f1) > 0).length;
  expect(learned, `transfers with F1 > 0: ${transfers.map((r) => `${r.source}→${r.task} ${Number(r.f1).toFixed(3)}`).join(', ')}`).toBeGreaterThanOrEqual(Math.ceil(0.75 * transfers.length));
  await expectClean(page, problems);
  await page.close();
}, 1_200_000);
