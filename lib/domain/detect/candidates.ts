// Where detect()'s regexes could match: one pass of a small WebAssembly kernel
// (kernel/candidates.as.ts) over the text lists, per pass, the positions where a match
// could start, and detect() then runs each regex sticky at those positions only.
//
// Why: irregexp walks text at 10-15 ns a character for the identifier regex and 2-5 ns
// for each keyword regex, since their first characters (letters, digits, common Chinese
// characters) are everywhere in chat text and leave its skip tables little to skip; the
// four passes were 40% of a scan. The kernel walks the text once, at about 4 ns a
// character, and the regexes then run only where one could match (on the benchmark's
// chat text, about one position in a hundred).
//
// The same walk lists where each '\n' stands (lineEnds), which the text readers would
// otherwise find in a walk of their own for the findings' line numbers.
//
// Findings are exactly the regex scan's: a `g` regex from lastIndex L matches at the
// first position >= L where it can match, and trying the sticky regex at each candidate
// >= L in order finds that same position, as long as every position where the regex can
// match is a candidate. The kernel's tests are the regexes' own first steps written out;
// test/detect-candidates.test.ts checks the lists against every position each regex
// matches at, and the embedded kernel against a build of its source.
import { CANDIDATES_WASM } from './kernel/candidates-wasm.ts';
import { IBAN_COUNTRY_CODES } from './iban.ts';
import { TOPIC_STARTS } from './keywords.ts';

// Node's WebAssembly global, as far as used here (TypeScript declares it only in the DOM lib).
declare const WebAssembly: {
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
};

/** Pass 0: the identifier regex; pass 1 + i: TOPIC_RES[i]. */
export const PASSES = 1 + TOPIC_STARTS.length;
/**
 * The list after the passes: where one of FULL_WIDTH_FORMS stands, which detect() then
 * reads as ASCII. Their class is a pass as a Chinese keyword head's is, so the kernel
 * lists them as it lists those, with nothing of its own.
 */
export const WIDE = PASSES;
/** The full-width forms detect() reads as ASCII ones (U+FF01 to U+FF5E are ASCII's `!` to `~` + 0xFEE0). */
export const FULL_WIDTH_FORMS = '＋－．０１２３４５６７８９＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ';

// Memory layout; the kernel's header says what each part holds.
const CLASS_AT = 0;
const EN3_AT = 65536;
const TEXT_AT = 98304;
const DIGIT = 1;
const LETTER = 2;
const PLUS = 4;
/** Code units the kernel reads before a window's first position, and after its last (12: `\d{3}` and `\d&nbsp;\d{3}`). */
const BEFORE = 2;
const AFTER = 16;

/** '\n''s class: above the bits of the passes (pass << 3, 3 bits). */
const NEWLINE = 64;

function layout(window: number): { outAt: number; linesAt: number; bytes: number } {
  const outAt = (TEXT_AT + (window + BEFORE + AFTER) * 2 + 7) & ~7;
  // at most two candidates per position (an identifier and an English keyword at a word's start)
  const linesAt = outAt + window * 2 * 4;
  return { outAt, linesAt, bytes: linesAt + window * 4 };
}

/** A kernel's run over a text: its candidates, per list, and its line ends, in `lists` and `counts` (the last list: line ends). */
type Run = (text: string, lists: Int32Array[], counts: Int32Array) => void;

function instantiate(window: number): Run {
  const { outAt, linesAt, bytes } = layout(window);
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
  const module = new WebAssembly.Module(Buffer.from(CANDIDATES_WASM, 'base64'));
  const { scan, lineEnds } = new WebAssembly.Instance(module, { env: { memory, abort: () => {} } }).exports as {
    scan: (text: number, lo: number, hi: number, out: number, lines: number) => number;
    lineEnds: { value: number };
  };
  const buffer = Buffer.from(memory.buffer);
  const out = new Int32Array(memory.buffer, outAt);
  const lineAt = new Int32Array(memory.buffer, linesAt);

  const classes = buffer.subarray(CLASS_AT, CLASS_AT + 65536);
  for (let c = 48; c < 58; c++) classes[c] = DIGIT;
  for (let c = 65; c < 91; c++) classes[c] = classes[c + 32] = LETTER;
  // the kernel's PLUS branch: `+`, `(`, `（`, `[` (`[+852]`, as `(+852)`; its header names all but this), `%` and the backslash
  for (const c of '+(（[%\\') classes[c.charCodeAt(0)] = PLUS;
  const en3 = buffer.subarray(EN3_AT, EN3_AT + 32768);
  // a letter's code & 31 is never 0, so no keyword start takes these places
  for (const cc of IBAN_COUNTRY_CODES) en3[((cc.charCodeAt(0) & 31) << 10) | ((cc.charCodeAt(1) & 31) << 5)] = 1;
  TOPIC_STARTS.forEach((starts, i) => {
    const pass = 1 + i;
    for (const s of starts) {
      if (i === 0) {
        if (!/^[a-z]{3}$/.test(s)) throw new Error(`English keyword start ${JSON.stringify(s)}: the kernel needs three letters`);
        en3[((s.charCodeAt(0) & 31) << 10) | ((s.charCodeAt(1) & 31) << 5) | (s.charCodeAt(2) & 31)] = 1;
      } else {
        if (s.length !== 1 || classes[s.charCodeAt(0)] !== 0) throw new Error(`Chinese keyword head ${JSON.stringify(s)}: not one code unit of its own`);
        classes[s.charCodeAt(0)] = pass << 3;
      }
    }
  });
  classes[10] = NEWLINE;
  for (const c of FULL_WIDTH_FORMS) {
    if (classes[c.charCodeAt(0)] !== 0) throw new Error(`full-width ${c}: a keyword head`);
    classes[c.charCodeAt(0)] = WIDE << 3;
  }
  if (WIDE >= 8) throw new Error(`${WIDE + 1} lists: the kernel's candidates carry a pass in 3 bits`);

  return (text, lists, counts) => {
    const n = text.length;
    for (let a = 0; a < n; a += window) {
      const b = Math.min(n, a + window);
      const from = Math.max(0, a - BEFORE);
      const to = Math.min(n, b + AFTER);
      buffer.write(text.substring(from, to), TEXT_AT, 'utf16le');
      // past the text's end the kernel reads zeros, which no test takes for a letter or digit
      buffer.fill(0, TEXT_AT + (to - from) * 2, TEXT_AT + (b + AFTER - from) * 2);
      const k = scan(TEXT_AT, a - from, b - from, outAt, linesAt);
      for (let i = 0; i < k; i++) {
        const v = out[i]!;
        const pass = v & 7;
        let list = lists[pass]!;
        const c = counts[pass]!;
        if (c === list.length) {
          const grown = new Int32Array(list.length * 2);
          grown.set(list);
          lists[pass] = list = grown;
        }
        list[c] = from + (v >>> 3);
        counts[pass] = c + 1;
      }
      const found = lineEnds.value;
      let c = counts[LINES]!;
      if (c + found > lists[LINES]!.length) {
        const grown = new Int32Array(Math.max(lists[LINES]!.length * 2, c + found));
        grown.set(lists[LINES]!.subarray(0, c));
        lists[LINES] = grown;
      }
      const ends = lists[LINES]!;
      for (let i = 0; i < found; i++) ends[c++] = from + lineAt[i]!;
      counts[LINES] = c;
    }
  };
}

/** Code units per kernel call: 512 KiB of text, about 4 MiB of memory in all. */
const WINDOW = 1 << 18;

/** After WIDE, the list of the text's line ends. */
const LINES = WIDE + 1;

let run: Run | undefined;
const lists = Array.from({ length: LINES + 1 }, () => new Int32Array(1024));
const counts = new Int32Array(LINES + 1);
/** The text the lists are of, when lineEnds() ran the kernel over it for candidates() to come. */
let listed: string | undefined;

function scanned(text: string, window: number): void {
  if (!(Number.isInteger(window) && window > 0)) throw new RangeError(`window must be a positive integer, not ${window}`);
  run ??= instantiate(WINDOW);
  const scan = window === WINDOW ? run : instantiate(window);
  counts.fill(0);
  scan(text, lists, counts);
}

/**
 * Per pass, the positions of `text` (ascending) where its regex could match, then (list
 * WIDE) those of its full-width forms. The arrays
 * are reused by the next call: read them before calling again. `window` (code units per
 * kernel call) is for tests of the windows' seams.
 */
export function candidates(text: string, window = WINDOW): Int32Array[] {
  // the same text as lineEnds() was last given (equal strings: what it listed holds)
  if (text !== listed || window !== WINDOW) scanned(text, window);
  listed = undefined;
  return lists.slice(0, LINES).map((list, pass) => list.subarray(0, counts[pass]));
}

/**
 * Where each '\n' of `text` stands, ascending, in an array of its own: found by the
 * kernel's walk, whose candidates are then kept for the next candidates() call if it is
 * for the same text. A reader whose chunks go to detect() as they are gets their line ends
 * so without walking them again (finding the '\n' of the benchmark's 100 MB chat file
 * took 40-75 ms, about what decoding it takes); one that makes
 * other text of its chunks would only walk them twice.
 */
export function lineEnds(text: string, window = WINDOW): Int32Array {
  scanned(text, window);
  listed = window === WINDOW ? text : undefined;
  return lists[LINES]!.slice(0, counts[LINES]);
}
