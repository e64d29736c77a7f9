// JSON read as text (JSON Lines, and a JSON document too large to read string by string):
// its strings' `\uXXXX` escapes are read as the characters they stand for before the
// detectors see them. Python's json.dumps, and many exporters, escape every character
// beyond ASCII by default, so `"\u624b\u6a5f 91234567"` holds the phone word 手機 that
// the text as written hides (and every Chinese keyword and full-width form with it).
// Only the escapes' own characters change: line ends stay where they are, so lines still
// count right (an escaped control character, `\u000a` among them, reads as a space).

/** An escaped backslash (kept as written, so `\\u0041` stays text) or a `\uXXXX` escape. */
const ESCAPE = /\\(\\|u[0-9A-Fa-f]{4})/g;

function unescaped(text: string): string {
  return text.replace(ESCAPE, (whole, what: string) => {
    if (what === '\\') return whole;
    const code = Number.parseInt(what.slice(1), 16);
    return code < 0x20 ? ' ' : String.fromCharCode(code);
  });
}

/** A text record of JSON with its escapes read; the record itself when it has none. */
export function jsonEscapesRead<R extends { text: string; repeatedFrom?: number; newlines?: ArrayLike<number> }>(record: R): R {
  if (!record.text.includes('\\u')) return record;
  // A long line's pieces overlap (SourceRecord.repeatedFrom): the part before the repeated
  // text and the repeated text are read apart, so that this piece's reading of the repeated
  // text is the start of the next piece's reading of it, and they hand over at the same
  // place. The reader cuts both outside escapes (DecodeOptions.jsonEscapes): an escape cut
  // there would be read in neither piece, and a phone word with it.
  const { newlines: _offsetsOfTheTextAsWritten, ...rest } = record;
  if (record.repeatedFrom === undefined) return { ...rest, text: unescaped(record.text) } as R;
  const before = unescaped(record.text.slice(0, record.repeatedFrom));
  return { ...rest, text: before + unescaped(record.text.slice(record.repeatedFrom)), repeatedFrom: before.length } as R;
}

/** Whether a file (or object key) is JSON by its name, and so read with its escapes. */
export function isJsonName(name: string): boolean {
  return /\.(?:json|jsonl|ndjson)$/i.test(name);
}
