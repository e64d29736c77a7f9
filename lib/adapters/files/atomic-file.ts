// Writes a file whole or not at all: the content goes to a temporary file beside the
// target (same folder, so the same file system), is flushed to disk, and is then
// renamed over the target. A reader sees the old file or the new one, never half of
// one; a failure leaves the target as it was and removes the temporary file.
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export async function writeFileAtomic(target: string, content: string | Uint8Array): Promise<{ path: string; bytes: number }> {
  const absolute = path.resolve(target);
  const temporary = path.join(path.dirname(absolute), `.${path.basename(absolute)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  try {
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, absolute);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return { path: absolute, bytes: data.byteLength };
}
