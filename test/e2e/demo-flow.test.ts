/**
 * The demo flow on wasm, as a student would do it: open the app (demo data and bundled model
 * preselected), run a small experiment (3 tasks, the smallest grid, small caps), read Table 1,
 * Fig. 1 and Fig. 2, export table1.csv; then export the whole experiment and import it into a fresh
 * browser profile (and see that a malformed zip is refused without changing anything).
 * Screenshots of every view are saved under test/e2e/screenshots/.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { useApp } from './harness';
import { launchBrowser } from './chromium';
import { BUNDLED_EXPERIMENT_IDS, expectClean, go, openApp, planExperiment, screenshot, waitDone } from './app';

const TASKS = ['works-with::text', 'works-with::audio', 'use::editing'];
const SETTINGS = `tasks=${TASKS.join(',')}&grid=tiny&tgrid=tiny&maxdocs=60&steps=8&cdocs=3`;

let zipPath = '';
let average = '';
const app = useApp(4393);

test('demo flow on wasm: experiment → Table 1, Fig. 1, Fig. 2 → CSV export', async () => {
  const { page, problems } = await openApp(app.browser.context, `${app.url}?backend=wasm&${SETTINGS}`);
  // Preselected: the demo data set and the default bundled model (the first of models/index.json).
  const index = JSON.parse(readFileSync('models/index.json', 'utf8')) as { name: string; default?: boolean }[];
  const defaultModel = (index.find((m) => m.default) ?? index[0]).name;
  expect(page.url()).toContain('data=demo%3Adebtags');
  expect(page.url()).toContain(`model=bundled%3A${encodeURIComponent(defaultModel)}`);

  await planExperiment(page);
  expect(await page.getByTestId('job-total').textContent()).toBe('21 jobs');
  await page.getByTestId('run').click();
  // Progress, the loss curve, and a responsive page while the worker trains.
  await page.getByTestId('job-progress').first().waitFor({ timeout: 60_000 });
  for (const [view, content] of [['data', 'task-table'], ['model', 'model-summary'], ['experiment', 'job-list']]) {
    const t0 = Date.now();
    await go(page, view);
    await page.getByTestId(content).waitFor();
    expect(Date.now() - t0, `showing the ${view} view while the worker trains`).toBeLessThan(1500);
  }
  await page.getByTestId('loss-curve').locator('svg').first().waitFor({ timeout: 120_000 });
  await screenshot(page, 'experiment-running');
  await waitDone(page).catch(async (e) => { await screenshot(page, 'experiment-failed'); throw e; });
  await screenshot(page, 'experiment');

  await go(page, 'search');
  const table1 = page.getByTestId('table1');
  await table1.waitFor({ timeout: 30_000 });
  expect(await table1.locator('tbody tr').count()).toBe(TASKS.length + 1);
  average = (await page.getByTestId('table1-average').textContent())!;
  expect(average).toMatch(/average \(3 tasks\)\s*\d\.\d{3}/);
  await page.getByTestId('fig1').locator('svg').first().waitFor();
  expect(await page.getByTestId('fig1-table').textContent()).toMatch(/\d\.\d{3}/);
  await page.getByTestId('fig2').locator('svg').first().waitFor();
  expect(await page.getByTestId('fig2').locator('path').count()).toBeGreaterThan(0);
  // The strategies replayed on this run: a curve per strategy, a table, and the verdict in words.
  await page.getByTestId('replay-curve').locator('svg').first().waitFor({ timeout: 60_000 });
  expect(await page.getByTestId('replay-table').locator('tbody tr').count()).toBeGreaterThanOrEqual(3);
  expect(await page.getByTestId('replay-verdict').textContent()).toMatch(/guided order|ranks best/);
  expect(await page.getByTestId('replay-warnings').textContent()).toMatch(/only \d targets/);
  expect(await page.getByTestId('saving-transfer').textContent()).toMatch(/^-?\d+\.\d %$/);
  await screenshot(page, 'search');

  await go(page, 'explain');
  await page.getByTestId('explain-heatmap').locator('svg').first().waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('explain-terms').locator('.term').count()).toBeGreaterThan(0);
  await screenshot(page, 'explain');

  await go(page, 'transfer');
  await page.getByTestId('gain-heatmap').locator('svg').first().waitFor({ timeout: 30_000 });
  await page.getByTestId('ansat-heatmap').locator('svg').first().waitFor();
  await screenshot(page, 'transfer');

  await go(page, 'export');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-table1.csv').click()]);
  const text = readFileSync((await csv.path())!, 'utf8');
  const lines = text.trim().split('\n');
  expect(lines[0]).toBe('kind,task,single_f1,single_accuracy,single_lr,single_epochs,single_batch,single_seed,transfer_source,transfer_f1,transfer_accuracy,transfer_lr,transfer_epochs,transfer_batch,transfer_seed,gain,candidates,tasks_averaged,seeds,single_f1_low,single_f1_high,transfer_f1_low,transfer_f1_high,gain_low,gain_high');
  expect(lines).toHaveLength(TASKS.length + 2);
  expect(lines.slice(1, 4).map((l) => l.split(',')[1]).sort()).toEqual([...TASKS].sort());
  expect(lines[4]).toMatch(/^average,,\d/);
  await screenshot(page, 'export');

  const [zip] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-zip').click()]);
  zipPath = join(tmpdir(), `transferscope-e2e-${process.pid}.zip`);
  await zip.saveAs(zipPath);
  await expectClean(page, problems);
  await page.close();
});

test('an exported experiment imports into a fresh browser; a malformed zip changes nothing', async () => {
  expect(zipPath).not.toBe('');
  const other = await launchBrowser();
  try {
    const { page, problems } = await openApp(other.context, `${app.url}?backend=wasm&view=experiment`);
    // A fresh browser holds only the bundled demo result (results/index.json).
    const listed = () => page.locator('[data-testid="experiment-list"] tbody tr').count();
    // The list fills in after the page is ready: wait for the bundled results to be listed.
    const before = BUNDLED_EXPERIMENT_IDS.length;
    await expect.poll(listed, { timeout: 30_000 }).toBe(before);
    await go(page, 'export');
    const bad = join(tmpdir(), `transferscope-e2e-bad-${process.pid}.zip`);
    writeFileSync(bad, 'PK\u0003\u0004 this is not really a zip');
    await page.getByTestId('import-zip').setInputFiles(bad);
    expect(await page.getByTestId('import-zip-error').textContent({ timeout: 30_000 })).toMatch(/not a zip file|is missing/);
    await go(page, 'experiment');
    expect(await listed()).toBe(before);

    await go(page, 'export');
    await page.getByTestId('import-zip').setInputFiles(zipPath);
    await page.getByTestId('import-done').waitFor({ timeout: 60_000 });
    await go(page, 'search');
    await page.getByTestId('table1').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('table1-average').textContent()).toBe(average);
    await expectClean(page, problems);
    await page.close();
  } finally {
    await other.close();
  }
});
