// The audit package as one zip, for a single HTTP response: the same files, the
// manifest among them, so that the unpacked folder verifies like one written to disk.
// Stored with the package's time (not the clock's), so the same files give the same zip. Pure.
import { zipSync, type Zippable } from 'fflate';
import type { PackageFile } from './package.ts';

export function zipPackage(files: readonly PackageFile[], options: { mtime?: Date } = {}): Buffer {
  const mtime = options.mtime ?? new Date('2000-01-01T00:00:00Z');
  const entries: Zippable = {};
  for (const f of files) {
    if (f.path in entries) throw new Error(`${f.path}: twice in the package`);
    entries[f.path] = [new Uint8Array(f.content.buffer, f.content.byteOffset, f.content.byteLength), { mtime, level: 6 }];
  }
  return Buffer.from(zipSync(entries));
}
