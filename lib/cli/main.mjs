#!/usr/bin/env -S node --max-semi-space-size=4
// The `compliance` command line's entry, in plain JavaScript: it turns Node's compile
// cache on before any TypeScript is loaded, so that from the second run on the
// commands' modules come stripped and compiled from disk and Node's TypeScript stripper
// is not even loaded (stripping and compiling were about half of a start). The commands
// are in program.ts.
//
// The cache is kept in a folder of this user's own (created mode 700 in the system's
// temporary folder); a folder there that someone else owns, that others may write to,
// or that is a link, is not used, since code read from it would run as this user.
// NODE_COMPILE_CACHE, when set, wins.
import { lstatSync, mkdirSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The cache folder, when it is safe to use: this user's, not a link, closed to others. */
function ownFolder() {
  const uid = process.getuid?.();
  if (uid === undefined) return undefined;
  const dir = path.join(tmpdir(), `compliance-compile-cache-${uid}`);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if (error?.code !== 'EEXIST') return undefined;
  }
  try {
    const info = lstatSync(dir);
    return info.isDirectory() && info.uid === uid && (info.mode & 0o077) === 0 ? dir : undefined;
  } catch {
    return undefined;
  }
}

if (typeof module.enableCompileCache === 'function' && module.getCompileCacheDir?.() === undefined) {
  const dir = ownFolder();
  if (dir !== undefined) module.enableCompileCache(dir);
}
const { main } = await import('./program.ts');
process.exitCode = await main(process.argv);
