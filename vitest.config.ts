import { defineConfig } from 'vitest/config';

// Unit tests run in Node on the tfjs wasm backend; end-to-end tests (test/e2e) drive the built app
// in Debian's Chromium. Both run under `npm test`.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // tfjs keeps a global engine per process; isolate test files in their own forks.
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
