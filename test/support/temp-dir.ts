// Temporary directories for tests, removed once the test file has run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// Kept on the global object: a file that calls vi.resetModules() loads this module anew,
// and the directories made through that copy are still removed (removeTempDirs).
const MADE = Symbol.for('compliance.test.tempDirs');
const made: string[] = ((globalThis as { [MADE]?: string[] })[MADE] ??= []);

/**
 * Removes the directories tempDir made: after each test file's last hook (file-cleanup.ts,
 * a setup file, whose afterAll is registered before the file's own and so runs after
 * them, those that stop servers or child processes using these directories included).
 */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * A new directory in the system temp folder (`prefix` and six random characters),
 * removed with everything in it after the last test of the file that made it.
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
