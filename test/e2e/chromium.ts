import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Fails loudly, with the fix, when the browser the e2e tests need is absent (never skips). */
export function requireChromium(): string {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `End-to-end tests need Debian's Chromium at ${CHROMIUM_PATH}, which is missing. ` +
        'Install it with `sudo apt-get install -y chromium` (or set CHROMIUM_PATH to another Chromium binary).',
    );
  }
  return CHROMIUM_PATH;
}

// Flags measured in ../shared/BROWSER.md: headless as root on a closed network, WebGPU through
// the software adapter, no background connections that the sandbox would refuse.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-unsafe-swiftshader',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  userDataDir: string;
  close(): Promise<void>;
}

/**
 * A persistent context on a fresh profile: IndexedDB and the service worker survive page reloads
 * within it (and a relaunch with the same `userDataDir`).
 */
export async function launchBrowser(opts: { userDataDir?: string; keepProfile?: boolean } = {}): Promise<Browser> {
  const userDataDir = opts.userDataDir ?? mkdtempSync(join(tmpdir(), 'transferscope-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: requireChromium(),
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    userDataDir,
    async close() {
      await context.close();
      if (!opts.keepProfile) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
