import { build } from 'vite';
import { requireChromium } from './chromium';

// Build the app once for every e2e file; check the browser first so a missing Chromium fails fast
// with the install command instead of after a build.
export default async function setup(): Promise<void> {
  requireChromium();
  // Vitest sets NODE_ENV=test, and Vite derives import.meta.env.PROD (and Svelte its production
  // build) from NODE_ENV: build what users get, not a development build.
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ logLevel: 'warn', mode: 'production' });
  } finally {
    process.env.NODE_ENV = env;
  }
}
