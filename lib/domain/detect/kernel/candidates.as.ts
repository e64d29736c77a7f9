// AssemblyScript, compiled to WebAssembly by test/support/kernel-build.ts (`npm run
// build:kernel`); the host side, and what the candidates are for, is ../candidates.ts.
//
// One pass over a window of UTF-16 text that lists every position where one of
// detect()'s regexes could match, so that the regexes run only there (sticky) instead
// of walking all the text themselves. Each test here is the regex's own first step
// written out, so the list always holds every position the regex could match at (the
// test suite checks this against the regexes): a candidate that then fails costs one
// regex call; a missed position would be a missed finding.
//
// Memory (laid out by the host):
//   [0, 65536)         CLASS: per UTF-16 code unit, DIGIT | LETTER | PLUS (`+`, `(`, `（`,
//                      `%` and the backslash), a keyword head's pass << 3, or NEWLINE
//                      for '\n'
//   [65536, 98304)     EN3: 1 where three letters (each & 31) start an English keyword,
//                      and where two letters and a zero are an IBAN country code
//   from `text`        the window's code units; the host puts 2 units before `lo` (when
//                      the text has them) and 16 after `hi`, zeros past the text's end
//   from `out`         one i32 per candidate: position << 3 | pass
//   from `lines`       one i32 per '\n' in [lo, hi): its position (`lineEnds` says how many)

const EN3: usize = 65536;
const DIGIT: u32 = 1;
const LETTER: u32 = 2;
const ALNUM: u32 = 3;
const PLUS: u32 = 4;
const NEWLINE: u32 = 64;
const SPACE: u32 = 32;
const HYPHEN: u32 = 45;
const DOT: u32 = 46;
const BACKSLASH: u32 = 92;
const AMPERSAND: u32 = 38;

/** Passes (see ../candidates.ts): identifiers, English keywords; Chinese keyword passes come from CLASS. */
const ID: u32 = 0;
const EN: u32 = 1;

@inline function cls(c: u32): u32 {
  return <u32>load<u8>(<usize>c);
}

@inline function at(t: usize, i: i32): u32 {
  return <u32>load<u16>(t + (<usize>i << 1));
}

@inline function isDigit(c: u32): bool {
  return c - 48 < 10;
}

/** identifier-pattern.ts's HYPHEN: `-`, U+2010 to U+2013. */
@inline function isHyphen(c: u32): bool {
  return c == HYPHEN || c - 0x2010 < 4;
}

/** identifier-pattern.ts's SEP (isSeparator there): a space of SPACE or a hyphen of HYPHEN. */
@inline function isSep(c: u32): bool {
  if (c == SPACE || c == HYPHEN) return true;
  if (c < 0xa0) return false;
  return c == 0xa0 || c == 0x2007 || c == 0x2009 || c - 0x2010 < 4 || c == 0x202f || c == 0x3000;
}

/**
 * The identifier regex (identifier-pattern.ts) at `i`, a run of ASCII letters and digits
 * starting with `c`: its branches' first characters, what must not come before them
 * (`notJoined`: a letter or digit and a hyphen) and the digit branch's gate. A separator
 * `[ -]` in a comment stands for SEP there (all its spaces and hyphens).
 */
@inline function identifierAt(t: usize, i: i32, c: u32, f: u32, c1: u32, f1: u32, c2: u32, f2: u32): bool {
  if (i >= 2 && isHyphen(at(t, i - 1)) && (cls(at(t, i - 2)) & ALNUM) != 0) return false;
  if ((f2 & DIGIT) != 0 && (f1 & ALNUM) != 0) {
    // HKID, IBAN: `[A-Za-z][A-Za-z\d]\d`
    if (f == LETTER) return true;
    if (f1 != DIGIT) return false;
    // `\d{3}` then `\d[ -]?\d{3}`, `\d{3}[ -][12]`, `(?<=1[3-9]\d)[ -]`, `(?<=852)[ -]`, `(?<=008)52`
    // or `\d&nbsp;\d{3}`
    const d3 = at(t, i + 3);
    const d4 = at(t, i + 4);
    if (isDigit(d3)) {
      if (isSep(d4)) return isDigit(at(t, i + 5)) && isDigit(at(t, i + 6)) && isDigit(at(t, i + 7));
      if (d4 == AMPERSAND) return isNbsp(t, i + 5) && isDigit(at(t, i + 10)) && isDigit(at(t, i + 11)) && isDigit(at(t, i + 12));
      if (isDigit(d4) && isDigit(at(t, i + 5))) {
        const d6 = at(t, i + 6);
        if (isDigit(d6) || (isSep(d6) && at(t, i + 7) - 49 < 2)) return true;
      }
      return c == 48 && c1 == 48 && c2 == 56 && d3 == 53 && d4 == 50;
    }
    if (!isSep(d3)) return false;
    return (c == 49 && c1 >= 51) || (c == 56 && c1 == 53 && c2 == 50);
  }
  // an IBAN's country code set apart: `[A-Za-z]{2}[ .-]\d`, the two letters a registry country's
  if (f == LETTER) return f1 == LETTER && (isSep(c2) || c2 == DOT) && isDigit(at(t, i + 3)) && load<u8>(EN3 + (((c & 31) << 10) | ((c1 & 31) << 5))) != 0;
  // `86[ -]1`
  return c == 56 && c1 == 54 && isSep(c2) && at(t, i + 3) == 49;
}

/** `nbsp;` at `i`, its letters in either case (the `i` flag's reading of identifier-pattern.ts's NBSP, after its `&`). */
@inline function isNbsp(t: usize, i: i32): bool {
  return (at(t, i) | 32) == 110 && (at(t, i + 1) | 32) == 98 && (at(t, i + 2) | 32) == 115 && (at(t, i + 3) | 32) == 112 && at(t, i + 4) == 59;
}

/** Writes candidate `i` of `pass` at `o`; returns where the next goes. */
@inline function put(o: usize, i: i32, pass: u32): usize {
  store<i32>(o, (i << 3) | pass);
  return o + 4;
}

/** `n`, `r` or `t` in either case: an escape's letter after a backslash (identifier-pattern.ts's ESCAPE, which the `i` flag reads so). */
@inline function isEscapeLetter(c: u32): bool {
  const l = c | 32;
  return l == 110 || l == 114 || l == 116;
}

/**
 * The start of a run of ASCII letters and digits at `i`: no branch of the identifier or
 * English keyword regexes can match inside one (they need no letter or digit before).
 * Writes its candidates at `o`; returns where the next go.
 */
@inline function runStart(t: usize, i: i32, c: u32, f: u32, o: usize): usize {
  const c1 = at(t, i + 1);
  const c2 = at(t, i + 2);
  const f1 = cls(c1);
  const f2 = cls(c2);
  if (identifierAt(t, i, c, f, c1, f1, c2, f2)) o = put(o, i, ID);
  if ((f & f1 & f2 & LETTER) != 0 && load<u8>(EN3 + (((c & 31) << 10) | ((c1 & 31) << 5) | (c2 & 31))) != 0) o = put(o, i, EN);
  return o;
}

/** How many line ends the last scan() wrote at `lines`. */
export let lineEnds: i32 = 0;

/**
 * Candidates at positions [lo, hi) of the window at `t`; returns how many were written to
 * `out`. The positions of its '\n' go to `lines` (the chunk readers' line numbers, for
 * which the text is then not walked again).
 */
export function scan(t: usize, lo: i32, hi: i32, out: usize, lines: usize): i32 {
  let o = out;
  let l = lines;
  let i = lo;
  if (i > 0) {
    const b = at(t, i - 1);
    if (b == BACKSLASH && isEscapeLetter(at(t, i))) {
      // the window starts at an escape's letter: a run of its own, and what follows it starts one
      o = runStart(t, i, at(t, i), cls(at(t, i)), o);
      i++;
    } else if ((cls(b) & ALNUM) != 0 && !(i >= 2 && at(t, i - 2) == BACKSLASH && isEscapeLetter(b))) {
      // A window that starts inside a run of letters and digits: its rest is no run's start
      // (but for what follows an escape's letter).
      while (i < hi && (cls(at(t, i)) & ALNUM) != 0) i++;
    }
  }
  for (; i < hi; i++) {
    const c = at(t, i);
    const f = cls(c);
    if (f == 0) continue;
    if ((f & ALNUM) != 0) {
      o = runStart(t, i, c, f, o);
      i++;
      while (i < hi && (cls(at(t, i)) & ALNUM) != 0) i++;
      i--;
    } else if (f == PLUS) {
      // `[+(（][+8]`: +852, (852), (+86), （86）; `%2[Bb8]`: an encoded `+` or `(`, `%2B852`,
      // `%28852%29`; `\(%2`: an encoded `+` in brackets, `(%2B852)`; a backslash: below
      const c1 = at(t, i + 1);
      if (c == 37) {
        if (c1 == 50) {
          const c2 = at(t, i + 2);
          if ((c2 | 32) == 98 || c2 == 56) o = put(o, i, ID);
        }
      } else if (c == BACKSLASH) {
        // an escape written out, `\n`, `\r`, `\t`: its letter is a run of its own, and what
        // follows it starts one (`\n91234567`, `\nsalary`)
        if (isEscapeLetter(c1) && i + 1 < hi) {
          i++;
          o = runStart(t, i, c1, cls(c1), o);
        }
      } else if (c1 == 43 || c1 == 56 || (c == 40 && c1 == 37 && at(t, i + 2) == 50)) o = put(o, i, ID);
    } else if (f == NEWLINE) {
      store<i32>(l, i);
      l += 4;
    } else {
      // a Chinese keyword's first character: its pass
      o = put(o, i, f >> 3);
    }
  }
  lineEnds = <i32>((l - lines) >> 2);
  return <i32>((o - out) >> 2);
}
