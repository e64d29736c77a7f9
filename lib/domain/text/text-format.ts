// How the readers (local files, their parts, S3 objects, audit logs) read a text's bytes:
// the detection of encoding.ts (a BOM, else UTF-8, GB18030 or Big5
// by the bytes, and the binary check), with three corrections made here, all from the
// same sample of the first bytes (nothing more is read, so a scan costs what it did):
//
// - UTF-16 without a BOM (`iconv -t UTF-16LE`, many Windows exporters): NUL high bytes
//   (ASCII's, at odd offsets in little-endian, even ones in big-endian) in a sample that
//   decodes as UTF-16 with every surrogate paired and almost no control, private-use or
//   unassigned characters, and that does not start with the signature of a binary
//   format (PNG, ZIP and so .xlsx, PDF, executables...) (bomlessUtf16). Binary files
//   have NUL bytes in pairs (headers, padding, small numbers: U+0000 and other
//   controls), or decode into lone surrogates and unassigned characters (compressed or
//   random bytes), and stay binary; so does 8-bit text with stray NUL bytes.
// - GB18030 or Big5 that happens to be nearly valid UTF-8: the domain keeps a sample
//   with a replaced sequence or two per 20 characters as UTF-8 (a UTF-8 file with a
//   corrupt byte), which also takes in a short legacy text (`电话 91234567` is B5 E7 BB
//   B0 ...: one invalid byte, then E7 BB B0 happens to be a UTF-8 character). A sample
//   that is not valid UTF-8 but decodes without one error as GB18030 or Big5, into more
//   plausible Chinese than the UTF-8 reading's valid characters, is read as that.
//   Valid UTF-8 never changes, nor does a sample whose legacy reading has an error, so
//   a long UTF-8 file with a corrupt byte stays UTF-8 (its multi-byte characters do
//   not pair up as GB18030 or Big5 throughout).
// - A UTF-16 BOM in front of bytes that are not UTF-16 (a UTF-8 file starting with
//   FF FE): the BOM is honoured, but the read carries a warning with the reason.
import {
  BINARY_SAMPLE_BYTES,
  binaryReason,
  chineseScore,
  detectedFormat,
  validUtf8,
  type Encoding,
} from './encoding.ts';

export { DETECTION_SAMPLE_BYTES, type Encoding } from './encoding.ts';

export interface TextFormat {
  encoding: Encoding;
  bomLength: number;
  /** Why the bytes are binary (the file is skipped). */
  binary?: string;
  /** Why the text may be misread although it is read (said in the file's result). */
  warning?: string;
  /**
   * Lines end with CR alone (classic Mac OS, and Excel for Mac's "CSV (Macintosh)"; see
   * crLineEnds below). Readers read each lone CR as a line end (DecodeOptions.crLineEnds).
   */
  crLineEnds?: true;
}

/**
 * How to read bytes that start with `sample` (`complete` when it is all of them): the
 * declared encoding, else the detected one (see the top of this file); whether they are
 * binary; and a warning when a UTF-16 BOM stands before bytes that do not read as UTF-16.
 */
export function textFormat(sample: Uint8Array, complete: boolean, declared?: Encoding): TextFormat {
  const format = encodingOf(sample, complete, declared);
  // (in the encodings whose line end is one byte that no other character holds)
  if (format.binary === undefined && format.encoding !== 'utf-16le' && format.encoding !== 'utf-16be' && crLineEnds(sample, complete)) return { ...format, crLineEnds: true };
  return format;
}

/**
 * Whether lines end with CR alone: lone CRs (not before an LF), no CRLF, and more of them
 * than LFs, which a Mac CSV still holds inside a cell with a line break (Excel writes
 * those as LF), and a log may hold a few of. Or, where the LFs are as many or more (a Mac
 * CSV of addresses, each cell of three lines), when every LF is inside a quoted cell, the
 * quotes are balanced (but where the sample stops), and a lone CR stands outside quotes:
 * an LF file's lines never all sit inside quotes.
 */
function crLineEnds(sample: Uint8Array, complete: boolean): boolean {
  let lone = 0;
  let lf = 0;
  for (let i = sample.indexOf(0x0d); i >= 0; i = sample.indexOf(0x0d, i + 1)) {
    if (sample[i + 1] === 0x0a) return false; // CRLF: a Windows file, whatever else it holds
    lone++;
  }
  if (lone === 0) return false;
  for (let i = sample.indexOf(0x0a); i >= 0 && lf < lone; i = sample.indexOf(0x0a, i + 1)) lf++;
  return lone > lf || lfOnlyInQuotes(sample, complete);
}

/**
 * Every LF of `sample` is inside double quotes, some CR is outside them, and the quotes are
 * balanced (or the sample, the start of more, ends inside a quoted cell).
 */
function lfOnlyInQuotes(sample: Uint8Array, complete: boolean): boolean {
  let quoted = false;
  let crOutside = false;
  for (let i = 0; i < sample.length; i++) {
    const c = sample[i];
    if (c === 0x22) quoted = !quoted; // `""` inside a quoted cell toggles twice
    else if (c === 0x0a && !quoted) return false;
    else if (c === 0x0d && !quoted) crOutside = true;
  }
  return crOutside && (!quoted || !complete);
}

function encodingOf(sample: Uint8Array, complete: boolean, declared?: Encoding): TextFormat {
  const format: TextFormat = detectedFormat(sample, complete, declared);
  if (declared !== undefined) return format;
  if (format.bomLength > 0) {
    if (format.binary !== undefined || (format.encoding !== 'utf-16le' && format.encoding !== 'utf-16be')) return format;
    const warning = notUtf16Text(sample.subarray(format.bomLength), format.encoding, complete);
    return warning === undefined ? format : { ...format, warning };
  }
  if (format.binary !== undefined) {
    const utf16 = bomlessUtf16(sample, complete);
    if (utf16 === undefined) return format;
    const binary = binaryReason(sample, utf16);
    return binary === undefined ? { encoding: utf16, bomLength: 0 } : { encoding: utf16, bomLength: 0, binary };
  }
  if (format.encoding === 'utf-8') {
    const legacy = cleanLegacy(sample, complete);
    if (legacy !== undefined) {
      const binary = binaryReason(sample, legacy);
      return binary === undefined ? { encoding: legacy, bomLength: 0 } : { encoding: legacy, bomLength: 0, binary };
    }
  }
  return format;
}

// ---------------------------------------------------------------------------
// UTF-16 without a BOM

/** Bytes from the start looked at for UTF-16 without a BOM, and for a BOM's warning. */
export const UTF16_SAMPLE_BYTES = BINARY_SAMPLE_BYTES;

/**
 * Signatures of binary formats whose headers could otherwise pass for UTF-16 text: PNG,
 * ZIP (.xlsx, .docx, .jar), PDF, GIF, JPEG, TIFF, RIFF (WAV, AVI, WebP), ELF, Mach-O,
 * Java class, gzip, bzip2, xz, 7z, RAR, OLE (.doc, .xls, .msg), SQLite, WebAssembly.
 */
const BINARY_SIGNATURES: readonly (readonly number[])[] = [
  [0x89, 0x50, 0x4e, 0x47],
  [0x50, 0x4b, 0x03, 0x04],
  [0x50, 0x4b, 0x05, 0x06],
  [0x50, 0x4b, 0x07, 0x08],
  [0x25, 0x50, 0x44, 0x46],
  [0x47, 0x49, 0x46, 0x38],
  [0xff, 0xd8, 0xff],
  [0x49, 0x49, 0x2a, 0x00],
  [0x4d, 0x4d, 0x00, 0x2a],
  [0x52, 0x49, 0x46, 0x46],
  [0x7f, 0x45, 0x4c, 0x46],
  [0xcf, 0xfa, 0xed, 0xfe],
  [0xce, 0xfa, 0xed, 0xfe],
  [0xfe, 0xed, 0xfa, 0xcf],
  [0xfe, 0xed, 0xfa, 0xce],
  [0xca, 0xfe, 0xba, 0xbe],
  [0x1f, 0x8b],
  [0x42, 0x5a, 0x68],
  [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00],
  [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c],
  [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07],
  [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
  [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66],
  [0x00, 0x61, 0x73, 0x6d],
];

function binarySignature(bytes: Uint8Array): boolean {
  return BINARY_SIGNATURES.some((sig) => bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b));
}

/** At least one code unit in this many must be NUL on its high byte (ASCII or Latin-1 in UTF-16). */
const NUL_UNIT_SHARE = 1 / 128;
/** Share of the decoded characters that may be controls, private use or unassigned. */
const UTF16_ODD_SHARE = 0.01;
/** Other code units that are pairs of printable ASCII bytes, at or above which the bytes are 8-bit text with stray NULs. */
const ASCII_PAIRS_SHARE = 0.9;
/** Other code units needed to judge ASCII_PAIRS_SHARE. */
const ASCII_PAIRS_MIN_UNITS = 8;

/**
 * Characters that text does not hold but bytes decoded in the wrong encoding give: C0
 * and C1 controls other than tab, line feed, vertical tab, form feed, carriage return
 * and escape; private use; unassigned code points and noncharacters; U+FFFD.
 */
const NOT_TEXT = /[\u0000-\u0008\u000e-\u001a\u001c-\u001f\u007f-\u009f\p{Co}\p{Cn}\ufffd]/gu;

function notTextCount(text: string): number {
  NOT_TEXT.lastIndex = 0;
  let n = 0;
  while (NOT_TEXT.exec(text) !== null) n++;
  return n;
}

/** Printable ASCII, tab, line feed or carriage return. */
const asciiText = (b: number): boolean => (b >= 0x20 && b <= 0x7e) || b === 0x09 || b === 0x0a || b === 0x0d;

/**
 * UTF-16LE or UTF-16BE, when `sample` (the first bytes, no BOM) is UTF-16 text without a
 * BOM; else undefined. Each byte order is taken as possible when, in the first 8 KiB:
 * - the sample does not start with a binary format's signature (BINARY_SIGNATURES);
 * - at least 2 code units, and one in 128, have a NUL high byte (text with ASCII or
 *   Latin-1 in it: digits, spaces, line ends);
 * - the other code units are not nearly all pairs of printable ASCII bytes (8-bit text
 *   with a few stray NUL bytes, read two bytes at a time);
 * - it decodes with every surrogate paired, into at most 1% controls, private-use or
 *   unassigned characters.
 * When both are, the one that gives more plausible Chinese (chineseScore), then the one
 * with more NUL high bytes: Chinese has characters with a NUL low byte too (一 U+4E00,
 * 最 U+6700, 开 U+5F00), so NUL bytes alone do not tell the order of text with few
 * ASCII characters; read in the wrong order, text turns into rare ideographs.
 */
export function bomlessUtf16(sample: Uint8Array, complete: boolean): 'utf-16le' | 'utf-16be' | undefined {
  const length = Math.min(sample.length, UTF16_SAMPLE_BYTES) & ~1;
  if (length < 4 || binarySignature(sample)) return undefined;
  let best: { encoding: 'utf-16le' | 'utf-16be'; score: number; nul: number } | undefined;
  for (const encoding of ['utf-16le', 'utf-16be'] as const) {
    const hi = encoding === 'utf-16le' ? 1 : 0;
    let nul = 0; // code units U+0000 to U+00FF
    let asciiPairs = 0;
    for (let i = 0; i < length; i += 2) {
      if (sample[i + hi] === 0) nul++;
      else if (asciiText(sample[i]!) && asciiText(sample[i + 1]!)) asciiPairs++;
    }
    const units = length / 2;
    const wide = units - nul;
    if (nul < 2 || nul < units * NUL_UNIT_SHARE) continue;
    if (wide >= ASCII_PAIRS_MIN_UNITS && asciiPairs >= wide * ASCII_PAIRS_SHARE) continue;
    let text: string;
    try {
      // stream: a surrogate pair or a byte cut by the sample's end is not an error
      text = new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(sample.subarray(0, length), { stream: !complete || length < sample.length });
    } catch {
      continue; // an unpaired surrogate
    }
    if (notTextCount(text) > Math.floor(text.length * UTF16_ODD_SHARE)) continue;
    const score = chineseScore(text);
    if (best === undefined || score > best.score || (score === best.score && nul > best.nul)) best = { encoding, score, nul };
  }
  return best?.encoding;
}

// ---------------------------------------------------------------------------
// A UTF-16 BOM before bytes that are not UTF-16

/** Share of not-text characters (NOT_TEXT) above which a text after a UTF-16 BOM is said not to be UTF-16. */
const BOM_NOT_TEXT_SHARE = 0.05;
/** Share of printable ASCII bytes at or above which NUL-free bytes after a UTF-16 BOM are 8-bit text. */
const BOM_ASCII_SHARE = 0.9;
/** Bytes after a UTF-16 BOM needed to call them 8-bit text. */
const BOM_ASCII_MIN_BYTES = 16;

/**
 * Why the bytes after a UTF-16 BOM (`body`, the first of them) do not read as UTF-16, or
 * undefined: many unpaired surrogates, controls, private-use or unassigned characters
 * when decoded; or no NUL byte and nearly all printable ASCII (UTF-16 text holding ASCII
 * has NUL bytes, and Chinese in UTF-16 is about half bytes above 0x7E): 8-bit text, such
 * as UTF-8, behind bytes that happen to be a BOM.
 */
export function notUtf16Text(body: Uint8Array, encoding: 'utf-16le' | 'utf-16be', complete: boolean): string | undefined {
  const sample = body.subarray(0, UTF16_SAMPLE_BYTES);
  const name = encoding === 'utf-16le' ? 'UTF-16LE' : 'UTF-16BE';
  const mark = `the file starts with the ${name} byte-order mark (${encoding === 'utf-16le' ? 'FF FE' : 'FE FF'}) and is read as ${name}, but`;
  const after = 'so findings may be missed';
  if (sample.length >= BOM_ASCII_MIN_BYTES && !sample.includes(0)) {
    let ascii = 0;
    for (const b of sample) if (asciiText(b)) ascii++;
    const share = ascii / sample.length;
    if (share >= BOM_ASCII_SHARE)
      return `${mark} the bytes after it are ${Math.floor(share * 100)}% printable ASCII without a NUL byte in the first 8 KiB: 8-bit text such as UTF-8, not UTF-16, ${after}`;
  }
  const text = new TextDecoder(encoding, { ignoreBOM: true }).decode(sample, { stream: !complete || sample.length < body.length });
  if (text.length === 0) return undefined;
  const share = notTextCount(text) / text.length;
  if (share > BOM_NOT_TEXT_SHARE)
    return `${mark} ${Math.round(share * 100)}% of the characters in the first 8 KiB are unpaired surrogates, controls, private-use or unassigned code points: not UTF-16 text, ${after}`;
  return undefined;
}

// ---------------------------------------------------------------------------
// GB18030 or Big5 that is nearly valid UTF-8


/** `sample` decoded in `encoding`, or undefined at its first error. */
function decodeClean(sample: Uint8Array, encoding: 'gb18030' | 'big5', complete: boolean): string | undefined {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(sample, { stream: !complete });
  } catch {
    return undefined;
  }
}

/**
 * GB18030 or Big5 for a sample the domain took for UTF-8 although it is not valid UTF-8,
 * when one of them decodes it without an error into Chinese more plausible (chineseScore)
 * than the characters the UTF-8 reading gets right (GB18030 on a tie between them); else
 * undefined (UTF-8 stays).
 */
export function cleanLegacy(sample: Uint8Array, complete: boolean): 'gb18030' | 'big5' | undefined {
  if (validUtf8(sample, complete)) return undefined;
  const utf8 = chineseScore(new TextDecoder('utf-8').decode(sample, { stream: !complete }).replaceAll('\ufffd', ''));
  let best: { encoding: 'gb18030' | 'big5'; score: number } | undefined;
  for (const encoding of ['gb18030', 'big5'] as const) {
    const text = decodeClean(sample, encoding, complete);
    if (text === undefined) continue;
    const score = chineseScore(text);
    if (score > utf8 && (best === undefined || score > best.score)) best = { encoding, score };
  }
  return best?.encoding;
}
