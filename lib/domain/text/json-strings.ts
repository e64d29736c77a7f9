// The strings of a JSON document (keys and values), each with its JSON pointer (RFC
// 6901), read as the text arrives in pieces: in memory bounded by the longest string
// piece, whatever the document's size, and in time linear in its length whatever its
// shape. Pure: the caller feeds text (lib/adapters/sources/json-reader.ts reads a file).
//
// - The document is checked as it goes (RFC 8259: one value, strings without raw
//   control characters, valid escapes, numbers and literals as written there; but for
//   `\xXX`, read as `\u00XX`: LENIENT_X); the
//   first error throws a JsonSyntaxError that says where (line and column, 1-based;
//   a column counts UTF-16 code units) and what was expected, never the text.
// - Nesting deeper than `maxDepth` (default 1000) is an error too: the walk keeps its
//   own stack, so depth costs no call stack, but a pointer grows with it.
// - A string longer than `maxStringChars` (default 1 MiB) comes out in pieces, each
//   next piece starting with the last 1,024 characters of the one before (`repeatedFrom`
//   says where), as text chunks do (text-chunks.ts), so a detector misses nothing that
//   straddles a cut, nor the context before it (detectRecords hands over at the middle).
// - A key goes into pointers as `keyToken(key)` (the caller may redact it; default as
//   written), cut to `maxKeyChars` (default 256) characters and a '…', and escaped
//   per RFC 6901.
//   Pointers are built once per container and shared (string concatenation), so a
//   deep document does not make them cost more per string.
// - A key comes out marked `key`; with `lines`, each string (or number) also says the
//   line it starts on, counted as the text goes (each newline looked at once).
import { memoised } from './memo.ts';

export interface JsonString {
  text: string;
  pointer: string;
  /** Set on a piece of a long string: the next piece starts again with `text.slice(repeatedFrom)`. */
  repeatedFrom?: number;
  /** Set on an object's key (its pointer is that of the key's value). */
  key?: true;
  /** With the `lines` option: the 1-based line of the string's opening quote (or the number's first digit). */
  line?: number;
}

export interface JsonStringsOptions {
  maxDepth?: number;
  maxStringChars?: number;
  maxKeyChars?: number;
  keyToken?: (key: string) => string;
  /**
   * Also hand on each whole number of eight digits or more, as written (a phone, card or
   * ID number kept as a JSON number: `{"mobile": 13812345678}`), with its pointer. Its
   * text is the token itself, so a number past 2^53 loses no digit.
   */
  numbers?: boolean;
  /** Give each string the line it starts on (JsonString.line). */
  lines?: boolean;
}

/** Not JSON, or beyond a limit: where, and why. */
export class JsonSyntaxError extends Error {
  readonly line: number;
  readonly column: number;
  constructor(line: number, column: number, reason: string) {
    super(`line ${line}, column ${column}: ${reason}`);
    this.name = 'JsonSyntaxError';
    this.line = line;
    this.column = column;
  }
}

export const DEFAULT_MAX_JSON_DEPTH = 1000;
export const DEFAULT_MAX_JSON_STRING_CHARS = 1 << 20;
/** What a long string's next piece repeats of the one before. */
export const JSON_STRING_OVERLAP = 1024;
const OVERLAP = JSON_STRING_OVERLAP;
/** Longest number or literal: a longer one is not a value anyone wrote. */
const MAX_TOKEN_CHARS = 4096;

/** What the reader expects next. */
const State = {
  Value: 0, // a value
  ValueOrClose: 1, // after '[': a value or ']'
  KeyOrClose: 2, // after '{': a key or '}'
  Key: 3, // after ',' in an object
  Colon: 4,
  CommaOrClose: 5,
  Done: 6,
} as const;
type State = (typeof State)[keyof typeof State];

interface Frame {
  array: boolean;
  /** Pointer of the container itself. */
  pointer: string;
  /** Array: index of the current element. Object: token of the current key. */
  index: number;
  key: string;
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
/** A number or literal runs to the next whitespace, separator or bracket. */
const TOKEN = /[^ \t\n\r,:\]\}\[\{"]*/y;
const CONTROL = /[\u0000-\u001f]/;
/**
 * `\xXX`, as Telegram Desktop's export writes a control character in a message (not JSON:
 * read as `\u00XX` rather than failing the file at the first one); an escaped backslash
 * is matched as a whole, so `\\x41` stays a backslash and `x41`.
 */
const LENIENT_X = /\\(?:\\|x([0-9a-fA-F]{2}))/g;
/** A number written as digits alone (no sign, fraction or exponent): what could be an identifier's. */
const WHOLE = /^[0-9]+$/;
const QUOTE_OR_BACKSLASH = /["\\]/g;

const escapeToken = (key: string): string => (key.includes('~') || key.includes('/') ? key.replaceAll('~', '~0').replaceAll('/', '~1') : key);

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

export class JsonStrings {
  private readonly maxDepth: number;
  private readonly maxStringChars: number;
  private readonly maxKeyChars: number;
  private readonly numbers: boolean;
  private readonly lines: boolean;
  /** A key's pointer token, remembered (memo.ts): the same keys come back in every object of an array. */
  private readonly token: (key: string) => string;

  private buf = '';
  private pos = 0;
  /** Line and column (1-based) of buf[0]. */
  private line = 1;
  private column = 1;
  private state: State = State.Value;
  private readonly stack: Frame[] = [];

  // A string being read: its content starts at buf[stringStart]; the search for its end
  // resumes at buf[searchFrom]; `carry` is the overlap a piece already out passes on.
  private inString = false;
  private stringIsKey = false;
  private stringStart = 0;
  private searchFrom = 0;
  private carry = '';
  private pieces = 0;
  private stringLine = 0;

  // With `lines`: buf[countedTo] is on line countedLine; nextNewline is the first '\n' at
  // or after countedTo, or -1 when there is none in buf[countedTo, lookedTo).
  private countedTo = 0;
  private countedLine = 1;
  private nextNewline = -1;
  private lookedTo = 0;

  constructor(options: JsonStringsOptions = {}) {
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_JSON_DEPTH;
    this.maxStringChars = Math.max(options.maxStringChars ?? DEFAULT_MAX_JSON_STRING_CHARS, 4 * OVERLAP);
    this.maxKeyChars = options.maxKeyChars ?? 256;
    this.numbers = options.numbers ?? false;
    this.lines = options.lines ?? false;
    const token = options.keyToken ?? ((k: string) => k);
    this.token = memoised((key) => {
      // Transformed whole, then cut: a cut first could leave half an identifier for a redaction to miss.
      const t = token(key);
      return escapeToken(t.length > this.maxKeyChars ? `${t.slice(0, this.maxKeyChars)}…` : t);
    });
  }

  /** Reads the next piece of the document, handing each string completed (or long string piece) to `emit`. */
  push(text: string, emit: (s: JsonString) => void): void {
    this.buf += text;
    this.run(false, emit);
    this.compact();
  }

  /** The document is complete: throws when it is not (an unclosed string, array or object, or no value). */
  end(emit: (s: JsonString) => void): void {
    this.run(true, emit);
    this.skipSpace();
    if (this.inString) this.fail(this.buf.length, 'the document ends inside a string');
    if (this.state !== State.Done) this.fail(this.buf.length, this.stack.length ? `the document ends inside ${this.stack.length} unclosed array or object${this.stack.length === 1 ? '' : 's'}` : 'no JSON value');
  }

  /** Drops what has been read from the buffer, keeping the line and column of what is left. */
  private compact(): void {
    const keep = this.inString ? Math.min(this.stringStart, this.pos) : this.pos;
    if (keep === 0) return;
    this.advance(keep);
    this.buf = this.buf.slice(keep);
    this.pos -= keep;
    this.stringStart -= keep;
    this.searchFrom -= keep;
    // lines are counted again from buf[0], whose line advance() has just counted
    this.countedTo = this.lookedTo = 0;
    this.countedLine = this.line;
    this.nextNewline = -1;
  }

  /** The line of buf[at], for `at` at or after the last asked for (since the last compact). */
  private lineOf(at: number): number {
    for (;;) {
      if (this.nextNewline === -1) {
        if (this.lookedTo >= this.buf.length) break;
        this.nextNewline = this.buf.indexOf('\n', Math.max(this.lookedTo, this.countedTo));
        this.lookedTo = this.buf.length;
        if (this.nextNewline === -1) break;
      }
      if (this.nextNewline >= at) break;
      this.countedLine++;
      this.countedTo = this.lookedTo = this.nextNewline + 1;
      this.nextNewline = -1;
    }
    return this.countedLine;
  }

  /** Moves the line and column of buf[0] past buf[0, n). */
  private advance(n: number): void {
    if (n === 0) return;
    let lines = 0;
    let last = -1;
    for (let i = this.buf.indexOf('\n'); i !== -1 && i < n; i = this.buf.indexOf('\n', i + 1)) {
      lines++;
      last = i;
    }
    if (lines === 0) this.column += n;
    else {
      this.line += lines;
      this.column = n - last;
    }
  }

  private fail(at: number, reason: string): never {
    let line = this.line;
    let last = -1;
    for (let i = this.buf.indexOf('\n'); i !== -1 && i < at; i = this.buf.indexOf('\n', i + 1)) {
      line++;
      last = i;
    }
    throw new JsonSyntaxError(line, last === -1 ? this.column + at : at - last, reason);
  }

  private skipSpace(): void {
    const buf = this.buf;
    let i = this.pos;
    for (let c = buf.charCodeAt(i); c === 32 || c === 10 || c === 13 || c === 9; c = buf.charCodeAt(++i));
    this.pos = i;
  }

  /** Pointer of the value about to be read. */
  private here(): string {
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) return '';
    return top.array ? `${top.pointer}/${top.index}` : `${top.pointer}/${top.key}`;
  }

  private afterValue(): void {
    this.state = this.stack.length === 0 ? State.Done : State.CommaOrClose;
  }

  private open(array: boolean): void {
    if (this.stack.length >= this.maxDepth) this.fail(this.pos, `nested deeper than ${this.maxDepth} levels (the limit)`);
    this.stack.push({ array, pointer: this.here(), index: 0, key: '' });
    this.state = array ? State.ValueOrClose : State.KeyOrClose;
    this.pos++;
  }

  private close(): void {
    this.stack.pop();
    this.pos++;
    this.afterValue();
  }

  private run(final: boolean, emit: (s: JsonString) => void): void {
    for (;;) {
      if (this.inString) {
        if (!this.readString(final, emit)) return;
        continue;
      }
      this.skipSpace();
      const pos = this.pos;
      if (pos >= this.buf.length) return;
      const c = this.buf.charCodeAt(pos);
      switch (this.state) {
        case State.Value:
        case State.ValueOrClose:
          if (c === 0x22) this.startString(false);
          else if (c === 0x7b) this.open(false);
          else if (c === 0x5b) this.open(true);
          else if (c === 0x5d && this.state === State.ValueOrClose) this.close();
          else if (!this.readScalar(final, emit)) return;
          break;
        case State.KeyOrClose:
        case State.Key:
          if (c === 0x22) this.startString(true);
          else if (c === 0x7d && this.state === State.KeyOrClose) this.close();
          else this.fail(pos, this.state === State.Key ? 'expected a string key' : "expected a string key or '}'");
          break;
        case State.Colon:
          if (c !== 0x3a) this.fail(pos, "expected ':' after the key");
          this.pos++;
          this.state = State.Value;
          break;
        case State.CommaOrClose: {
          const top = this.stack[this.stack.length - 1]!;
          if (c === 0x2c) {
            this.pos++;
            if (top.array) {
              top.index++;
              this.state = State.Value;
            } else this.state = State.Key;
          } else if (c === (top.array ? 0x5d : 0x7d)) this.close();
          else this.fail(pos, top.array ? "expected ',' or ']'" : "expected ',' or '}'");
          break;
        }
        case State.Done:
          this.fail(pos, 'text after the end of the JSON value');
      }
    }
  }

  /** A number, true, false or null at pos; false when more text is needed to know. */
  private readScalar(final: boolean, emit: (s: JsonString) => void): boolean {
    const { buf, pos } = this;
    const c = buf.charCodeAt(pos);
    if (c !== 0x2d && !(c >= 0x30 && c <= 0x39) && c !== 0x74 && c !== 0x66 && c !== 0x6e) this.fail(pos, 'expected a value');
    TOKEN.lastIndex = pos;
    TOKEN.exec(buf);
    const end = TOKEN.lastIndex;
    if (end - pos > MAX_TOKEN_CHARS) this.fail(pos, `a number or literal longer than ${MAX_TOKEN_CHARS} characters`);
    if (end >= buf.length && !final) return false; // the token may go on in the next piece
    const token = buf.slice(pos, end);
    if (token !== 'true' && token !== 'false' && token !== 'null') {
      NUMBER.lastIndex = 0;
      if (!NUMBER.exec(token) || NUMBER.lastIndex !== token.length) this.fail(pos, 'not a valid number or literal');
      if (this.numbers && token.length >= 8 && WHOLE.test(token)) emit(this.lines ? { text: token, pointer: this.here(), line: this.lineOf(pos) } : { text: token, pointer: this.here() });
    }
    this.pos = end;
    this.afterValue();
    return true;
  }

  private startString(key: boolean): void {
    this.inString = true;
    this.stringIsKey = key;
    this.stringStart = this.searchFrom = this.pos + 1;
    this.carry = '';
    this.pieces = 0;
    if (this.lines) this.stringLine = this.lineOf(this.pos);
  }

  /** Reads on in the current string; false when more text is needed. */
  private readString(final: boolean, emit: (s: JsonString) => void): boolean {
    const buf = this.buf;
    for (;;) {
      QUOTE_OR_BACKSLASH.lastIndex = this.searchFrom;
      const m = QUOTE_OR_BACKSLASH.exec(buf);
      if (m === null) {
        this.searchFrom = buf.length;
        break;
      }
      if (m[0] === '"') {
        this.piece(this.stringStart, m.index, true, emit);
        this.inString = false;
        this.pos = m.index + 1;
        if (this.stringIsKey) this.state = State.Colon;
        else this.afterValue();
        return true;
      }
      if (m.index + 1 >= buf.length) {
        this.searchFrom = m.index; // the escape goes on in the next piece
        break;
      }
      this.searchFrom = m.index + 2;
    }
    if (final) return false;
    // No end yet: a long string goes out in pieces, never held whole.
    while (this.searchFrom - this.stringStart > this.maxStringChars) {
      const cut = this.safeCut(this.stringStart + this.maxStringChars);
      this.piece(this.stringStart, cut, false, emit);
      this.stringStart = cut;
    }
    this.pos = this.stringStart;
    return false;
  }

  /** `limit`, or the start of the escape sequence it would cut. */
  private safeCut(limit: number): number {
    const buf = this.buf;
    for (let k = 1; k <= 6 && limit - k >= this.stringStart; k++) {
      const i = limit - k;
      if (buf.charCodeAt(i) !== 0x5c) continue;
      let run = 1;
      while (i - run >= this.stringStart && buf.charCodeAt(i - run) === 0x5c) run++;
      if (run % 2 === 0) break; // the backslash at i ends an escaped backslash
      const e = buf.charCodeAt(i + 1);
      const length = e === 0x75 ? 6 : e === 0x78 ? 4 : 2; // \uXXXX, \xXX (LENIENT_X), else \n and the like
      return i + length > limit ? i : limit;
    }
    return isHighSurrogate(buf.charCodeAt(limit - 1)) ? limit - 1 : limit;
  }

  /** The string's text from buf[start, end), decoded; emitted with its pointer. */
  private piece(start: number, end: number, last: boolean, emit: (s: JsonString) => void): void {
    const raw = this.buf.slice(start, end);
    let decoded: string;
    if (raw.includes('\\')) decoded = this.unescape(raw, start);
    else {
      if (CONTROL.test(raw)) this.fail(start + raw.search(CONTROL), 'a control character inside a string (not allowed in JSON)');
      decoded = raw;
    }
    const first = this.pieces++ === 0;
    const text = this.carry + decoded;
    let pointer: string;
    if (this.stringIsKey) {
      const top = this.stack[this.stack.length - 1]!;
      if (first) top.key = this.token(decoded);
      pointer = `${top.pointer}/${top.key}`;
    } else pointer = this.here();
    if (last) {
      if (text !== '') emit(this.marked({ text, pointer }));
      return;
    }
    let from = Math.max(0, text.length - OVERLAP);
    if (from > 0 && isHighSurrogate(text.charCodeAt(from - 1))) from--;
    this.carry = text.slice(from);
    emit(this.marked({ text, pointer, repeatedFrom: from }));
  }

  /** A string of the current string, marked as a key and with its line when so. */
  private marked(s: JsonString): JsonString {
    if (this.stringIsKey) s.key = true;
    if (this.lines) s.line = this.stringLine;
    return s;
  }

  /** JSON escapes decoded, by the engine's own parser (and `\xXX`: LENIENT_X); an invalid one fails with where it is. */
  private unescape(raw: string, start: number): string {
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      const lenient = raw.replace(LENIENT_X, (escape, hex: string | undefined) => (hex === undefined ? escape : `\\u00${hex}`));
      if (lenient !== raw) {
        try {
          return JSON.parse(`"${lenient}"`) as string;
        } catch {
          // reported below, by the text as written
        }
      }
      for (let i = 0; i < raw.length; i++) {
        const c = raw.charCodeAt(i);
        if (c < 0x20) this.fail(start + i, 'a control character inside a string (not allowed in JSON)');
        if (c !== 0x5c) continue;
        const e = raw[i + 1] ?? '';
        if (e === 'u' ? !/^[0-9a-fA-F]{4}$/.test(raw.slice(i + 2, i + 6)) : !'"\\/bfnrt'.includes(e) || e === '') this.fail(start + i, 'an invalid escape sequence');
        i += e === 'u' ? 5 : 1;
      }
      this.fail(start, 'an invalid string');
    }
  }
}

/**
 * Where `text` (which JSON.parse refused) stops being JSON and why, as this checker says it:
 * line and column, never the text (the engine's own message may quote it, and from some
 * errors it gives no position at all). Undefined when the checker takes the text.
 */
export function whereNotJson(text: string): string | undefined {
  const check = new JsonStrings({ maxDepth: Infinity });
  try {
    check.push(text, () => {});
    check.end(() => {});
  } catch (error) {
    if (error instanceof JsonSyntaxError) return error.message;
    throw error;
  }
  return undefined;
}
