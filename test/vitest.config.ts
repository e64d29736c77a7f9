import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Files share their worker's modules: each heavy module (the detectors, the AWS SDK,
    // the workflows) loads once per worker, not once per file. What a file changes beyond
    // its tests is undone when it ends (file-cleanup.ts); a file that mocks a module loads
    // what uses it after vi.resetModules(), and resets them again when done.
    isolate: false,
    setupFiles: ['test/support/file-cleanup.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    // Two cores: DynamoDB Local (Java) needs one of them.
    maxWorkers: 2,
  },
});
