import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'runtime',
    include: ['src/**/*.test.ts'],
    globalSetup: ['../devstack/src/vitest-global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
