/**
 * The setup every e2e file shares: before its tests, the app served on the file's own FIXED port
 * (IndexedDB and the service worker belong to an origin, port included: each file gets an origin of
 * its own, and a reload or restart within the file finds its data) and one browser on a fresh
 * profile; after them, both closed. Call `useApp` at the top level of a test file and read `url`
 * and `browser` inside its tests.
 */
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, type Browser } from './chromium';
import { serveBuiltApp, type ServedApp } from './server';

export interface AppHarness {
  /** The app's URL, ending in "/". */
  readonly url: string;
  readonly browser: Browser;
}

/** `serve` defaults to the built app (dist/) on Vite's preview server. */
export function useApp(port: number, serve: (port: number) => Promise<ServedApp> = serveBuiltApp): AppHarness {
  let served: ServedApp | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    served = await serve(port);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useApp: the app and the browser start in beforeAll; read them inside a test');
    return value;
  };
  return {
    get url() { return started(served).url; },
    get browser() { return started(browser); },
  };
}
