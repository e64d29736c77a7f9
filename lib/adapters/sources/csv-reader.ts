// CSV and TSV files for the data-mapping scans (issue 3, "Sources" and "Bad
// input"): read through readTextChunks (same encodings, budget and binary
// check), parsed one record at a time in bounded memory, and given in batches (the
// records of a chunk of text: readCsvBatches, or readCsvRows with each row's cells in
// an array and the columns' names once) or one by one (readCsvRecords).
//
// Two parsers share the work, and give exactly what csv-parse alone gives:
// - Well-formed records (plain cells; quoted cells with delimiters, `""` and line
//   ends inside, closed just before a delimiter or line end) are read straight from
//   the decoded text (csv-fast-records.ts), carrying a record not yet complete over
//   to the next chunk. csv-parse needs the text re-encoded to UTF-8, reads it a byte
//   at a time and decodes each cell again: on a 17 MB CSV chat export (one core) the
//   reader gave ~15-19 MB/s with csv-parse alone, and gives ~80 MB/s this way (~105
//   MB/s in batches; decoding the text alone runs at ~240 MB/s).
// - Everything else goes to csv-parse, from that record's start, until it has given
//   that record: a quote inside an unquoted cell or text after a closing quote (read
//   leniently), a quote never closed, a record of over 64 Ki code units or that could
//   be over `maxRecordBytes` in UTF-8; also every record with a delimiter other than
//   a tab or one printable ASCII character, the end of a file cut by a byte budget,
//   and the header row a part of a file reads first. A fresh parser from a record's
//   start reads what the old one would have: a record does not depend on those
//   before it. csv-parse is handed a line at a time, or more when unusual records
//   come often (each hand-back costs a new parser).
//
// - The delimiter: the one given; else the file's, as table-layout.ts decides it
//   (tableDelimiter: the one a first line `sep=X` names, else '\t' for .tsv and .tab, else
//   ';', '\t' or '|' when the first records are split by it, else ','). The `sep=` line is never
//   a record, whatever the delimiter, and one naming no usable delimiter is a CSV_SEP_LINE
//   problem at its line. Decided on the file's first SNIFF_CHARS (64 Ki) characters however they come
//   in chunks (the text is held until then), so a part of the file that starts it decides
//   as the whole file does; parts after the first are given it (CsvFilePart).
// - The first non-empty record is the header (required), unless a preamble comes before
//   it (table-layout.ts: a title or a few metadata lines, with few filled cells, above a
//   header of three or more names whose width the rows after it share): the first records
//   are held until that is decided (at once when the first has more than two filled cells,
//   or a gap before a filled one). The preamble's
//   records are not rows; readCsvRows gives them (CsvRows.preamble) so that their text is
//   scanned. Header names are
//   trimmed; an empty name becomes `column_N` (N = 1-based column position) and a
//   repeated one gets a suffix (`email`, `email_2`), so every name is unique.
//   Cells beyond the header get `column_N` names too; missing trailing cells are
//   simply absent from `cells`.
// - Empty lines are skipped and are not rows.
// - '\r\n' is read as '\n' (also inside quoted cells). A lone '\r' is an ordinary
//   character, but in a file whose lines end with CR alone (text-format.ts: crLineEnds,
//   Excel for Mac's "CSV (Macintosh)"), where the decoder has made each lone CR a line end
//   before this reader sees the text.
// - Quotes are lenient (csv-parse `relax_quotes`): a quote inside an unquoted
//   cell, or text after a closing quote, is kept literally; but not a stray quote
//   that has swallowed lines. A quoted cell that runs over a line end and is then
//   ended by a quote with text right after it (`"Chan,9123 4567` on one line, and a
//   later `Ho,"9876 5432",w`: the cell runs from the first quote to the one before
//   9876) is not a cell anyone wrote: valid CSV writes a quote inside a quoted cell as
//   `""`, so such a quote opened a cell of its own, and the first one was stray. The
//   record is rejected as an unbalanced quote at the line where it starts and reading
//   resumes at the next line, as for a quote never closed (strayQuotes). A quoted
//   cell over several lines closed as the format says (a chat message of several
//   lines, with commas in it) is read as it is: nothing tells it from a stray quote
//   whose next quote happens to close it well, and a rule on the number of lines or
//   on lines that look like records would reject real messages.
// - A record csv-parse rejects (an opening quote never closed, a record longer
//   than `maxRecordBytes`, ...) is reported as a problem at the line where the
//   record starts; reading then resumes at the next line, so the rest of the
//   file is still read. The rejected record's first line is given as text (CsvRows.
//   rejected: no row, but its identifiers are still found), in the file's order with the
//   rows; its later lines are read again as records of their own. A record begun on one
//   of those lines that is still inside a quoted cell where its line ends follows the
//   rejected one's from there on, so it is rejected as that one was without being read
//   again (rejectedRun): a file whose every line leaves a quote open was read to its end
//   once for every line (quadratic), and is now read about once. The rejection is the
//   same as csv-parse's but for one approximation: a record that follows one rejected as
//   too long (CSV_MAX_RECORD_SIZE) is rejected as too long too, though it may have
//   ended, shorter, somewhat after where that one was given up.
// - With a byte budget, the record the budget cut is read as far as the text goes (not a
//   problem: the text report says `truncated`): its cells are a row, as a text file's cut
//   line is scanned as text; the token the cut may have fallen inside is left out
//   (text-chunks.ts), so no half of an identifier is read as a whole one; a quoted cell
//   still open is closed where the text stops.
// - A rule under the header and psql's count of rows (`-----+-----`, `(2 rows)`:
//   table-layout.ts) are not rows.
// - A record of more than `maxColumns` cells (default 16,384, Excel's own column
//   limit) is read up to that many and reported as a problem: a header of a million
//   names would otherwise be held, and named, for every row.
// - Linear in the file's size whatever its shape: repeated header names, wide rows
//   and cells beyond the header are named in constant time each.
import { Parser, type Options as CsvParseOptions } from 'csv-parse';
import type { Encoding } from '../../domain/text/encoding.ts';
import { ownCopy } from '../../domain/text/own-copy.ts';
import { fastDelimiter, scanCsvRecords } from './csv-fast-records.ts';
import type { CsvFilePart } from './file-parts.ts';
import { MAX_PROBLEMS } from './problems.ts';
import { delimiterFor, headerDecided, headerIndex, recordShape, rowCount, sepLine, SNIFF_CHARS, tableDelimiter, tableRule, type RecordShape } from './table-layout.ts';
import { CHUNK_OVERLAP, DEFAULT_MAX_CHUNK_CHARS, isLowSurrogate, type TextChunk } from './text-chunks.ts';
import { readTextChunks, type ReadReport } from './text-reader.ts';

export interface CsvRecord {
  /** 1-based data row: the header, the preamble, the `sep=` line and empty lines are not counted, nor rejected records. */
  row: number;
  /** 1-based line of the file where the record starts. */
  line: number;
  /** Cells by header name. */
  cells: Record<string, string>;
}

export interface CsvProblem {
  /** 1-based line where the rejected record starts. */
  line: number;
  /** csv-parse's error code, e.g. CSV_QUOTE_NOT_CLOSED, or CSV_NO_HEADER, CSV_QUOTE_STRAY (strayQuotes), CSV_SEP_LINE (a `sep=` line naming no usable delimiter). */
  code: string;
  message: string;
}

export interface CsvReport extends ReadReport {
  /** The cell separator read with: given, named by a `sep=` line, sniffed, or by the file's extension. */
  delimiter: string;
  /** Unique header names, [] when the file has no header. */
  header: string[];
  /** Line of the header row, undefined when there is none (or for a part after the first). */
  headerLine: number | undefined;
  /** Lines where the preamble's records (before the header: table-layout.ts) start. */
  preamble: number[];
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
  /**
   * Cell separator. Default: the one a first line `sep=X` names, else '\t' for .tsv and
   * .tab files, else ';', '\t' or '|' when the file's first records are separated by it
   * (tableDelimiter in table-layout.ts), else ','. A `sep=` line is never a record, even
   * when this is given.
   */
  delimiter?: string;
  /**
   * Longest record accepted (default 1 MiB), in UTF-8 bytes of its text,
   * approximately (csv-parse's `max_record_size`); bounds memory when a quote is
   * left open.
   */
  maxRecordBytes?: number;
  /** Problems kept in the report (default DEFAULT_MAX_PROBLEMS). */
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
  /**
   * Give the header row too, as row 0 at its line, its cells as read (the scan looks for
   * data in it: a file without a header row has its first record there). Only the part
   * that starts the file gives it; the others read it for the names alone.
   */
  headerRow?: boolean;
  /** Called for each problem as it is found. */
  onProblem?: (p: CsvProblem) => void;
  /** Called once when reading ends without an error (see readTextChunks). */
  report?: (r: CsvReport) => void;
  /** @internal false: every record through csv-parse (the reference the tests compare the fast path with). */
  fastPath?: boolean;
  /**
   * The text to read instead of the file's: an S3 object's, decoded (s3-source.ts), read
   * exactly as a local file's text is; `file` then only names it (its extension gives
   * the default delimiter), the chunks are as the caller decoded them (`maxChunkChars`,
   * `encoding` and `budgetBytes` do not apply), and no report is made (problems reach
   * `onProblem`). `cut`: the text ends where a byte budget cut it (its last record,
   * perhaps cut, is read as far as it goes, as with `budgetBytes`; decodeTextChunks' `cut`
   * leaves out the token the cut may have fallen inside).
   */
  text?: { chunks: AsyncIterable<TextChunk>; cut: boolean };
}

export const DEFAULT_MAX_RECORD_BYTES = 1 << 20;
/** Problems kept in a file's report, at most (the rest are counted). */
export const DEFAULT_MAX_PROBLEMS = MAX_PROBLEMS;
/** Excel's own limit (column XFD). */
export const DEFAULT_MAX_COLUMNS = 16_384;

/** Longest record the fast path reads (UTF-16 code units); longer ones are csv-parse's. */
const FAST_RECORD_CHARS = 64 * 1024;
/** Unusual records less than this far apart (in text read fast) hand csv-parse more text each time... */
const SLOW_OFTEN_CHARS = 256;
/** ...from this much, doubling each time, up to this much. */
const SLOW_MIN_CHARS = 1024;
const SLOW_MAX_CHARS = 64 * 1024;

/**
 * Unique, non-empty header names (see the rules at the top of this file). Linear
 * however often a name repeats: each name remembers the next suffix to try.
 */
export function uniqueHeaderNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const nextSuffix = new Map<string, number>();
  return names.map((raw, i) => {
    const trimmed = ownCopy(raw.trim()); // a cell may be a slice of the whole chunk of text: names are kept
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

/** Thrown from a record callback to stop csv-parse at a record with a stray quote (readCsvBatches). */
const STRAY_STOP = new Error('a record with a stray quote');

function newParser(options: CsvParseOptions): IncrementalParser {
  const api = (new Parser(options) as unknown as { api?: IncrementalParser }).api;
  if (typeof api?.parse !== 'function') throw new Error('csv-parse: unsupported version (no incremental parser)');
  return api;
}

const QUOTE = 0x22;
const NEWLINE = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

/**
 * In a record csv-parse read leniently (`raw`, its text, '\r\n' read as '\n'): each
 * quote with text right after it that ends a quoted cell run over line ends (csv-parse
 * reads that quote as text, and the cell on as unquoted), as the number of line ends
 * before it, in order; none when no quoted cell does so. Quotes are followed as csv-parse
 * follows them: a quote opens a cell only at its start; inside, `""` is a quote, and a
 * quote before the delimiter, a line end or the end closes the cell. Linear in the
 * record's length.
 */
export function strayQuotes(raw: string, delimiter: string): number[] {
  const found: number[] = [];
  const nl = raw.indexOf('\n');
  if (nl < 0 || nl === raw.length - 1) return found; // a record of one line
  const n = raw.length;
  let lines = 0; // line ends before `counted`
  let counted = 0;
  const linesBefore = (at: number): number => {
    for (let e = raw.indexOf('\n', counted); e >= 0 && e < at; e = raw.indexOf('\n', e + 1)) lines++;
    counted = at;
    return lines;
  };
  let i = 0; // where the current cell's text goes on
  while (i < n) {
    if (raw.charCodeAt(i) === QUOTE) {
      let closed = false;
      for (let j = i + 1; ; ) {
        const q = raw.indexOf('"', j);
        if (q < 0) return found; // csv-parse gives no such record
        if (raw.charCodeAt(q + 1) === QUOTE) {
          j = q + 2;
          continue;
        }
        // spaces, tabs (when they are not the delimiter) or a CR between the closing quote and
        // what ends the cell are no text: `"two\nlines" ,next` is a cell closed as it should be
        let k = q + 1;
        for (let c = raw.charCodeAt(k); (c === SPACE && delimiter !== ' ') || c === CR || (c === TAB && delimiter !== '\t'); c = raw.charCodeAt(++k));
        const after = k < n ? raw.charCodeAt(k) : -1;
        if (after === -1 || after === NEWLINE) return found; // the record's end
        if (raw.startsWith(delimiter, k)) {
          i = k + delimiter.length; // the next cell
          closed = true;
          break;
        }
        const lineEnd = raw.indexOf('\n', i);
        if (lineEnd >= 0 && lineEnd < q) {
          // a quoted cell over line ends, then text after a quote
          found.push(linesBefore(q));
        }
        i = q + 1; // the cell goes on unquoted
        break;
      }
      if (closed) continue;
    }
    // unquoted: to the delimiter, or the record's end
    const d = raw.indexOf(delimiter, i);
    const e = raw.indexOf('\n', i);
    if (d < 0 || (e >= 0 && e < d)) return found;
    i = d + delimiter.length;
  }
  return found;
}

/**
 * Whether a record that starts at `from` in `text` (a line's start) is inside a quoted
 * cell where that line ends, quotes followed as csv-parse follows them (strayQuotes);
 * undefined when the line does not end in `text` and more text follows (`final` false).
 * Linear in the line's length.
 */
export function endsInQuotes(text: string, from: number, delimiter: string, final: boolean): boolean | undefined {
  let lineEnd = text.indexOf('\n', from);
  if (lineEnd < 0) {
    if (!final) return undefined;
    lineEnd = text.length;
  }
  let i = from; // a cell's start
  while (i < lineEnd) {
    if (text.charCodeAt(i) === QUOTE) {
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0 || q >= lineEnd) return true; // still open where the line ends
        if (text.charCodeAt(q + 1) === QUOTE) {
          j = q + 2;
          continue;
        }
        if (q + 1 === lineEnd) return false; // closed at the line's end
        if (text.startsWith(delimiter, q + 1)) i = q + 1 + delimiter.length;
        else i = skipCell(text, q + 1, delimiter, lineEnd); // text after the closing quote: the cell goes on unquoted
        break;
      }
      continue;
    }
    i = skipCell(text, i, delimiter, lineEnd);
  }
  return false;
}

/** The next cell's start after an unquoted cell's text at `i` (its quotes are text), or `lineEnd`. */
function skipCell(text: string, i: number, delimiter: string, lineEnd: number): number {
  const d = text.indexOf(delimiter, i);
  return d < 0 || d >= lineEnd ? lineEnd : d + delimiter.length;
}

function strayMessage(quoteLine: number): string {
  return `unbalanced quote: the record starting on this line opens a quoted cell that runs over line ends to a stray quote on line ${quoteLine}; the lines after this one are read again`;
}

function describe(code: string, err: Error | undefined, maxRecordBytes: number): string {
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'unbalanced quote: the record starting on this line opens a quote that is never closed';
    case 'CSV_MAX_RECORD_SIZE':
      return `record longer than about ${maxRecordBytes} bytes (often an unbalanced quote)`;
    default:
      return err?.message ?? code;
  }
}

/** Whether `text` starts with a low surrogate or ends with a high one. */
function cutPair(text: string): boolean {
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  return (first >= 0xdc00 && first <= 0xdfff) || (last >= 0xd800 && last <= 0xdbff);
}

function errorCode(err: Error): string {
  const code = (err as Error & { code?: unknown }).code;
  return typeof code === 'string' ? code : 'CSV_ERROR';
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Bytes of the line after the header read to tell whether it is a rule under it, at most (a rule is short). */
const RULE_READ_BYTES = 4096;

/** Whether the line right after the header of `part`'s file is a rule under it (tableRule; it holds no quotes, so it is split as it is). */
async function ruleAfterHeader(file: string, part: CsvFilePart, delimiter: string): Promise<boolean> {
  const range = { start: part.csv.header.end, end: Math.min(part.start, part.csv.header.end + RULE_READ_BYTES) };
  let text = '';
  for await (const chunk of readTextChunks(file, { encoding: part.encoding, range })) text += chunk.text.slice(chunk.overlap);
  const nl = text.indexOf('\n');
  return nl >= 0 && tableRule(text.slice(0, nl).replace(/\r$/, '').split(delimiter));
}

/** Stream the data rows of a CSV or TSV file. Throws a ReadError when the file cannot be read. */
export async function* readCsvRecords(file: string, options: CsvReadOptions = {}): AsyncGenerator<CsvRecord> {
  for await (const batch of readCsvBatches(file, options)) yield* batch;
}

/**
 * The data rows of a CSV or TSV file as readCsvRecords gives them (same options, report
 * and problems), in batches: the records read from one chunk of text (never an empty
 * batch), so that a consumer needs no asynchronous step per record.
 */
export async function* readCsvBatches(file: string, options: CsvReadOptions = {}): AsyncGenerator<CsvRecord[]> {
  for await (const { names, cells, lines, row } of readCsvRows(file, options)) {
    if (cells.length === 0) continue; // a batch of the preamble (or rejected lines) alone
    yield cells.map((record, r) => recordOf(names, record, row + r, lines[r]!));
  }
}

/**
 * The data rows of a CSV or TSV file as readCsvRecords gives them and, between them in
 * the file's order, the first line of each record rejected (CsvRows.rejected): text that
 * is no row but is still to be scanned.
 */
export async function* readCsvRecordsAndRejected(file: string, options: CsvReadOptions = {}): AsyncGenerator<CsvRecord | CsvRejectedLine> {
  for await (const { names, cells, lines, row, rejected } of readCsvRows(file, options)) {
    let k = 0;
    for (let r = 0; r < cells.length; r++) {
      for (; k < rejected.length && rejected[k]!.line < lines[r]!; k++) yield rejected[k]!;
      yield recordOf(names, cells[r]!, row + r, lines[r]!);
    }
    for (; k < rejected.length; k++) yield rejected[k]!;
  }
}

function recordOf(names: readonly string[], record: readonly string[], row: number, line: number): CsvRecord {
  const byName: Record<string, string> = Object.create(null) as Record<string, string>;
  for (let i = 0; i < record.length; i++) byName[names[i]!] = record[i]!;
  return { row, line, cells: byName };
}

/**
 * The data rows of one chunk of text (readCsvRows), with nothing made per cell: each
 * row's cells as read, and the columns' names once for all rows.
 */
export interface CsvRows {
  /**
   * The columns' names by position, as CsvRecord.cells has them: the header's, then the
   * `column_N` names of cells beyond it, as far as any row read so far reaches. The same
   * array for every batch of a file, only ever added to.
   */
  names: readonly string[];
  /** Each row's cells in the file's order (at most `maxColumns`); cell i is in column `names[i]`. */
  cells: readonly (readonly string[])[];
  /** The line where each row starts. */
  lines: readonly number[];
  /** The data row of `cells[0]` (0: the header row, with `headerRow`); the others follow it one by one. */
  row: number;
  /**
   * The preamble's records (title and metadata lines before the header: table-layout.ts),
   * in the batch before the header row's; not rows. Empty in most batches.
   */
  preamble: readonly CsvPreambleRecord[];
  /**
   * The first lines of the records rejected (each a problem at its line) since the batch
   * before, as text: not rows, but their identifiers are still to be found. Empty in most
   * batches.
   */
  rejected: readonly CsvRejectedLine[];
}

/** A record before the header row (table-layout.ts): its line and its cells as read. */
export interface CsvPreambleRecord {
  line: number;
  cells: readonly string[];
}

/**
 * The first line of a rejected record (its later lines are read again as records), or a
 * piece of it: a line longer than a chunk of text comes in pieces that overlap, each at
 * the line, as a text file's long line does (text-chunks.ts).
 */
export interface CsvRejectedLine {
  line: number;
  text: string;
  /** Set when the next piece starts again with `text.slice(repeatedFrom)` (SourceRecord.repeatedFrom). */
  repeatedFrom?: number;
}

const NO_PREAMBLE: readonly CsvPreambleRecord[] = Object.freeze([]);
const NO_REJECTED: readonly CsvRejectedLine[] = Object.freeze([]);

/**
 * The data rows of a CSV or TSV file as readCsvBatches gives them (same options,
 * report and problems, same batches), each batch as its rows' cells in arrays and
 * the names of the columns, not an object of cells by name per row.
 */
export async function* readCsvRows(file: string, options: CsvReadOptions = {}): AsyncGenerator<CsvRows> {
  const part = options.part;
  // A part after the first starts inside the file: its header and delimiter are known (csvParts).
  const fromStart = part === undefined || part.start === 0;
  let delimiter = options.delimiter ?? part?.csv.delimiter ?? delimiterFor(file);
  // The delimiter is the file's to say (a `sep=` line) or to be sniffed from its start.
  const ownLayout = fromStart && options.delimiter === undefined && part?.csv.delimiter === undefined;
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const maxProblems = options.maxProblems ?? DEFAULT_MAX_PROBLEMS;
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
  /** The header's names, then those of cells beyond it as far as a row has reached (CsvRows.names). */
  let names: string[] = [];
  let headerLine: number | undefined;
  let rows = 0;
  const preamble: number[] = [];
  let textReport: ReadReport | undefined;
  let failed = false;

  // Text given to the current parser and not yet part of an emitted record; it
  // starts at the beginning of a record, on line `nextLine`.
  let uncommitted = '';
  let nextLine = 1;
  let skipToNewline = false;
  let heldCr = false;
  let parser = newParser(parseOptions);
  // The rows read and not yet yielded (a CsvRows batch).
  let outCells: string[][] = [];
  let outLines: number[] = [];
  let outRow = 0;
  let outPreamble: CsvPreambleRecord[] | undefined;
  let outRejected: CsvRejectedLine[] | undefined;
  const batch = (): CsvRows => {
    const rowsRead: CsvRows = { names, cells: outCells, lines: outLines, row: outRow, preamble: outPreamble ?? NO_PREAMBLE, rejected: outRejected ?? NO_REJECTED };
    outCells = [];
    outLines = [];
    outPreamble = undefined;
    outRejected = undefined;
    return rowsRead;
  };
  // Rejected lines wait while the first records are held (until the header is decided:
  // `early`), so that each batch's records and lines go out in the file's order; but not
  // without bound (a file of nothing but rejected lines after a short first record).
  const ready = (): boolean =>
    outCells.length > 0 || outPreamble !== undefined || (outRejected !== undefined && (early === undefined || outRejected.length >= DEFAULT_MAX_PROBLEMS));
  // A rejected record's first line, as text (CsvRows.rejected), given in pieces of at most
  // DEFAULT_MAX_CHUNK_CHARS that overlap by CHUNK_OVERLAP: `rejectedText` is what is not
  // given yet, from the start of the last piece's repeated text; `rejectedAt` its line.
  let rejectedText: string | undefined;
  let rejectedAt = 0;
  let rejectedPieces = false; // a piece of the line was given: its last is given even when blank
  const startRejected = (line: number): void => {
    rejectedText = '';
    rejectedAt = line;
    rejectedPieces = false;
  };
  const moreRejected = (text: string): void => {
    let held = rejectedText! + text;
    while (held.length > DEFAULT_MAX_CHUNK_CHARS) {
      let next = DEFAULT_MAX_CHUNK_CHARS - CHUNK_OVERLAP;
      if (isLowSurrogate(held.charCodeAt(next))) next++;
      (outRejected ??= []).push({ line: rejectedAt, text: ownCopy(held.slice(0, DEFAULT_MAX_CHUNK_CHARS)), repeatedFrom: next });
      rejectedPieces = true;
      held = held.slice(next);
    }
    rejectedText = held;
  };
  const endRejected = (): void => {
    const text = rejectedText!;
    rejectedText = undefined;
    if (rejectedPieces || text.trim() !== '') (outRejected ??= []).push({ line: rejectedAt, text: text.length > 256 ? ownCopy(text) : text });
  };
  const rejectedLine = (line: number, text: string): void => {
    startRejected(line);
    moreRejected(text);
    endRejected();
  };
  // The fast path (csv-fast-records.ts). `carry`: the start of a record it has not read
  // yet (its end is still to come). `slow`: csv-parse holds the current record; when
  // not, the parser is fresh and `uncommitted` empty.
  let fast = options.fastPath !== false;
  const fastRecordChars = Math.min(FAST_RECORD_CHARS, maxRecordBytes === 0 ? Infinity : Math.floor(maxRecordBytes / 3));
  let carry = '';
  let slow = false;
  let slowRecords = 0; // records csv-parse gave since it was handed a record
  let fastChars = 0; // text the fast path read since csv-parse last gave it back
  let slowChars = 0; // the least text handed to csv-parse at a time (see feedFast)
  if (part !== undefined) {
    nextLine = part.line;
    rows = part.csv.row;
    if (!fromStart) {
      let text = '';
      for await (const chunk of readTextChunks(file, { encoding: part.encoding, range: part.csv.header })) text += chunk.text.slice(chunk.overlap);
      let read: string[] | undefined;
      const err = newParser(parseOptions).parse(Buffer.from(text.replaceAll('\r\n', '\n'), 'utf8'), true, (value) => (read ??= (value as { record: string[] }).record), () => {});
      if (err !== undefined || read === undefined) throw new Error('the header row could not be read again for a part of the file');
      header = uniqueHeaderNames(read.length > maxColumns ? read.slice(0, maxColumns) : read);
      headerNames = new Set(header);
      headerLine = undefined;
      names = header.slice();
      // file-parts.ts counted a rule under the header (in the first part) as a row; it is none
      if (await ruleAfterHeader(file, part, delimiter)) rows--;
    }
  }

  const problem = (line: number, code: string, message: string): void => {
    const p: CsvProblem = { line, code, message };
    if (problems.length < maxProblems) problems.push(p);
    else problemsOmitted++;
    options.onProblem?.(p);
  };

  // The first records, held (when reading from the file's start) until the header among
  // them is known (table-layout.ts: a title or metadata lines may come before it), with
  // their shapes; undefined once it is.
  let early: { record: string[]; line: number }[] | undefined = fromStart ? [] : undefined;
  let earlyShapes: RecordShape[] = [];

  // A record that is read as a row (or the header, the first), its cells within maxColumns.
  let justHeader = false; // the header was the last record placed
  // a count of rows (`(2 rows)`), held: it is no row when it is the table's last record (as
  // psql ends its output), a row like any other when a record follows it
  let heldCount: { record: string[]; line: number } | undefined;
  const placeRecord = (record: string[], line: number): void => {
    if (header === undefined) {
      header = uniqueHeaderNames(record);
      headerNames = new Set(header);
      headerLine = line;
      names = header.slice();
      justHeader = true;
      if (options.headerRow) {
        outRow = 0; // the first record read, so the batch's first
        outCells.push(record);
        outLines.push(line);
      }
      return;
    }
    // a rule under the header and a last count of rows (psql's output: table-layout.ts) are no rows
    const first = justHeader;
    justHeader = false;
    if (heldCount !== undefined) {
      const held = heldCount;
      heldCount = undefined;
      placeRow(held.record, held.line);
    }
    if (first && tableRule(record)) return;
    if (rowCount(record)) heldCount = { record, line };
    else placeRow(record, line);
  };
  const placeRow = (record: string[], line: number): void => {
    // each name beyond the header made once, the first time a row reaches it
    for (let i = names.length; i < record.length; i++) names.push(cellName(header!, headerNames, i));
    rows++;
    if (outCells.length === 0) outRow = rows;
    outCells.push(record);
    outLines.push(line);
  };

  // The records held: the preamble's given as such, the header and the rows after it placed.
  const settleHeader = (): void => {
    const held = early!;
    early = undefined;
    const h = headerIndex(earlyShapes);
    earlyShapes = [];
    for (let i = 0; i < held.length; i++) {
      const { record, line } = held[i]!;
      if (i < h) {
        preamble.push(line);
        (outPreamble ??= []).push({ line, cells: record });
      } else placeRecord(record, line);
    }
  };

  // A record (not an empty line) starting on `line`, from either path.
  const addRecord = (record: string[], line: number): void => {
    if (record.length > maxColumns) {
      problem(line, 'CSV_TOO_MANY_COLUMNS', `record of ${record.length} cells, more than the limit of ${maxColumns}: the cells beyond it are not read`);
      record = record.slice(0, maxColumns);
    }
    if (early === undefined) return placeRecord(record, line);
    early.push({ record, line });
    earlyShapes.push(recordShape(record));
    if (headerDecided(earlyShapes)) settleHeader();
  };

  // A record with a stray quote (strayQuotes): the lines of its stray quotes (the first
  // ended it) and its line ends. The records csv-parse gives after it in the same text are
  // passed over (`uncommitted` still starts at it): all after its first line is read again.
  let stray: { quoteLines: number[]; lineEnds: number } | undefined;

  // After a record is rejected at line L, what is known of the records that start on the
  // lines after it (a quote never closed made each of them as long as the rest of the
  // text, read again for every line: a file of such lines took quadratic time). csv-parse
  // followed L's record inside a quoted cell over each line end before `until`. A record
  // that starts on a line M in between and is still inside a quoted cell where that line
  // ends (endsInQuotes) is from there on in the same state, on the same text, as L's was:
  // it is rejected as L's was (never closed, or too long: its record reached where L's did,
  // and is about as long), or, when L's ended with stray quotes, at the first of them
  // after line M, or (none after M) it is a record csv-parse reads as it ends.
  let rejectedRun: { until: number; code: string; quoteLines: readonly number[] } | undefined;

  const onRecord = (value: unknown): void => {
    const { record, raw: parsed } = value as { record: string[]; raw: string };
    // The record's text as it is: csv-parse's `raw` keeps only the first byte of a delimiter
    // of several (a '§' comes back as U+FFFD), the same number of characters for one in the BMP.
    const raw = uncommitted.slice(0, parsed.length);
    const quoted = strayQuotes(raw, delimiter);
    if (quoted.length > 0) {
      stray = { quoteLines: quoted.map((q) => nextLine + q), lineEnds: countNewlines(raw.endsWith('\n') ? raw.slice(0, -1) : raw) };
      // Stop csv-parse here: what it would read after is read again anyway, and reading it
      // on to the input's end for every such record made a file of them quadratic (4,000
      // records of an Excel-for-Mac export: 15 s). The parser is replaced (rejected).
      throw STRAY_STOP;
    }
    const line = nextLine;
    nextLine += countNewlines(raw);
    uncommitted = uncommitted.slice(raw.length);
    slowRecords++;
    if (record.length === 1 && record[0] === '' && raw.trim() === '') return; // empty line
    addRecord(record, line);
  };

  const onFastRecord = (record: string[] | null, newlines: number): void => {
    const line = nextLine;
    nextLine += newlines;
    if (record !== null) addRecord(record, line); // null: an empty line
  };

  // Give `input` (already added to `uncommitted`) to the parser; the error, if any.
  // `end`: no more text follows; 'cut': the text ends where the budget cut the file,
  // so a quote still open there is not an error (the rest of that record is simply
  // not read).
  const parse = (input: string, end: boolean | 'cut'): Error | undefined => {
    let err: Error | undefined;
    try {
      err = parser.parse(input.length > 0 ? Buffer.from(input, 'utf8') : undefined, end !== false, onRecord, () => {});
    } catch (thrown) {
      if (thrown !== STRAY_STOP) throw thrown;
    }
    if (stray !== undefined) {
      // before any error csv-parse met in the text after it
      const { quoteLines, lineEnds } = stray;
      stray = undefined;
      rejectedRun = { until: nextLine + lineEnds, code: 'CSV_QUOTE_STRAY', quoteLines };
      return Object.assign(new Error(strayMessage(quoteLines[0]!)), { code: 'CSV_QUOTE_STRAY' });
    }
    if (err === undefined || (end === 'cut' && errorCode(err) === 'CSV_QUOTE_NOT_CLOSED')) return undefined;
    const code = errorCode(err);
    if (code === 'CSV_QUOTE_NOT_CLOSED') rejectedRun = { until: Infinity, code, quoteLines: [] };
    else if (code === 'CSV_MAX_RECORD_SIZE') {
      // csv-parse had read more than maxRecordBytes of the record (UTF-8) when it stopped,
      // so at least the first maxRecordBytes / 3 characters (all maxRecordBytes when ASCII)
      const reached = Buffer.byteLength(uncommitted) === uncommitted.length ? maxRecordBytes : Math.floor(maxRecordBytes / 3);
      rejectedRun = { until: nextLine + countNewlines(uncommitted.slice(0, reached)), code, quoteLines: [] };
    } else rejectedRun = undefined;
    return err;
  };

  // The fate of the record starting at `at` in `src` (on line nextLine), when a rejected
  // run tells it (rejectedRun): 'wait' for the rest of its line, the problem to report, or
  // undefined: read it.
  const knownFate = (src: string, at: number, end: boolean): 'wait' | { code: string; message: string } | undefined => {
    const run = rejectedRun;
    if (run === undefined || nextLine >= run.until) return undefined;
    const quoted = endsInQuotes(src, at, delimiter, end);
    if (quoted === undefined) return src.length - at > fastRecordChars ? undefined : 'wait';
    if (!quoted) return undefined;
    if (run.code !== 'CSV_QUOTE_STRAY') return { code: run.code, message: describe(run.code, undefined, maxRecordBytes) };
    const quoteLine = run.quoteLines.find((q) => q > nextLine);
    return quoteLine === undefined ? undefined : { code: run.code, message: strayMessage(quoteLine) };
  };

  // A record the parser rejected: report it at its line and drop that line; the parser
  // is fresh again. Returns the text after that line, to read again; undefined when
  // there is none (with more text to come, the rest of the line is skipped as it comes).
  const rejected = (err: Error, end: boolean): string | undefined => {
    const code = errorCode(err);
    problem(nextLine, code, describe(code, err, maxRecordBytes));
    parser = newParser(parseOptions);
    const nl = uncommitted.indexOf('\n');
    const after = nl < 0 ? undefined : uncommitted.slice(nl + 1);
    if (after !== undefined) rejectedLine(nextLine, uncommitted.slice(0, nl));
    else if (end) rejectedLine(nextLine, uncommitted);
    else {
      skipToNewline = true;
      startRejected(nextLine);
      moreRejected(uncommitted);
    }
    uncommitted = '';
    if (after !== undefined) nextLine++;
    return after;
  };

  // `text` without what is left of a rejected record's first line (undefined: all of it is).
  const skipRejected = (text: string): string | undefined => {
    if (!skipToNewline) return text;
    const nl = text.indexOf('\n');
    if (rejectedText !== undefined) moreRejected(nl < 0 ? text : text.slice(0, nl));
    if (nl < 0) return undefined;
    if (rejectedText !== undefined) endRejected();
    skipToNewline = false;
    nextLine++;
    return text.slice(nl + 1);
  };

  // csv-parse alone (as before the fast path, and its reference in the tests): give it
  // `text` whole; after a rejected record, what follows its first line again.
  const feedSlow = (text: string, end: boolean | 'cut'): void => {
    let input = skipRejected(text);
    while (input !== undefined) {
      uncommitted += input;
      const err = parse(input, end);
      if (err === undefined) return;
      input = rejected(err, end !== false);
    }
  };

  // The fast path for well-formed records, csv-parse from the start of any other record
  // until it has given that record; then the fast path again, from the text csv-parse
  // holds. A fresh parser from a record's start reads exactly what the old one would
  // have read: records do not depend on the ones before (only csv-parse's count of
  // lines does, in its messages, and the two errors these options allow are described
  // here instead). csv-parse gets a line at a time, or more when unusual records come
  // less than SLOW_OFTEN_CHARS apart (each hand-back costs a new parser, ~10 µs).
  // csv-parse holds back the last byte it is given until more comes (or the end), and
  // the fast path does the same with a record's last '\n': a chunk ends with the same
  // records read either way, so each batch is the one csv-parse alone would give.
  const feedFast = (text: string, end: boolean): void => {
    const rest = skipRejected(text);
    if (rest === undefined) return;
    if (cutPair(rest)) {
      // Half a surrogate pair at an end (which csv-parse would read as U+FFFD): csv-parse
      // from here on. Not seen: a decoder gives whole pairs, and text chunks keep them whole.
      fast = false;
      const pending = carry + rest;
      carry = '';
      feedSlow(pending, end);
      return;
    }
    let src = carry + rest;
    carry = '';
    let at = 0;
    // Go on from `held`, the end of the text up to `at` (csv-parse's, or the rest of a rejected record).
    const resumeFrom = (held: string): void => {
      if (held.length <= at) at -= held.length; // all from src
      else {
        src = held + src.slice(at);
        at = 0;
      }
    };
    for (;;) {
      if (!slow) {
        const from = at;
        // a delimiter the fast path cannot read (not a tab or one printable ASCII character): every record is csv-parse's
        const scan = fastDelimiter(delimiter) ? scanCsvRecords(src, at, delimiter, end, fastRecordChars, onFastRecord) : ({ next: at, stop: 'slow' } as const);
        fastChars += scan.next - from;
        at = scan.next;
        if (scan.stop === 'end') return;
        if (scan.stop === 'more') {
          carry = src.slice(at);
          return;
        }
        const fate = knownFate(src, at, end);
        if (fate === 'wait') {
          carry = src.slice(at);
          return;
        }
        if (fate !== undefined) {
          // its first line dropped, as a record csv-parse rejected
          problem(nextLine, fate.code, fate.message);
          const nl = src.indexOf('\n', at);
          rejectedLine(nextLine, src.slice(at, nl < 0 ? src.length : nl));
          if (nl < 0) return; // the end of all the text
          at = nl + 1;
          nextLine++;
          continue;
        }
        // one line at a time where a rejected run may tell the next records' fate
        slowChars = rejectedRun !== undefined && nextLine < rejectedRun.until ? 0 : fastChars < SLOW_OFTEN_CHARS ? Math.min(Math.max(2 * slowChars, SLOW_MIN_CHARS), SLOW_MAX_CHARS) : 0;
        slow = true;
        slowRecords = 0;
      }
      const nl = src.indexOf('\n', at + slowChars);
      const next = nl < 0 ? src.length : nl + 1;
      const input = src.slice(at, next);
      const last = next === src.length;
      at = next;
      uncommitted += input;
      const err = parse(input, end && last);
      if (err !== undefined) {
        const after = rejected(err, end);
        slow = false;
        fastChars = 0;
        if (after === undefined) return; // only at the end of src
        resumeFrom(after);
      } else if (slowRecords > 0 && !(end && last)) {
        resumeFrom(uncommitted);
        uncommitted = '';
        parser = newParser(parseOptions);
        slow = false;
        fastChars = 0;
      } else if (last) return;
    }
  };

  const feed = (text: string, end: boolean): void => (fast ? feedFast(text, end) : feedSlow(text, end));

  // The record the byte budget cut (`text`, from its start on line nextLine): its cells as
  // far as they were read are a row, as a text file's cut line is text (the token the cut
  // may have fallen inside is already left out: text-chunks.ts), a quoted cell still open
  // closed where the text stops. Not a problem: the report says `truncated`.
  const addCutRecord = (text: string): void => {
    if (text.trim() === '') return;
    let cells: string[] | undefined;
    const read = (input: string): Error | undefined =>
      newParser(parseOptions).parse(Buffer.from(input, 'utf8'), true, (value) => (cells ??= (value as { record: string[] }).record), () => {});
    if (read(text) !== undefined) read(text + '"'); // (a cut after half of a `""` stays unread)
    if (cells !== undefined) addRecord(cells, nextLine);
  };

  // The file's start (from its first character, '\r\n' read as '\n'), held until
  // SNIFF_CHARS of it are read, or all: a first line `sep=X` is Excel's directive, not a
  // record (a bad one is a problem at its line, and skipped), and names the delimiter;
  // else the delimiter is decided from that text (tableDelimiter) unless given.
  // The same text decides it however the file comes in chunks. Returns the text to read.
  let head: string | undefined = fromStart ? '' : undefined;
  const settleLayout = (text: string, complete: boolean): string => {
    const nl = text.indexOf('\n');
    const first = nl < 0 ? text : text.slice(0, nl);
    const sep = sepLine(first);
    const sepAt = nextLine;
    if (sep !== undefined) {
      // a `sep=` line naming no usable delimiter is given as text, as a rejected record's line is
      if ('problem' in sep) {
        startRejected(sepAt);
        moreRejected(first);
        if (nl >= 0 || complete) endRejected();
      }
      if (nl >= 0) {
        text = text.slice(nl + 1);
        nextLine++;
      } else {
        text = '';
        skipToNewline = !complete; // a line longer than the text held: named too many characters
      }
    }
    if (ownLayout) delimiter = tableDelimiter(file, sep, text);
    if (sep !== undefined && 'problem' in sep) problem(sepAt, 'CSV_SEP_LINE', `${sep.problem}: the line is not read as a record, and cells are separated by ${delimiter === '\t' ? 'tabs' : JSON.stringify(delimiter)}`);
    parseOptions.delimiter = delimiter;
    parser = newParser(parseOptions);
    fast = options.fastPath !== false;
    return text;
  };

  const chunks =
    options.text?.chunks ??
    readTextChunks(file, {
      ...(options.encoding !== undefined ? { encoding: options.encoding } : {}),
      ...(part !== undefined ? { encoding: part.encoding, range: { start: part.start, end: part.end } } : {}),
      ...(options.budgetBytes !== undefined ? { budgetBytes: options.budgetBytes } : {}),
      ...(options.maxChunkChars !== undefined ? { maxChunkChars: options.maxChunkChars } : {}),
      ...(options.highWaterMark !== undefined ? { highWaterMark: options.highWaterMark } : {}),
      report: (r) => {
        textReport = r;
      },
    });
  const truncated = (): boolean => options.text?.cut ?? textReport?.truncated ?? false;
  try {
    for await (const chunk of chunks) {
      let text = chunk.text.slice(chunk.overlap);
      if (heldCr) text = '\r' + text;
      heldCr = text.endsWith('\r');
      if (heldCr) text = text.slice(0, -1);
      let input = text.replaceAll('\r\n', '\n');
      if (head !== undefined) {
        head += input;
        if (head.length < SNIFF_CHARS) continue;
        input = settleLayout(head, false);
        head = undefined;
      }
      feed(input, false);
      if (ready()) yield batch();
    }
    if (textReport?.skipped === undefined) {
      if (head !== undefined) {
        feed(settleLayout(head, true), false);
        head = undefined;
      }
      if (truncated()) {
        // Replay the complete lines only, through csv-parse: the budget may have cut the last one.
        const pending = uncommitted + carry + (heldCr ? '\r' : '');
        parser = newParser(parseOptions);
        uncommitted = '';
        carry = '';
        slow = false;
        const lastLine = pending.lastIndexOf('\n') + 1;
        feedSlow(pending.slice(0, lastLine), 'cut');
        const rest = pending.slice(lastLine);
        if (skipToNewline) skipRejected(rest); // the rest of a rejected record's first line
        else addCutRecord(uncommitted + rest); // a quoted cell still open: the record from its start
      } else {
        feed(heldCr ? '\r' : '', true);
      }
      if (rejectedText !== undefined) endRejected(); // a rejected last line, with no line end
      if (early !== undefined) settleHeader(); // fewer records than it takes to decide
      if (ready()) yield batch();
      if (header === undefined && !truncated()) problem(1, 'CSV_NO_HEADER', 'no header row: the file has no records');
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
        preamble,
        rows,
        problems,
        problemsOmitted,
      });
    }
  }
}
