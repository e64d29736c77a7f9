// Reads an organisation file from disk and parses it as a whole; source paths in
// it are taken relative to the file.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../errors.ts';
import type { OrgFile } from '../../domain/org/org.ts';
import { decodeOrgFile, parseOrgFile } from '../../domain/org/org-file.ts';
import { ORG_FILE_LIMITS } from '../../domain/org/limits.ts';

export function readOrgFile(fileName: string): OrgFile {
  let bytes: Buffer;
  try {
    const info = statSync(fileName);
    if (!info.isFile()) throw new InputError(`${fileName}: not a regular file`);
    if (info.size > ORG_FILE_LIMITS.fileBytes) {
      throw new InputError(`${fileName}: the file is ${info.size} bytes, more than the ${ORG_FILE_LIMITS.fileBytes}-byte limit for an organisation file; not read`);
    }
    bytes = readFileSync(fileName);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${fileName}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const org = parseOrgFile(decodeOrgFile(bytes, fileName), fileName);
  // Source paths are relative to the organisation file.
  const base = path.dirname(path.resolve(fileName));
  return { ...org, sources: org.sources.map((s) => ('path' in s ? { ...s, path: path.resolve(base, s.path) } : s)) };
}
