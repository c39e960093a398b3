/**
 * Lanes in the browser: with two lanes the app runs two jobs at once, each in its own Web Worker
 * (src/worker/lane-executor.ts), shows a progress bar per lane, pauses and resumes without redoing
 * finished jobs, and stores the same results as one lane: the experiment is deleted and run again
 * with one lane, and every run's metrics match.
 */
import { expect, test } from 'vitest';
import { useApp } from './harness';
import { doneJobs, expectClean, go, openApp, planExperiment, readOwnStore, screenshot, waitDone } from './app';

const SETTINGS = 'model=bundled:fixture-tiny&tasks=works-with::text,works-with::audio,use::editing&grid=tiny&tgrid=tiny&maxdocs=60&steps=8&cdocs=3';

const app = useApp(4402);

interface Run { id: string; kind: string; metrics: Record<string, unknown> }
interface Experiment { id: string; status: string }

async function runWithLanes(lanes: number): Promise<{ runs: Map<string, string>; sawTwo: boolean }> {
  const { page, problems } = await openApp(app.browser.context, `${app.url}?backend=wasm&${SETTINGS}&lanes=${lanes}`);
  await planExperiment(page);
  expect(await page.getByTestId('lanes').inputValue()).toBe(String(lanes));
  await page.getByTestId('run').click();
  // Two bars at once, one per lane, while single-task trainings run side by side.
  let sawTwo = false;
  for (let i = 0; i < 600 && !sawTwo; i++) {
    const labels = await page.getByTestId('job-progress').allTextContents();
    sawTwo = labels.length === 2 && labels.some((l) => l.includes('Lane 1')) && labels.some((l) => l.includes('Lane 2'));
    if (sawTwo && lanes === 2) await screenshot(page, 'experiment-two-lanes');
    if ((await page.getByTestId('experiment-status').textContent()) === 'done') break;
    if (sawTwo) break;
    await page.waitForTimeout(100);
  }
  if (lanes === 2) {
    // Pause with two lanes busy or between jobs: both lane workers stop, nothing runs while paused,
    // and Resume finishes without redoing what was finished.
    await page.getByTestId('pause').click();
    await expect.poll(() => page.getByTestId('experiment-status').textContent(), { timeout: 60_000 }).toBe('paused');
    const pausedAt = await doneJobs(page);
    const before = await readOwnStore<Run & { createdAt: string }>(page, 'runs');
    await page.waitForTimeout(1500);
    expect(await doneJobs(page)).toBe(pausedAt);
    await page.getByTestId('run').click();
    await waitDone(page);
    const after = await readOwnStore<Run & { createdAt: string }>(page, 'runs');
    for (const r of before) expect(after.find((x) => x.id === r.id)?.createdAt, r.id).toBe(r.createdAt);
  }
  await waitDone(page);
  const runs = await readOwnStore<Run>(page, 'runs');
  expect(runs.filter((r) => r.kind === 'single')).toHaveLength(3);
  expect(runs.filter((r) => r.kind === 'transfer')).toHaveLength(6);
  const [exp] = await readOwnStore<Experiment>(page, 'experiments');
  expect(exp.status).toBe('done');
  // Every lane's worker has finished and freed its tensors; the app worker holds none of theirs.
  await expectClean(page, problems);
  if (lanes === 2) {
    // Delete it, so that the one-lane run plans the same experiment again from nothing.
    await go(page, 'experiment');
    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('cancel').click();
    await expect.poll(() => readOwnStore<Experiment>(page, 'experiments').then((e) => e.length), { timeout: 30_000 }).toBe(0);
  }
  await page.close();
  return { runs: new Map(runs.map((r) => [r.id, JSON.stringify(r.metrics)])), sawTwo };
}

test('two lanes run two jobs at once and store the same results as one lane', async () => {
  const two = await runWithLanes(2);
  expect(two.sawTwo).toBe(true);
  const one = await runWithLanes(1);
  expect(one.sawTwo).toBe(false);
  expect([...one.runs.keys()].sort()).toEqual([...two.runs.keys()].sort());
  for (const [id, metrics] of one.runs) expect(two.runs.get(id), id).toBe(metrics);
}, 600_000);
