// Streamed decoding of text, from any source of byte chunks (a local file, an S3
// object's body), into chunks of whole lines in bounded memory. The readers detect the
// encoding and binary content first (lib/domain/text/encoding.ts) and hand the bytes
// after the BOM here.
//
// The chunk contract, which callers rely on to compute line numbers:
//
// - Concatenating `chunk.text.slice(chunk.overlap)` over all chunks, in order,
//   gives exactly the decoded text of the bytes read (invalid sequences replaced by
//   U+FFFD, line endings left as they are).
// - `chunk.line` is the 1-based line number of `chunk.text[0]`. Lines are
//   separated by '\n' only ('\r\n' counts once because only its '\n' counts; a
//   lone '\r' does not end a line). So the line of `chunk.text[i]` is
//   `chunk.line` + the number of '\n' in `chunk.text.slice(0, i)`.
// - Normally a chunk holds whole lines: it ends just after a '\n' (or at the end
//   of the text) and holds at most `maxChunkChars` UTF-16 code units.
// - A line longer than `maxChunkChars` is split. Each follow-on chunk has
//   `continued: true` and starts with the last CHUNK_OVERLAP (1,024) code units of
//   the previous chunk (a quarter of `maxChunkChars` when that is less; one fewer
//   when that would start inside a surrogate pair); `overlap` gives that length,
//   and the previous chunk's `repeatedFrom` the offset where that repeated text
//   starts in it. A detector hands over at the middle of the repeated text
//   (detectRecords in lib/domain/detect/records.ts): the previous chunk reports
//   what starts before it, the next one what starts there or after, each with 512
//   characters of the line on the other side, more than any identifier is long
//   and than any detector reads around one. So each finding of the line is
//   reported once, as a scan of the whole line would make it. The overlap never
//   contains '\n', so the line rule above holds for the whole chunk.
//   Chunks with `continued: false` have `overlap: 0`.
// - With `cut` (a byte budget stopped the bytes, wherever that fell), the text's
//   last token, which the cut may have fallen inside (cutTokenStart in
//   lib/domain/detect/cut-token.ts: `62010219850702` of an ID, `4111 1111 11`),
//   is left out of the last chunk, so that no detector reads it as a shorter
//   identifier of another type. The text then ends before the decoded text does
//   (the report's `lines` still counts the decoded text's).
import { isUtf8 } from 'node:buffer';
import { cutTokenStart } from '../../domain/detect/cut-token.ts';
import type { Encoding } from '../../domain/text/encoding.ts';

export interface TextChunk {
  text: string;
  /** 1-based line number of the chunk's first character. */
  line: number;
  /** True when this chunk continues the previous chunk's line (a very long line split). */
  continued: boolean;
  /**
   * Number of leading code units of `text` repeated from the end of the previous
   * chunk (at most CHUNK_OVERLAP; 0 unless `continued`).
   */
  overlap: number;
  /** Set when the next chunk continues this line: the offset in `text` where the next chunk starts. */
  repeatedFrom?: number;
  /** Where each '\n' of `text` stands, ascending (counted here anyway, for `line`). */
  newlines: Int32Array;
}

export interface DecodeReport {
  /**
   * U+FFFD produced by decoding invalid or incomplete byte sequences: the number
   * of U+FFFD in the decoded text minus the number of byte sequences that encode a
   * real U+FFFD in the input (an approximation: a decoder may emit several U+FFFD
   * for one bad run of bytes, following the WHATWG "maximal subpart" rule).
   */
  replacedSequences: number;
  /** Lines in the decoded text (a final '\n' does not start another line; empty text has 0). */
  lines: number;
}

export interface DecodeOptions {
  /** Largest chunk, in UTF-16 code units (default 1 MiB; at least 256). */
  maxChunkChars?: number;
  /** The bytes stop where a budget cut them: a character cut there is dropped, not replaced. */
  cut?: boolean;
  /** Called once when decoding ends without an error, also when the caller stops early. */
  report?: (r: DecodeReport) => void;
  /**
   * JSON read as text, whose `\uXXXX` escapes its reader reads (json-escapes.ts): a long
   * line's pieces and their overlaps are cut outside an escape, so that each piece reads
   * every escape whole, and the text a piece repeats reads the same in both pieces.
   */
  jsonEscapes?: boolean | undefined;
  /** Each lone CR is a line end (TextFormat.crLineEnds: a file whose lines end with CR alone). */
  crLineEnds?: boolean | undefined;
  /**
   * Where a chunk's '\n' stand (ascending, an array of its own): by default found here;
   * a reader whose chunks go to the detectors as they are gives the kernel's (lineEnds in
   * lib/domain/detect/candidates.ts), which lists them in the walk the detectors make anyway.
   */
  lineEnds?: ((text: string) => Int32Array) | undefined;
}

/**
 * The bytes with each lone CR (not before an LF) as LF: the same length, in an encoding
 * where neither is part of another character. A CRLF stays (a file may go on with them).
 */
async function* crAsLf(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let held: Uint8Array | undefined; // a chunk that ends with CR, until the next byte is known
  for await (const chunk of bytes) {
    if (chunk.length === 0) continue;
    if (held !== undefined) {
      if (chunk[0] !== 0x0a) held[held.length - 1] = 0x0a;
      yield held;
    }
    const copy = Uint8Array.from(chunk);
    for (let i = copy.indexOf(0x0d); i >= 0 && i < copy.length - 1; i = copy.indexOf(0x0d, i + 1)) if (copy[i + 1] !== 0x0a) copy[i] = 0x0a;
    if (copy[copy.length - 1] === 0x0d) held = copy;
    else {
      held = undefined;
      yield copy;
    }
  }
  if (held !== undefined) {
    held[held.length - 1] = 0x0a;
    yield held;
  }
}

/** `i`, or the start of a `\uXXXX` escape that position `i` would cut. */
function outsideEscape(text: string, i: number): number {
  for (let j = i - 1; j >= Math.max(0, i - 5); j--) if (text.charCodeAt(j) === 0x5c && text.charCodeAt(j + 1) === 0x75) return j;
  return i;
}

/**
 * Length of the overlap at the start of a continued chunk (a quarter of the chunk size
 * when that is less): twice the 512 characters a detector needs on either side of the
 * point where a long line's findings are handed over (see the top of this file).
 */
export const CHUNK_OVERLAP = 1024;
/**
 * Chunks hold at most this many UTF-16 code units unless a reader asks otherwise (local
 * files, S3 objects and table records, table-records.ts, all keep to it), so that each
 * chunk's string (64 KiB when two bytes a unit) is allocated in the young generation's
 * pages, which are used over and over, not as a large object in pages mapped for it and
 * given back after it: where a first touch of a page is dear (a virtual machine taking
 * tens of thousands of page faults a second), 256 Ki-unit chunks made the benchmark's 100 MB
 * chat scan 2.2-2.4 s on one core and 32 Ki-unit ones 1.45-1.6 s, with a third of the page
 * faults and the same findings. Smaller chunks also keep less alive through each
 * young-generation GC.
 */
export const DEFAULT_MAX_CHUNK_CHARS = 32 * 1024;
export const MIN_MAX_CHUNK_CHARS = 256;

/** `maxChunkChars` checked, or its default. */
export function maxChunkCharsOf(options: { maxChunkChars?: number }): number {
  const max = options.maxChunkChars ?? DEFAULT_MAX_CHUNK_CHARS;
  if (!Number.isInteger(max) || max < MIN_MAX_CHUNK_CHARS) throw new RangeError(`maxChunkChars must be an integer of at least ${MIN_MAX_CHUNK_CHARS}`);
  return max;
}

/** How a real U+FFFD is encoded, to tell it from replacement characters. */
const LITERAL_FFFD: Record<Encoding, Uint8Array | undefined> = {
  'utf-8': Uint8Array.of(0xef, 0xbf, 0xbd),
  'utf-16le': Uint8Array.of(0xfd, 0xff),
  'utf-16be': Uint8Array.of(0xff, 0xfd),
  gb18030: Uint8Array.of(0x84, 0x31, 0xa4, 0x37),
  big5: undefined,
};

function countOccurrences(haystack: Uint8Array, needle: Uint8Array): number {
  const buf = Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength);
  let n = 0;
  for (let i = buf.indexOf(needle); i >= 0; i = buf.indexOf(needle, i + needle.length)) n++;
  return n;
}

let newlineScratch = new Int32Array(1 << 14);

/** The positions of '\n' in `text`: an array of their own. */
function newlinesOf(text: string): Int32Array {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (n === newlineScratch.length) {
      const grown = new Int32Array(n * 2);
      grown.set(newlineScratch);
      newlineScratch = grown;
    }
    newlineScratch[n++] = i;
  }
  return newlineScratch.slice(0, n);
}

function countChar(text: string, ch: string): number {
  let n = 0;
  for (let i = text.indexOf(ch); i >= 0; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
export function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Encodings in which a line end is one byte (0x0A) that no other character contains. */
const LINE_SAFE: ReadonlySet<Encoding> = new Set(['utf-8', 'gb18030', 'big5']);

/**
 * The same bytes in blocks of at most `maxBytes` that end just after a line end (the
 * last may not); a line longer than `maxBytes` is let through in pieces. Reads are
 * joined as bytes, so that a block decodes to one string: with `maxBytes` at most the
 * chunk size, whose code units a block's bytes bound (no encoding here makes more UTF-16
 * code units than bytes), a block is one chunk as decoded, and no chunk is joined from
 * strings (a joined string is copied once more when it is first searched).
 */
async function* lineAligned(bytes: AsyncIterable<Uint8Array>, maxBytes: number): AsyncGenerator<Uint8Array> {
  const held: Uint8Array[] = [];
  let heldBytes = 0;
  for await (const chunk of bytes) {
    held.push(chunk);
    heldBytes += chunk.length;
    while (heldBytes >= maxBytes) {
      const joined = held.length === 1 ? held[0]! : Buffer.concat(held, heldBytes);
      const nl = Buffer.from(joined.buffer, joined.byteOffset, joined.byteLength).lastIndexOf(0x0a, maxBytes - 1);
      const end = nl < 0 ? maxBytes : nl + 1;
      yield joined.subarray(0, end);
      held.length = 0;
      heldBytes = joined.length - end;
      if (heldBytes > 0) held.push(joined.subarray(end));
    }
  }
  if (heldBytes > 0) yield held.length === 1 ? held[0]! : Buffer.concat(held, heldBytes);
}

/**
 * Where a line longer than a chunk of `maxChunkChars` is cut (`end`: not inside a surrogate
 * pair, nor, with `jsonEscapes`, a `\uXXXX` escape), and where the next piece starts again
 * (`overlapStart`: the overlap of the contract at the top of this file).
 */
export function pieceCut(text: string, maxChunkChars: number, jsonEscapes?: boolean): { end: number; overlapStart: number } {
  let end = maxChunkChars;
  if (isHighSurrogate(text.charCodeAt(end - 1))) end--;
  if (jsonEscapes) end = outsideEscape(text, end);
  let overlapStart = end - Math.min(CHUNK_OVERLAP, maxChunkChars >> 2);
  if (isLowSurrogate(text.charCodeAt(overlapStart))) overlapStart++;
  if (jsonEscapes) overlapStart = outsideEscape(text, overlapStart);
  return { end, overlapStart };
}

/** Decode `bytes` (BOM already skipped) into chunks that keep the contract at the top of this file. */
export async function* decodeTextChunks(bytes: AsyncIterable<Uint8Array>, encoding: Encoding, options: DecodeOptions = {}): AsyncGenerator<TextChunk> {
  if (options.crLineEnds && LINE_SAFE.has(encoding)) bytes = crAsLf(bytes);
  const maxChunkChars = maxChunkCharsOf(options);
  const decoder = new TextDecoder(encoding, { ignoreBOM: true });
  const literal = LITERAL_FFFD[encoding];
  let prevTail: Uint8Array = new Uint8Array(0);
  let fffdDecoded = 0;
  let fffdLiteral = 0;
  let newlines = 0;
  let anyText = false;
  let lastChar = '';
  /** The last character of the decoded text, when its last token was left out (`cut`). */
  let cutLast = '';
  let failed = false;

  // Text decoded but not yet yielded; `pending[0]` is on line `line`. It begins
  // with `pendingOverlap` code units repeated from the previous chunk.
  let pending = '';
  let pendingOverlap = 0;
  let pendingContinued = false;
  let line = 1;

  const lineEnds = options.lineEnds ?? newlinesOf;
  const take = (text: string, continued: boolean, overlap: number): TextChunk => {
    // (the overlap holds no '\n': all of the chunk's are its own)
    const chunk: TextChunk = { text, line, continued, overlap, newlines: lineEnds(text) };
    const n = chunk.newlines.length;
    newlines += n;
    line += n;
    anyText = true;
    lastChar = text[text.length - 1] ?? lastChar;
    return chunk;
  };

  // Cut chunks off `pending` while it holds more than a chunk (or all of it at the end).
  function* cut(final: boolean): Generator<TextChunk> {
    while (pending.length > maxChunkChars) {
      const nl = pending.lastIndexOf('\n', maxChunkChars - 1);
      if (nl >= pendingOverlap) {
        const text = pending.slice(0, nl + 1);
        yield take(text, pendingContinued, pendingOverlap);
        pending = pending.slice(nl + 1);
        pendingOverlap = 0;
        pendingContinued = false;
      } else {
        const { end, overlapStart } = pieceCut(pending, maxChunkChars, options.jsonEscapes);
        yield { ...take(pending.slice(0, end), pendingContinued, pendingOverlap), repeatedFrom: overlapStart };
        pending = pending.slice(overlapStart);
        pendingOverlap = end - overlapStart;
        pendingContinued = true;
      }
    }
    // (a last chunk of only the overlap, when the cut token took the rest: the chunk
    // before left the findings of its overlap's second half to it)
    if (final && (pending.length > pendingOverlap || (pendingContinued && cutLast !== ''))) {
      yield take(pending, pendingContinued, pendingOverlap);
      pending = '';
      pendingOverlap = 0;
      pendingContinued = false;
    }
  }

  /** Decoded text taken in; `replaced` false when decoding it cannot have replaced anything. */
  const decoded = (text: string, replaced = true): void => {
    if (text.length > 0) {
      if (replaced) fffdDecoded += countChar(text, '\uFFFD');
      pending += text;
    }
  };

  try {
    if (LINE_SAFE.has(encoding)) {
      // Decoded in blocks that end at a line end: no character is cut, so a real U+FFFD
      // is counted in a block's own bytes (only when its text holds one), and a block's
      // lines go out as a chunk at once, not joined to the next block's text.
      // Valid UTF-8, with nothing of an earlier block's last character held by the
      // decoder, decodes without a replacement, and a real U+FFFD in it would count on
      // both sides alike: neither count is needed (each is a walk of all the text).
      let settled = true;
      let tail: Uint8Array = new Uint8Array(0); // the last bytes of a block that ended inside a line
      for await (const block of lineAligned(bytes, maxChunkChars)) {
        const valid = settled && encoding === 'utf-8' && isUtf8(block);
        const text = decoder.decode(block, { stream: true });
        if (!valid && literal) {
          if (text.includes('\uFFFD')) fffdLiteral += countOccurrences(block, literal);
          // a real U+FFFD cut between this block and the one before (a long line's pieces)
          if (!settled) fffdLiteral += countOccurrences(Buffer.concat([tail, block.subarray(0, literal.length - 1)]), literal);
        }
        settled = block[block.length - 1] === 0x0a;
        if (!settled && literal) tail = block.slice(Math.max(0, block.length - (literal.length - 1)));
        decoded(text, !valid);
        // whole lines, and enough of them: out now (a small file stays one chunk)
        yield* cut(text.endsWith('\n') && pending.length >= maxChunkChars / 4);
      }
    } else {
      for await (const chunk of bytes) {
        if (literal) {
          fffdLiteral += countOccurrences(chunk, literal);
          // Occurrences straddling the previous read and this one.
          const keep = literal.length - 1;
          if (prevTail.length > 0) fffdLiteral += countOccurrences(Buffer.concat([prevTail, chunk.subarray(0, keep)]), literal);
          const joined = Buffer.concat([prevTail, chunk.subarray(Math.max(0, chunk.length - keep))]);
          prevTail = joined.subarray(Math.max(0, joined.length - keep));
        }
        decoded(decoder.decode(chunk, { stream: true }));
        yield* cut(false);
      }
    }
    // The last, possibly incomplete, character: replaced when the text really ends
    // there, dropped when a budget cut it, and then the token the cut may have fallen
    // inside left out too (not from text already out: at most the overlap is kept).
    if (!options.cut) decoded(decoder.decode());
    else {
      const keep = cutTokenStart(pending, pendingOverlap);
      if (keep < pending.length) {
        cutLast = pending[pending.length - 1]!;
        pending = pending.slice(0, keep);
      }
    }
    yield* cut(true);
    if (cutLast !== '') {
      anyText = true;
      lastChar = cutLast;
    }
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    if (!failed) options.report?.({ replacedSequences: Math.max(0, fffdDecoded - fffdLiteral), lines: anyText ? newlines + (lastChar === '\n' ? 0 : 1) : 0 });
  }
}
