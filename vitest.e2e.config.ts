import { defineConfig } from 'vitest/config';

// End-to-end tests: headless Chromium (playwright-core) against the built app served by `vite preview`.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 120000,
    hookTimeout: 180000,
    fileParallelism: false,
    globalSetup: ['test/e2e/global-setup.ts'],
  },
});
