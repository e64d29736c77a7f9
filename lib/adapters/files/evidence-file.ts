// An evidence file handed in with an answer: read as a stream and hashed (SHA-256),
// never kept; what is recorded is where it is, its name, size and hash.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from '../../errors.ts';
import type { EvidenceFile } from '../../usecases/review/answer.ts';

/** `name`: what an error calls the file (`--evidence FILE`, or an answers file's line and field). */
export async function readEvidenceFile(file: string, name = `--evidence ${file}`): Promise<EvidenceFile> {
  const absolute = path.resolve(file);
  let bytes: number;
  const hash = createHash('sha256');
  try {
    const stat = statSync(absolute);
    if (!stat.isFile()) throw new InputError(`${name}: not a file`);
    bytes = stat.size;
    for await (const chunk of createReadStream(absolute)) hash.update(chunk as Buffer);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${name}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return { location: pathToFileURL(absolute).href, name: path.basename(absolute), sha256: hash.digest('hex'), bytes };
}
