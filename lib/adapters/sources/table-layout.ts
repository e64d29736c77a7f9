// How a table is laid out before its data, as spreadsheet users export it: the rules the
// CSV/TSV reader (csv-reader.ts) and the .xlsx reader (xlsx-reader.ts) share, in one place.
// Pure.
//
// Preamble (headerIndex): Excel and Sheets reports often start with a title line or a few
// metadata lines (`Report: staff contacts`, `Generated,2026-11-30`), maybe blank lines,
// and only then the header row. Such leading records are a preamble, not the header, when
// all of these hold (widths are the records' non-empty cells, so that Excel's padding
// of a title row with empty cells, `Report,,,`, does not count):
// - the header candidate has at least 2 non-empty cells (a one-column table never has
//   a preamble: its first record stays its header);
// - every record before it has at most 2 non-empty cells and at most half as many as the
//   candidate (a title is one cell, a metadata line a label and a value; a record of
//   empty cells, Excel's blank line, is 0);
// - the (up to) 3 records after it share its width: none is wider (filled cells), and
//   at least one is more than half as wide (a sparse row or two is allowed). So free
//   text in one column with a comma here and there (`note` over `see you, Chan` and
//   `call me, then, later`) is not taken for a title over a table;
// - at most 10 records come before it.
// Otherwise the first record is the header, as it always was: so a header that is
// genuinely wide keeps all its rows, and a narrow header over wider rows (`name,phone`
// over rows of three cells) stays the header unless it has at most two names and the rows
// are at least twice as wide (then it reads as a label and a value above a table).
// The preamble's records are not rows; the readers still give their text to be scanned.
//
// Delimiter (sepLine, sniffDelimiter): a first line `sep=X` (Excel's directive; any one
// character but a quote or a line end, a tab included) names the cell separator and is
// not a record. Without one, a file read with commas by default (not .tsv/.tab) is read
// with semicolons, as Excel writes CSV in locales with a decimal comma, when its first
// records say so (sniffDelimiter).

/** Records before the header, at most. */
export const MAX_PREAMBLE_RECORDS = 10;
/** Records after a header candidate looked at for one as wide as a data row. */
const DATA_LOOKAHEAD = 3;
/** Records headerIndex needs to decide (fewer when the table has fewer). */
export const LAYOUT_RECORDS = MAX_PREAMBLE_RECORDS + 1 + DATA_LOOKAHEAD;

/** Cells of a record that hold more than white space. */
export function filledCells(cells: readonly (string | undefined | null)[]): number {
  let n = 0;
  for (const c of cells) if (c != null && c.trim() !== '') n++;
  return n;
}

/** Whether the record (its filled cells) may stand before a header of `width` filled cells. */
const preambleFits = (filled: number, width: number): boolean => filled <= 2 && 2 * filled <= width;

/**
 * The header's index among a table's first records, given their filled cells (`widths`,
 * up to LAYOUT_RECORDS of them, or all the table has): the number of preamble records
 * before it, 0 when there are none (see the top of this file).
 */
export function headerIndex(widths: readonly number[]): number {
  const last = Math.min(MAX_PREAMBLE_RECORDS, widths.length - 2);
  for (let h = 1; h <= last; h++) {
    if (widths[h - 1]! > 2) return 0; // no preamble record: neither it nor any after it can be the header
    const width = widths[h]!;
    if (width < 2 || !widths.slice(0, h).every((w) => preambleFits(w, width))) continue;
    const data = widths.slice(h + 1, h + 1 + DATA_LOOKAHEAD);
    if (data.every((w) => w <= width) && data.some((w) => 2 * w > width)) return h;
  }
  return 0;
}

/**
 * Whether headerIndex can already be told from `widths` (the first records read so
 * far), without more: the first record is too wide to be a preamble, or enough are read.
 */
export function headerDecided(widths: readonly number[]): boolean {
  return widths.length >= LAYOUT_RECORDS || (widths.length > 0 && widths[0]! > 2);
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

/** Records sniffDelimiter looks at, at most. */
export const SNIFF_RECORDS = 20;
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

/**
 * ',' or ';' for a file whose start is `sample` (its text, '\r\n' read as '\n'; only the
 * first SNIFF_RECORDS non-blank records and SNIFF_CHARS are looked at). Counting commas
 * and semicolons outside quotes in each record, ';' when semicolons split the records
 * consistently (as Python's csv.Sniffer judges a delimiter): the number of them most
 * records have is shared by at least half the records and by no fewer records than
 * share any one number of commas (a decimal comma in each data row, `Chan;12,5`, ties
 * with a title's comma), and the first record with that many semicolons (the header, as
 * a rule) has no comma outside quotes. Otherwise ',' (the default, as before).
 */
export function sniffDelimiter(sample: string): ',' | ';' {
  const text = sample.length > SNIFF_CHARS ? sample.slice(0, SNIFF_CHARS) : sample;
  const semis: number[] = [];
  const commas: number[] = [];
  let semi = 0;
  let comma = 0;
  let filled = false;
  let quoted = false;
  const end = (): void => {
    if (filled) {
      semis.push(semi);
      commas.push(comma);
    }
    semi = comma = 0;
    filled = false;
  };
  for (let i = 0; i < text.length && semis.length < SNIFF_RECORDS; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) quoted = !quoted; // `""` inside a quoted cell toggles twice
    else if (quoted) continue;
    else if (c === 0x0a) {
      end();
      continue;
    } else if (c === 0x3b) semi++;
    else if (c === 0x2c) comma++;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) filled = true;
  }
  if (semis.length < SNIFF_RECORDS) end();
  const s = modeOf(semis);
  if (s.count === 0 || 2 * s.records < semis.length) return ',';
  if (s.records < modeOf(commas).records) return ',';
  const first = semis.indexOf(s.count);
  return commas[first] === 0 ? ';' : ',';
}
