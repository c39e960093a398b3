/**
 * Reloading the page in the middle of an experiment: the app shows the experiment again and resumes
 * it from its last finished job; the jobs finished before the reload are not trained again (their
 * run records and job states are the ones written before the reload).
 */
import { expect, test } from 'vitest';
import { useApp } from './harness';
import { doneJobs, expectClean, go, openApp, planExperiment, readOwnStore, screenshot, waitDone, waitReady } from './app';

// One lane: these tests count jobs finished in plan order (test/e2e/lanes.test.ts pauses with two).
const SETTINGS = 'lanes=1&model=bundled:fixture-tiny&tasks=works-with::text,works-with::audio,use::editing&grid=tiny&tgrid=tiny&maxdocs=60&steps=8&cdocs=3';

const app = useApp(4394);

interface Run { id: string; createdAt: string; kind: string }
interface Experiment { id: string; status: string; jobs: Record<string, { status: string; finishedAt?: string; attempts?: number }> }

test('a reload mid-run resumes the experiment without retraining finished jobs', async () => {
  const { page, problems } = await openApp(app.browser.context, `${app.url}?backend=wasm&${SETTINGS}`);
  await planExperiment(page);
  await page.getByTestId('run').click();
  await expect.poll(() => doneJobs(page), { timeout: 240_000, interval: 100 }).toBeGreaterThanOrEqual(4);

  const runsBefore = await readOwnStore<Run>(page, 'runs');
  const [expBefore] = await readOwnStore<Experiment>(page, 'experiments');
  const doneBefore = Object.entries(expBefore.jobs).filter(([, s]) => s.status === 'done');
  expect(runsBefore.length).toBeGreaterThanOrEqual(3);
  expect(doneBefore.length).toBeGreaterThanOrEqual(4);

  await page.reload();
  await waitReady(page);
  expect(await page.getByTestId('run-message').textContent({ timeout: 30_000 })).toMatch(/^Resuming .* where it stopped/);
  await screenshot(page, 'experiment-resumed');
  await waitDone(page);

  const runsAfter = await readOwnStore<Run>(page, 'runs');
  const [expAfter] = await readOwnStore<Experiment>(page, 'experiments');
  expect(expAfter.status).toBe('done');
  expect(runsAfter.filter((r) => r.kind === 'single')).toHaveLength(3);
  expect(runsAfter.filter((r) => r.kind === 'transfer')).toHaveLength(6);
  // Finished jobs kept their records and states: nothing of them was redone.
  for (const r of runsBefore) expect(runsAfter.find((x) => x.id === r.id)?.createdAt, r.id).toBe(r.createdAt);
  for (const [id, s] of doneBefore) {
    expect(expAfter.jobs[id].finishedAt, id).toBe(s.finishedAt);
    expect(expAfter.jobs[id].attempts, id).toBe(1);
  }
  await expectClean(page, problems);
  await page.close();
});

test('pause stops after the current step; resume finishes without redoing finished jobs', async () => {
  const { page, problems } = await openApp(app.browser.context, `${app.url}?backend=wasm&lanes=1&model=bundled:fixture-tiny&grid=tiny&tgrid=tiny&maxdocs=500&steps=4&cdocs=2`);
  await page.getByTestId('import-files').setInputFiles('test/e2e/fixtures/tiny-crisis.csv');
  await page.getByTestId('import-run').click();
  await page.getByTestId('import-notes').waitFor({ timeout: 30_000 });
  await planExperiment(page);
  await page.getByTestId('run').click();
  await expect.poll(() => doneJobs(page), { timeout: 120_000, interval: 100 }).toBeGreaterThanOrEqual(2);
  await page.getByTestId('pause').click();
  await expect.poll(() => page.getByTestId('experiment-status').textContent(), { timeout: 60_000 }).toBe('paused');
  expect(await page.getByTestId('run').textContent()).toMatch(/Resume/);
  const runsBefore = await readOwnStore<Run>(page, 'runs');
  const pausedAt = await doneJobs(page);
  await page.waitForTimeout(1500);
  expect(await doneJobs(page)).toBe(pausedAt); // nothing runs while paused
  await page.getByTestId('run').click();
  await waitDone(page);
  const runsAfter = await readOwnStore<Run>(page, 'runs');
  for (const r of runsBefore) expect(runsAfter.find((x) => x.id === r.id)?.createdAt, r.id).toBe(r.createdAt);
  await expectClean(page, problems);
  await page.close();
});

test('re-running one job discards it and its dependents only; Resume redoes exactly those', async () => {
  const { page, problems } = await openApp(app.browser.context, `${app.url}?backend=wasm`);
  await go(page, 'experiment');
  await expect.poll(() => page.getByTestId('experiment-status').textContent(), { timeout: 30_000 }).toBe('done');
  const [exp] = (await readOwnStore<Experiment>(page, 'experiments')).sort((a, b) => ((a as { updatedAt?: string }).updatedAt ?? '').localeCompare((b as { updatedAt?: string }).updatedAt ?? '')).slice(-1);
  const runsBefore = await readOwnStore<Run>(page, 'runs');
  const total = await page.getByTestId('job-row').count();
  const single = page.locator('[data-testid="job-row"][data-job-id^="single/"]').first();
  const jobId = (await single.getAttribute('data-job-id'))!;
  page.once('dialog', (d) => void d.accept());
  await single.getByTestId('rerun-job').click();
  expect(await page.getByTestId('run-message').textContent({ timeout: 30_000 })).toMatch(/^Discarded the results of \d+ jobs/);
  const discarded = total - (await doneJobs(page));
  expect(discarded).toBeGreaterThan(1); // the job and what depends on it (its best pick at least)
  expect(discarded).toBeLessThan(total); // not everything
  await screenshot(page, 'experiment-rerun');
  const [paused] = (await readOwnStore<Experiment>(page, 'experiments')).filter((e) => e.id === exp.id);
  expect(paused.status).toBe('paused');
  expect(paused.jobs[jobId]).toBeUndefined();

  await page.getByTestId('run').click();
  await waitDone(page);
  const runsAfter = await readOwnStore<Run>(page, 'runs');
  const redone = runsAfter.find((r) => r.id.endsWith(`::${jobId}`));
  const before = runsBefore.find((r) => r.id.endsWith(`::${jobId}`));
  expect(redone && before && redone.createdAt > before.createdAt).toBe(true);
  const kept = runsBefore.filter((r) => runsAfter.find((x) => x.id === r.id)?.createdAt === r.createdAt);
  expect(kept.length).toBeGreaterThan(0); // runs of jobs that do not depend on it were not redone
  await expectClean(page, problems);
  await page.close();
});
