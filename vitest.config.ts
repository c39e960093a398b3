import { defineConfig } from 'vitest/config';

// Two projects under one `npm test`:
// - unit: Node, tfjs wasm backend (test/lib, test/cli, test/scripts);
// - e2e: builds the app once, serves it on localhost and drives Debian's Chromium (test/e2e).
// A third, e2e-long (test/e2e-long: flows of several minutes, such as the quick preset end to end),
// runs only by name: `npm run test:e2e:long`.
// tfjs keeps a global engine per process, so test files run in their own forks.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'test/e2e-long/**'],
          environment: 'node',
          pool: 'forks',
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          globalSetup: ['test/e2e/global-setup.ts'],
          // One browser at a time: the machine has two cores and the flows are heavy.
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 600_000,
          // The page answers between training steps on a loaded 2-core machine: a poll without its
          // own timeout waits up to 30 s (Vitest's default of 1 s made tests flaky), not forever.
          expect: { poll: { timeout: 30_000, interval: 100 } },
        },
      },
      {
        test: {
          name: 'e2e-long',
          include: ['test/e2e-long/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          globalSetup: ['test/e2e/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 1_200_000,
          hookTimeout: 600_000,
          expect: { poll: { timeout: 30_000, interval: 100 } },
        },
      },
    ],
    maxWorkers: 2,
  },
});
