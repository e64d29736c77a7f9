// Run before each test file (setupFiles). Test files share their worker's modules (the
// config's `isolate: false`: importing the detectors, the AWS SDK and the workflows once
// per worker rather than once per file took the suite from 607 s to about 440 s), so what a file
// changes beyond its own tests is undone when it ends: its temporary directories removed,
// spies restored, stubbed variables and globals put back, real timers. Registered before
// the file's own hooks, this afterAll runs after them (hooks run as a stack).
import { afterAll, vi } from 'vitest';
import { removeTempDirs } from './temp-dir.ts';

afterAll(() => {
  removeTempDirs();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});
