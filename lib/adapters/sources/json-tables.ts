// A table written as JSON, an array of rows that are arrays, its first row the header:
// Google Sheets' API (`{"range": ..., "values": [["Name", "Mobile"], ["Chan", "9123 4567"]]}`),
// pandas' `to_json(orient="values")` with its header, a grid copied from a spreadsheet.
// A cell's key is only its place (`/values/1/1`), so a `Mobile` column's bare numbers
// were not phones; here each string of a later row gets its column's name from the first
// row (`at.column`), which records.ts reads as it reads a JSON key or a CSV column's name.
//
// The first row is a header when it looks like one, as table-layout.ts judges a CSV's
// (recordShape): nothing like data in it (an `@`, a run of five or more digits) and a
// column name the scan knows; else the arrays are no table, and their strings are read
// as before. Nothing is held: the first row's strings go out as they come, and are
// remembered (at most MAX_HEADER_CELLS of MAX_NAME_CHARS) to name the cells after them.
import { recordShape } from './table-layout.ts';

/** Cells of a first row remembered as names, at most; a wider table's later columns are unnamed. */
const MAX_HEADER_CELLS = 1024;
/** Characters of a name remembered. */
const MAX_NAME_CHARS = 256;
/** A cell's pointer: its table's (the array of rows), its row and its column. */
const CELL_AT = /^(.*)\/(0|[1-9]\d*)\/(0|[1-9]\d*)$/;

export class JsonTableColumns {
  /** The table being read: its pointer, its first row's strings, and (once a later row starts) its header or none. */
  private at: string | undefined;
  private first: string[] = [];
  private header: string[] | null | undefined;

  /** The column name of the string at `pointer` (`text`, as read), or undefined. */
  columnOf(pointer: string, text: string): string | undefined {
    const m = CELL_AT.exec(pointer);
    if (m === null) return undefined;
    const [, table, row, column] = m as unknown as [string, string, string, string];
    if (table !== this.at) [this.at, this.first, this.header] = [table, [], undefined];
    const c = Number(column);
    if (row === '0') {
      if (this.header === undefined && c < MAX_HEADER_CELLS) this.first[c] = text.slice(0, MAX_NAME_CHARS);
      return undefined;
    }
    if (this.header === undefined) {
      const shape = recordShape(this.first);
      this.header = shape.names > 0 && !shape.dataLike ? this.first : null;
    }
    const name = this.header?.[c];
    return name === undefined || name.trim() === '' ? undefined : name;
  }
}
