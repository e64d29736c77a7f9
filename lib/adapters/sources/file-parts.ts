// A large text file in parts that can be scanned at the same time (by worker threads)
// and give, put back in order, what one reader would have given: each part is a byte
// range that ends just after a line end, so no line (and no finding: the identifiers
// never run across a line end, and a topic keyword or an e-mail address holds none) is
// cut; each part knows the line it starts on (the line ends before it are counted in
// the one pass that finds the cuts), so its findings carry the whole file's lines.
//
// Only text read as lines is split, and only where a line end is one byte that no other
// character contains: UTF-8, GB18030 and Big5 (their multi-byte characters never hold
// 0x0A). UTF-16, a file read with a byte budget, and every other format (CSV, whose
// quoted cells may hold line ends; JSON; .xlsx) stay whole.
import { open } from 'node:fs/promises';
import path from 'node:path';
import { DETECTION_SAMPLE_BYTES, textFormat, type Encoding } from '../../domain/text/encoding.ts';

/** Text files read as lines (as local-files.ts reads them). */
const LINES = new Set(['.txt', '.log', '.md', '.jsonl', '.ndjson', '']);
/** Parts are about this large. */
export const PART_BYTES = 8 * 1024 * 1024;

export interface FilePart {
  /** Byte range of the part: start inclusive, end exclusive. */
  start: number;
  end: number;
  /** Line of the file the part starts on (1-based): the line ends before it, counted. */
  line: number;
  /** The file's encoding (parts after the first are read with it). */
  encoding: Encoding;
}

/**
 * Whether `file` is worth splitting (a text file read as lines, larger than two parts,
 * in a splittable encoding, read without a budget), and if so its size and encoding.
 * Errors (the file cannot be opened) give undefined: the whole-file reader then reports
 * them as it always does.
 */
export async function splittable(file: string, budgetBytes: number | undefined, partBytes = PART_BYTES): Promise<{ size: number; encoding: Encoding } | undefined> {
  if (!LINES.has(path.extname(file).toLowerCase()) || budgetBytes !== undefined) return undefined;
  let handle;
  try {
    handle = await open(file, 'r');
    const { size } = await handle.stat();
    if (size < 2 * partBytes) return undefined;
    const head = new Uint8Array(Math.min(size, DETECTION_SAMPLE_BYTES));
    await handle.read(head, 0, head.length, 0);
    const format = textFormat(head, false);
    if (format.binary !== undefined || (format.encoding !== 'utf-8' && format.encoding !== 'gb18030' && format.encoding !== 'big5')) return undefined;
    return { size, encoding: format.encoding };
  } catch {
    return undefined;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * The parts of a file `splittable` accepted, each given as soon as its end is found, so
 * that the first can be scanned while the rest are still being cut: one pass that cuts
 * after the first line end past each part's size and counts the line ends before each
 * cut (a part's first line). Should reading fail part way, the rest of the file is one
 * last part, and reading it reports the failure.
 */
export async function* fileParts(file: string, size: number, encoding: Encoding, partBytes = PART_BYTES): AsyncGenerator<FilePart> {
  let start = 0;
  let line = 1;
  try {
    const handle = await open(file, 'r');
    try {
      const block = Buffer.allocUnsafe(1024 * 1024);
      let lines = 0; // line ends from `start` to `at`
      let at = 0;
      while (at < size) {
        const { bytesRead } = await handle.read(block, 0, Math.min(block.length, size - at), at);
        if (bytesRead === 0) break;
        const bytes = block.subarray(0, bytesRead);
        for (let nl = bytes.indexOf(0x0a); nl >= 0; nl = bytes.indexOf(0x0a, nl + 1)) {
          lines++;
          const end = at + nl + 1;
          if (end - start >= partBytes && size - end >= partBytes) {
            yield { start, end, line, encoding };
            start = end;
            line += lines;
            lines = 0;
          }
        }
        at += bytesRead;
      }
    } finally {
      await handle.close().catch(() => undefined);
    }
  } catch {
    // the last part below reads (and reports) what could not be read here
  }
  yield { start, end: size, line, encoding };
}

/** Every part of `file`, or undefined when it is read whole (for tests and callers that want them all). */
export async function splitFile(file: string, budgetBytes: number | undefined, partBytes = PART_BYTES): Promise<FilePart[] | undefined> {
  const split = await splittable(file, budgetBytes, partBytes);
  if (split === undefined) return undefined;
  const parts: FilePart[] = [];
  for await (const part of fileParts(file, split.size, split.encoding, partBytes)) parts.push(part);
  return parts.length > 1 ? parts : undefined;
}
