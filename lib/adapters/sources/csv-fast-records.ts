// The fast path of csv-reader.ts: well-formed CSV records read straight from the decoded
// text (indexOf and charCodeAt, no re-encoding), giving exactly what csv-parse, with the
// reader's options, gives for them. Anything else is left to csv-parse: the scan stops at
// the start of such a record and says so. Pure.
//
// A record here is cells separated by the delimiter (a tab or a printable ASCII
// character) and ended by '\n' ('\r\n' is already '\n'), or by the end of the text
// when no more follows:
// - an unquoted cell runs to the delimiter or the line end and holds no quote;
// - a quoted cell starts with '"' at the cell's start, reads `""` as one quote, may hold
//   delimiters and line ends, and its closing quote is followed directly by the
//   delimiter, '\n', or the end of the text (when no more follows).
// Left to csv-parse ('slow'): a quote inside an unquoted cell, text after a closing
// quote, a quote still open at the end of all the text, and a record longer than
// `maxRecordChars` (the caller picks it so that csv-parse's record size limit cannot be
// reached).
//
// Like csv-parse fed the same text in the same pieces, a record whose '\n' is the very
// last character of a text that more will follow is not read yet (csv-parse waits for
// one more byte before it acts on the last one), so both paths end each piece of text
// with the same records read.

const QUOTE = 0x22;
const NEWLINE = 0x0a;

export interface FastScan {
  /** Where reading stopped: the start of a record (or the end of the text). */
  next: number;
  /**
   * 'end': all the text was read. 'more': the record at `next` is not complete in this
   * text (read it again with what follows). 'slow': the record at `next` is csv-parse's.
   */
  stop: 'end' | 'more' | 'slow';
}

/**
 * A record read: its cells, or null for an empty line (csv-parse's `['']` that the
 * reader skips); `newlines`: the line ends it spans, its own included.
 */
export type FastRecordSink = (cells: string[] | null, newlines: number) => void;

/** Whether the fast path can read records with this delimiter: a tab or one printable ASCII character other than a quote. */
export function fastDelimiter(delimiter: string): boolean {
  if (delimiter.length !== 1) return false;
  const c = delimiter.charCodeAt(0);
  return c === 0x09 || (c >= 0x20 && c < 0x7f && c !== QUOTE);
}

/**
 * Read the records of `text` from `from` (a record's start) while they are well formed,
 * each given to `sink` in order. `final`: no text follows this one.
 */
export function scanCsvRecords(text: string, from: number, delimiter: string, final: boolean, maxRecordChars: number, sink: FastRecordSink): FastScan {
  const len = text.length;
  const delim = delimiter.charCodeAt(0);
  const find = (s: string, at: number): number => {
    const i = text.indexOf(s, at);
    return i < 0 ? len : i;
  };
  // A record not complete in this text: wait for more, unless it is already too long.
  const incomplete = (start: number): FastScan => ({ next: start, stop: final || len - start > maxRecordChars ? 'slow' : 'more' });
  // The next line end, delimiter and quote at or after where reading is (len: none);
  // searched again only once reading has passed them.
  let nextNewline = -1;
  let nextDelim = -1;
  let nextQuote = -1;

  let start = from;
  while (start < len) {
    if (nextNewline < start) nextNewline = find('\n', start);
    if (nextNewline === start) {
      // an empty line
      if (!final && start === len - 1) return { next: start, stop: 'more' };
      sink(null, 1);
      start++;
      continue;
    }
    const cells: string[] = [];
    let newlines = 0;
    let c = start; // the current cell's start
    let end = -1; // the record's '\n', or len: the end of the text
    while (end < 0) {
      if (nextNewline < c) nextNewline = find('\n', c);
      if (text.charCodeAt(c) === QUOTE) {
        let value = '';
        let k = c + 1; // the cell's text not yet taken
        for (;;) {
          if (nextQuote < k) nextQuote = find('"', k);
          const q = nextQuote;
          if (q === len) return incomplete(start); // a quote not closed in this text (csv-parse's error at the end)
          while (nextNewline < q) {
            newlines++;
            nextNewline = find('\n', nextNewline + 1);
          }
          const after = q + 1 < len ? text.charCodeAt(q + 1) : -1;
          if (after === QUOTE) {
            value += text.slice(k, q + 1);
            k = q + 2;
            continue;
          }
          if (after === -1 && !final) return incomplete(start); // `""` or the closing quote?
          if (after !== -1 && after !== NEWLINE && after !== delim) return { next: start, stop: 'slow' }; // text after the closing quote
          cells.push(value + text.slice(k, q));
          if (after === delim) c = q + 2;
          else end = q + 1;
          break;
        }
      } else {
        if (nextDelim < c) nextDelim = find(delimiter, c);
        if (nextQuote < c) nextQuote = find('"', c);
        const cellEnd = nextDelim < nextNewline ? nextDelim : nextNewline;
        if (nextQuote < cellEnd) return { next: start, stop: 'slow' }; // a quote inside an unquoted cell
        if (cellEnd === len && !final) return incomplete(start);
        cells.push(text.slice(c, cellEnd));
        if (cellEnd < len && cellEnd === nextDelim) c = cellEnd + 1;
        else end = cellEnd;
      }
    }
    if (end < len) newlines++;
    if (!final && end >= len - 1) return incomplete(start); // csv-parse acts on the last '\n' only once more follows
    if (end + 1 - start > maxRecordChars) return { next: start, stop: 'slow' };
    sink(cells, newlines);
    start = end + 1;
  }
  return { next: len, stop: 'end' };
}
