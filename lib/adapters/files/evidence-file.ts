// An evidence file handed in with an answer: read as a stream and hashed (SHA-256),
// never kept; what is recorded is where it is, its name, size and hash.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from '../../errors.ts';
import type { EvidenceFile } from '../../usecases/review/answer.ts';

export async function readEvidenceFile(file: string): Promise<EvidenceFile> {
  const absolute = path.resolve(file);
  let bytes: number;
  try {
    const stat = statSync(absolute);
    if (!stat.isFile()) throw new InputError(`--evidence ${file}: not a file`);
    bytes = stat.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`--evidence ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(absolute)) hash.update(chunk as Buffer);
  return { location: pathToFileURL(absolute).href, name: path.basename(absolute), sha256: hash.digest('hex'), bytes };
}
