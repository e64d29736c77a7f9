// Rows of a table as records for the detectors (SourceRecord.table), whatever reads the
// table: a CSV/TSV file's or S3 object's rows (csvTableRecords, from readCsvRows) and an
// .xlsx workbook's, a local file's or an S3 object's (sheetTableRecords, from readXlsxSheets). The rows of a chunk of text go in one
// record of their cells, each cell's column and each row's number (and line); a title or
// metadata line above the header (table-layout.ts), and a rejected CSV record's first line,
// are records of their own, a line of text (preambleRecord, rejectedRecord).
import type { SourceRecord } from '../../domain/detect/records.ts';
import type { CsvPreambleRecord, CsvRejectedLine, CsvRows } from './csv-reader.ts';
import type { XlsxSheetRow } from './xlsx-reader.ts';
import { DEFAULT_MAX_CHUNK_CHARS } from './text-chunks.ts';

/**
 * Text of one table record (all its rows' cells): a reader's chunk of rows goes on in a
 * new record after the row that reaches this (a text chunk's: text-chunks.ts says why it
 * is small).
 */
export const TABLE_RECORD_CHARS = DEFAULT_MAX_CHUNK_CHARS;

/**
 * Rows of a table gathered into records (SourceRecord.table): their cells joined with
 * '\n', row after row, with where each cell starts, its column (when not its position
 * in its row) and each row's number and line. A row without cells is in none.
 */
export class TableRows {
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

/**
 * A workbook's rows (readXlsxSheets), every sheet, in records of about TABLE_RECORD_CHARS,
 * as CSV rows are, each record of one sheet (its name in `at.sheet`), with the row number
 * Excel shows and the columns' header names, and no line; the header row is scanned too (a
 * sheet without one has data there), and each preamble row above it as text.
 */
export async function* sheetTableRecords(rows: AsyncIterable<XlsxSheetRow>, file: string, group: string): AsyncGenerator<SourceRecord> {
  const names: string[] = [];
  const columns = new Map<string, number>();
  const table = new TableRows(group, file, names, true, false);
  for await (const record of rows) {
    const { cells } = record;
    // Object.keys: the cells' order (Object.entries'), several times faster on prototype-less objects
    const keys = Object.keys(cells);
    if (keys.length === 0) continue;
    if (record.preamble) {
      // a title or metadata row above the header (table-layout.ts): a line of text
      const done = table.take();
      if (done !== undefined) yield done;
      table.sheet = undefined;
      yield preambleRecord(group, keys.map((k) => cells[k]!), { file, sheet: record.sheet, row: record.row });
      continue;
    }
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
}

/**
 * The records of a CSV/TSV table as readCsvRows gives it (with `headerRow`), for `file`
 * (a local file's, or an S3 object's: s3-source.ts). A chunk's rows at a time from the
 * reader (one async step per chunk there), and one record of them (or more, of about
 * TABLE_RECORD_CHARS each) to the detectors. The header row comes first, as row 0 (by
 * the part that starts the file only): its cells are scanned too, since a file without
 * one has its first record there. The preamble's records (a title or metadata lines
 * before the header: table-layout.ts) and the first line of each record rejected
 * (CsvRows.rejected) are each a line of text at its line (preambleRecord, rejectedRecord), between the rows
 * before and after it.
 */
export async function* csvTableRecords(batches: AsyncIterable<CsvRows>, file: string, group: string): AsyncGenerator<SourceRecord> {
  let table: TableRows | undefined;
  let order: ((n: number) => readonly number[]) | undefined;
  for await (const { names, cells, lines, row, preamble, rejected } of batches) {
    const texts = lineRecords(group, file, preamble, rejected); // in line order
    let k = 0; // the next of them
    if (cells.length > 0 && table === undefined) {
      order = cellOrder(names); // the header's names decide it (the same array for every batch)
      table = new TableRows(group, file, names, order !== undefined, true);
    }
    for (let r = 0; r < cells.length; r++) {
      const rowCells = cells[r]!;
      if (rowCells.length === 0) continue;
      if (k < texts.length && texts[k]!.at.line! < lines[r]!) {
        const before = table!.take();
        if (before !== undefined) yield before;
        for (; k < texts.length && texts[k]!.at.line! < lines[r]!; k++) yield texts[k]!;
      }
      if (table!.full) yield table!.take()!;
      table!.row(row + r, lines[r]!);
      if (order === undefined) table!.cells(rowCells);
      else for (const i of order(rowCells.length)) table!.cell(rowCells[i]!, i);
    }
    const record = table?.take();
    if (record !== undefined) yield record;
    for (; k < texts.length; k++) yield texts[k]!;
  }
}

/** A batch's preamble records and rejected lines (each in line order) as records of text, merged in line order. */
function lineRecords(group: string, file: string, preamble: readonly CsvPreambleRecord[], rejected: readonly CsvRejectedLine[]): SourceRecord[] {
  const out: SourceRecord[] = [];
  let p = 0;
  let k = 0;
  while (p < preamble.length || k < rejected.length) {
    if (k >= rejected.length || (p < preamble.length && preamble[p]!.line < rejected[k]!.line)) {
      const { line, cells } = preamble[p++]!;
      out.push(preambleRecord(group, cells, { file, line }));
    } else out.push(rejectedRecord(group, file, rejected[k++]!));
  }
  return out;
}

/** A rejected CSV record's first line (or a piece of it: CsvRejectedLine) as a record of text at its line. */
export function rejectedRecord(group: string, file: string, { line, text, repeatedFrom }: CsvRejectedLine): SourceRecord {
  return { group, sender: '', text, at: { file, line }, ...(repeatedFrom !== undefined ? { repeatedFrom } : {}) };
}

/**
 * A record of a preamble row (a title or metadata row above the header: table-layout.ts)
 * at `at` (a CSV file's line, an .xlsx sheet's row): a line of text, its cells joined by
 * tabs, so that a label and its value (`Mobile,91234567`) read as the words they are;
 * no row or column.
 */
export function preambleRecord(group: string, cells: readonly string[], at: SourceRecord['at']): SourceRecord {
  return { group, sender: '', text: cells.join('\t'), at };
}
