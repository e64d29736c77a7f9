// Contact cards (vCard: RFC 6350 §3.2, and the 2.1 and 3.0 versions phones still write)
// and calendars (iCalendar: RFC 5545 §3.1) read as the programs that wrote them read them.
// Their exports (iPhone, Outlook, Google) fold content lines at 75 octets: a line end
// followed by one space or tab continues the line, so a NOTE or DESCRIPTION holding
// `HKID: A123456(3)` may be cut anywhere, a number in two. Here the text is unfolded
// before the detectors see it:
//
// - a line end followed by a space or tab: both are removed (the content line goes on);
//   in a vCard 2.1 or a vCalendar 1.0 (VERSION:2.1, VERSION:1.0), which fold only where
//   there is white space, the space or tab is kept;
// - `ENCODING=QUOTED-PRINTABLE` values (vCard 2.1: Android and older phones write every
//   value not in ASCII so): `=XX` bytes decoded with the property's CHARSET (UTF-8 when it
//   names none), a `=` at a line's end joining the next line;
// - binary values (`ENCODING=b` or `BASE64`, `VALUE=BINARY`, a `data:...;base64,` URI: a
//   PHOTO, a LOGO, an attachment; the URI's start read unfolded, up to VALUE_START_CHARS)
//   are left out, their property's name kept: base64 holds
//   no identifier, only letters and digits that would look like some. vCard 2.1 goes on
//   with such a value on lines that do not start with a space, up to a blank line: those
//   are left out too.
//
// Lines stay true: each record's `newlines` says where a line of the file ended, whether
// the line end was kept or folded away, so a finding's line is the line of the file its
// value starts on. Text that cannot be read as written (a bad `=XX`, bytes not of the
// CHARSET, an unknown CHARSET, a card or calendar never ended, a BEGIN whose END never
// came before its outer one's) is read as well as it can be, and said so in a problem at
// its line. Memory stays bounded whatever the folds: a record holds at most `maxChars`
// line ends (a line of empty folds is cut as a long line is), a name and parameters at
// most HEAD_MAX_CHARS characters and line ends.
import path from 'node:path';
import type { SourceRecord } from '../../domain/detect/records.ts';
import { textFormat, type Encoding, type TextFormat } from '../../domain/text/text-format.ts';
import { MAX_PROBLEMS, type LineProblem } from './problems.ts';
import { pieceCut, type TextChunk } from './text-chunks.ts';


/** Names of card and calendar files: read so when their text starts as one (foldedText). */
const FOLDED_NAMES = new Set(['.vcf', '.vcard', '.ics', '.ifb', '.vcs']);

export function isFoldedName(file: string): boolean {
  return FOLDED_NAMES.has(path.extname(file).toLowerCase());
}

/** Whether text (a file's start) is a card or a calendar: its first line that is not blank is BEGIN:VCARD or BEGIN:VCALENDAR. */
export function foldedText(start: string): boolean {
  return /^[\s\uFEFF]*BEGIN:(?:VCARD|VCALENDAR)[ \t]*(?:\r?\n|$)/i.test(start);
}

const LF = 0x0a;
const CR = 0x0d;
const isContinuation = (b: number | undefined): boolean => b !== undefined && (b & 0xc0) === 0x80;

/**
 * Makes whole, in place, each UTF-8 character of `buf` that a fold cut in two, at the line
 * ends from `from` up to `end`: RFC 5545 §3.1 warns that some writers fold between the
 * bytes of a character (`E8 BA` CRLF SPACE `AB`), which decoded would be two U+FFFD (and
 * 身份證 no word, or the file not UTF-8 at all to the encoding's detection). The bytes after
 * the fold's space are moved before its line end: the length and the lines stay as they
 * were, the character on the line where it starts. Looks up to 4 bytes either side of a
 * line end.
 */
function mendFoldSplits(buf: Uint8Array, from: number, end: number): void {
  for (let nl = buf.indexOf(LF, from); nl >= 0 && nl < end; nl = buf.indexOf(LF, nl + 1)) {
    const space = buf[nl + 1];
    if (space !== 0x20 && space !== 0x09) continue;
    const brk = buf[nl - 1] === CR ? nl - 1 : nl; // where the line end starts
    let lead = brk - 1;
    while (lead >= brk - 3 && lead >= 0 && isContinuation(buf[lead])) lead--;
    const b = buf[lead];
    if (b === undefined || b < 0xc0) continue;
    const missing = (b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2) - (brk - lead);
    if (missing <= 0) continue;
    let n = 0;
    while (n < missing && isContinuation(buf[nl + 2 + n])) n++;
    if (n !== missing) continue;
    // line end, space, bytes -> bytes, line end, space
    const moved = buf.slice(nl + 2, nl + 2 + n);
    buf.copyWithin(brk + n, brk, nl + 2);
    buf.set(moved, brk);
  }
}

/** The bytes, mended (mendFoldSplits); the last 8 of each read held until the next, so that a fold across two reads is seen whole. */
async function* foldSplitsMended(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let held: Uint8Array = new Uint8Array(0);
  let from = 0; // the first line end in `held` not looked at yet
  for await (const chunk of bytes) {
    if (chunk.length === 0) continue;
    const buf = new Uint8Array(held.length + chunk.length);
    buf.set(held);
    buf.set(chunk, held.length);
    mendFoldSplits(buf, from, buf.length - 4);
    const keep = Math.min(8, buf.length);
    if (buf.length > keep) yield buf.subarray(0, buf.length - keep);
    held = buf.subarray(buf.length - keep);
    from = Math.max(0, keep - 4);
  }
  if (held.length > 0) {
    mendFoldSplits(held, from, held.length);
    yield held;
  }
}

/** How much of a text's start tells whether it is a card or calendar (foldedFormat, foldedBytes: give them this much, or all). */
export const FOLDED_HEAD_BYTES = 4096;

/** Whether a text's first bytes (a BOM or none before them) are a card's or calendar's, in UTF-8 or any encoding that writes ASCII as it. */
export const foldedStart = (head: Uint8Array): boolean => foldedText(new TextDecoder().decode(head.subarray(0, FOLDED_HEAD_BYTES)));

/** `bytes` (all of a text) mended (mendFoldSplits, a copy) when they are a card's or calendar's. */
export function foldsMended(bytes: Uint8Array): Uint8Array {
  if (!foldedStart(bytes)) return bytes;
  const copy = Uint8Array.from(bytes);
  mendFoldSplits(copy, 0, copy.length);
  return copy;
}

/**
 * How to read a text that starts with `head` (textFormat): a card or calendar that is
 * UTF-8 once the characters its folds cut are made whole is read as UTF-8, not as the
 * encoding its bytes as written would be taken for; its bytes then go through foldedBytes.
 */
export function foldedFormat(head: Uint8Array, complete: boolean, declared?: Encoding): TextFormat {
  const format = textFormat(head, complete, declared);
  if (declared !== undefined || format.encoding === 'utf-8' || format.binary !== undefined || !foldedStart(head)) return format;
  const copy = Uint8Array.from(head);
  mendFoldSplits(copy, 0, complete ? copy.length : copy.length - 4);
  const mended = textFormat(copy, complete);
  return mended.encoding === 'utf-8' && mended.binary === undefined ? mended : format;
}

/** A text's bytes (after the BOM; `head`: the first of them), mended when they are a card's or calendar's in UTF-8. */
export function foldedBytes(bytes: AsyncIterable<Uint8Array>, head: Uint8Array, encoding: string): AsyncIterable<Uint8Array> {
  return encoding === 'utf-8' && foldedStart(head) ? foldSplitsMended(bytes) : bytes;
}

/** A property's name and parameters are looked for in this much of a line (characters, and line ends folded); past it, the line is plain text. */
const HEAD_MAX_CHARS = 4096;
/** How much of a value's start (unfolded) tells its kind: a `data:...;base64,` URI's head. */
const VALUE_START_CHARS = 64;
/** BEGIN and END matched by name this deep; deeper ones are only counted. */
const MAX_NESTING = 32;

/** The text read, as records of about a chunk: lines whole, a longer line in pieces that overlap (text-chunks.ts). */
class Records {
  private parts: string[] = [];
  private length = 0;
  /** Where a line of the file ended in the text, ascending: the character before the next line's first. */
  private marks: number[] = [];
  /** The text's repeated start (a long line's piece): a cut at a line end must come after it. */
  private overlap = 0;
  /** The end of the text's last whole content line. */
  private boundary = 0;

  private line: number;
  private readonly maxChars: number;
  private readonly make: (text: string, line: number, newlines: Int32Array, repeatedFrom?: number) => SourceRecord;
  /** The records made, until they are taken. */
  ready: SourceRecord[] = [];

  constructor(line: number, maxChars: number, make: (text: string, line: number, newlines: Int32Array, repeatedFrom?: number) => SourceRecord) {
    this.line = line;
    this.maxChars = maxChars;
    this.make = make;
  }

  write(text: string): void {
    if (text.length === 0) return;
    this.parts.push(text);
    this.length += text.length;
  }

  /** A line of the file ends here: its line end written, or folded away. At `maxChars` of them (empty folds), the text so far is a record. */
  lineEnd(): void {
    if (this.length === 0) this.line++;
    else if (this.marks.push(this.length - 1) >= this.maxChars) this.manyLines();
  }

  /** A content line ended here: a record when a chunk's worth (or all, `last`) is held. */
  contentLineEnd(last = false): void {
    this.boundary = this.length;
    if (this.length >= this.maxChars || this.marks.length >= this.maxChars || (last && this.length > this.overlap)) this.take(this.length);
  }

  /** All the text held as a record: before a binary value, whose lines (left out) then count as no more than lines. */
  flush(): void {
    if (this.length > 0) this.take(this.length);
  }

  /** Records cut off a content line longer than a chunk. */
  longLine(): void {
    while (this.length > this.maxChars) {
      if (this.boundary > this.overlap && this.boundary <= this.maxChars) this.take(this.boundary);
      else {
        const { end, overlapStart } = pieceCut(this.text(), this.maxChars);
        this.take(end, overlapStart);
      }
    }
  }

  /**
   * Records cut off a content line of more line ends than a chunk holds characters: all the
   * text as a record, the next repeating its end as a long line's pieces do, but starting
   * past all but half a chunk's line ends (a run of empty folds is not repeated whole).
   */
  private manyLines(): void {
    if (this.boundary > this.overlap) return this.take(this.boundary);
    const { overlapStart } = pieceCut(this.text(), this.length);
    this.take(this.length, Math.min(this.length, Math.max(overlapStart, this.marks[this.marks.length - Math.max(1, this.maxChars >> 1)]! + 1)));
  }

  private text(): string {
    const text = this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
    this.parts = [text];
    return text;
  }

  /** The first `end` characters as a record; the text from `next` (`end` when there is no overlap) kept. */
  private take(end: number, next = end): void {
    const text = this.text();
    let k = 0;
    while (k < this.marks.length && this.marks[k]! < end) k++;
    this.ready.push(this.make(text.slice(0, end), this.line, Int32Array.from(this.marks.slice(0, k)), next < end ? next : undefined));
    let passed = 0;
    while (passed < this.marks.length && this.marks[passed]! < next) passed++;
    this.line += passed;
    this.marks = this.marks.slice(passed).map((m) => m - next);
    const rest = text.slice(next);
    this.parts = rest.length > 0 ? [rest] : [];
    this.length = rest.length;
    this.overlap = end - next;
    this.boundary = 0;
  }
}

/** How a property's value is read: as written, decoded from quoted-printable, or left out (binary). */
type Value = { kind: 'text' } | { kind: 'binary' } | { kind: 'qp'; charset: string };

/** The value's kind from a content line's name and parameters (`NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE`) and the value's start. */
function valueOf(head: string, valueStart: string): Value {
  let charset = 'utf-8';
  let kind: Value['kind'] = /^data:[^,]*;base64,/i.test(valueStart) ? 'binary' : 'text';
  for (const param of head.split(';').slice(1)) {
    const eq = param.indexOf('=');
    const key = eq < 0 ? '' : param.slice(0, eq).trim().toUpperCase();
    const value = (eq < 0 ? param : param.slice(eq + 1)).trim().replace(/^"(.*)"$/, '$1').toUpperCase();
    if (key === 'CHARSET') charset = value;
    else if ((key === 'ENCODING' || key === '') && value === 'QUOTED-PRINTABLE') kind = 'qp';
    else if (((key === 'ENCODING' || key === '') && (value === 'B' || value === 'BASE64')) || (key === 'VALUE' && value === 'BINARY')) kind = 'binary';
  }
  return kind === 'qp' ? { kind, charset } : { kind };
}

const HEX = /^[0-9A-Fa-f]{2}$/;
/** A line of base64 alone (no space inside, as a line of words would have). */
const BASE64_LINE = /^\s*[A-Za-z0-9+/]{8,}={0,2}\s*$/;

/**
 * A card's or calendar's text, unfolded (see the top of this file), as records of about
 * `maxChars` characters (`at.file` the file, each record's `at.line` its first line);
 * `problems` gets what could not be read as written. `cut`: whether the text was cut
 * short on purpose (a byte budget), asked at its end: a card left open is then no problem.
 */
export async function* unfoldedRecords(
  chunks: AsyncIterable<TextChunk>,
  at: { file: string; group: string; line: number },
  maxChars: number,
  problems: LineProblem[],
  cut: () => boolean,
): AsyncGenerator<SourceRecord> {
  const { file, group } = at;
  const out = new Records(at.line, maxChars, (text, line, newlines, repeatedFrom) => ({
    group,
    sender: '',
    text,
    at: { file, line },
    newlines,
    ...(repeatedFrom !== undefined ? { repeatedFrom } : {}),
  }));
  const problem = (line: number, message: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push({ line, message });
  };

  let line = at.line; // the line of the file being read
  let held: string | undefined; // the last line's end, written once the next line shows it is not folded
  let lineStart = true; // nothing of the current line of the file seen yet
  let started = false; // a content line has begun

  // The content line: until its name and parameters are known, its text (folds removed)
  // and where its lines of the file ended in it.
  let buffer = '';
  let bufferEnds: number[] = [];
  let colon = -1; // where the head ends in `buffer` (-1: not found yet)
  let inQuotes = false;
  let searched = 0;
  let value: Value | undefined; // known: the line goes out as it is read
  let name = '';
  let begun = 0; // the line the content line begins on
  let lastLine = 0; // the last line it has text on
  // quoted-printable: the bytes' decoder, an escape cut at a piece's end, a soft line end
  let decoder: InstanceType<typeof TextDecoder> | undefined;
  let carry = '';
  let soft = false;
  let badQp = false;
  let afterBinary = false; // the last content line's value was binary (vCard 2.1 goes on with it on lines of its own)
  let foldsKeepSpace = false; // a vCard 2.1 or vCalendar 1.0: a fold's space or tab is part of the line
  // the components open (the card or calendar first): their names and BEGIN lines; past MAX_NESTING, only counted
  const open: { type: string; line: number }[] = [];
  let deeper = 0;
  const begin = (type: string): void => {
    if (open.length < MAX_NESTING) open.push({ type, line: begun });
    else deeper++;
  };
  /** END:type closes the innermost BEGIN:type; those opened inside it and left open are problems. */
  const end = (type: string): void => {
    if (deeper > 0) return void deeper--;
    const at = open.findLastIndex((o) => o.type === type);
    if (at < 0) return;
    for (const inner of open.splice(at).slice(1)) problem(inner.line, `BEGIN:${inner.type} has no END:${inner.type}: END:${type} (line ${begun}) came first`);
  };

  const decodeQp = (text: string, ends: boolean): string => {
    text = carry + text;
    carry = '';
    if (ends) {
      text = text.replace(/[ \t]+$/, '');
      soft = text.endsWith('=');
      if (soft) text = text.slice(0, -1);
    }
    const bytes: number[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x3d) {
        if (i + 3 > text.length && !ends) {
          carry = text.slice(i);
          break;
        }
        const hex = text.slice(i + 1, i + 3);
        if (HEX.test(hex)) {
          bytes.push(Number.parseInt(hex, 16));
          i += 2;
          continue;
        }
        if (!badQp) problem(lastLine, `quoted-printable value with a bad escape (=${hex.replace(/[^\x21-\x7e]/g, '?')}): read as written`);
        badQp = true;
      }
      if (c < 0x80) bytes.push(c);
      else {
        const ch = String.fromCodePoint(text.codePointAt(i)!);
        i += ch.length - 1;
        for (const b of Buffer.from(ch)) bytes.push(b);
      }
    }
    return checked(decoder!.decode(Uint8Array.from(bytes), { stream: true }));
  };
  /** Decoded quoted-printable, a problem said once when it holds bytes not of its CHARSET. */
  const checked = (decoded: string): string => {
    if (decoded.includes('\uFFFD') && !badQp) {
      problem(lastLine, `quoted-printable value not valid ${decoder!.encoding}: its bad bytes replaced`);
      badQp = true;
    }
    return decoded;
  };

  /** Part of the value (the head already written), as it is read. */
  const valueText = (text: string, ends: boolean): string => (value!.kind === 'text' ? text : value!.kind === 'binary' ? '' : decodeQp(text, ends));

  /** The head known: what was held of the line goes out, the head as written. */
  function release(kind: Value | undefined, ends: boolean): void {
    value = kind ?? { kind: 'text' };
    const valueFrom = kind === undefined ? 0 : colon + 1;
    if (value.kind === 'qp') {
      try {
        decoder = new TextDecoder(value.charset, { ignoreBOM: true });
      } catch {
        problem(begun, `unknown CHARSET=${value.charset.replace(/[^\x21-\x7e]/g, '?').slice(0, 40)}: read as UTF-8`);
        decoder = new TextDecoder('utf-8', { ignoreBOM: true });
      }
    }
    let from = 0;
    /** The held text up to `end`: the head as written, the value as read. */
    const upTo = (end: number, last: boolean): void => {
      const head = Math.min(Math.max(from, valueFrom), end);
      out.write(buffer.slice(from, head));
      out.write(valueText(buffer.slice(head, end), last));
      from = end;
    };
    for (const end of bufferEnds) {
      upTo(end, false);
      out.lineEnd();
    }
    upTo(buffer.length, ends);
    if (value.kind === 'binary') out.flush();
    else out.longLine();
    buffer = '';
    bufferEnds = [];
  }

  /** BEGIN, END and VERSION are read whole (short): the card or calendar they open and close, how it folds. */
  const readWhole = (): boolean => name === 'BEGIN' || name === 'END' || name === 'VERSION';
  /** The held content line's value kind, from its head and its value's start as read so far (unfolded). */
  const kindSoFar = (): Value | undefined => (colon < 0 || readWhole() ? undefined : valueOf(buffer.slice(0, colon), buffer.slice(colon + 1, colon + 1 + VALUE_START_CHARS)));

  /** More of the content line, from one line of the file. */
  function add(text: string, ends: boolean): void {
    lastLine = line;
    if (value !== undefined) {
      out.write(valueText(text, ends));
      out.longLine();
      return;
    }
    buffer += text;
    for (; colon < 0 && searched < buffer.length; searched++) {
      const c = buffer.charCodeAt(searched);
      if (c === 0x22) inQuotes = !inQuotes;
      else if (c === 0x3a && !inQuotes) colon = searched;
    }
    if (colon >= 0 && name === '') name = buffer.slice(0, colon).split(';', 1)[0]!.replace(/^[^.]*\./, '').trim().toUpperCase();
    const kind = kindSoFar();
    // a text value goes out once its start shows it is no `data:` URI a fold cut (or the content line ends: endContentLine)
    if (kind !== undefined && (kind.kind !== 'text' || buffer.length - colon > VALUE_START_CHARS)) release(kind, ends);
    else if (buffer.length > HEAD_MAX_CHARS) release(kind, ends);
  }

  /** The content line ends (the next line of the file is not a continuation of it). */
  function endContentLine(last: boolean): void {
    if (value === undefined) {
      if (colon < 0 && afterBinary && BASE64_LINE.test(buffer)) {
        // vCard 2.1: more of a binary value, on a line of its own
        for (const _ of bufferEnds) out.lineEnd();
        buffer = '';
        bufferEnds = [];
      } else {
        const word = colon < 0 ? '' : buffer.slice(colon + 1).trim().toUpperCase();
        if (name === 'BEGIN') begin(word);
        if (name === 'BEGIN' && word === 'VCARD') foldsKeepSpace = false;
        if (name === 'END') end(word);
        if (name === 'VERSION') foldsKeepSpace = word === '2.1' || word === '1.0';
        afterBinary = false;
        release(kindSoFar(), false);
      }
    } else {
      if (value.kind === 'qp' && !(last && cut())) out.write(checked(decoder!.decode()));
      afterBinary = value.kind === 'binary';
    }
    value = undefined;
    decoder = undefined;
    colon = -1;
    searched = 0;
    inQuotes = false;
    carry = '';
    soft = false;
    badQp = false;
    name = '';
  }

  /**
   * The first character of a line of the file (undefined: the line is empty): a continuation
   * of the content line, or a new one. Returns whether that character is a fold's, no part
   * of the line (after a soft line end, the next line is all value).
   */
  function lineBegins(first: string | undefined): boolean {
    lineStart = false;
    const folded = first === ' ' || first === '\t';
    if (started && (soft || folded)) {
      held = undefined;
      if (value !== undefined) out.lineEnd();
      else if (bufferEnds.push(buffer.length) > HEAD_MAX_CHARS) release(kindSoFar(), false);
      return !soft && !foldsKeepSpace;
    }
    if (started) endContentLine(false);
    if (held !== undefined) {
      out.write(held);
      out.lineEnd();
      out.contentLineEnd();
      held = undefined;
    }
    started = true;
    begun = line;
    return false;
  }

  /** The records made so far (the helpers above make them, and never wait: one generator, not one per line). */
  function* taken(): Generator<SourceRecord> {
    const ready = out.ready;
    out.ready = [];
    yield* ready;
  }

  for await (const chunk of chunks) {
    const text = chunk.overlap > 0 ? chunk.text.slice(chunk.overlap) : chunk.text;
    let from = 0;
    while (from <= text.length) {
      const nl = text.indexOf('\n', from);
      const ends = nl >= 0;
      let piece = text.slice(from, ends ? nl : text.length);
      from = ends ? nl + 1 : text.length + 1;
      if (lineStart && (piece.length > 0 || ends) && lineBegins(piece[0])) piece = piece.slice(1);
      if (ends && piece.endsWith('\r')) {
        piece = piece.slice(0, -1);
        held = '\r\n';
      } else if (ends) held = '\n';
      if (piece.length > 0 || ends) add(piece, ends);
      if (ends) {
        line++;
        lineStart = true;
      }
    }
    yield* taken();
  }
  if (started) endContentLine(true);
  if (held !== undefined) {
    out.write(held);
    out.lineEnd();
  }
  out.contentLineEnd(true);
  yield* taken();
  const object = open[0];
  if (object !== undefined && !cut()) problem(object.line, `BEGIN:${object.type} has no END:${object.type}: the text ends inside it (cut short?)`);
}

/** A card's or calendar's whole text (a mail's attachment) unfolded, as one string; `problems` gets what could not be read as written. */
export async function unfoldedText(text: string, problems: LineProblem[]): Promise<string> {
  const whole = (async function* () {
    yield { text, line: 1, continued: false, overlap: 0, newlines: new Int32Array(0) };
  })();
  let out = '';
  // (no longer than the text: one record)
  for await (const record of unfoldedRecords(whole, { file: '', group: '', line: 1 }, text.length + 1, problems, () => false)) out += record.text;
  return out;
}
