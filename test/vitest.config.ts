import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Polls wait on runs and servers; under a loaded machine one second is not enough.
    expect: { poll: { timeout: 60_000, interval: 100 } },
    reporters: ['default', ['json', { outputFile: '../test-artifacts/vitest/e2e.json' }]],
  },
});
