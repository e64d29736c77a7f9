// A large text or CSV/TSV file in parts that can be scanned at the same time (by worker
// threads) and give, put back in order, what one reader would have given.
//
// Text read as lines: each part is a byte range that ends just after a line end, so no
// line (and no finding: the identifiers never run across a line end, and a topic
// keyword or an e-mail address holds none) is cut; each part knows the line it starts
// on (the line ends before it are counted in the one pass that finds the cuts), so its
// findings carry the whole file's lines.
//
// CSV and TSV: each part ends just after a record's end, a line end outside quotes. One
// pass over the whole file, before any part is given, follows the quotes (RFC 4180:
// a quote opens a cell only at its start, `""` inside a quoted cell is a quote, and the
// closing quote is followed by the delimiter, a line end or the end of the file) and
// counts lines and data rows, so each part knows its first line, the data rows before
// it and where the header row is (the readers of later parts read the header first, so
// cells keep their column names). Which line the header is on, and the delimiter, are the
// CSV reader's to say (csvLayout: the reader asked, by the rules of table-layout.ts: a
// `sep=` line, a sniffed ';', tab or '|', a title or metadata lines before the header); every part is
// read with that delimiter (the reader loads here lazily, and takes only this file's
// types). Where the pass cannot be sure the reader would see the same records (a quote
// inside an unquoted cell or text after a closing quote, which csv-parse reads leniently;
// a quote never closed; a record over half the reader's limit, which it would reject and
// resume from; no header), the file is read whole.
//
// Only where a line end, a quote and the delimiter are each one byte that no other
// character contains: UTF-8, GB18030 and Big5 (their multi-byte characters never hold
// 0x0A, 0x22, 0x2C or 0x09). UTF-16, a file read with a byte budget, a contact card or
// calendar (folded-lines.ts: its lines go on over line ends), text that may hold Markdown
// or HTML tables (a web page, a Markdown document: a table's rows need its header,
// text-tables.ts), and every other format (JSON; .xlsx) stay whole.
import { open } from 'node:fs/promises';
import path from 'node:path';
import { DETECTION_SAMPLE_BYTES, textFormat, type Encoding } from '../../domain/text/text-format.ts';
import { fileKind, holdsMarkupTables, textIsTable } from './file-kinds.ts';
import { foldedStart, isFoldedName } from './folded-lines.ts';
import { LAYOUT_RECORDS } from './table-layout.ts';

/**
 * A CSV record longer than this many bytes makes the file read whole: the reader rejects
 * a record of about 1 MiB of UTF-8 (csv-reader.ts) and resumes at its next line, which
 * the cutting pass does not follow. (A GB18030 or Big5 byte is at most 1.5 UTF-8 bytes.)
 */
const CSV_RECORD_MAX_BYTES = 512 * 1024;
/**
 * Parts are about this large. Smaller parts spread a file more evenly over the threads
 * (the last part, up to twice this, no longer runs alone for long) and keep less of a
 * part's findings alive in a worker: on the benchmark's 100 MB chat file, two threads took
 * 1.65 s with 2 MiB parts against 1.82 s with 8 MiB, and 1.4x one thread's CPU time
 * against 1.7x; on its 84 MB CSV export 2.6 s against 2.9-3.6 s.
 */
export const PART_BYTES = 2 * 1024 * 1024;

export interface FilePart {
  /** Byte range of the part: start inclusive, end exclusive. */
  start: number;
  end: number;
  /** Line of the file the part starts on (1-based): the line ends before it, counted. */
  line: number;
  /** The file's encoding (parts after the first are read with it). */
  encoding: Encoding;
  /**
   * A part of a CSV or TSV file: the data rows before it, the bytes of the header row (a
   * record and its line end), which a part after the first reads first, and the delimiter
   * the whole file is read with (a `sep=` line's, or sniffed: csv-reader.ts), which every
   * part uses.
   */
  csv?: { row: number; header: { start: number; end: number }; delimiter?: string };
}

/** A part of a CSV or TSV file, its header and row count known. */
export type CsvFilePart = FilePart & { csv: NonNullable<FilePart['csv']> };

export interface Splittable {
  size: number;
  encoding: Encoding;
  /** Bytes of the BOM at the start of the file. */
  bomLength: number;
  /** Read as lines, or as CSV/TSV records (the delimiter is the CSV reader's to say: csvParts). */
  kind: 'text' | 'csv';
}

/**
 * Whether `file` is worth splitting (a text file read as lines or a CSV/TSV file, larger
 * than two parts, in a splittable encoding, read without a budget), and if so its size
 * and encoding (a CSV file may still be read whole: csvParts).
 * Errors (the file cannot be opened) give undefined: the whole-file reader then reports
 * them as it always does.
 */
export async function splittable(file: string, budgetBytes: number | undefined, partBytes = PART_BYTES): Promise<Splittable | undefined> {
  const read = fileKind(file); // as local-files.ts reads it
  let kind: 'text' | 'csv' | undefined = read === 'text' ? 'text' : read === 'table' ? 'csv' : undefined;
  if (kind === undefined || budgetBytes !== undefined) return undefined;
  let handle;
  try {
    handle = await open(file, 'r');
    const { size } = await handle.stat();
    if (size < 2 * partBytes) return undefined;
    const head = new Uint8Array(Math.min(size, DETECTION_SAMPLE_BYTES));
    await handle.read(head, 0, head.length, 0);
    const format = textFormat(head, false);
    if (kind === 'text' && textIsTable(file, head, false)) kind = 'csv'; // as local-files.ts reads it
    if (format.binary !== undefined || (format.encoding !== 'utf-8' && format.encoding !== 'gb18030' && format.encoding !== 'big5')) return undefined;
    // a card or calendar is read whole (folded-lines.ts): a content line goes on over lines, and a card may be left open at the end
    if (kind === 'text' && (isFoldedName(file) || foldedStart(head))) return undefined;
    // a table's rows need its header, lines or parts before them (text-tables.ts)
    if (kind === 'text' && holdsMarkupTables(file) !== undefined) return undefined;
    if (format.crLineEnds) return undefined; // its parts would be cut at LF, which it has none of
    return { size, encoding: format.encoding, bomLength: format.bomLength, kind };
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

const NL = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/**
 * The parts of a CSV/TSV file `splittable` accepted, cut after record ends (see the top
 * of this file), or undefined when it is to be read whole: one pass over the file,
 * following its quotes, a window of `windowBytes` at a time (tests make it small). Reading
 * errors give undefined too (the whole-file reader then reports them).
 */
export async function csvParts(file: string, split: Splittable, partBytes = PART_BYTES, windowBytes = 1024 * 1024): Promise<FilePart[] | undefined> {
  const { size, encoding } = split;
  const layout = await csvLayout(file, encoding);
  // The pass below reads the delimiter as one byte: ASCII only.
  if (layout === undefined || layout.headerLine === undefined || layout.delimiter.length !== 1 || layout.delimiter.charCodeAt(0) > 0x7e) return undefined;
  const { headerLine } = layout;
  const delimiter = layout.delimiter.charCodeAt(0);
  const first = split.bomLength;
  const parts: FilePart[] = [];
  let handle;
  try {
    handle = await open(file, 'r');
    const block = Buffer.allocUnsafe(Math.max(windowBytes, 4) + 1);
    // The window: the file's bytes from `base` (one before the position being read, so
    // that the byte before it can be looked at) to `base + length`.
    let base = 0;
    let length = 0;
    let nextNl = 0; // index in the window of the next line end at or after the position, or `length`
    const fill = async (from: number): Promise<void> => {
      base = Math.max(0, from - 1);
      length = 0;
      while (length < block.length && base + length < size) {
        const { bytesRead } = await handle!.read(block, length, Math.min(block.length - length, size - base - length), base + length);
        if (bytesRead === 0) throw new Error('the file ended early');
        length += bytesRead;
      }
      view = block.subarray(0, length);
      nextNl = indexIn(NL, from - base);
    };
    let view = block.subarray(0, 0);
    const indexIn = (byte: number, from: number): number => {
      const at = view.indexOf(byte, from);
      return at < 0 ? length : at;
    };

    let lines = 0; // line ends before the position
    let rows = 0; // data rows ended before the position
    let header: { start: number; end: number } | undefined;
    let recordStart = first;
    let recordLine = 1; // the line `recordStart` is on
    let part = { start: 0, line: 1, row: 0 };
    let quoted = false;
    // A line end at window index `n`: outside quotes, it ends a record (cut after it
    // when the part is large enough); inside, it only counts.
    const lineEnd = (n: number, ends: boolean): boolean => {
      lines++;
      if (!ends) return true;
      const end = base + n;
      const bytes = end - recordStart;
      if (bytes > CSV_RECORD_MAX_BYTES) return false;
      // An empty record (nothing, or a lone '\r' before the '\n') is no row; nor are the
      // records before the header's line (a `sep=` line, a preamble: csvLayout).
      if (bytes > 1 || (bytes === 1 && block[n - 1] !== CR)) {
        if (header !== undefined) rows++;
        else if (recordLine === headerLine) header = { start: recordStart, end: end + 1 };
        else if (recordLine > headerLine) return false;
      }
      recordStart = end + 1;
      recordLine = lines + 1;
      // (the first part holds the records that decide the header, so that its reader finds
      // the header the whole file's does: table-layout.ts)
      if (header !== undefined && rows >= LAYOUT_RECORDS && recordStart - part.start >= partBytes && size - recordStart >= partBytes) {
        parts.push({ start: part.start, end: recordStart, line: part.line, encoding, csv: { row: part.row, header, delimiter: layout.delimiter } });
        part = { start: recordStart, line: lines + 1, row: rows };
      }
      return true;
    };

    let at = first;
    await fill(at);
    while (at < size) {
      if (at >= base + length) await fill(at);
      const i = at - base;
      const q = indexIn(QUOTE, i);
      for (; nextNl < q; nextNl = indexIn(NL, nextNl + 1)) if (!lineEnd(nextNl, !quoted)) return undefined;
      if (q === length) {
        at = base + length;
        continue;
      }
      if (!quoted) {
        // A quote opens a cell only at its start.
        const before = q > 0 ? block[q - 1] : undefined;
        if (!(base + q === first || before === delimiter || before === NL)) return undefined;
        quoted = true;
        at = base + q + 1;
        continue;
      }
      // Inside quotes: `""` is a quote; else the cell closes, followed by the delimiter,
      // a line end ('\n' or '\r\n') or the end of the file.
      if (base + q + 1 >= size) {
        quoted = false;
        at = size;
        continue;
      }
      if (q + 2 >= length && base + length < size) {
        // The quote and the two bytes after it in one window; read it again from there.
        const quoteAt = base + q;
        await fill(quoteAt);
        at = quoteAt;
        continue;
      }
      const next = block[q + 1];
      if (next === QUOTE) at = base + q + 2;
      else if (next === delimiter || next === NL || (next === CR && q + 2 < length && block[q + 2] === NL)) {
        quoted = false;
        at = base + q + 1;
      } else return undefined;
    }
    if (quoted || header === undefined || size - recordStart > CSV_RECORD_MAX_BYTES) return undefined;
    parts.push({ start: part.start, end: size, line: part.line, encoding, csv: { row: part.row, header, delimiter: layout.delimiter } });
    return parts.length > 1 ? parts : undefined;
  } catch {
    return undefined;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * The delimiter and the header's line of a CSV/TSV file as csv-reader.ts reads it whole
 * (a `sep=` line, a sniffed delimiter, a preamble before the header: table-layout.ts),
 * from the reader itself, stopped once it has given the first rows; undefined when it
 * cannot be read. (csv-reader.ts loads only here, with the first CSV file cut.)
 */
async function csvLayout(file: string, encoding: Encoding): Promise<{ delimiter: string; headerLine: number | undefined } | undefined> {
  const { readCsvRows } = await import('./csv-reader.ts');
  let layout: { delimiter: string; headerLine: number | undefined } | undefined;
  try {
    for await (const rows of readCsvRows(file, { encoding, report: (r) => (layout = { delimiter: r.delimiter, headerLine: r.headerLine }) })) if (rows.cells.length > 0) break;
  } catch {
    return undefined;
  }
  return layout;
}

/** Every part of `file`, or undefined when it is read whole (for tests and callers that want them all). */
export async function splitFile(file: string, budgetBytes: number | undefined, partBytes = PART_BYTES): Promise<FilePart[] | undefined> {
  const split = await splittable(file, budgetBytes, partBytes);
  if (split === undefined) return undefined;
  if (split.kind === 'csv') return csvParts(file, split, partBytes);
  const parts: FilePart[] = [];
  for await (const part of fileParts(file, split.size, split.encoding, partBytes)) parts.push(part);
  return parts.length > 1 ? parts : undefined;
}
