// Streamed reading of local text files for the data-mapping scans (issue 3,
// "Sources" and "Bad input"): in bounded memory, in any of the five supported
// encodings (declared, or detected from the first 64 KiB: lib/domain/text/text-format.ts), with a deterministic byte
// budget and a report of what was covered. The chunks keep the contract in
// text-chunks.ts; detectors (lib/domain/detect/detect.ts) consume them.
import type { FileHandle } from 'node:fs/promises';
import { DETECTION_SAMPLE_BYTES, type Encoding } from '../../domain/text/text-format.ts';
import { openRegularFile, toReadError } from './read-error.ts';
import { foldedBytes, foldedFormat } from './folded-lines.ts';
import { decodeTextChunks, maxChunkCharsOf, type DecodeOptions, type DecodeReport, type TextChunk } from './text-chunks.ts';

export interface ReadReport extends DecodeReport {
  encoding: Encoding;
  /** True when the encoding was detected (BOM or heuristic), false when declared. */
  detected: boolean;
  /** Bytes read from the file (BOM included). For a skipped file: bytes examined. */
  bytesRead: number;
  /** Size of the file when it was opened. */
  bytesTotal: number;
  /** True when not all of the file was read (budget reached, or the caller stopped early). */
  truncated: boolean;
  skipped?: { reason: string };
  /** Why the text may be misread although it was read (a UTF-16 BOM before bytes that are not UTF-16: lib/domain/text/text-format.ts). */
  warning?: string;
}

export interface ReadTextOptions {
  /** Declared encoding; when absent it is detected. A BOM matching it is stripped. */
  encoding?: Encoding;
  /** Read at most the first N bytes of the file (deterministic sampling). */
  budgetBytes?: number;
  /** Largest chunk, in UTF-16 code units (default 1 MiB; at least 256). */
  maxChunkChars?: number;
  /** Size of the reads from disk (default 256 KiB); small values are for tests. */
  highWaterMark?: number;
  /**
   * Read only these bytes of the file, start inclusive, end exclusive (a part of a large
   * file that another reader has split at line ends: file-parts.ts). A part that does
   * not start at 0 needs `encoding` (the whole file's) and has no BOM or binary check;
   * its `bytesTotal` is the part's length, and its first line is line 1.
   */
  range?: { start: number; end: number };
  /** JSON read as text: a long line's pieces are cut outside `\uXXXX` escapes (DecodeOptions). */
  jsonEscapes?: boolean;
  /** Where a chunk's line ends stand (DecodeOptions). */
  lineEnds?: DecodeOptions['lineEnds'];
  /**
   * Called once when reading ends without an error: after the last chunk, when the
   * file is skipped as binary, or when the caller stops iterating early.
   */
  report?: (r: ReadReport) => void;
}

const DEFAULT_HIGH_WATER_MARK = 256 * 1024;

/** Bytes `start` to `end` (exclusive) of an open file, each read counted. */
async function* rangeBytes(path: string, file: FileHandle, start: number, end: number, highWaterMark: number, counted: (n: number) => void): AsyncGenerator<Uint8Array> {
  if (start >= end) return;
  let stream;
  try {
    stream = file.createReadStream({ start, end: end - 1, highWaterMark, autoClose: false });
    for await (const chunk of stream) {
      counted((chunk as Uint8Array).length);
      yield chunk as Uint8Array;
    }
  } catch (err) {
    throw toReadError(path, err);
  } finally {
    stream?.destroy();
  }
}

/**
 * Stream the decoded text of a local file in chunks (see the contract in
 * text-chunks.ts). Throws a ReadError (with `code`) when the file cannot be read, or
 * is not a regular file (read-error.ts).
 */
export async function* readTextChunks(path: string, options: ReadTextOptions = {}): AsyncGenerator<TextChunk> {
  const maxChunkChars = maxChunkCharsOf(options);
  const budget = options.budgetBytes;
  if (budget !== undefined && (!Number.isInteger(budget) || budget < 0))
    throw new RangeError('budgetBytes must be a non-negative integer');
  const highWaterMark = options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;

  let fh: FileHandle | undefined;
  let bytesRead = 0;
  let bytesTotal = 0;
  let encoding: Encoding = options.encoding ?? 'utf-8';
  const detected = options.encoding === undefined;
  let decoded: DecodeReport = { replacedSequences: 0, lines: 0 };
  let finished = false;
  let failed = false;
  let skipped: { reason: string } | undefined;
  let warning: string | undefined;

  try {
    ({ handle: fh, size: bytesTotal } = await openRegularFile(path));
    const range = options.range;
    if (range !== undefined && range.start > 0) {
      if (options.encoding === undefined) throw new RangeError('a range after the start of a file needs its encoding');
      bytesTotal = Math.max(0, Math.min(range.end, bytesTotal) - range.start);
      yield* decodeTextChunks(rangeBytes(path, fh, range.start, range.start + bytesTotal, highWaterMark, (n) => (bytesRead += n)), encoding, {
        maxChunkChars,
        jsonEscapes: options.jsonEscapes,
        lineEnds: options.lineEnds,
        report: (r) => (decoded = r),
      });
      finished = true;
      return;
    }
    if (range !== undefined) bytesTotal = Math.min(range.end, bytesTotal);
    const limit = budget === undefined ? bytesTotal : Math.min(budget, bytesTotal);

    // The head: the first bytes, for detection and the binary check.
    const head = new Uint8Array(Math.min(limit, DETECTION_SAMPLE_BYTES));
    let headLength = 0;
    try {
      while (headLength < head.length) {
        const { bytesRead: n } = await fh.read(head, headLength, head.length - headLength, headLength);
        if (n === 0) break;
        headLength += n;
      }
    } catch (err) {
      throw toReadError(path, err);
    }
    const format = foldedFormat(head.subarray(0, headLength), headLength >= bytesTotal, options.encoding);
    encoding = format.encoding;
    warning = format.warning;
    if (format.binary !== undefined) {
      skipped = { reason: format.binary };
      bytesRead = headLength;
      finished = true;
      return;
    }

    const start = format.bomLength;
    bytesRead = Math.min(start, limit);
    // The bytes after the BOM, up to the budget, counted as they are read (a card's or
    // calendar's characters cut by a fold made whole: folded-lines.ts).
    const bytes = foldedBytes(rangeBytes(path, fh, start, limit, highWaterMark, (n) => (bytesRead += n)), head.subarray(start, headLength), encoding);
    yield* decodeTextChunks(bytes, encoding, { maxChunkChars, cut: limit < bytesTotal, jsonEscapes: options.jsonEscapes, crLineEnds: format.crLineEnds, lineEnds: options.lineEnds, report: (r) => (decoded = r) });
    finished = true;
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    await fh?.close().catch(() => undefined);
    if (!failed) {
      options.report?.({
        encoding,
        detected,
        bytesRead,
        bytesTotal,
        truncated: skipped ? false : !finished || bytesRead < bytesTotal,
        ...decoded,
        ...(skipped ? { skipped } : {}),
        ...(warning !== undefined ? { warning } : {}),
      });
    }
  }
}
