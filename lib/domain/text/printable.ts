// Names as a terminal may show them: a file, group or column name is text someone else
// chose, and a control character in it (an escape sequence, a carriage return) can
// rewrite what the terminal shows, a bidirectional override (U+202E) can make
// `evil‮txt.exe` read as `evilexe.txt`, and a zero-width character can make two names
// look the same. Human output shows each such character as an escape (`\u{1b}`,
// `\u{202e}`) instead. Pure.

/** C0 and C1 controls, DEL, format characters (bidi marks and overrides, zero-width), line and paragraph separators, lone surrogates. */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

const escape = (c: string): string => `\\u{${c.codePointAt(0)!.toString(16)}}`;

/** `text` with every control, format or separator character written as `\u{hex}`. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, escape);
}
