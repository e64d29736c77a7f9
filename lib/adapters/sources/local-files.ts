// Local files and folders as records, by format: text files in chunks of lines, CSV and
// TSV rows in chunks with each row's line and row and each cell's column, the strings of a JSON document
// with their pointers, the rows of every .xlsx sheet with their sheet, row and each cell's column. Each file ends with a report of what
// was read (or why it was skipped or failed), so that the rest go on: a folder that
// cannot be listed fails alone, and a FIFO, socket or device is refused before it is
// opened (read-error.ts).
import type { FileRead, FileReadOptions } from '../../usecases/ports.ts';
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SourceRecord } from '../../domain/detect/records.ts';
import { redact } from '../../domain/detect/redact.ts';
import { JsonStrings, JsonSyntaxError, type JsonString } from '../../domain/text/json-strings.ts';
import type { CsvProblem, CsvReport } from './csv-reader.ts';
import { notRegular, reasonOf, statRegularFile, toReadError } from './read-error.ts';
import type { CsvFilePart, FilePart } from './file-parts.ts';
import { readTextChunks, type ReadReport } from './text-reader.ts';

// The CSV and .xlsx readers (csv-parse, read-excel-file and its zip reader) load with
// the first such file: a scan of text never pays for them.

type FileRecords = AsyncGenerator<SourceRecord, FileRead>;

const TEXT = new Set(['.txt', '.log', '.md', '.jsonl', '.ndjson', '']);
const TABLE = new Set(['.csv', '.tsv', '.tab']);
/**
 * Text chunks (and CSV/TSV chunks, and a table record's text) hold at most this many
 * UTF-16 code units. Larger ones keep more alive through each young-generation GC: with
 * 1 Mi-unit CSV chunks and records, each scavenge of an 84 MB CSV scan copied 15-30 MB
 * of rows still in use (15-46 ms each, a tenth of the scan), against 1-2 MB now.
 */
const DEFAULT_CHUNK_CHARS = 256 * 1024;
/**
 * A .json document is read for its strings and their pointers up to this size (of the
 * file, or of its byte budget); a larger one is scanned as text, in chunks of lines,
 * as fast as any text: strings one by one cost about ten times as much per byte.
 */
export const JSON_POINTERS_MAX_BYTES = 16 * 1024 * 1024;

/** A file found under a folder, or something there that is not read (with why). */
export type Entry = { path: string; refused?: undefined } | { path: string; refused: string };

/**
 * What is under `given` (itself when it is not a folder), in path order: each folder
 * listed on its own, so that one that cannot be listed is an entry with its reason
 * and the rest are still found. Throws only when `given` itself cannot be read.
 */
export async function entriesUnder(given: string): Promise<Entry[]> {
  const info = await stat(given);
  if (!info.isDirectory()) return [{ path: given }];
  const entries: Entry[] = [];
  const folders = [given];
  for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
    let listed: Dirent[];
    try {
      listed = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      entries.push({ path: folder, refused: `folder not read: ${reasonOf(error).reason}` });
      continue;
    }
    for (const e of listed) {
      const full = path.join(folder, e.name);
      if (e.isDirectory()) folders.push(full);
      else {
        const refused = notRegular(e);
        entries.push(refused === undefined ? { path: full } : { path: full, refused });
      }
    }
  }
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The files a scan of `target` reads (a file, or those under a folder) and their bytes. */
export async function extentOf(target: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for (const entry of await entriesUnder(target)) {
    if (entry.refused !== undefined) continue;
    files++;
    bytes += (await stat(entry.path)).size;
  }
  return { files, bytes };
}

/** Bytes in a file, or in all the regular files under a folder. */
export async function sizeOf(target: string): Promise<number> {
  return (await extentOf(target)).bytes;
}

/** A text or CSV report as the file's read; skipped when the reader judged the file binary. */
function textRead(file: string, format: 'text' | 'csv' | 'tsv' | 'json', report: ReadReport | undefined, problems: readonly CsvProblem[] = []): FileRead {
  if (report?.skipped) return { file, status: 'skipped', reason: report.skipped.reason };
  return {
    file,
    status: 'scanned',
    format,
    ...(report
      ? { encoding: report.encoding, bytesRead: report.bytesRead, bytesTotal: report.bytesTotal, truncated: report.truncated, replacedSequences: report.replacedSequences }
      : {}),
    ...(problems.length ? { problems: problems.map((p) => ({ line: p.line, message: p.message })) } : {}),
  };
}

async function* textRecords(file: string, group: string, options: FileReadOptions, part?: FilePart): FileRecords {
  let report: ReadReport | undefined;
  const reading = readTextChunks(file, {
    maxChunkChars: options.maxChunkChars ?? DEFAULT_CHUNK_CHARS,
    ...(options.budgetBytes ? { budgetBytes: options.budgetBytes } : {}),
    ...(part ? { range: part, encoding: part.encoding } : {}),
    report: (r) => (report = r),
  });
  // a part's reader counts its lines from 1: they are moved to the whole file's here, once per chunk
  const before = part === undefined ? 0 : part.line - 1;
  for await (const { text, line, repeatedFrom, newlines } of reading) {
    yield { group, sender: '', text, at: { file, line: line + before }, newlines, ...(repeatedFrom !== undefined ? { repeatedFrom } : {}) };
  }
  return textRead(file, 'text', report);
}

/** The records of one part of a large text file (file-parts.ts), with the whole file's lines. */
export function readTextPartRecords(file: string, group: string, part: FilePart, options: FileReadOptions = {}): FileRecords {
  return textRecords(file, group, options, part);
}

/**
 * Text of one table record (all its rows' cells): a reader's chunk of rows goes on in a
 * new record after the row that reaches this (a text chunk's).
 */
const TABLE_RECORD_CHARS = DEFAULT_CHUNK_CHARS;

/**
 * Rows of a table gathered into records (SourceRecord.table): their cells joined with
 * '\n', row after row, with where each cell starts, its column (when not its position
 * in its row) and each row's number and line. A row without cells is in none.
 */
class TableRows {
  private texts: string[] = [];
  private starts: number[] = [];
  private columns: number[] | undefined;
  private rowStarts: number[] = [];
  private rows: number[] = [];
  private lines: number[] | undefined;
  /** Where the next cell starts in the record's text. */
  next = 0;
  /** The sheet of the rows (.xlsx): set only between records (after take()). */
  sheet: string | undefined;
  private readonly group: string;
  private readonly file: string;
  private readonly names: readonly string[];
  private readonly withColumns: boolean;
  private readonly withLines: boolean;

  /** `names`: the columns' names (only ever added to); `withColumns`: cells are given their column. */
  constructor(group: string, file: string, names: readonly string[], withColumns: boolean, withLines: boolean) {
    this.group = group;
    this.file = file;
    this.names = names;
    this.withColumns = withColumns;
    this.withLines = withLines;
    this.reset();
  }

  private reset(): void {
    this.texts = [];
    this.starts = [];
    this.columns = this.withColumns ? [] : undefined;
    this.rowStarts = [];
    this.rows = [];
    this.lines = this.withLines ? [] : undefined;
    this.next = 0;
  }

  /** Starts a row (to be given at least one cell). */
  row(row: number, line: number | undefined): void {
    this.rowStarts.push(this.starts.length);
    this.rows.push(row);
    this.lines?.push(line!);
  }

  /** A cell of the row, in column `column` (names[column]); without columns, its position in the row. */
  cell(text: string, column: number): void {
    this.starts.push(this.next);
    this.texts.push(text);
    this.columns?.push(column);
    this.next += text.length + 1;
  }

  /** Cells of a row, each in the column of its position. */
  cells(texts: readonly string[]): void {
    let next = this.next;
    for (let i = 0; i < texts.length; i++) {
      const text = texts[i]!;
      this.starts.push(next);
      this.texts.push(text);
      next += text.length + 1;
    }
    this.next = next;
  }

  get full(): boolean {
    return this.next > TABLE_RECORD_CHARS;
  }

  /** The record of the rows given since the last one (undefined: none), and a fresh start. */
  take(): SourceRecord | undefined {
    if (this.rows.length === 0) return undefined;
    const { file, rowStarts, rows, lines, starts, columns, names, sheet } = this;
    const record: SourceRecord = {
      group: this.group,
      sender: '',
      text: this.texts.join('\n'),
      at: lines !== undefined ? { file, line: lines[0]!, row: rows[0]! } : sheet !== undefined ? { file, sheet, row: rows[0]! } : { file, row: rows[0]! },
      table: { starts, names, rowStarts, rows, ...(columns !== undefined ? { columns } : {}), ...(lines !== undefined ? { lines } : {}) },
    };
    this.reset();
    return record;
  }
}

/** Whether `name` is an array index, a key Object.keys gives first (by its number) whatever the order it was set in. */
const arrayIndex = (name: string): boolean => /^(?:0|[1-9]\d{0,9})$/.test(name) && Number(name) < 2 ** 32 - 1;

/**
 * The order of a CSV row's cells in records: the order CsvRecord.cells gives them with
 * Object.keys (as the findings were ordered when each cell was scanned on its own):
 * names that are array indices first, by their number, then the rest as in the row.
 * The order for a row of `n` cells, made once per `n`; undefined when it is always the row's.
 */
function cellOrder(names: readonly string[]): ((n: number) => readonly number[]) | undefined {
  const indices = names.flatMap((name, i) => (arrayIndex(name) ? [i] : [])).sort((a, b) => Number(names[a]) - Number(names[b]));
  if (indices.length === 0) return undefined; // names beyond the header (column_N) never are
  const isIndex = new Set(indices);
  const byLength: number[][] = [];
  return (n) => (byLength[n] ??= [...indices.filter((i) => i < n), ...Array.from({ length: n }, (_, i) => i).filter((i) => !isIndex.has(i))]);
}

async function* tableRecords(file: string, group: string, options: FileReadOptions, part?: CsvFilePart): FileRecords {
  let report: CsvReport | undefined;
  const { readCsvRows } = await import('./csv-reader.ts');
  let table: TableRows | undefined;
  let order: ((n: number) => readonly number[]) | undefined;
  // A chunk's rows at a time from the reader (one async step per chunk there), and one
  // record of them (or more, of about TABLE_RECORD_CHARS each) to the detectors. The
  // header row comes first, as row 0 (by the part that starts the file only): its cells
  // are scanned too, since a file without one has its first record there.
  for await (const { names, cells, lines, row } of readCsvRows(file, { maxChunkChars: options.maxChunkChars ?? DEFAULT_CHUNK_CHARS, ...(options.budgetBytes ? { budgetBytes: options.budgetBytes } : {}), ...(part ? { part } : {}), headerRow: true, report: (r) => (report = r) })) {
    if (table === undefined) {
      order = cellOrder(names); // the header's names decide it (the same array for every batch)
      table = new TableRows(group, file, names, order !== undefined, true);
    }
    for (let r = 0; r < cells.length; r++) {
      const texts = cells[r]!;
      if (texts.length === 0) continue;
      if (table.full) yield table.take()!;
      table.row(row + r, lines[r]!);
      if (order === undefined) table.cells(texts);
      else for (const i of order(texts.length)) table.cell(texts[i]!, i);
    }
    const record = table.take();
    if (record !== undefined) yield record;
  }
  return textRead(file, path.extname(file).toLowerCase() === '.csv' ? 'csv' : 'tsv', report, report?.problems);
}

/**
 * The records of one part of a large CSV/TSV file (file-parts.ts, csvParts), with the
 * whole file's lines and rows and the header's column names.
 */
export async function* readCsvPartRecords(file: string, group: string, part: CsvFilePart, options: FileReadOptions = {}): FileRecords {
  try {
    return yield* tableRecords(file, group, options, part);
  } catch (error) {
    return failedRead(file, error);
  }
}

/**
 * An .xlsx workbook, every sheet: rows in records of about TABLE_RECORD_CHARS, as CSV
 * rows are, each record of one sheet (its name in `at.sheet`), with the row number
 * Excel shows and the columns' header names, and no line; the header row is scanned
 * too (a sheet without one has data there). The workbook is read whole
 * (read-excel-file), so the byte budget does not apply; `budgetRecords` limits the data
 * rows (the first N, over all the sheets).
 */
async function* xlsxRecords(file: string, group: string, options: FileReadOptions): FileRecords {
  const bytesTotal = (await statRegularFile(file)).size;
  let truncated = false;
  const { readXlsxSheets } = await import('./xlsx-reader.ts');
  const names: string[] = [];
  const columns = new Map<string, number>();
  const table = new TableRows(group, file, names, true, false);
  const reading = readXlsxSheets(file, { ...(options.budgetRecords ? { budgetRecords: options.budgetRecords } : {}), report: (r) => (truncated = r.truncated) });
  for await (const record of reading) {
    const { cells } = record;
    // Object.keys: the cells' order (Object.entries'), several times faster on prototype-less objects
    const keys = Object.keys(cells);
    if (keys.length === 0) continue;
    if (record.sheet !== table.sheet || table.full) {
      const done = table.take();
      if (done !== undefined) yield done;
      table.sheet = record.sheet;
    }
    table.row(record.row, undefined);
    for (const name of keys) {
      let column = columns.get(name);
      if (column === undefined) columns.set(name, (column = names.push(name) - 1));
      table.cell(cells[name]!, column);
    }
  }
  const last = table.take();
  if (last !== undefined) yield last;
  return { file, status: 'scanned', format: 'xlsx', bytesRead: bytesTotal, bytesTotal, truncated };
}

/**
 * A JSON document, streamed (json-strings.ts): records carry the pointer of their
 * string, its keys redacted; the byte budget applies. Bad JSON, or nesting deeper than
 * the limit, fails the file with the line and column, never the text; what came
 * before it has been scanned. Beyond JSON_POINTERS_MAX_BYTES, read as text.
 */
async function* jsonRecords(file: string, group: string, options: FileReadOptions): FileRecords {
  const { size } = await statRegularFile(file);
  if (Math.min(size, options.budgetBytes ?? Infinity) > JSON_POINTERS_MAX_BYTES) return yield* textRecords(file, group, options);
  let report: ReadReport | undefined;
  const strings = new JsonStrings({ keyToken: redact, numbers: true });
  let out: SourceRecord[] = [];
  const emit = ({ text, pointer, repeatedFrom }: JsonString) =>
    out.push({ group, sender: '', text, at: { file, pointer }, ...(repeatedFrom !== undefined ? { repeatedFrom } : {}) });
  const reading = readTextChunks(file, {
    maxChunkChars: options.maxChunkChars ?? DEFAULT_CHUNK_CHARS,
    ...(options.budgetBytes ? { budgetBytes: options.budgetBytes } : {}),
    report: (r) => (report = r),
  });
  try {
    for await (const chunk of reading) {
      strings.push(chunk.overlap ? chunk.text.slice(chunk.overlap) : chunk.text, emit);
      yield* out;
      out = [];
    }
    if (!report?.skipped && !report?.truncated) strings.end(emit);
    yield* out;
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    await reading.return(undefined);
    return { file, status: 'failed', format: 'json', reason: `not valid JSON: ${error.message} (what came before it was scanned)` };
  }
  return textRead(file, 'json', report);
}

/** The reader for a file's format, or its read when no reader takes it. */
function formatRecords(file: string, group: string, options: FileReadOptions): FileRecords | FileRead {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json') return jsonRecords(file, group, options);
  if (ext === '.xlsx') return xlsxRecords(file, group, options);
  if (TABLE.has(ext)) return tableRecords(file, group, options);
  if (TEXT.has(ext)) return textRecords(file, group, options);
  return { file, status: 'skipped', reason: `not a supported format (${ext})` };
}

const failedRead = (file: string, error: unknown): FileRead => ({ file, status: 'failed', reason: (error as Error).message });

/**
 * The records of one file, by its extension; a file that cannot be read, or is not a
 * regular file, fails; one in no supported format is skipped.
 */
export async function* readFileRecords(file: string, group: string, options: FileReadOptions = {}): FileRecords {
  const records = formatRecords(file, group, options);
  if (!(Symbol.asyncIterator in records)) return records;
  try {
    return yield* records;
  } catch (error) {
    return failedRead(file, error);
  }
}

/**
 * The records of every file under the paths given (files, or folders recursively),
 * each file's group its path below the folder given (its name when a file is given).
 * `onFile` gets each file's read as the file is done; a path that cannot be listed, a
 * folder that cannot be read and anything that is not a regular file are failed reads,
 * and the rest go on. (Each file's reader is delegated to directly, not through
 * readFileRecords: one generator fewer for every record to pass through.)
 */
export async function* readPathRecords(paths: readonly string[], options: FileReadOptions, onFile: (read: FileRead) => void): AsyncGenerator<SourceRecord> {
  for (const given of paths) {
    let entries: Entry[];
    try {
      entries = await entriesUnder(given);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      onFile({ file: given, status: 'failed', reason: code === 'ENOENT' ? 'no such file or folder' : toReadError(given, error).message });
      continue;
    }
    for (const entry of entries) {
      if (entry.refused !== undefined) {
        onFile({ file: entry.path, status: 'failed', reason: entry.refused });
        continue;
      }
      const records = formatRecords(entry.path, path.relative(given, entry.path) || path.basename(entry.path), options);
      if (!(Symbol.asyncIterator in records)) onFile(records);
      else {
        try {
          onFile(yield* records);
        } catch (error) {
          onFile(failedRead(entry.path, error));
        }
      }
    }
  }
}
