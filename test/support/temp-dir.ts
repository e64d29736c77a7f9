// Temporary directories for tests, removed once the test file has run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];

// Registered when a test file imports this module (directly or through another helper),
// so on that file's top-level suite: each file has its own copy of the module. As
// afterAll hooks run in the reverse order of their registration, this runs after the
// file's own afterAll hooks, those that stop servers or child processes using these
// directories included.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A new directory in the system temp folder (`prefix` and six random characters),
 * removed with everything in it after the last test of the file that made it.
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
