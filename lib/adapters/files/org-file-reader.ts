// Reads an organisation file from disk and parses it as a whole; source paths in
// it are taken relative to the file.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../errors.ts';
import type { OrgFile } from '../../domain/org/org.ts';
import { parseOrgFile } from '../../domain/org/org-file.ts';

export function readOrgFile(fileName: string): OrgFile {
  let text: string;
  try {
    text = readFileSync(fileName, 'utf8');
  } catch (error) {
    throw new InputError(`${fileName}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const org = parseOrgFile(text, fileName);
  // Source paths are relative to the organisation file.
  const base = path.dirname(path.resolve(fileName));
  return { ...org, sources: org.sources.map((s) => ('path' in s ? { ...s, path: path.resolve(base, s.path) } : s)) };
}
