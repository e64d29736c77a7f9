// Where text cut short (by a byte budget: the reader stops after N bytes, wherever that
// falls) may end inside an identifier, e-mail address or keyword: its last token. The
// reader leaves that token out, so that no detector reads the start of a number as a
// shorter one of another type (the first 16 digits of a PRC ID as a card, the first 11
// of a longer number as a mainland mobile) or an address cut in its domain as another.

import { isCjk, readAs } from './detect.ts';
import { isSeparator } from './identifier-pattern.ts';

const LETTER = /^[\p{L}\p{M}]$/u;

/** A character a token holds: what an identifier, an e-mail address or an English keyword is made of. */
function inToken(c: number): boolean {
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return true;
  switch (c) {
    case 0x40: // @
    case 0x2e: // .
    case 0x5f: // _
    case 0x25: // %
    case 0x2b: // +
    case 0x28: // (
    case 0x29: // )
    case 0x5b: // [
    case 0x5d: // ]
    case 0xff08: // （
    case 0xff09: // ）
      return true;
  }
  if (c < 0x80) return false;
  if (isSeparator(c)) return true; // hyphens (the spaces are handled apart)
  return !isCjk(c) && LETTER.test(String.fromCharCode(c)); // letters of an internationalised address
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * Where the last token of `text` starts (text.length when it ends with none): the run of
 * letters, digits and the characters identifiers and e-mail addresses hold (`@ . _ % +`,
 * brackets, hyphens) at its end, with the spaces at its very end (the cut may fall
 * between two groups of a number), and on over each single space that follows a digit
 * (`4111 1111 11`, `+852 9123 45`, `A123456 (3`; not `card 4111`, whose `card` stays).
 * `from` is the least it returns.
 */
export function cutTokenStart(written: string, from = 0): number {
  const text = readAs(written); // full-width digits and letters are a token's too
  let i = text.length;
  while (i > from && isSeparator(text.charCodeAt(i - 1)) && !inToken(text.charCodeAt(i - 1))) i--;
  for (;;) {
    while (i > from && inToken(text.charCodeAt(i - 1))) i--;
    // a single space between a digit and what follows it: the same number, grouped
    if (i - 2 >= from && isSeparator(text.charCodeAt(i - 1)) && isDigit(text.charCodeAt(i - 2))) i--;
    else return i;
  }
}
