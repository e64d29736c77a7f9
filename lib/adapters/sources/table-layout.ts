// How a table is laid out before its data, as spreadsheet users export it: the rules the
// CSV/TSV reader (csv-reader.ts) and the .xlsx reader (xlsx-reader.ts) share, in one place.
// Pure.
//
// Preamble (headerIndex): Excel and Sheets reports often start with a title line or a few
// metadata lines (`Report: staff contacts`, `Generated,2026-11-30`), maybe blank lines,
// and only then the header row. The rule is conservative: an ordinary table must never
// lose its header (were its first data row taken for the header, the columns would be
// named with data and a bare phone in the `mobile` column missed, silently). So leading
// records are a preamble, not the header, only when all of these hold (widths are the
// records' filled cells, so that Excel's padding of a title row with empty cells,
// `Report,,,`, does not count):
// - every record before the candidate is title-like: at most 2 filled cells, at most half
//   as many as the candidate, and they are its leading cells (no empty cell before a
//   filled one: `Report,,,` and `Generated,2026-11-30,,` are title-like, a header with
//   gaps such as `Name,,,Phone,` is not); a record of empty cells (Excel's blank line) is;
// - the header candidate has at least 3 filled cells, so a one-column table never has a
//   preamble (free text in one column with a comma here and there, `note` over `see you,
//   Chan`, keeps its header), and it does not look like data: none of its cells holds an
//   `@` or a run of 5 or more digits (a single space, hyphen or dot between them allowed:
//   `9123 4567`, `2026-11-30`, `A123456(3)`; not `Q1 2026`), as a header names columns; so
//   the first data row under a narrow header (`name,mobile` over rows of four cells) is not
//   taken for the header. A two-column header (`Name,Mobile` under `Staff list`) is one
//   too when every record before it has at most one filled cell, one of them does (a
//   title), and either they are padded with empty cells to its number of cells (Excel's
//   `客戶名單,,,` and `,,,` over `姓名,電話,,`) or it names a column the scan knows
//   (a phone, e-mail, name or ID word: namedColumn), and a record after it looks like data;
// - the (up to) 3 records after it share its width: none is wider (filled cells), and
//   at least one is more than half as wide (a sparse row or two is allowed);
// - at most 10 records come before it.
// A group row right above the header is a preamble record too (Excel's export of merged
// cells over groups of columns: `Personal details,,,Contact,,` over
// `Name,HKID,DOB,Phone,Email,Address`): it is sparse, at most half as many filled cells as
// the header and no more cells, not like data and, unlike a title, may have gaps; the
// header under it names two or more columns the scan knows (namedColumn: a product list's
// `Nokia 3310,Blue,Mobile,...` under `Item,,Ref,,,` names one, and is data), has at least 3
// filled cells, and the rows after it share its width. Its names are the columns' names, not prefixed
// with the group's (`Contact / Phone` would make a phone column of every column under a
// `Contact` group, and no known name of `Personal details / Name`). Records above a group
// row are title-like, as above.
// A label and its value above the header stay a preamble whatever they say (`Name,CHAN TAI
// MAN` above a bank statement's `Date,Description,...`): so a header of two names over
// wider rows (`name,city` over `Chan,Hong Kong,Central,Clerk`) is taken for one, and the
// first row for the header.
// Otherwise the first record is the header, as it always was.
// The preamble's records are not rows; the readers still give their text to be scanned
// (table-records.ts: preambleRecord).
//
// After the header (tableRule, rowCount): a database client's output saved as a table
// (psql's aligned output: `name | phone`, `------+-------`, rows, `(2 rows)`) has a rule
// under the header and a count of rows after them; neither is a data row, so that rows are
// numbered from the first one of data. The rule is the record right after the header whose
// cells are each a run of 3 or more `-`, `=`, `+` or `:`, but for empty first and last ones
// (Markdown's `|---|:--|`; a row of one `---` placeholder among empty cells is a row); the
// count a record of one cell `(N row)` or `(N rows)` that is the table's last (one with
// records after it is a row: the part cutter counts it so too, file-parts.ts).
//
// Delimiter (tableDelimiter): which delimiter a file is read with is decided here alone.
// A first line `sep=X` (Excel's directive, sepLine; any one character but a quote or a
// line end, a tab included) names it and is not a record. Without one, '\t' for .tsv and
// .tab (delimiterFor); and a file read with commas by default is read with semicolons (as
// Excel writes CSV in locales with a decimal comma), tabs or pipes (a "tab-delimited"
// export or a database client's output saved as .csv) when its first records say so
// (sniffDelimiter).
import path from 'node:path';
import { isPhoneName } from '../../domain/detect/records.ts';

/** Records before the header, at most. */
const MAX_PREAMBLE_RECORDS = 10;
/** Records after a header candidate looked at for one as wide as a data row. */
const DATA_LOOKAHEAD = 3;
/** Records headerIndex needs to decide (fewer when the table has fewer). */
export const LAYOUT_RECORDS = MAX_PREAMBLE_RECORDS + 1 + DATA_LOOKAHEAD;
/** Filled cells a header below a preamble has at least. */
const MIN_HEADER_CELLS = 3;

/** What headerIndex looks at in a record (recordShape). */
export interface RecordShape {
  /** Cells that hold more than white space. */
  filled: number;
  /** Its filled cells are its first ones: no empty cell comes before a filled one (true of a record of empty cells). */
  leading: boolean;
  /** A cell holds an `@` or a run of 5 or more digits: a value, not a column's name. */
  dataLike: boolean;
  /** Its cells, empty ones included (Excel pads every record of a sheet to the same number). */
  cells: number;
  /** How many filled cells are column names the scan knows (namedColumn). */
  names: number;
}

/** Names of columns the scan reads for themselves (a phone word by isPhoneName, or these), as a two-column header has them. */
const KNOWN_NAME = /^(?:e-?mail(?: address)?|name|full name|surname|given name|hkid|id no\.?|id number|姓名|名稱|名称|名字|電郵|电邮|郵箱|邮箱|身份證(?:號碼)?|身份证(?:号码)?)$/i;
function namedColumn(cell: string): boolean {
  const name = cell.trim();
  return name.length <= 40 && (KNOWN_NAME.test(name) || isPhoneName(name));
}

/** Groups of digits, a single space, hyphen or dot between two (`9123 4567`, `2026-11-30`). */
const DIGIT_GROUPS = /\d+(?:[ .-]\d+)*/g;
const SEPARATOR = /[ .-]/;

/**
 * Whether `cell` holds a run of 5 or more digits, single separators between them allowed;
 * a lone digit at either end of the run is not counted (`Q1 2026`, `2026 Q1` name a column).
 */
function digitRun(cell: string): boolean {
  for (const [run] of cell.matchAll(DIGIT_GROUPS)) {
    if (run.length < 5) continue;
    const groups = run.split(SEPARATOR);
    let digits = 0;
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      if (g.length > 1 || groups.length === 1 || (i > 0 && i < groups.length - 1)) digits += g.length;
    }
    if (digits >= 5) return true;
  }
  return false;
}

const isFilled = (c: string | undefined | null): c is string => c != null && c.trim() !== '';

/** A record's shape, from its cells (undefined or null: an empty cell, as .xlsx rows have them). */
export function recordShape(cells: readonly (string | undefined | null)[]): RecordShape {
  let filled = 0;
  let leading = true;
  let dataLike = false;
  let names = 0;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (!isFilled(c)) continue;
    if (filled !== i) leading = false; // an empty cell before this one
    filled++;
    if (!dataLike && (c.includes('@') || digitRun(c))) dataLike = true;
    if (namedColumn(c)) names++;
  }
  return { filled, leading, dataLike, cells: cells.length, names };
}

/** Whether the record may stand before a header of `width` filled cells (a title, a label and its value, a blank line). */
const preambleFits = (r: RecordShape, width: number): boolean => r.leading && r.filled <= 2 && 2 * r.filled <= width;

/** Whether the record may be a group row right above `header` (see the top of this file). */
const groupFits = (r: RecordShape, header: RecordShape): boolean =>
  r.filled > 0 && !r.dataLike && 2 * r.filled <= header.filled && r.cells <= header.cells && header.names >= 2 && header.filled >= MIN_HEADER_CELLS;

/**
 * The header's index among a table's first records, given their shapes (up to
 * LAYOUT_RECORDS of them, or all the table has): the number of preamble records before
 * it, 0 when there are none (see the top of this file).
 */
export function headerIndex(shapes: readonly RecordShape[]): number {
  const last = Math.min(MAX_PREAMBLE_RECORDS, shapes.length - 2);
  for (let h = 1; h <= last; h++) {
    const before = shapes[h - 1]!;
    const titleLike = before.filled <= 2 && before.leading;
    if (headerAt(shapes, h, titleLike)) return h;
    if (!titleLike) return 0; // neither it nor any record after it can be a title: a group row stands right above the header
  }
  return 0;
}

/** Whether record `h` is the header under the records before it; `titleLike`: the one right above it is title-like, not only a group row. */
function headerAt(shapes: readonly RecordShape[], h: number, titleLike: boolean): boolean {
  const candidate = shapes[h]!;
  const width = candidate.filled;
  const data = shapes.slice(h + 1, h + 1 + DATA_LOOKAHEAD);
  const before = shapes[h - 1]!;
  const titles = titleLike ? shapes.slice(0, h) : shapes.slice(0, h - 1);
  if (candidate.dataLike || (!titleLike && !groupFits(before, candidate))) return false;
  if (width < MIN_HEADER_CELLS && !(width === 2 && twoColumnHeader(candidate, titles, data))) return false;
  if (!titles.every((r) => preambleFits(r, width))) return false;
  return data.every((r) => r.filled <= width) && data.some((r) => 2 * r.filled > width);
}

/** Whether a header candidate of two filled cells may stand under `preamble` (see the top of this file). */
function twoColumnHeader(candidate: RecordShape, preamble: readonly RecordShape[], data: readonly RecordShape[]): boolean {
  if (!preamble.some((r) => r.filled === 1) || !data.some((r) => r.dataLike)) return false;
  return candidate.names > 0 || preamble.every((r) => r.cells === candidate.cells && r.cells > 2);
}

/**
 * Whether headerIndex can already be told from `shapes` (the first records read so
 * far), without more: the first record can be neither a title nor a group row, or enough
 * are read (for a group row first, the header after it and that one's data rows).
 */
export function headerDecided(shapes: readonly RecordShape[]): boolean {
  if (shapes.length >= LAYOUT_RECORDS) return true;
  const first = shapes[0];
  if (first === undefined || (first.filled <= 2 && first.leading)) return false; // a title, maybe
  return first.dataLike || shapes.length >= 2 + DATA_LOOKAHEAD;
}

/** Whether a record right after the header is a rule under it (`-----+-----`, `|---|---|`: see the top of this file). */
export const tableRule = (cells: readonly string[]): boolean =>
  cells.some(isFilled) && cells.every((c, i) => (isFilled(c) ? RULE.test(c) : i === 0 || i === cells.length - 1)); // `|---|` leaves its edges empty, no more
const RULE = /^\s*[-=+:]{3,}\s*$/;

/** Whether a record is a count of rows (`(2 rows)`, as psql ends its output): no row when it is the table's last (csv-reader.ts). */
export const rowCount = (cells: readonly string[]): boolean => cells.length === 1 && ROW_COUNT.test(cells[0]!);
const ROW_COUNT = /^\s*\(\d+ rows?\)\s*$/;

/** The delimiter a file name implies: tab for .tsv and .tab, comma otherwise. */
export function delimiterFor(file: string): string {
  const ext = path.extname(file).toLowerCase();
  return ext === '.tsv' || ext === '.tab' ? '\t' : ',';
}

/**
 * The delimiter of a file read from its start (see the top of this file): the one its
 * `sep=` line names (`sep`: sepLine of its first line), else '\t' for .tsv and .tab, else
 * as sniffDelimiter judges `text` (the file's start after any `sep=` line).
 */
export function tableDelimiter(file: string, sep: SepLine | undefined, text: string): string {
  if (sep !== undefined && 'delimiter' in sep) return sep.delimiter;
  const byName = delimiterFor(file);
  return byName === ',' ? sniffDelimiter(text) : byName;
}

/** A first line `sep=X`: the delimiter it names, or why it cannot be one. */
export type SepLine = { delimiter: string } | { problem: string };

/**
 * Excel's `sep=` directive, when `line` (the file's first line, without its line end) is
 * one (`sep=` in any case, then the rest of the line): the delimiter, which must be one
 * character (a code point) other than a quote; else the reason it is not usable (never
 * quoting the line: it is the file's text). Not a directive: undefined.
 */
export function sepLine(line: string): SepLine | undefined {
  if (line.length < 4 || line.slice(0, 4).toLowerCase() !== 'sep=') return undefined;
  const value = line.slice(4);
  const chars = [...value];
  if (chars.length === 0) return { problem: 'the "sep=" line names no delimiter (expected one character after "sep=", e.g. "sep=;")' };
  if (chars.length > 1)
    return { problem: `the "sep=" line names ${chars.length} characters; a delimiter is one character (e.g. "sep=;", or "sep=" and a tab)` };
  if (value === '"') return { problem: 'the "sep=" line names the quote character, which encloses cells and cannot separate them' };
  return { delimiter: value };
}

/**
 * Whether a text file's start (`text`, '\r\n' or '\r' line ends allowed; `complete`: the
 * whole file) is a table of tab-separated columns, as Excel's "Unicode Text" and "Text
 * (Tab delimited)" save a sheet as `.txt`: its first records (up to SNIFF_RECORDS, two at
 * least; a last one cut off not counted) each hold the same number, one or more, of tabs
 * (tabsPerRecord: a quoted cell of several lines, an address as Excel writes it, is one
 * record's), and sniffDelimiter takes the tab (so a reader cutting the file into parts
 * reads it so too).
 */
export function tabTable(text: string, complete: boolean): boolean {
  const sample = text.length > SNIFF_CHARS ? text.slice(0, SNIFF_CHARS) : text;
  const whole = complete && sample.length === text.length;
  const even = (records: number[]) => records.length >= 2 && records[0]! > 0 && records.every((r) => r === records[0]);
  // by lines, or by records with quoted cells (a quote a cell starts and never closes, `"Best`
  // in a notes column, would leave no records after it: lines still count)
  return (even(tabsPerRecord(sample, whole, false)) || even(tabsPerRecord(sample, whole, true))) && sniffDelimiter(sample.replace(/\r\n?/g, '\n')) === '\t';
}

/**
 * The tabs of each record of `sample` (SNIFF_RECORDS non-blank ones at most): each line's,
 * or with `quotes` each record's outside quoted cells, as Excel writes them (a quote opens
 * a cell only at its start, `""` in one is a quote, and a line end in one is the cell's).
 * A last record the sample may cut off (`whole` false), or one a quote leaves open, is not
 * counted.
 */
function tabsPerRecord(sample: string, whole: boolean, quotes: boolean): number[] {
  const out: number[] = [];
  let tabs = 0;
  let filled = false;
  let quoted = false;
  let cellStart = true;
  for (let i = 0; i < sample.length && out.length < SNIFF_RECORDS; i++) {
    const c = sample.charCodeAt(i);
    if (quoted) {
      if (c === 0x22) {
        if (sample.charCodeAt(i + 1) === 0x22) i++;
        else quoted = false;
      }
    } else if (c === 0x0a || c === 0x0d) {
      if (filled) out.push(tabs);
      tabs = 0;
      filled = false;
      cellStart = true;
    } else if (c === 0x09) {
      tabs++;
      cellStart = true;
    } else {
      if (c === 0x22 && cellStart && quotes) quoted = true;
      cellStart = false;
      if (c !== 0x20) filled = true;
    }
  }
  if (whole && filled && !quoted && out.length < SNIFF_RECORDS) out.push(tabs);
  return out;
}

/** Records sniffDelimiter looks at, at most. */
const SNIFF_RECORDS = 20;
/** Text sniffDelimiter looks at, at most (UTF-16 code units). */
export const SNIFF_CHARS = 64 * 1024;

/** The most common non-zero count and how many records have it (ties: the larger count). */
function modeOf(counts: readonly number[]): { count: number; records: number } {
  const tally = new Map<number, number>();
  for (const c of counts) if (c > 0) tally.set(c, (tally.get(c) ?? 0) + 1);
  let best = { count: 0, records: 0 };
  for (const [count, records] of tally) if (records > best.records || (records === best.records && count > best.count)) best = { count, records };
  return best;
}

/** Delimiters a file read with commas by default may be sniffed to have instead, the first preferred on a tie. */
const SNIFFED = [';', '\t', '|'] as const;
export type Delimiter = ',' | (typeof SNIFFED)[number];

/**
 * ',', ';', '\t' or '|' for a file whose start is `sample` (its text, '\r\n' read as '\n';
 * only the first SNIFF_RECORDS non-blank records and SNIFF_CHARS are looked at). Counting
 * commas and each other delimiter outside quotes in each record, another delimiter is
 * taken when it splits the records consistently (as Python's csv.Sniffer judges a
 * delimiter): the number of it most records have is shared by at least half the records
 * and by no fewer records than share any one number of commas (a decimal comma in each
 * data row, `Chan;12,5`, ties with a title's comma), and the first record with that many
 * (the header, as a rule) has no comma outside quotes; and when the first record has none
 * of it (a title above the table, or a one-column file's header), that number is at least
 * 2: a table of three columns or more under a title, not one column of text with a
 * semicolon in each line (`notes` over `Call Chan; mobile 9123 4567`). Semicolons are
 * what Excel writes where the decimal mark is a comma; tabs and pipes what a database
 * client or a "tab-delimited" export saved as .csv has. Of several that qualify, the one
 * more records share (then the earlier in SNIFFED). Otherwise ',' (the default).
 */
export function sniffDelimiter(sample: string): Delimiter {
  const text = sample.length > SNIFF_CHARS ? sample.slice(0, SNIFF_CHARS) : sample;
  const codes = SNIFFED.map((d) => d.charCodeAt(0));
  const counts: number[][] = SNIFFED.map(() => []);
  const commas: number[] = [];
  const found = SNIFFED.map(() => 0);
  let comma = 0;
  let filled = false;
  let quoted = false;
  const end = (): void => {
    if (filled) {
      for (let d = 0; d < codes.length; d++) counts[d]!.push(found[d]!);
      commas.push(comma);
    }
    found.fill(0);
    comma = 0;
    filled = false;
  };
  for (let i = 0; i < text.length && commas.length < SNIFF_RECORDS; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) quoted = !quoted; // `""` inside a quoted cell toggles twice
    else if (quoted) continue;
    else if (c === 0x0a) {
      end();
      continue;
    } else if (c === 0x2c) comma++;
    else {
      const d = codes.indexOf(c);
      if (d >= 0) found[d]!++;
    }
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) filled = true;
  }
  if (commas.length < SNIFF_RECORDS) end();
  const byCommas = modeOf(commas).records;
  let best: { delimiter: Delimiter; records: number } = { delimiter: ',', records: 0 };
  SNIFFED.forEach((delimiter, d) => {
    const seen = counts[d]!;
    const m = modeOf(seen);
    if (m.count === 0 || 2 * m.records < seen.length) return;
    if (seen[0] === 0 && m.count < 2) return;
    if (m.records < byCommas) return;
    if (commas[seen.indexOf(m.count)] !== 0) return;
    if (m.records > best.records) best = { delimiter, records: m.records };
  });
  return best.delimiter;
}
