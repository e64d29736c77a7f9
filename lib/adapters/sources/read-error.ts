// Why a local file or folder could not be read, and the one way the readers open a
// file. The error names the path (redacted as a name, redactName: a file may be named
// after a person, `9123 4567 陳生.txt`, whose bare number is masked too) and
// the reason, and keeps no system error as its cause (whose message repeats the raw
// path). Only a regular file is opened: a FIFO would block the open until someone
// writes to it, and a device or socket may never end; each is refused, with what it
// is, after a stat and before any open, and checked again on the open handle (opened
// non-blocking) in case the path changed in between.
import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { redact, redactName } from '../../domain/detect/redact.ts';
import { InputError } from '../../errors.ts';

/** An unreadable file or folder: `code` is the system error code (or our own: EFBIG, ENOTREG, ...). */
export class ReadError extends InputError {
  readonly code: string;
  /** The path, redacted as a name (redactName). */
  readonly path: string;
  /** Why, in words (redacted), without the path. */
  readonly reason: string;
  constructor(path: string, code: string, reason: string) {
    const shown = redactName(path);
    super(`cannot read ${shown}: ${redact(reason)}`);
    this.code = code;
    this.path = shown;
    this.reason = redact(reason);
  }
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

/**
 * The system error code of what was thrown, and the reason in words. A system error's own
 * message may quote the path, so it is redacted as a name (bare numbers masked too).
 */
export function reasonOf(err: unknown): { code: string; reason: string } {
  const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : 'EIO';
  return { code, reason: REASONS[code] ?? redactName(err instanceof Error ? err.message : String(err)) };
}

/** A system error (or anything thrown) while reading `path`, as a ReadError. */
export function toReadError(path: string, err: unknown): ReadError {
  if (err instanceof ReadError) return err;
  const { code, reason } = reasonOf(err);
  return new ReadError(path, code, reason);
}

/** What a stat (or a folder's entry) shows, when it is not a regular file: why it is not read. */
export function notRegular(info: Pick<Stats, 'isFile' | 'isDirectory' | 'isSymbolicLink' | 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'>): string | undefined {
  if (info.isFile()) return undefined;
  if (info.isDirectory()) return 'is a directory';
  if (info.isSymbolicLink()) return 'a symbolic link: not followed';
  if (info.isFIFO()) return 'a FIFO (named pipe), not a regular file: not opened';
  if (info.isSocket()) return 'a socket, not a regular file: not opened';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device, not a regular file: not opened';
  return 'not a regular file: not opened';
}

function refused(path: string, info: Stats): ReadError | undefined {
  const why = notRegular(info);
  return why === undefined ? undefined : new ReadError(path, info.isDirectory() ? 'EISDIR' : 'ENOTREG', why);
}

/** Stats of a regular file; a ReadError for anything else or when it cannot be read. */
export async function statRegularFile(path: string): Promise<Stats> {
  let info: Stats;
  try {
    info = await stat(path);
  } catch (err) {
    throw toReadError(path, err);
  }
  const error = refused(path, info);
  if (error) throw error;
  return info;
}

/** Opens a regular file for reading, refusing anything else before it is opened; the caller closes the handle. */
export async function openRegularFile(path: string): Promise<{ handle: FileHandle; size: number }> {
  await statRegularFile(path);
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw toReadError(path, err);
  }
  try {
    const info = await handle.stat();
    const error = refused(path, info);
    if (error) throw error;
    return { handle, size: info.size };
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw toReadError(path, err);
  }
}
