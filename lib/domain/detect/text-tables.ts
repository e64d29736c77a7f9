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
//   at each `|` not escaped (`\|`), a leading and a trailing `|` dropped; none in a fenced
//   code block.
// - HTML: `<table>` ... `</table>` (nested tables each their own), `<tr>` rows of `<th>` and
//   `<td>` cells, a `colspan` counted and the columns a `rowspan` above covers skipped;
//   nothing in a web page's comments, scripts and styles (in a Markdown document `<script>`
//   may be a code span's text). A table's header is a row in `<thead>`, or
//   of `<th>`, or, before any header or data, of two cells or more of words and no data
//   (`Phone 2` is a name, `2026-11-30` data) in `<td>` (an export's header; one such cell
//   is a layout table's text), past a title spanning the columns and a spreadsheet's
//   column letters and row numbers (Google Sheets' download); a later row all `<th>` is a
//   new header; `<tfoot>` rows are totals, not values. A `<th>` within a row
//   also names the cells after it in that row where the header names none (`<tr><th>Mobile
//   </th><td>...`). Markup is read by tag, not by line: a page on one line, or with its
//   tags written over lines as Word and Excel write them, is read the same.
//
// Text comes in records (a file's chunks of lines, and a long line's pieces that overlap:
// records.ts), so the state goes on from one record to the next: a header at the end of
// one chunk names the rows of the next, a tag cut by a chunk's end is read whole with the
// next chunk's start, and a cell, comment or script goes on. Each record gives the range
// it reads (its pieces hand over at the middle of the text they share); a cell open at the
// hand-over is read to its end by both pieces, each from where the cell starts in its
// text, and records.ts keeps each detection from the piece whose range it starts in.
// Bounds: 1,000 columns, 16 tables nested, a tag's attributes 400 characters, a cell two
// records past its own (a tag never closed).

/** The text a file holds: a Markdown document (where HTML may be written too), or a web page. */
export type MarkupKind = 'markdown' | 'html';

/** A cell of a table written in text: [start, end) in the text, and its column's name. */
export interface TextCell {
  start: number;
  end: number;
  name: string;
}

/**
 * Markup and marks before a value in a cell: tags, white space and line ends, `&nbsp;`,
 * Markdown's emphasis, code and link marks; never past a tag that ends the cell (an empty
 * cell's markup is not read on through the cells after it).
 */
const MARKUP_BEFORE_VALUE = /(?:<(?!\/?(?:t[dhr]|table|thead|tbody|tfoot)[\s/>])[^<>]{0,400}>|\s|&nbsp;|&#160;|[*_`[~])*/iy;

/** Where the value of a cell from `start` to `end` of `text` starts: past the markup it is written in (`<p><span>`, `&nbsp;`, `**`, a backquote). */
export function valueStart(text: string, start: number, end: number): number {
  MARKUP_BEFORE_VALUE.lastIndex = start;
  MARKUP_BEFORE_VALUE.test(text);
  return Math.min(MARKUP_BEFORE_VALUE.lastIndex, end);
}

/** Characters of a header cell's text kept as its column's name (a name is a few words). */
const NAME_MAX = 200;

/** A table's cells in text, record after record of one file (see the top of this file). */
export class TextTables {
  private readonly markdown = new MarkdownTables();
  private readonly html: HtmlTables;

  /** `kind`: a Markdown document's text, or a web page's. */
  constructor(kind: MarkupKind) {
    this.html = new HtmlTables(kind === 'html');
  }

  /**
   * The cells of the tables in `text` from `from` to `to` (the range this record reads), in
   * order; `shift`: where in the record before's text this one starts, when it goes on with
   * that one's line (a long line's next piece: `from` is inside the line).
   */
  cells(text: string, from: number, to: number, shift: number | undefined): TextCell[] {
    const out: TextCell[] = [];
    this.markdown.read(text, from, to, shift !== undefined, out);
    if (this.html.reading() || text.includes('<')) this.html.read(text, from, to, shift, out);
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

/** A line opening or closing a fenced code block (``` or ~~~): no table inside one. */
const FENCE = /^[ \t]{0,3}(?:```|~~~)/;

class MarkdownTables {
  /** The column names of the table whose rows go on, if one does. */
  private names: string[] | undefined;
  /** The cells of the line before, when it could be a table's header. */
  private header: string[] | undefined;
  /** Inside a fenced code block. */
  private fenced = false;

  read(text: string, from: number, to: number, midLine: boolean, out: TextCell[]): void {
    let p = from;
    if (midLine) {
      // the rest of a long line, read with the record before (a row over a piece's length: only its start)
      const n = text.indexOf('\n', p);
      if (n === -1 || n >= to) return;
      p = n + 1;
    }
    // the next `|` at or after p (looked for again only once passed: one walk of the text)
    let pipe = -2;
    while (p < to) {
      if (pipe !== -1 && pipe < p) {
        pipe = text.indexOf('|', p);
        // no `|` in the rest, nor a fence to follow: a table or a header before ends at the next line, and nothing starts
        if (pipe === -1 && !this.fenced && text.indexOf('```', p) === -1 && text.indexOf('~~~', p) === -1) {
          this.names = this.header = undefined;
          return;
        }
      }
      let end = text.indexOf('\n', p);
      const next = end === -1 ? text.length : end + 1;
      if (end === -1) end = text.length;
      if (end > p && text.charCodeAt(end - 1) === 13) end--;
      if (text.charCodeAt(p) <= 126 && FENCE.test(text.slice(p, Math.min(end, p + 8)))) {
        this.fenced = !this.fenced;
        this.names = this.header = undefined;
        p = next;
        continue;
      }
      if (this.fenced) {
        p = next;
        continue;
      }
      const hasPipe = pipe !== -1 && pipe < end;
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

/**
 * What the HTML reader looks at: a comment's or a script's or style's start (skipped to
 * their end: a table there is none), or a tag of a table's structure (its attributes up to
 * 400 characters, over lines as Word and Excel write them).
 */
const HTML_TOKEN = /<(?:(!--)|(script|style)(?=[\s>])|(\/?)(table|thead|tbody|tfoot|tr|th|td)(?=[\s/>])([^<>]{0,400})>)/gi;
/** The same, sticky at a tag's start: a tag cut by a record's end, read whole with the next record's start. */
const TABLE_TAG_AT = /<(\/?)(table|thead|tbody|tfoot|tr|th|td)(?=[\s/>])([^<>]{0,400})>/iy;
/** The next tag that ends a cell, from a position. */
const CELL_END_TAG = /<\/?(?:table|thead|tbody|tfoot|tr|th|td)(?=[\s/>])/gi;
const COLSPAN = /\bcolspan\s*=\s*["']?(\d{1,4})/i;
const ROWSPAN = /\browspan\s*=\s*["']?(\d{1,4})/i;
/** Columns a table is read to (a header row of ten thousand spanned columns names none past it). */
const MAX_COLUMNS = 1000;
/** A cell open for more than this many records after its own (a tag never closed) is read no further. */
const MAX_CARRIES = 2;

interface OpenCell {
  /** Where its text starts in the record being read (moved there when it goes on from the record before). */
  start: number;
  column: number;
  /** Columns it spans (`colspan`). */
  span: number;
  th: boolean;
  /** Its text so far, when it may name columns (a `<th>`, or a cell before any header or data), and where the rest starts. */
  text: string | undefined;
  textAt: number;
  /** Records it has gone on into. */
  carries: number;
}

interface HtmlRow {
  /** The next cell's column. */
  column: number;
  /** Columns a cell of a row above covers (`rowspan`): no cell of this row is there. */
  covered: Set<number>;
  allTh: boolean;
  /** Its cells' texts where they may name columns. */
  texts: { column: number; span: number; text: string; th: boolean }[];
  /** The text of its last `<th>`, naming the cells after it. */
  label: string | undefined;
}

interface HtmlTable {
  /** Column names from its header row; undefined until one is seen. */
  names: string[] | undefined;
  /** Whether a row of data has been read (two cells or more, not a header): no header after it. */
  dataSeen: boolean;
  inHead: boolean;
  /** In `<tfoot>`: totals and notes, not the rows' values. */
  inFoot: boolean;
  /** Rows each column is still covered for by a `rowspan` above. */
  spanned: number[];
  row: HtmlRow | undefined;
  cell: OpenCell | undefined;
}

/** A row number a spreadsheet writes in a `<th>` before each row. */
const ROW_NUMBER = /^\d{1,7}$/;
/** A spreadsheet's letters of its column `i` (0-based): A, B, ..., Z, AA, AB, ... */
function columnLetters(i: number): string {
  let letters = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}
/** A cell that holds data, not a column's name: four digits or more together (a number, a date, an id), or a number alone (`3`, `1.5`). */
const DATA_LIKE = /\d{4}|^(?=\D*\d)[\d\s.,:/+-]+$/;

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

const TERMINATORS = { comment: /-->/g, script: /<\/script\s*>/gi, style: /<\/style\s*>/gi } as const;

class HtmlTables {
  /**
   * `skipsHidden`: comments, scripts and styles are skipped (a web page's). Not in Markdown,
   * where `<script>` in a code span is text, and skipping to its end would skip the rest.
   */
  private readonly skipsHidden: boolean;

  constructor(skipsHidden: boolean) {
    this.skipsHidden = skipsHidden;
  }

  private readonly open: HtmlTable[] = [];
  /** Whether the innermost table's open cell goes on from the record before. */
  private carried = false;
  /** Inside a comment, a script or a style that goes on from the record before. */
  private skipping: keyof typeof TERMINATORS | undefined;
  /** The start of a table's tag cut by the record before's end. */
  private cutTag: string | undefined;
  /** Where the record before was read to, past its hand-over (a piece's: in its text). */
  private readTo = 0;

  /** Whether a table is open or a tag or comment goes on (the next record is read though it holds no `<`). */
  reading(): boolean {
    return this.open.length > 0 || this.skipping !== undefined || this.cutTag !== undefined || this.readTo > 0;
  }

  /**
   * Reads [from, to) of `text`; `shift`: where the record before's text is this one's start
   * when this one goes on with its line (a long line's next piece), else undefined.
   */
  read(text: string, from: number, to: number, shift: number | undefined, out: TextCell[]): void {
    let at = from;
    // a token read past the hand-over by the piece before: on after it
    if (shift !== undefined) at = Math.max(at, this.readTo - shift);
    this.readTo = 0;
    let table: HtmlTable | undefined = this.open.at(-1);
    if (this.carried && table?.cell !== undefined) {
      const cell = table.cell;
      cell.start = shift === undefined ? 0 : Math.max(0, cell.start - shift);
      cell.textAt = at;
      if (++cell.carries > MAX_CARRIES) table.cell = undefined;
    }
    this.carried = false;
    if (this.cutTag !== undefined) {
      const cut = this.cutTag;
      this.cutTag = undefined;
      const close = text.indexOf('>', at);
      if (close !== -1 && close - at < 420) {
        const whole = cut + text.slice(at, close + 1);
        TABLE_TAG_AT.lastIndex = 0;
        const m = TABLE_TAG_AT.exec(whole);
        if (m !== null && TABLE_TAG_AT.lastIndex === whole.length) {
          table = this.tag(m[1] === '/', m[2]!.toLowerCase(), m[3]!, at, close + 1, text, out);
          at = close + 1;
        }
      }
    }
    // a comment, script or style not ended in this text: read no tag further, but the cell it is in goes on
    tokens: {
      if (this.skipping !== undefined) {
        const end = TERMINATORS[this.skipping];
        end.lastIndex = at;
        if (end.exec(text) === null) break tokens;
        this.skipping = undefined;
        at = end.lastIndex;
      }
      HTML_TOKEN.lastIndex = at;
      for (;;) {
        const m = HTML_TOKEN.exec(text);
        if (m === null || m.index >= to) break;
        at = HTML_TOKEN.lastIndex;
        if (m[1] !== undefined || m[2] !== undefined) {
          if (!this.skipsHidden) continue;
          const kind = m[1] !== undefined ? 'comment' : (m[2]!.toLowerCase() as 'script' | 'style');
          const end = TERMINATORS[kind];
          end.lastIndex = at;
          if (end.exec(text) === null) {
            this.skipping = kind;
            break tokens;
          }
          at = HTML_TOKEN.lastIndex = end.lastIndex;
          continue;
        }
        table = this.tag(m[3] === '/', m[4]!.toLowerCase(), m[5]!, m.index, at, text, out);
      }
      if (at > to) this.readTo = at;
      else if (to === text.length) {
        // a table's tag cut by the end of the text (Word and Excel write a tag over lines)
        const lt = text.lastIndexOf('<');
        if (lt >= at && text.length - lt < 420 && text.indexOf('>', lt) === -1 && /^<\/?t/i.test(text.slice(lt, lt + 3))) this.cutTag = text.slice(lt);
      }
    }
    // a cell open at the hand-over: read to its end (as far as the text goes), and on in the next record
    const cell = table?.cell;
    if (table !== undefined && cell !== undefined) {
      CELL_END_TAG.lastIndex = to;
      const end = Math.min(CELL_END_TAG.exec(text)?.index ?? text.length, this.cutTag === undefined ? text.length : text.length - this.cutTag.length);
      if (cell.text !== undefined && cell.textAt < to) cell.text = (cell.text + text.slice(cell.textAt, to)).slice(0, NAME_MAX * 4);
      this.emit(table, cell, end, out);
      this.carried = true;
    }
  }

  /** Reads a table's tag found at [start, end) of `text`; gives the innermost table open after it. */
  private tag(closing: boolean, tag: string, attributes: string, start: number, end: number, text: string, out: TextCell[]): HtmlTable | undefined {
    let table = this.open.at(-1);
    if (tag === 'table') {
      if (table !== undefined) this.endCell(table, text, start, out);
      if (closing) {
        if (table !== undefined) this.endRow(table);
        this.open.pop();
      } else {
        if (this.open.length >= 16) this.open.shift(); // nesting that deep is no table's
        this.open.push({ names: undefined, dataSeen: false, inHead: false, inFoot: false, spanned: [], row: undefined, cell: undefined });
      }
      return this.open.at(-1);
    }
    if (table === undefined) return table;
    this.endCell(table, text, start, out);
    if (tag === 'thead') {
      this.endRow(table);
      table.inHead = !closing;
    } else if (tag === 'tbody' || tag === 'tfoot') {
      this.endRow(table);
      table.inHead = false;
      table.inFoot = tag === 'tfoot' && !closing;
    } else if (tag === 'tr') {
      this.endRow(table);
      if (!closing) table.row = newRow(table);
    } else if (!closing) {
      // <th> or <td>: a cell (a row opened by it when no <tr> was written)
      const row = (table.row ??= newRow(table));
      while (row.covered.has(row.column)) row.column++;
      const th = tag === 'th';
      const span = Math.max(1, Math.min(Number(COLSPAN.exec(attributes)?.[1] ?? 1), MAX_COLUMNS));
      const rows = Math.min(Number(ROWSPAN.exec(attributes)?.[1] ?? 1), 10_000);
      const column = Math.min(row.column, MAX_COLUMNS);
      if (rows > 1) for (let c = column; c < Math.min(column + span, MAX_COLUMNS); c++) table.spanned[c] = rows - 1;
      const named = column < MAX_COLUMNS && (th || table.inHead || (table.names === undefined && !table.dataSeen));
      table.cell = { start: end, column, span, th, text: named ? '' : undefined, textAt: end, carries: 0 };
      row.column = column + span;
      if (!th) row.allTh = false;
    }
    return table;
  }

  /** Ends the open cell at `end`: a data cell with a name is given; a naming cell's text is kept for its row. */
  private endCell(table: HtmlTable, text: string, end: number, out: TextCell[]): void {
    const cell = table.cell;
    if (cell === undefined) return;
    table.cell = undefined;
    this.emit(table, cell, end, out);
    if (cell.text !== undefined && table.row !== undefined) {
      const name = nameText(cell.text + text.slice(cell.textAt, Math.max(cell.textAt, end)));
      // a spreadsheet's row number (Google Sheets' download) is neither a name nor a label
      if (cell.th && ROW_NUMBER.test(name)) return;
      table.row.texts.push({ column: cell.column, span: cell.span, text: name, th: cell.th });
      if (cell.th) table.row.label = name;
    }
  }

  private emit(table: HtmlTable, cell: OpenCell, end: number, out: TextCell[]): void {
    if (cell.th || table.inHead || table.inFoot || end <= cell.start) return;
    const name = table.names?.[cell.column] || table.row?.label;
    if (name) out.push({ start: cell.start, end, name });
  }

  /**
   * Ends the row being read. A row in `<thead>`, or of two `<th>` or more, is a header; so
   * is, before any header or data, one `<th>` of words, or two cells or more of words and
   * no data (DATA_LIKE: `Phone 2` is a name, `2026-11-30` data) in `<td>`, past a title over
   * the columns (one cell spanning them: `Staff list 2026`). One cell of words in `<td>` is
   * a layout table's text, no header; a spreadsheet's column letters (`A`, `B`, `C`, in
   * order) none at all.
   */
  private endRow(table: HtmlTable): void {
    const row = table.row;
    if (row === undefined) return;
    table.row = undefined;
    const { texts } = row;
    if (texts.length === 0) return;
    const filled = texts.filter((t) => t.text !== '');
    // a spreadsheet's column letters (Google Sheets' download: A, B, C over the sheet's own header)
    if (filled.length > 1 && filled.every((t, i) => t.text === columnLetters(i))) return;
    if (!(table.inHead || (row.allTh && texts.length > 1))) {
      if (table.names !== undefined || table.dataSeen) return;
      if (filled.length === 1 && filled[0]!.span > 1) return; // a title
      const words =
        (row.allTh || (!texts.some((t) => t.th) && filled.length > 1)) && filled.some((t) => /\p{L}/u.test(t.text)) && !filled.some((t) => DATA_LIKE.test(t.text));
      if (!words) {
        if (filled.length > 1) table.dataSeen = true;
        return;
      }
    }
    const names: string[] = [];
    for (const t of texts) for (let c = t.column; c < Math.min(t.column + t.span, MAX_COLUMNS); c++) names[c] = t.text;
    table.names = names;
  }
}

/** A row of `table`: the columns a `rowspan` above still covers are taken, and counted down. */
function newRow(table: HtmlTable): HtmlRow {
  const covered = new Set<number>();
  table.spanned.forEach((rows, column) => {
    if (rows <= 0) return;
    covered.add(column);
    table.spanned[column] = rows - 1;
  });
  return { column: 0, covered, allTh: true, texts: [], label: undefined };
}
