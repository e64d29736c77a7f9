// Redaction: the one way a string that came from scanned content, a file name, an S3
// key or a group or channel name is made safe before it is stored, logged, thrown in an
// error or printed. The detectors run over it and every identifier they find is
// replaced by its mask (mask.ts); topics (health, payroll) are words, not personal
// data, and stay as written. Pure: no I/O.
//
// Names are not chat text, so redact() looks three times:
//   1. the text as it is, with the detectors' own rules;
//   2. the result with every hyphen ('-', and U+2010 to U+2013) read as a space and ASCII letters read in upper case
//      (full-width forms as ASCII; same length, so offsets hold), so that an identifier joined to a word by a
//      hyphen (`hr-A1234563.csv`, `card-4111111111111111.txt`) or written in lower case
//      (`hkid_a1234563.pdf`) is masked too. A name may come out over-masked; never
//      under-masked by these two shapes.
//   3. HKIDs written as document numbers (`K234567-6`), which text holds as HKIDs only
//      near an HKID word: a name has none (maskedDocumentHkids).
// Masks contain no identifier, and the detectors find nothing in a mask, so
// redact(redact(s)) === redact(s): what earlier versions stored can be redacted again.
// The cost is two detector passes over the string: meant for names, paths and
// messages, once each, never for every record's text.
import { hkidValue } from './check-digits.ts';
import { detect, readAs, type Detection } from './detect.ts';
import { BARE_HK_NUMBER, bareHkValue, HYPHEN } from './identifier-pattern.ts';
import { mask } from './mask.ts';

const isTopic = (d: Detection) => d.type === 'health' || d.type === 'payroll';
/** An IBAN's country code and check digits, in either case. */
const IBAN_START = /[A-Z]{2}[0-9]{2}/i;

/** `text` with each identifier in `found` (sorted, not overlapping) replaced by its mask. */
function masked(text: string, found: readonly Detection[]): string {
  let out = '';
  let at = 0;
  for (const d of found) {
    if (isTopic(d)) continue;
    out += text.slice(at, d.start) + mask(d);
    at = d.end;
  }
  return at === 0 ? text : out + text.slice(at);
}

/**
 * The same text, hyphens (HYPHEN's, `‐` and `–` too) as spaces and ASCII letters
 * upper-cased, full-width forms as ASCII (readAs): every offset unchanged.
 */
function loosened(text: string): string {
  return readAs(text).replace(/[-\u2010-\u2013a-z]/g, (c) => (c >= 'a' && c <= 'z' ? c.toUpperCase() : ' '));
}

/**
 * Whether `text` could hold an identifier at all: every one has six digits or more
 * (HKID, PRC ID, card, phones), or an '@' (e-mail), or a country code and two check
 * digits (an IBAN, whose rest may be letters). Most names and JSON keys have none, and
 * are passed over without running the detectors.
 */
function mayHoldIdentifier(written: string): boolean {
  const text = readAs(written);
  if (text.includes('@') || IBAN_START.test(text)) return true;
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57 && ++digits >= 6) return true;
  }
  return false;
}

/**
 * HKIDs written as document numbers, `K234567-6` and `CA 182361 (1)`: in text they are
 * found only near an HKID word (detect.ts), and a name (a CSV column headed by the first
 * row's cell, a JSON key, a file name) has none to give. Here they are masked whenever
 * their check digit is right: an order's line, `PO123456-1`, may come out masked too.
 */
const DOCUMENT_HKID = new RegExp(String.raw`(?<![0-9A-Za-z])(?:[A-Za-z]{1,2}\d{6}${HYPHEN}[0-9Aa]|[A-Za-z]{2} \d{6} ?\([0-9Aa]\))(?![0-9A-Za-z])`, 'g');

/** `text` with DOCUMENT_HKID's HKIDs masked, read in ASCII (readAs: `Ｋ２３４５６７－６`; the same offsets). */
function maskedDocumentHkids(text: string): string {
  const read = readAs(text);
  let out = '';
  let at = 0;
  for (const m of read.matchAll(DOCUMENT_HKID)) {
    const value = hkidValue(m[0]);
    if (value === undefined) continue;
    out += text.slice(at, m.index) + mask({ type: 'hk_id', value });
    at = m.index + m[0].length;
  }
  return at === 0 ? text : out + text.slice(at);
}

/** `text` with every identifier the detectors find replaced by its mask; topics kept. */
export function redact(text: string): string {
  if (!mayHoldIdentifier(text)) return text;
  const once = masked(text, detect(text));
  const loose = loosened(once);
  return maskedDocumentHkids(loose === once ? once : masked(once, detect(loose)));
}

const BARE_HK = new RegExp(BARE_HK_NUMBER, 'g');

/**
 * A name (a chat, group or channel's, a sender's) redacted: as redact() does, and every
 * bare Hong Kong number in it masked as a phone too. In text a bare eight-digit number
 * is a phone only next to a phone word; a name has none to give, yet a chat is named
 * after the number of the person in it (`9123 4567 陳生`), so a name is read as if a
 * phone word stood before each number. Looked for in the loosened text, as redact()'s
 * second look is (`chat-91234567`). Idempotent too: a mask holds at most four digits in
 * a row. An eight-digit date or code in a name comes out masked: over-masked, never under.
 */
export function redactName(name: string): string {
  const once = redact(name);
  if (!mayHoldIdentifier(once)) return once;
  const loose = loosened(once);
  let out = '';
  let at = 0;
  BARE_HK.lastIndex = 0;
  for (let m = BARE_HK.exec(loose); m !== null; m = BARE_HK.exec(loose)) {
    out += once.slice(at, m.index) + mask({ type: 'hk_phone', value: bareHkValue(m[0]) });
    at = m.index + m[0].length;
  }
  return at === 0 ? once : out + once.slice(at);
}

/**
 * The error itself, its message, stack and causes redacted (in place, so its class,
 * name and code still say what kind of failure it was). For errors that may quote a
 * path, a key or content before they are thrown on, logged or stored.
 */
export function redactError<E>(error: E, depth = 0): E {
  if (!(error instanceof Error) || depth > 8) return error;
  error.message = redact(error.message);
  if (typeof error.stack === 'string') error.stack = redact(error.stack);
  if (error.cause !== undefined) error.cause = error.cause instanceof Error ? redactError(error.cause, depth + 1) : redact(String(error.cause));
  if (error instanceof AggregateError) error.errors = error.errors.map((e: unknown) => redactError(e, depth + 1));
  return error;
}
