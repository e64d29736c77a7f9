// An audit package as a folder: written whole or not at all (into a new folder beside
// the target, then renamed into place), and read back for verification. The folder
// and its files are readable by their owner only, like the local data directory:
// a package names people and where evidence is kept.
import { randomBytes } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, open, rename, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../../errors.ts';
import type { PackageFile } from '../../domain/export/package.ts';

const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const plain: Record<string, string> = { EACCES: 'permission denied', EPERM: 'permission denied', EROFS: 'read-only file system', ENOSPC: 'no space left', ENOTDIR: 'a part of the path is not a folder' };
  return (code && plain[code]) ?? code ?? (error as Error).message;
}

type State = 'absent' | 'empty' | 'full';

/** What is at `dir` now; refuses what is not a folder. */
function stateOf(dir: string, field: string): State {
  let stat;
  try {
    stat = lstatSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw new InputError(`${field} ${dir}: ${reason(error)}`);
  }
  if (!stat.isDirectory()) throw new InputError(`${field} ${dir}: ${stat.isSymbolicLink() ? 'is a symbolic link' : 'exists and is not a folder'}`);
  try {
    return readdirSync(dir).length === 0 ? 'empty' : 'full';
  } catch (error) {
    throw new InputError(`${field} ${dir}: cannot be read (${reason(error)})`);
  }
}

/** Refuses a target that holds something unless `force`: checked before the package is made, and again when it is written. */
export function checkPackageDir(dir: string, options: { force?: boolean; field?: string } = {}): void {
  const field = options.field ?? '--out';
  if (stateOf(path.resolve(dir), field) === 'full' && !options.force) throw new InputError(`${field} ${dir}: is not empty; choose another folder, or give --force to replace what it holds`);
}

/**
 * Writes the package's files into `dir`: first into a new folder beside it, then
 * renamed into place, so that a reader sees the whole package or none of it. An
 * existing empty folder is replaced; one that holds anything only with `force`.
 */
export async function writePackageDir(dir: string, files: readonly PackageFile[], options: { force?: boolean; field?: string } = {}): Promise<string> {
  const field = options.field ?? '--out';
  const target = path.resolve(dir);
  for (const f of files) if (!PLAIN_NAME.test(f.path)) throw new Error(`package file "${f.path}": not a plain file name`);
  checkPackageDir(target, options);
  const parent = path.dirname(target);
  try {
    await mkdir(parent, { recursive: true });
  } catch (error) {
    throw new InputError(`${field} ${dir}: cannot make ${parent} (${reason(error)})`);
  }
  let temp: string;
  try {
    temp = await mkdtemp(path.join(parent, `.${path.basename(target)}.partial-`)); // mode 700
  } catch (error) {
    throw new InputError(`${field} ${dir}: cannot write in ${parent} (${reason(error)})`);
  }
  try {
    for (const f of files) {
      const handle = await open(path.join(temp, f.path), 'wx', 0o600);
      try {
        await handle.writeFile(f.content);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    const state = stateOf(target, field);
    if (state === 'full' && !options.force) throw new InputError(`${field} ${dir}: is not empty; choose another folder, or give --force to replace what it holds`);
    if (state === 'absent') await rename(temp, target);
    else if (state === 'empty') {
      await rmdir(target);
      await rename(temp, target);
    } else {
      const old = path.join(parent, `.${path.basename(target)}.replaced-${randomBytes(6).toString('hex')}`);
      await rename(target, old);
      try {
        await rename(temp, target);
      } catch (error) {
        await rename(old, target);
        throw error;
      }
      await rm(old, { recursive: true, force: true });
    }
    return target;
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    if (error instanceof InputError) throw error;
    throw new InputError(`${field} ${dir}: could not be written (${reason(error)}); nothing was left there`, { cause: error });
  }
}

/** The files of a package folder, by path relative to it ('/'-separated); what is not a regular file is listed apart. */
export function readPackageDir(dir: string, field = 'DIR'): { files: Map<string, Buffer>; others: string[] } {
  const root = path.resolve(dir);
  let stat;
  try {
    stat = lstatSync(root);
  } catch (error) {
    throw new InputError(`${field} ${dir}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : `cannot be read (${reason(error)})`}`);
  }
  if (!stat.isDirectory()) throw new InputError(`${field} ${dir}: not a folder`);
  const files = new Map<string, Buffer>();
  const others: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      const rel = path.relative(root, full).split(path.sep).join('/');
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files.set(rel, readFileSync(full));
      else others.push(rel);
    }
  };
  try {
    walk(root);
  } catch (error) {
    throw new InputError(`${field} ${dir}: cannot be read (${reason(error)})`);
  }
  return { files, others: others.sort() };
}
