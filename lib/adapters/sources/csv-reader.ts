// CSV and TSV files for the data-mapping scans (issue 3, "Sources" and "Bad
// input"): read through readTextChunks (same encodings, budget and binary
// check), parsed with csv-parse, one record at a time in bounded memory.
//
// - The first non-empty record is the header (required). Header names are
//   trimmed; an empty name becomes `column_N` (N = 1-based column position) and a
//   repeated one gets a suffix (`email`, `email_2`), so every name is unique.
//   Cells beyond the header get `column_N` names too; missing trailing cells are
//   simply absent from `cells`.
// - Empty lines are skipped and are not rows.
// - '\r\n' is read as '\n' (also inside quoted cells); a lone '\r' is an
//   ordinary character.
// - Quotes are lenient (csv-parse `relax_quotes`): a quote inside an unquoted
//   cell, or text after a closing quote, is kept literally.
// - A record csv-parse rejects (an opening quote never closed, a record longer
//   than `maxRecordBytes`, ...) is reported as a problem at the line where the
//   record starts; reading then resumes at the next line, so the rest of the
//   file is still read. The text of the rejected record's first line is not
//   yielded; its later lines are read again as records of their own.
// - With a byte budget, a record cut by the budget is dropped (not a problem:
//   the text report says `truncated`).
// - A record of more than `maxColumns` cells (default 16,384, Excel's own column
//   limit) is read up to that many and reported as a problem: a header of a million
//   names would otherwise be held, and named, for every row.
// - Linear in the file's size whatever its shape: repeated header names, wide rows
//   and cells beyond the header are named in constant time each.
import { Parser, type Options as CsvParseOptions } from 'csv-parse';
import type { Encoding } from '../../domain/text/encoding.ts';
import { delimiterFor, type CsvFilePart } from './file-parts.ts';
import { readTextChunks, type ReadReport } from './text-reader.ts';

export interface CsvRecord {
  /** 1-based data row: the header and empty lines are not counted, nor rejected records. */
  row: number;
  /** 1-based line of the file where the record starts. */
  line: number;
  /** Cells by header name. */
  cells: Record<string, string>;
}

export interface CsvProblem {
  /** 1-based line where the rejected record starts. */
  line: number;
  /** csv-parse's error code, e.g. CSV_QUOTE_NOT_CLOSED, or CSV_NO_HEADER. */
  code: string;
  message: string;
}

export interface CsvReport extends ReadReport {
  delimiter: string;
  /** Unique header names, [] when the file has no header. */
  header: string[];
  /** Line of the header row, undefined when there is none. */
  headerLine: number | undefined;
  /** Data rows yielded (for a part: with the rows before it). */
  rows: number;
  /** The first `maxProblems` problems, by line. */
  problems: CsvProblem[];
  /** Problems beyond `maxProblems`, counted but not kept. */
  problemsOmitted: number;
}

export interface CsvReadOptions {
  encoding?: Encoding;
  budgetBytes?: number;
  /** Cell separator; default '\t' for .tsv and .tab files, ',' otherwise. */
  delimiter?: string;
  /**
   * Longest record accepted (default 1 MiB), in UTF-8 bytes of its text,
   * approximately (csv-parse's `max_record_size`); bounds memory when a quote is
   * left open.
   */
  maxRecordBytes?: number;
  /** Problems kept in the report (default 1000). */
  maxProblems?: number;
  /** Cells read of a record (default 16,384); the rest are reported, not read. */
  maxColumns?: number;
  /** Passed to readTextChunks. */
  maxChunkChars?: number;
  highWaterMark?: number;
  /**
   * Read only this part of the file (file-parts.ts: a byte range ending after a record,
   * with the file's encoding): its records carry the whole file's lines and rows, and a
   * part after the first reads the header row first (its problems, if any, are the first
   * part's to report).
   */
  part?: CsvFilePart;
  /** Called for each problem as it is found. */
  onProblem?: (p: CsvProblem) => void;
  /** Called once when reading ends without an error (see readTextChunks). */
  report?: (r: CsvReport) => void;
}

export const DEFAULT_MAX_RECORD_BYTES = 1 << 20;
/** Excel's own limit (column XFD). */
export const DEFAULT_MAX_COLUMNS = 16_384;

/**
 * Unique, non-empty header names (see the rules at the top of this file). Linear
 * however often a name repeats: each name remembers the next suffix to try.
 */
export function uniqueHeaderNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const nextSuffix = new Map<string, number>();
  return names.map((raw, i) => {
    const trimmed = raw.trim();
    const base = trimmed === '' ? `column_${i + 1}` : trimmed;
    let name = base;
    if (seen.has(name)) {
      let n = nextSuffix.get(base) ?? 2;
      while (seen.has(`${base}_${n}`)) n++;
      name = `${base}_${n}`;
      nextSuffix.set(base, n + 1);
    }
    seen.add(name);
    return name;
  });
}

/** The name of cell `i` of a row: its header's, or `column_N` beyond the header (suffixed when the header has that name). */
function cellName(header: readonly string[], headerNames: ReadonlySet<string>, i: number): string {
  const name = header[i];
  if (name !== undefined) return name;
  let extra = `column_${i + 1}`;
  for (let n = 2; headerNames.has(extra); n++) extra = `column_${i + 1}_${n}`;
  return extra;
}

// csv-parse's incremental entry point: the function its stream and sync APIs
// both drive (`parse(buffer, end, push, close)` returns the error, if any,
// synchronously). Used directly so that a rejected record can be resumed from
// the next line instead of ending the file.
interface IncrementalParser {
  parse(buf: Buffer | undefined, end: boolean, push: (record: unknown) => void, close: () => void): Error | undefined;
}

function newParser(options: CsvParseOptions): IncrementalParser {
  const api = (new Parser(options) as unknown as { api?: IncrementalParser }).api;
  if (typeof api?.parse !== 'function') throw new Error('csv-parse: unsupported version (no incremental parser)');
  return api;
}

function describe(code: string, err: Error, maxRecordBytes: number): string {
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'unbalanced quote: the record starting on this line opens a quote that is never closed';
    case 'CSV_MAX_RECORD_SIZE':
      return `record longer than about ${maxRecordBytes} bytes (often an unbalanced quote)`;
    default:
      return err.message;
  }
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Stream the data rows of a CSV or TSV file. Throws a ReadError when the file cannot be read. */
export async function* readCsvRecords(file: string, options: CsvReadOptions = {}): AsyncGenerator<CsvRecord> {
  const delimiter = options.delimiter ?? delimiterFor(file);
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const maxProblems = options.maxProblems ?? 1000;
  const maxColumns = options.maxColumns ?? DEFAULT_MAX_COLUMNS;
  const parseOptions: CsvParseOptions = {
    delimiter,
    quote: '"',
    escape: '"',
    record_delimiter: '\n',
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: false,
    bom: false,
    raw: true,
    max_record_size: maxRecordBytes,
  };

  const problems: CsvProblem[] = [];
  let problemsOmitted = 0;
  let header: string[] | undefined;
  let headerNames: ReadonlySet<string> = new Set();
  let headerLine: number | undefined;
  let rows = 0;
  let textReport: ReadReport | undefined;
  let failed = false;

  // Text given to the current parser and not yet part of an emitted record; it
  // starts at the beginning of a record, on line `nextLine`.
  let uncommitted = '';
  let nextLine = 1;
  let skipToNewline = false;
  let heldCr = false;
  let parser = newParser(parseOptions);
  let out: CsvRecord[] = [];
  const part = options.part;
  if (part !== undefined) {
    nextLine = part.line;
    rows = part.csv.row;
    if (part.start > 0) {
      let text = '';
      for await (const chunk of readTextChunks(file, { encoding: part.encoding, range: part.csv.header })) text += chunk.text.slice(chunk.overlap);
      let names: string[] | undefined;
      const err = newParser(parseOptions).parse(Buffer.from(text.replaceAll('\r\n', '\n'), 'utf8'), true, (value) => (names ??= (value as { record: string[] }).record), () => {});
      if (err !== undefined || names === undefined) throw new Error('the header row could not be read again for a part of the file');
      header = uniqueHeaderNames(names.length > maxColumns ? names.slice(0, maxColumns) : names);
      headerNames = new Set(header);
      headerLine = undefined;
    }
  }

  const problem = (line: number, code: string, message: string): void => {
    const p: CsvProblem = { line, code, message };
    if (problems.length < maxProblems) problems.push(p);
    else problemsOmitted++;
    options.onProblem?.(p);
  };

  const onRecord = (value: unknown): void => {
    const { record, raw } = value as { record: string[]; raw: string };
    const line = nextLine;
    nextLine += countNewlines(raw);
    uncommitted = uncommitted.slice(raw.length);
    if (record.length === 1 && record[0] === '' && raw.trim() === '') return; // empty line
    let cellsRead = record.length;
    if (cellsRead > maxColumns) {
      problem(line, 'CSV_TOO_MANY_COLUMNS', `record of ${record.length} cells, more than the limit of ${maxColumns}: the cells beyond it are not read`);
      cellsRead = maxColumns;
    }
    if (header === undefined) {
      header = uniqueHeaderNames(cellsRead < record.length ? record.slice(0, cellsRead) : record);
      headerNames = new Set(header);
      headerLine = line;
      return;
    }
    const cells: Record<string, string> = Object.create(null) as Record<string, string>;
    for (let i = 0; i < cellsRead; i++) cells[cellName(header, headerNames, i)] = record[i]!;
    rows++;
    out.push({ row: rows, line, cells });
  };

  // Give `text` to the parser; on a rejected record, report it and replay what
  // follows its first line through a fresh parser. `end`: no more text follows;
  // 'cut': the text ends where the budget cut the file, so a quote still open
  // there is not an error (the rest of that record is simply not read).
  const feed = (text: string, end: false | true | 'cut'): void => {
    if (skipToNewline) {
      const nl = text.indexOf('\n');
      if (nl < 0) return;
      skipToNewline = false;
      nextLine++;
      text = text.slice(nl + 1);
    }
    uncommitted += text;
    let input = text;
    for (;;) {
      const err = parser.parse(input.length > 0 ? Buffer.from(input, 'utf8') : undefined, end !== false, onRecord, () => {});
      if (err === undefined) return;
      const errCode = (err as Error & { code?: unknown }).code;
      const code = typeof errCode === 'string' ? errCode : 'CSV_ERROR';
      if (end === 'cut' && code === 'CSV_QUOTE_NOT_CLOSED') return;
      problem(nextLine, code, describe(code, err, maxRecordBytes));
      parser = newParser(parseOptions);
      const nl = uncommitted.indexOf('\n');
      if (nl < 0) {
        uncommitted = '';
        skipToNewline = end === false;
        return;
      }
      nextLine++;
      uncommitted = uncommitted.slice(nl + 1);
      input = uncommitted;
    }
  };

  try {
    for await (const chunk of readTextChunks(file, {
      ...(options.encoding !== undefined ? { encoding: options.encoding } : {}),
      ...(part !== undefined ? { encoding: part.encoding, range: { start: part.start, end: part.end } } : {}),
      ...(options.budgetBytes !== undefined ? { budgetBytes: options.budgetBytes } : {}),
      ...(options.maxChunkChars !== undefined ? { maxChunkChars: options.maxChunkChars } : {}),
      ...(options.highWaterMark !== undefined ? { highWaterMark: options.highWaterMark } : {}),
      report: (r) => {
        textReport = r;
      },
    })) {
      let text = chunk.text.slice(chunk.overlap);
      if (heldCr) text = '\r' + text;
      heldCr = text.endsWith('\r');
      if (heldCr) text = text.slice(0, -1);
      feed(text.replaceAll('\r\n', '\n'), false);
      yield* out;
      out = [];
    }
    if (textReport?.skipped === undefined) {
      if (textReport?.truncated) {
        // Replay the complete lines only: the budget may have cut the last one.
        const pending = uncommitted + (heldCr ? '\r' : '');
        parser = newParser(parseOptions);
        uncommitted = '';
        feed(pending.slice(0, pending.lastIndexOf('\n') + 1), 'cut');
      } else {
        feed(heldCr ? '\r' : '', true);
      }
      yield* out;
      out = [];
      if (header === undefined && !textReport?.truncated) problem(1, 'CSV_NO_HEADER', 'no header row: the file has no records');
    }
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    if (!failed && textReport) {
      options.report?.({
        ...textReport,
        delimiter,
        header: header ?? [],
        headerLine,
        rows,
        problems,
        problemsOmitted,
      });
    }
  }
}
