// Locally, without a configured key, the keyed hashes use a random key kept inside
// the data directory (git-ignored), so distinct-people counts compare across local
// scans. It is created readable by its owner only, and refused when anyone else
// owns it or may read it: whoever holds the key can test guesses against the hashes.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../errors.ts';

export function localHashKeyFile(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'hash-key');
}

export function localHashKey(dataDir: string): () => Promise<string> {
  return async () => {
    const file = localHashKeyFile(dataDir);
    if (!existsSync(file)) {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      // Earlier versions kept the key beside the data directory: carry it over, so counts still compare.
      const earlier = path.join(path.dirname(path.dirname(file)), 'hash-key');
      if (path.basename(path.dirname(path.dirname(file))) === '.local' && existsSync(earlier) && ownedByMe(earlier)) {
        renameSync(earlier, file);
        chmodSync(file, 0o600);
      } else {
        writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
      }
    }
    checkPrivate(file);
    const key = readFileSync(file, 'utf8').trim();
    if (key.length < 16) throw new InputError(`${file}: holds no usable key (fewer than 16 characters); delete it to make a new one`);
    return key;
  };
}

const myUid = () => (typeof process.getuid === 'function' ? process.getuid() : undefined);

function ownedByMe(file: string, me = myUid()): boolean {
  return me === undefined || statSync(file).uid === me;
}

/** Refuses a key file that is not a regular file, not owned by `me`, or readable by others. */
export function checkPrivate(file: string, me = myUid(), what = 'the hash key'): void {
  const info = statSync(file);
  if (!info.isFile()) throw new InputError(`${file}: ${what} must be a regular file`);
  if (!ownedByMe(file, me)) throw new InputError(`${file}: ${what} belongs to another user (uid ${info.uid}); refusing to use it`);
  if ((info.mode & 0o077) !== 0) {
    throw new InputError(`${file}: ${what} may be read by others (mode ${(info.mode & 0o777).toString(8)}); make it private with "chmod 600 ${file}"`);
  }
}
