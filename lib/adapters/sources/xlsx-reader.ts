// .xlsx sheets for the data-mapping scans (issue 3, "Sources"), read with
// `read-excel-file` (maintained, small; DESIGN rules out the npm `xlsx` 0.18.5).
//
// - read-excel-file unzips and parses a sheet whole, so there is no byte budget:
//   instead a file larger than `maxFileBytes` (default 64 MiB) is refused with a
//   clear error before anything is read, and the archive is checked and inflated
//   within limits before read-excel-file sees it (xlsx-zip.ts: entries, declared
//   uncompressed size, compression ratio, each part's real size), because it parses
//   the XML whole in several times its size of memory. `budgetRecords` limits the
//   rows yielded (the first N, deterministic).
// - The first non-empty row is the header, named as in the CSV reader
//   (`uniqueHeaderNames`: trimmed, `column_N` for empty names, `_2` suffixes for
//   repeats); cells beyond the header get `column_N` names. But for a preamble: a
//   title or a few metadata rows above the header, told by the rule CSV files are read
//   with (table-layout.ts, on the first non-empty rows of each sheet); they are not
//   data rows, and readXlsxSheets gives them as such (`preamble`) to be scanned as text.
// - `row` is the 1-based data row, counted like CsvRecord.row: the header, the
//   preamble and empty rows are not counted.
// - readXlsxSheets (the scan's): every sheet, in the workbook's order, each row with its
//   sheet's name and the row number Excel shows (empty rows counted), the header row
//   included: a sheet without one has data there. `budgetRecords` counts data rows over
//   all the sheets; reading stops at the first row after the budget is spent.
// - Cells become strings: numbers exactly as stored in the file (no float
//   rounding; a whole number stored in scientific notation, as Apache POI stores those of
//   eight digits or more, as its digits: wholeNumberDigits), booleans `TRUE`/`FALSE`, date cells as ISO-8601 local date-time
//   without a zone (`2026-11-03T09:15:00`; Excel stores wall-clock time with no
//   zone), rounded to the second. Empty cells are absent from `cells`. Text is
//   trimmed (read-excel-file's default).
import { redactName } from '../../domain/detect/redact.ts';
import readXlsxFile, { readSheet, type Row } from 'read-excel-file/node';
import { uniqueHeaderNames } from './csv-reader.ts';
import { headerIndex, LAYOUT_RECORDS, recordShape, type RecordShape } from './table-layout.ts';
import { openRegularFile, ReadError } from './read-error.ts';
import { bytesAt, DEFAULT_XLSX_ZIP_LIMITS, repackXlsx, type XlsxZipLimits } from './xlsx-zip.ts';

export interface XlsxRow {
  /** 1-based data row: the header, the preamble above it (a title or metadata rows: table-layout.ts) and empty rows are not counted. */
  row: number;
  /** The row's number as Excel shows it (1-based; empty rows, the preamble and the header counted). */
  sheetRow: number;
  /** Cells by header name. */
  cells: Record<string, string>;
}

export interface XlsxReadOptions {
  /** Sheet number (1-based) or name; default the first sheet. */
  sheet?: number | string;
  /** Yield at most the first N data rows. */
  budgetRecords?: number;
  /** Refuse files larger than this (default 64 MiB): they are read whole. */
  maxFileBytes?: number;
  /** The workbook's bytes, when it is read from memory (an S3 object), not from `file` (then only its name). */
  bytes?: Uint8Array;
  /** Limits on the archive (xlsx-zip.ts). */
  zipLimits?: XlsxZipLimits;
  /** Called with the header names once they are known, before the first row (also when there are no data rows). */
  onHeader?: (header: string[]) => void;
}

export const DEFAULT_MAX_XLSX_BYTES = 64 * 1024 * 1024;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** A date cell as an ISO-8601 local date-time (no zone), rounded to the second. */
function dateCell(d: Date): string {
  const t = Math.round(d.getTime() / 1000) * 1000;
  const r = new Date(t);
  if (Number.isNaN(t)) return '';
  return `${pad(r.getUTCFullYear(), 4)}-${pad(r.getUTCMonth() + 1)}-${pad(r.getUTCDate())}T${pad(r.getUTCHours())}:${pad(r.getUTCMinutes())}:${pad(r.getUTCSeconds())}`;
}

function cellText(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (v instanceof Date) return dateCell(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return String(v);
}

function isEmptyRow(row: Row<string>): boolean {
  return row.every((v) => v === null || v === undefined || v === '');
}

/** JavaScript's own errors: thrown by the reader where the file is not what it expects, their messages about its code, not the file. */
const ENGINE_ERRORS: readonly string[] = ['TypeError', 'RangeError', 'ReferenceError'];

/**
 * Why read-excel-file could not read a workbook, for the person: its own errors (a cell
 * out of place, a value it cannot read, XML that ends early) as it says them, an error of
 * JavaScript's (`TypeError: Cannot read properties of undefined`) as what it means.
 */
function whyNotRead(err: unknown): string {
  if (!(err instanceof Error)) return 'the reader could not read it';
  if (ENGINE_ERRORS.includes(err.name)) return 'its sheets are not laid out as the format requires: the reader could not read them';
  // the parts it quotes are named by the workbook (`"xl/worksheets/91234567.xml" file not
  // found`): redacted as the names they are, a bare number as a phone (the message as a whole
  // is redacted as text, where a byte count is no phone)
  return `${err.name}: ${err.message.replace(/"([^"\n]*)"/g, (_, name: string) => `"${redactName(name)}"`)}`;
}

/**
 * The workbook's rows, read within the limits: `read` is given the checked archive.
 * Throws a ReadError when the file is too large or not a readable workbook.
 */
async function readWorkbook<T>(file: string, options: XlsxReadOptions, read: (workbook: Awaited<ReturnType<typeof repackXlsx>>) => Promise<T>): Promise<T> {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_XLSX_BYTES;
  const opened = options.bytes ? undefined : await openRegularFile(file);
  const handle = opened?.handle ?? bytesAt(options.bytes!);
  const size = opened?.size ?? options.bytes!.length;
  try {
    if (size > maxFileBytes) {
      throw new ReadError(file, 'EFBIG', `workbook is ${size} bytes, larger than the ${maxFileBytes}-byte limit for .xlsx files (read whole); export it as CSV or raise maxFileBytes`);
    }
    return await read(await repackXlsx(file, handle, size, options.zipLimits ?? DEFAULT_XLSX_ZIP_LIMITS));
  } catch (err) {
    if (err instanceof ReadError) throw err;
    throw new ReadError(file, 'EBADXLSX', `not a readable .xlsx workbook (${whyNotRead(err)})`);
  } finally {
    await opened?.handle.close().catch(() => undefined);
  }
}

// parseNumber keeps numbers as written (IDs and phone numbers must not lose digits), but
// for a whole number written in scientific notation, as Java's Double.toString writes any
// of 10^7 or more (Apache POI's workbooks: a phone 91234567 stored as `9.1234567E7`,
// which Excel shows as 91234567): that is given as its digits.
const AS_WRITTEN = { parseNumber: wholeNumberDigits };

const SCIENTIFIC = /^(-?)(\d)(?:\.(\d+))?[Ee]\+?(\d{1,2})$/;

/** `s` as written, or a whole number in scientific notation (`8.5291234567E10`) as its digits (`85291234567`). */
export function wholeNumberDigits(s: string): string {
  const m = SCIENTIFIC.exec(s);
  if (m === null) return s;
  const fraction = m[3] ?? '';
  const exponent = Number(m[4]);
  if (fraction.length > exponent) return s; // not a whole number
  const digits = `${m[2]}${fraction}${'0'.repeat(exponent - fraction.length)}`.replace(/^0+(?=\d)/, '');
  return `${m[1]}${digits}`;
}

/** A row of a sheet as the scan reads it (readXlsxSheets). */
export interface XlsxSheetRow {
  /** The sheet's name. */
  sheet: string;
  /** The row's number as Excel shows it (1-based, empty rows counted; the header's too). */
  row: number;
  /** Cells by header name; in the header row, its own cells by their names; in a preamble row, by `column_N`. */
  cells: Record<string, string>;
  /** A row of the preamble above the header (table-layout.ts): not a data row; its cells are text to scan. */
  preamble?: true;
}

/**
 * Where a sheet's header row is (an index in `data`; -1: the sheet has no rows): the
 * first non-empty row, or the first after a preamble (table-layout.ts).
 */
function headerRowOf(data: readonly Row<string>[]): number {
  const filled: number[] = []; // indices of the first non-empty rows
  const shapes: RecordShape[] = [];
  for (let i = 0; i < data.length && filled.length < LAYOUT_RECORDS; i++) {
    const values = data[i]!;
    if (isEmptyRow(values)) continue;
    filled.push(i);
    shapes.push(recordShape(values.map(cellText)));
  }
  return filled.length === 0 ? -1 : filled[headerIndex(shapes)]!;
}

/** A header row's names: each cell's text, made unique. */
const headerOf = (values: Row<string>): string[] => uniqueHeaderNames(values.map((v) => cellText(v) ?? ''));

/** A row's cells by their header names (`column_N` past the header). */
function cellsOf(values: Row<string>, header: readonly string[]): Record<string, string> {
  const cells: Record<string, string> = {};
  values.forEach((v, c) => {
    const text = cellText(v);
    if (text !== undefined) cells[header[c] ?? `column_${c + 1}`] = text;
  });
  return cells;
}

/**
 * Every row of every sheet, header rows included, in the workbook's order (see the
 * top of this file); `budgetRecords` counts data rows over all the sheets. `report` hears,
 * once all is read or the budget is reached, whether rows were left unread.
 */
export async function* readXlsxSheets(file: string, options: Omit<XlsxReadOptions, 'sheet' | 'onHeader'> & { report?: (r: { truncated: boolean }) => void } = {}): AsyncGenerator<XlsxSheetRow> {
  const budget = options.budgetRecords ?? Infinity;
  const sheets = await readWorkbook(file, options, (workbook) => readXlsxFile<string>(workbook, AS_WRITTEN));
  let rows = 0;
  for (const { sheet, data } of sheets) {
    let header: string[] | undefined;
    const headerAt = headerRowOf(data);
    for (let i = 0; i < data.length; i++) {
      const values = data[i]!;
      if (isEmptyRow(values)) continue;
      if (rows >= budget) {
        options.report?.({ truncated: true });
        return;
      }
      if (i < headerAt) {
        yield { sheet, row: i + 1, cells: cellsOf(values, []), preamble: true };
        continue;
      }
      if (header === undefined) header = headerOf(values);
      else rows++; // the budget is of data rows, as readXlsxRows's
      yield { sheet, row: i + 1, cells: cellsOf(values, header) };
    }
  }
  options.report?.({ truncated: false });
}

/** Stream the data rows of an .xlsx sheet, keyed by the header row. */
export async function* readXlsxRows(file: string, options: XlsxReadOptions = {}): AsyncGenerator<XlsxRow> {
  const budget = options.budgetRecords ?? Infinity;
  const data: Row<string>[] = await readWorkbook(file, options, (workbook) => readSheet<string>(workbook, options.sheet ?? 1, AS_WRITTEN));

  let header: string[] | undefined;
  let row = 0;
  const headerAt = headerRowOf(data);
  if (budget <= 0) {
    options.onHeader?.(headerOf(data[headerAt] ?? []));
    return;
  }
  for (let i = Math.max(headerAt, 0); i < data.length; i++) {
    const values = data[i]!;
    if (isEmptyRow(values)) continue;
    if (header === undefined) {
      header = headerOf(values);
      options.onHeader?.(header);
      continue;
    }
    row++;
    yield { row, sheetRow: i + 1, cells: cellsOf(values, header) };
    if (row >= budget) return;
  }
}
