import { defineConfig } from 'vitest/config';

// Tests beside the code are unit tests, except `*.integration.test.ts`, which need real
// services (mediasoup workers, Redis) and run with the integration suite.
const besideTheCode = ['shared/src', 'signaling/src', 'load-tests/src', 'web-client/src'];

export default defineConfig({
  test: {
    // Two cores: real mediasoup workers and Chromium compete for them, so keep the pool small.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/architecture.test.ts', ...besideTheCode.map((d) => `${d}/**/*.test.ts`)],
          exclude: ['**/node_modules/**', '**/*.integration.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['sfu-server/src/**/*.test.ts', 'tests/integration/**/*.test.ts', ...besideTheCode.map((d) => `${d}/**/*.integration.test.ts`)],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          fileParallelism: false,
          // After unit and integration, not beside them: five Chromium tabs and three node
          // processes on two cores starve timing-sensitive suites (and each other).
          sequence: { groupOrder: 1 },
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
