import { build } from 'vite';
import { requireChromium } from './chromium';

// Build the app once for every e2e file; check the browser first so a missing Chromium fails fast
// with the install command instead of after a build.
export default async function setup(): Promise<void> {
  requireChromium();
  await build({ logLevel: 'warn' });
}
