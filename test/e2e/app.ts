/**
 * Helpers every e2e flow shares: open the app with watchers for uncaught errors, console errors and
 * CSP violations (a flow passes only when all three stay empty), wait until it is ready, and save
 * screenshots of the views under test/e2e/screenshots/ (git-ignored) for people to look at.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';

export const SCREENSHOTS = 'test/e2e/screenshots';

export interface Problems {
  /** Uncaught exceptions and unhandled rejections of the page. */
  errors: string[];
  /** Content Security Policy violations (page events and console reports, workers included). */
  csp: string[];
  /** console.error messages. */
  consoleErrors: string[];
}

/** Console errors that are not the app's fault. */
const BENIGN_CONSOLE = [
  // Chromium logs failed requests of a page that is offline on purpose.
  /net::ERR_INTERNET_DISCONNECTED/,
  /Failed to load resource/,
];

export function watch(page: Page): Problems {
  const problems: Problems = { errors: [], csp: [], consoleErrors: [] };
  page.on("pageerror", (e) => problems.errors.push(e.message + (process.env.E2E_STACKS ? `\n${e.stack}` : "")));
  page.on('console', (m) => {
    const text = m.text();
    if (/Content Security Policy|Content-Security-Policy/i.test(text)) problems.csp.push(text);
    else if (m.type() === 'error' && !BENIGN_CONSOLE.some((r) => r.test(text))) problems.consoleErrors.push(text);
    // Observable Plot reports charts it drew wrongly as console warnings ("Warning: …").
    else if (m.type() === 'warning' && text.startsWith('Warning:')) problems.consoleErrors.push(`chart: ${text}`);
  });
  page.on('worker', (w) => {
    w.on('console', (m) => {
      const text = m.text();
      if (/Content Security Policy/i.test(text)) problems.csp.push(`worker: ${text}`);
      else if (m.type() === 'error') problems.consoleErrors.push(`worker: ${text}`);
    });
  });
  void page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const list = ((window as unknown as { __csp?: string[] }).__csp ??= []);
      list.push(`${e.violatedDirective} blocked ${e.blockedURI}`);
    });
  });
  return problems;
}

/** The page's own CSP violation records (from the securitypolicyviolation event). */
export async function pageCsp(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
}

export async function expectClean(page: Page, problems: Problems): Promise<void> {
  const csp = [...problems.csp, ...(page.isClosed() ? [] : await pageCsp(page))];
  expect(csp, 'CSP violations').toEqual([]);
  expect(problems.errors, 'uncaught errors').toEqual([]);
  expect(problems.consoleErrors, 'console errors').toEqual([]);
}

export async function openApp(context: BrowserContext, url: string): Promise<{ page: Page; problems: Problems }> {
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(url);
  await waitReady(page);
  return { page, problems };
}

export async function waitReady(page: Page, timeout = 90_000): Promise<void> {
  const until = Date.now() + timeout;
  for (;;) {
    const [status, fatal] = await Promise.all([
      page.getByTestId('status').textContent(),
      page.locator('.fatal').first().textContent({ timeout: 10 }).catch(() => null),
    ]);
    if (fatal) throw new Error(`the app failed to start: ${fatal}`);
    if (status === 'Ready') return;
    if (Date.now() > until) throw new Error(`the app was not ready after ${timeout / 1000} s (status: ${status})`);
    await page.waitForTimeout(200);
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

export async function go(page: Page, view: string): Promise<void> {
  await page.getByTestId(`nav-${view}`).click();
}

/** Plans the experiment of the current settings (the page's URL) and waits for its time estimate. */
export async function planExperiment(page: Page, timeout = 180_000): Promise<void> {
  await go(page, 'experiment');
  await page.getByTestId('plan').click();
  // A plan or estimate that fails shows an error box instead: fail at once, with what the page says.
  // The view may still show the experiment selected before (with its own estimate) until the new
  // plan arrives: wait for the plan button to be idle again before reading the plan card.
  const until = Date.now() + timeout;
  for (;;) {
    const planned = (await page.getByTestId('plan').textContent()) !== 'Planning…';
    if (planned && (await page.getByTestId('estimate').isVisible())) return;
    const error = await page.locator('[data-testid="plan-error"], [data-testid="run-error"]').first().textContent({ timeout: 10 }).catch(() => null);
    if (error) throw new Error(`planning failed: ${error}`);
    if (Date.now() > until) {
      const card = await page.getByTestId('plan-card').textContent({ timeout: 10 }).catch(() => null);
      throw new Error(`no time estimate after ${timeout / 1000} s; the plan card says: ${card ?? '(no plan card)'}`);
    }
    await page.waitForTimeout(250);
  }
}

/** Clicks Run (or Resume) and waits until the experiment is done. */
export async function runToEnd(page: Page, timeout = 480_000): Promise<void> {
  await page.getByTestId('run').click();
  await waitDone(page, timeout);
}

export async function waitDone(page: Page, timeout = 480_000): Promise<void> {
  const until = Date.now() + timeout;
  for (;;) {
    const error = await page.getByTestId('run-error').textContent({ timeout: 10 }).catch(() => null);
    if (error) throw new Error(`the experiment failed: ${error}`);
    if ((await page.getByTestId('experiment-status').textContent()) === 'done') return;
    if (Date.now() > until) throw new Error(`the experiment did not finish within ${timeout / 1000} s`);
    await page.waitForTimeout(500);
  }
}

export async function doneJobs(page: Page): Promise<number> {
  return page.locator('[data-testid="job-row"][data-status="done"]').count();
}

/** Reads a store table straight from IndexedDB (same origin as the app). */
/** Ids of the experiments a fresh browser imports on its first visit (results/index.json). */
export const BUNDLED_EXPERIMENT_IDS: readonly string[] = (JSON.parse(readFileSync('results/index.json', 'utf8')) as { id: string }[]).map((e) => e.id);

/**
 * The records of `table` that are not the bundled demo result's: what the flow under test wrote
 * (experiments by their id, the rest by `experimentId`).
 */
export async function readOwnStore<T>(page: Page, table: string): Promise<T[]> {
  const bundled = new Set(BUNDLED_EXPERIMENT_IDS);
  const all = await readStore<{ id: string; experimentId?: string }>(page, table);
  return all.filter((r) => !bundled.has(table === 'experiments' ? r.id : r.experimentId ?? '')) as T[];
}

export async function readStore<T>(page: Page, table: string): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open('transferscope');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const req = db.transaction(name, 'readonly').objectStore(name).getAll();
          req.onsuccess = () => { resolve(req.result as T[]); db.close(); };
          req.onerror = () => reject(req.error);
        };
      }),
    table,
  );
}

/** The worker's tfjs tensor count (through the page's debugging handle). */
export async function tensorCount(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const ts = (window as unknown as { transferscope: { memory(): Promise<{ numTensors: number }> } }).transferscope;
    return (await ts.memory()).numTensors;
  });
}
