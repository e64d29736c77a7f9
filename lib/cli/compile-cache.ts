// Node's compile cache for the modules a command loads after the start (the scan's
// readers and detectors, the store, the workflows): their stripped TypeScript and
// compiled code are kept on disk, so that the second run of a command does not strip
// and compile them again. Kept in a folder of this user's own (created mode 700 in the
// system's temporary folder); a folder there that someone else owns, that others may
// write to, or that is a link, is not used, since code read from it would run as this
// user. NODE_COMPILE_CACHE, when set, wins (Node then caches everything already).
import { lstatSync, mkdirSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The folder, when it is safe to use: this user's, not a link, closed to others. */
function ownFolder(): string | undefined {
  const uid = process.getuid?.();
  if (uid === undefined) return undefined;
  const dir = path.join(tmpdir(), `compliance-compile-cache-${uid}`);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  try {
    const info = lstatSync(dir);
    return info.isDirectory() && info.uid === uid && (info.mode & 0o077) === 0 ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** Turns the compile cache on for what is loaded from now on (best effort: nothing happens where it cannot be). */
export function enableCompileCache(): void {
  if (typeof module.enableCompileCache !== 'function' || module.getCompileCacheDir?.() !== undefined) return;
  const dir = ownFolder();
  if (dir !== undefined) module.enableCompileCache(dir);
}
