import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'compiler',
    include: ['src/**/*.test.ts'],
    globalSetup: ['../devstack/src/vitest-global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
