import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'worker',
    include: ['src/**/*.test.ts'],
    globalSetup: ['../../packages/devstack/src/vitest-global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
