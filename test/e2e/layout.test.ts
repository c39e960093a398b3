/**
 * Layout of every view, at a desktop width (1280 px) and a phone width (375 px), after a short
 * experiment on wasm: no sideways overflow of the page, and no plot label cut off by its plot.
 * Each view is saved as a screenshot (test/e2e/screenshots/layout-<view>-<width>.png) for a look.
 */
import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { useApp } from './harness';
import { expectClean, go, openApp, planExperiment, runToEnd, screenshot } from './app';

const app = useApp(4400);
const VIEWS = ['recommend', 'data', 'model', 'experiment', 'explain', 'transfer', 'search', 'export'] as const;
const WIDTHS = [1280, 375] as const;

interface LayoutReport {
  /** How far the page is wider than the window, px. */
  overflow: number;
  /** Elements wider than the window, as tag.class (the usual culprits of an overflow). */
  wide: string[];
  /** Plot texts that stick out of their svg, or axis labels over tick labels, as their text. */
  clipped: string[];
}

async function layout(page: Page): Promise<LayoutReport> {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const width = doc.clientWidth;
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > width + 1 && getComputedStyle(e).position !== 'fixed')
      // Inside a container that scrolls sideways, a wide element is fine: the page does not widen.
      .filter((e) => { for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) if (/auto|scroll|hidden/.test(getComputedStyle(p).overflowX)) return false; return true; })
      .slice(0, 8)
      .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`);
    const clipped: string[] = [];
    // Text boxes include the line's leading: an axis title just below its ticks touches them. Count
    // as "on top" a title that covers a third of a tick label or more.
    const overlap = (a: DOMRect, b: DOMRect) => {
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      return w > 0 && h > 0 && w * h > 0.33 * Math.min(a.width * a.height, b.width * b.height);
    };
    for (const svg of document.querySelectorAll('svg')) {
      const box = svg.getBoundingClientRect();
      if (getComputedStyle(svg).overflow !== 'visible') {
        for (const t of svg.querySelectorAll('text')) {
          const r = t.getBoundingClientRect();
          if (r.width === 0) continue;
          if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) clipped.push(t.textContent ?? '');
        }
      }
      // Observable Plot names its axis groups: an axis title must not sit on the tick labels.
      const ticks = [...svg.querySelectorAll('g[aria-label$="tick label"] text')].map((t) => t.getBoundingClientRect());
      for (const label of svg.querySelectorAll('g[aria-label$="axis label"] text')) {
        const r = label.getBoundingClientRect();
        if (ticks.some((t) => overlap(t, r))) clipped.push(`${label.textContent ?? ''} (over the tick labels)`);
      }
    }
    return { overflow: doc.scrollWidth - width, wide, clipped: clipped.slice(0, 12) };
  });
}

test('every view at 1280 px and 375 px: no sideways overflow, no clipped plot labels', async () => {
  const { page, problems } = await openApp(app.browser.context, `${app.url}?backend=wasm&model=bundled:fixture-tiny&grid=tiny&tgrid=tiny&maxdocs=500&steps=4&cdocs=2`);
  await page.getByTestId('import-files').setInputFiles('test/e2e/fixtures/tiny-crisis.csv');
  await page.getByTestId('import-run').click();
  await page.getByTestId('import-notes').waitFor({ timeout: 30_000 });
  await planExperiment(page, 300_000);
  await runToEnd(page, 480_000);

  const reports: Record<string, LayoutReport> = {};
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    for (const view of VIEWS) {
      await go(page, view);
      await page.waitForTimeout(1500);
      await screenshot(page, `layout-${view}-${width}`);
      reports[`${view}@${width}`] = await layout(page);
      // Every view says what it shows; the jargon of the result views carries its definition.
      expect((await page.getByTestId('view-help').locator('p').textContent())?.length ?? 0, view).toBeGreaterThan(60);
      if (view === 'search' || view === 'transfer') {
        const titles = await page.getByTestId('term').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-term')}: ${e.getAttribute('title') ?? ''}`));
        expect(titles.length, view).toBeGreaterThanOrEqual(view === 'search' ? 5 : 4);
        for (const t of titles) expect(t, view).toMatch(/^[^:]+: .{20,}/);
      }
    }
  }
  console.log(JSON.stringify(reports, null, 1));
  for (const [where, r] of Object.entries(reports)) {
    expect(r.overflow, `${where}: the page is wider than the window (${r.wide.join(', ')})`).toBeLessThanOrEqual(0);
    expect(r.clipped, `${where}: plot labels cut off`).toEqual([]);
  }
  await expectClean(page, problems);
  await page.close();
});
