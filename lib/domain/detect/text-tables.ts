// Tables written in text: the cells of a Markdown table's rows under its header, and of
// an HTML table's rows under its header row, each with its column's name. A web page, a
// wiki's export, a Markdown document or a portal's "Export to Excel" (an HTML table saved
// as .xls) lists staff with their numbers under a `Mobile` or `電話` heading that stands
// lines away from the numbers, where the text's detectors (which need a phone word on the
// number's line) cannot see it; records.ts reads each such cell as it reads a CSV cell of
// that column.
//
// - Markdown (GitHub's tables): a header row, then a delimiter row of as many cells
//   (`|---|:---:|`, with at least one `|`), then rows while lines hold a `|`; cells split
//   at each `|` not escaped (`\|`), a leading and a trailing `|` dropped.
// - HTML: `<table>` ... `</table>` (nested tables each their own), `<tr>` rows of `<th>` and
//   `<td>` cells (a `colspan` counted). A table's header is a row in `<thead>` or of `<th>`,
//   or, before any header or data, a row of words and no digit in `<td>` (an export's
//   header), past a title spanning the columns; a later row all `<th>` is a new header. A `<th>` within a row also names the
//   cells after it in that row where the header names none (`<tr><th>Mobile</th><td>...`).
//   Markup is read by tag, not by line: a page on one line is read the same.
//
// Text comes in records (a file's chunks of lines, and a long line's pieces that overlap:
// records.ts), so a table's state goes on from one record to the next: a header row at the
// end of one chunk names the rows of the next. Each record gives the range it reads: its
// pieces hand over at the middle of the text they share, and a cell open at the hand-over
// goes on in the next piece from where that one takes over.

/** A cell of a table written in text: [start, end) in the text, and its column's name. */
export interface TextCell {
  start: number;
  end: number;
  name: string;
}

/** Characters of a header cell's text kept as its column's name (a name is a few words). */
const NAME_MAX = 200;

/** A table's cells in text, record after record of one file (see the top of this file). */
export class TextTables {
  private readonly markdown = new MarkdownTables();
  private readonly html = new HtmlTables();

  /**
   * The cells of the tables in `text` from `from` to `to` (the range this record reads;
   * `midLine`: `from` is inside a line, the text going on from the record before), in order.
   */
  cells(text: string, from: number, to: number, midLine: boolean): TextCell[] {
    const out: TextCell[] = [];
    this.markdown.read(text, from, to, midLine, out);
    if (this.html.reading() || text.includes('<')) this.html.read(text, from, to, out);
    if (out.length > 1) out.sort((a, b) => a.start - b.start);
    return out;
  }
}

// ---------------------------------------------------------------------------
// Markdown

/** A delimiter row: cells of hyphens with an optional colon at either end, at least one `|`. */
const DELIMITER_ROW = /^[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)*[ \t]*:?-+:?[ \t]*\|?[ \t]*$/;

/** Where the cells of a row written in `text` from `start` to `end` are: [start, end) pairs. */
function rowCells(text: string, start: number, end: number): number[] {
  let p = start;
  while (p < end && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
  if (text.charCodeAt(p) === 124 /* | */) p++;
  let last = end;
  while (last > p && (text.charCodeAt(last - 1) === 32 || text.charCodeAt(last - 1) === 9)) last--;
  const trailing = last > p && text.charCodeAt(last - 1) === 124 && text.charCodeAt(last - 2) !== 92; /* \ */
  if (trailing) last--;
  const bounds: number[] = [];
  let cell = p;
  for (let i = p; i < last; i++) {
    if (text.charCodeAt(i) === 124 && text.charCodeAt(i - 1) !== 92) {
      bounds.push(cell, i);
      cell = i + 1;
    }
  }
  bounds.push(cell, last);
  return bounds;
}

function cellTexts(text: string, bounds: readonly number[]): string[] {
  const names: string[] = [];
  for (let i = 0; i < bounds.length; i += 2) names.push(text.slice(bounds[i], Math.min(bounds[i + 1]!, bounds[i]! + NAME_MAX)).trim());
  return names;
}

class MarkdownTables {
  /** The column names of the table whose rows go on, if one does. */
  private names: string[] | undefined;
  /** The cells of the line before, when it could be a table's header. */
  private header: string[] | undefined;

  read(text: string, from: number, to: number, midLine: boolean, out: TextCell[]): void {
    let p = from;
    if (midLine) {
      // the rest of a long line, read with the record before (a row over a piece's length: only its start)
      const n = text.indexOf('\n', p);
      if (n === -1 || n >= to) return;
      p = n + 1;
    }
    while (p < to) {
      let end = text.indexOf('\n', p);
      const next = end === -1 ? text.length : end + 1;
      if (end === -1) end = text.length;
      if (end > p && text.charCodeAt(end - 1) === 13) end--;
      const piped = text.indexOf('|', p);
      const hasPipe = piped !== -1 && piped < end;
      if (this.names !== undefined) {
        if (hasPipe) {
          const bounds = rowCells(text, p, end);
          for (let i = 0, c = 0; i < bounds.length && c < this.names.length; i += 2, c++) {
            const name = this.names[c]!;
            if (name !== '') out.push({ start: bounds[i]!, end: bounds[i + 1]!, name });
          }
          p = next;
          continue;
        }
        this.names = undefined;
      }
      if (this.header !== undefined && hasPipe && DELIMITER_ROW.test(text.slice(p, end)) && rowCells(text, p, end).length === this.header.length * 2) {
        this.names = this.header;
        this.header = undefined;
      } else {
        this.header = hasPipe && end - p <= 4096 ? cellTexts(text, rowCells(text, p, end)) : undefined;
      }
      p = next;
    }
  }
}

// ---------------------------------------------------------------------------
// HTML

/** The tags of a table's structure (a tag's attributes up to 400 characters). */
const TABLE_TAG = /<(\/?)(table|thead|tbody|tfoot|tr|th|td)(?=[\s/>])([^<>]{0,400})>/gi;
/** The next tag that ends a cell, from a position. */
const CELL_END_TAG = /<\/?(?:table|thead|tbody|tfoot|tr|th|td)(?=[\s/>])/gi;
const COLSPAN = /\bcolspan\s*=\s*["']?(\d{1,3})/i;

interface OpenCell {
  /** Where its text starts (the next record's `from` when it goes on there). */
  start: number;
  column: number;
  /** Columns it spans (`colspan`). */
  span: number;
  th: boolean;
  /** Its text so far, when it may name columns (a `<th>`, or a cell of a table's first row). */
  text: string | undefined;
}

interface HtmlTable {
  /** Column names from its header row; undefined until one is seen. */
  names: string[] | undefined;
  /** Whether a row of data has been read (two cells or more, not a header): no header after it. */
  dataSeen: boolean;
  inHead: boolean;
  /** The row being read: its cells' next column, whether all are `<th>`, its cells' texts and columns (first row and `<th>`s). */
  row: { column: number; allTh: boolean; texts: { column: number; span: number; text: string; th: boolean }[]; label: string | undefined } | undefined;
  cell: OpenCell | undefined;
}

/** A header cell's text: tags as spaces, the common character references read, spaces collapsed. */
function nameText(html: string): string {
  return html
    .replace(/<[^>]*>?/g, ' ')
    .replace(/&(?:nbsp|#160|#xa0);/gi, ' ')
    .replace(/&amp;/gi, '&')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, NAME_MAX);
}

class HtmlTables {
  private readonly open: HtmlTable[] = [];
  /** Whether the innermost table's open cell goes on from the record before. */
  private carried = false;

  /** Whether a table is open (its rows may go on in text with no markup of its own). */
  reading(): boolean {
    return this.open.length > 0;
  }

  read(text: string, from: number, to: number, out: TextCell[]): void {
    let table = this.open.at(-1);
    if (this.carried && table?.cell !== undefined) table.cell.start = from;
    this.carried = false;
    TABLE_TAG.lastIndex = from;
    for (;;) {
      const m = TABLE_TAG.exec(text);
      if (m === null || m.index >= to) break;
      const closing = m[1] === '/';
      const tag = m[2]!.toLowerCase();
      if (tag === 'table') {
        if (table !== undefined) this.endCell(table, text, m.index, out);
        if (closing) {
          if (table !== undefined) this.endRow(table);
          this.open.pop();
        } else {
          if (this.open.length >= 16) this.open.shift(); // nesting that deep is no table's
          this.open.push({ names: undefined, dataSeen: false, inHead: false, row: undefined, cell: undefined });
        }
        table = this.open.at(-1);
        continue;
      }
      if (table === undefined) continue;
      this.endCell(table, text, m.index, out);
      if (tag === 'thead') {
        this.endRow(table);
        table.inHead = !closing;
      } else if (tag === 'tbody' || tag === 'tfoot') {
        this.endRow(table);
        table.inHead = false;
      } else if (tag === 'tr') {
        this.endRow(table);
        if (!closing) table.row = { column: 0, allTh: true, texts: [], label: undefined };
      } else if (!closing) {
        // <th> or <td>: a cell (a row opened by it when no <tr> was written)
        table.row ??= { column: 0, allTh: true, texts: [], label: undefined };
        const th = tag === 'th';
        const span = Math.max(1, Math.min(Number(COLSPAN.exec(m[3]!)?.[1] ?? 1), 100));
        const named = th || table.inHead || (table.names === undefined && !table.dataSeen);
        table.cell = { start: m.index + m[0].length, column: table.row.column, span, th, text: named ? '' : undefined };
        table.row.column += span;
        if (!th) table.row.allTh = false;
      }
    }
    // a cell open at the hand-over: read to its end (as far as the text goes), and on from the next record's start
    const cell = table?.cell;
    if (table !== undefined && cell !== undefined) {
      CELL_END_TAG.lastIndex = to;
      const end = CELL_END_TAG.exec(text)?.index ?? text.length;
      if (cell.text !== undefined && cell.start < to) cell.text = (cell.text + text.slice(cell.start, to)).slice(0, NAME_MAX * 4);
      if (cell.start < to) this.emit(table, cell, end, out);
      this.carried = true;
    }
  }

  /** Ends the open cell at `end`: a data cell with a name is given; a naming cell's text is kept for its row. */
  private endCell(table: HtmlTable, text: string, end: number, out: TextCell[]): void {
    const cell = table.cell;
    if (cell === undefined) return;
    table.cell = undefined;
    if (cell.start > end) return; // carried past its end already
    this.emit(table, cell, end, out);
    if (cell.text !== undefined && table.row !== undefined) {
      const name = nameText(cell.text + text.slice(cell.start, end));
      table.row.texts.push({ column: cell.column, span: cell.span, text: name, th: cell.th });
      if (cell.th) table.row.label = name;
    }
  }

  private emit(table: HtmlTable, cell: OpenCell, end: number, out: TextCell[]): void {
    if (cell.th || table.inHead || end <= cell.start) return;
    const name = table.names?.[cell.column] || table.row?.label;
    if (name) out.push({ start: cell.start, end, name });
  }

  /**
   * Ends the row being read. A row in `<thead>`, or of two `<th>` or more, is a header; so
   * is, before any header or data, a row of words and no digit written in `<td>` (or all
   * in `<th>`), past a title over the columns (one cell spanning them: `Staff list 2026`).
   */
  private endRow(table: HtmlTable): void {
    const row = table.row;
    if (row === undefined) return;
    table.row = undefined;
    const { texts } = row;
    if (texts.length === 0) return;
    if (!(table.inHead || (row.allTh && texts.length > 1))) {
      if (table.names !== undefined || table.dataSeen) return;
      const filled = texts.filter((t) => t.text !== '');
      if (filled.length === 1 && filled[0]!.span > 1) return; // a title
      const words = (row.allTh || !texts.some((t) => t.th)) && filled.some((t) => /\p{L}/u.test(t.text)) && !filled.some((t) => /\d/.test(t.text));
      if (!words) {
        if (filled.length > 1) table.dataSeen = true;
        return;
      }
    }
    const names: string[] = [];
    for (const t of texts) for (let c = t.column; c < t.column + t.span; c++) names[c] = t.text;
    table.names = names;
  }
}
