/**
 * No leak across experiments: three consecutive small experiments (fixture model, two tasks of a
 * small imported data set, different seeds) leave the worker's tfjs tensor count where it was and
 * the page's JavaScript heap (after garbage collection) flat.
 */
import { expect, test } from 'vitest';
import { useApp } from './harness';
import { expectClean, go, openApp, planExperiment, tensorCount, waitDone } from './app';

const app = useApp(4397);

test('tensor count and page heap stay flat across three consecutive experiments', async () => {
  const { page, problems } = await openApp(app.browser.context, `${app.url}?backend=wasm&model=bundled:fixture-tiny&grid=tiny&tgrid=tiny&maxdocs=500&steps=4&cdocs=2`);
  await page.getByTestId('import-files').setInputFiles('test/e2e/fixtures/tiny-crisis.csv');
  await page.getByTestId('import-run').click();
  await page.getByTestId('import-notes').waitFor({ timeout: 30_000 });

  const cdp = await page.context().newCDPSession(page);
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  const tensorsBefore = await tensorCount(page);
  const tensors: number[] = [];
  const heaps: number[] = [];
  for (const seed of [1, 2, 3]) {
    await go(page, 'experiment');
    await page.getByTestId('seed').fill(String(seed));
    await page.getByTestId('seed').dispatchEvent('change');
    await planExperiment(page);
    await page.getByTestId('run').click();
    await waitDone(page);
    tensors.push(await tensorCount(page));
    heaps.push(await heap());
  }
  console.log(JSON.stringify({ tensorsBefore, tensors, heapBytes: heaps }));
  expect(tensors).toEqual([tensorsBefore, tensorsBefore, tensorsBefore]);
  // The page keeps one more experiment in its list each time (a few kB); a leak of trained
  // models, attributions or charts would be megabytes.
  expect(heaps[2] - heaps[0]).toBeLessThan(1_000_000);
  await expectClean(page, problems);
  await page.close();
});
