import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'api',
    include: ['src/**/*.test.ts'],
    globalSetup: ['../../packages/devstack/src/vitest-global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
