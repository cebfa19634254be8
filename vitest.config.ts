import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Two cores: real mediasoup workers and Chromium compete for them, so keep the pool small.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/architecture.test.ts', 'shared/src/**/*.test.ts', 'signaling/src/**/*.test.ts', 'load-tests/src/**/*.test.ts', 'web-client/src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['sfu-server/src/**/*.test.ts', 'tests/integration/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
