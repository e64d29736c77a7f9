// detect() tries its regexes only at the positions the WebAssembly kernel lists
// (lib/domain/detect/candidates.ts). That loses nothing only if every position where a
// regex can match is listed for its pass; these tests check exactly that on seeded text
// made of the pieces the regexes' first steps look at, and that detect() then gives
// what the plain regex scan (every position tried) gives.
import { describe, expect, it } from 'vitest';
import { candidates, lineEnds, PASSES } from '../lib/domain/detect/candidates.ts';
import { detect, detectAt } from '../lib/domain/detect/detect.ts';
import { ID_RE } from '../lib/domain/detect/identifier-pattern.ts';
import { CANDIDATES_WASM } from '../lib/domain/detect/kernel/candidates-wasm.ts';
import { buildKernel } from './support/kernel-build.ts';
import { HEALTH_KEYWORDS, PAYROLL_KEYWORDS, TOPIC_RES } from '../lib/domain/detect/keywords.ts';
import { mulberry32 } from '../lib/domain/text/seeded-random.ts';
import { labelledLines } from './support/labelled-corpus.ts';

const spellings = [...Object.values(HEALTH_KEYWORDS), ...Object.values(PAYROLL_KEYWORDS)].flat();

/**
 * The separators the regexes take for a space or a hyphen (SPACE and HYPHEN in
 * identifier-pattern.ts), each as often as the ASCII ones, so that a kernel that missed
 * one (in its gates or its test of what joins a token to the one before) fails here.
 */
const SPACES = [' ', '\u00A0', '\u2007', '\u2009', '\u202F', '\u3000'];
const HYPHENS = ['-', '\u2010', '\u2011', '\u2012', '\u2013'];
const sep = (r: () => number): string => (r() < 0.5 ? ' ' : r() < 0.3 ? '-' : pick(r, [...SPACES, ...HYPHENS]));
/** Near misses of the separators: a tab, U+2008 (punctuation space), U+200B (zero width), U+2014 (em dash), U+2212 (minus). */
const NOT_SEPARATORS = ['\t', '\u2008', '\u200B', '\u2014', '\u2212'];

/** Pieces that start, end, join or gate the regexes' candidates, and text around them. */
const PIECES: ((r: () => number) => string)[] = [
  (r) => digits(r, 1 + Math.floor(r() * 19)),
  (r) => digits(r, 8),
  (r) => digits(r, 4) + sep(r) + digits(r, 4),
  (r) => '1' + '3456789'[Math.floor(r() * 7)] + digits(r, 1) + pick(r, [sep(r), '']) + digits(r, 4),
  () => ' ', () => '-', () => '.', () => '\n', () => '/', () => ',', () => ':', () => '\t',
  (r) => pick(r, [...SPACES, ...HYPHENS, ...NOT_SEPARATORS]),
  // what may stand before a grouped card (a date, a time, an amount) or after it (an expiry)
  (r) => pick(r, ['$', 'HK$', '¥', 'HKD ', '2026-11-30 ', '30/11/26 ', '10:15 ', '001 ', '500.00 ', ' 1227', ' 1334']),
  () => '+', () => '(', () => ')', () => '（', () => '）', () => '[', () => ']', () => '@', () => '_',
  (r) => pick(r, ['852', '86', '008', '0086', '00852', '+852', '(+86)', '（852）', '86 1', '86-1', '++', '(8', `86${sep(r)}1`]),
  // phone numbers after each prefix, with each separator
  (r) => {
    const s = sep(r);
    return pick(r, ['', '852', '00852', '+852', '(852)', '86', '0086', '+86', '（86）']) + pick(r, ['', sep(r)]) + pick(r, ['1' + digits(r, 10), '13' + digits(r, 1) + s + digits(r, 4) + s + digits(r, 4), pick(r, ['2', '5', '6', '9', '4']) + digits(r, 3) + pick(r, ['', s]) + digits(r, 4)]);
  },
  // card and IBAN groupings
  (r) => Array.from({ length: 2 + Math.floor(r() * 4) }, () => digits(r, pick(r, [4, 4, 6, 5, 2]))).join(pick(r, [sep(r), '.'])),
  (r) => caseMix(r, letters(r, 1 + Math.floor(r() * 4))),
  (r) => caseMix(r, pick(r, ['gb82', 'GB82 WEST', 'de89', 'no93', 'NO 93', 'de-89', 'GB.82', 'at 1', 'A', 'AB', 'x', 'hk', 'ORD', 'SF', `NO${sep(r)}93`, `A123456${sep(r)}(3)`])),
  (r) => caseMix(r, pick(r, spellings)),
  (r) => pick(r, spellings).slice(0, 1 + Math.floor(r() * 3)),
  (r) => caseMix(r, pick(r, ['tel', 'call', 'phone', 'ot', 'OT pay', 'M:', 'T:', 'no.', 'is my', 'Commission'])),
  (r) => pick(r, ['電話', '手機', '微信', '係我', '是我的', '收入', '人工智能', '處理', '出去', '月', '年', '😀', '中', '文']),
  // escapes written out (a JSON log's `\n`), after which a word or number starts; a backslash escaped, and near misses
  (r) => pick(r, ['\\n', '\\r', '\\t', '\\N', '\\T', '\\R', '\\\\n', '\\', '\\u003c', '\\b', '\\x', 'n', 't']),
  // HTML's no-break space between a number's groups (`9123&nbsp;4567`), either case, and near misses
  (r) => pick(r, ['&nbsp;', '&NBSP;', '&Nbsp;', '&nbsp', '&nbs;', '&amp;', '&', `${pick(r, ['2', '5', '6', '9'])}${digits(r, 3)}&nbsp;${digits(r, 4)}`]),
];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}
function digits(r: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(r() * 10));
  return s;
}
function letters(r: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(97 + Math.floor(r() * 26));
  return s;
}
function caseMix(r: () => number, s: string): string {
  const k = r();
  return k < 0.4 ? s : k < 0.7 ? s.toUpperCase() : [...s].map((c) => (r() < 0.5 ? c.toUpperCase() : c)).join('');
}

function fuzzTexts(seed: number, count: number, pieces: number): string[] {
  const r = mulberry32(seed);
  return Array.from({ length: count }, () => Array.from({ length: 1 + Math.floor(r() * pieces) }, () => pick(r, PIECES)(r)).join(''));
}

const texts = [
  ...fuzzTexts(7, 1500, 60),
  ...fuzzTexts(8, 40, 2000),
  // the labelled corpus: real identifiers, near misses and chat around them
  ...Array.from({ length: 20 }, (_, i) => labelledLines(100, { seed: 300 + i }).map((l) => l.text).join('\n')),
];

/** Every position where each pass's regex matches, tried one by one. */
function matchPositions(text: string): number[][] {
  const regexes = [new RegExp(ID_RE.source, ID_RE.flags.replace('g', 'y')), ...TOPIC_RES];
  return regexes.map((re) => {
    const at: number[] = [];
    for (let p = 0; p < text.length; p++) {
      re.lastIndex = p;
      if (re.test(text)) at.push(p);
    }
    return at;
  });
}

const copy = (lists: Int32Array[]): number[][] => lists.map((l) => Array.from(l));

describe('the candidate kernel', () => {
  it('is embedded as built from its source', async () => {
    expect(Buffer.from(await buildKernel()).toString('base64')).toBe(CANDIDATES_WASM);
  }, 60_000);

  it('lists every position where a regex matches, in order, for its pass', () => {
    const matched = new Array<number>(PASSES).fill(0);
    for (const text of texts) {
      const found = copy(candidates(text));
      const matches = matchPositions(text);
      expect(found).toHaveLength(PASSES + 1); // the passes, then where full-width forms stand (detect-full-width.test.ts)
      for (let pass = 0; pass < PASSES; pass++) {
        const listed = new Set(found[pass]);
        const missed = matches[pass]!.filter((p) => !listed.has(p));
        expect(missed.map((p) => `pass ${pass} at ${p}: ${JSON.stringify(text.slice(Math.max(0, p - 6), p + 12))}`)).toEqual([]);
        expect(found[pass]!.every((p, i, a) => i === 0 || p > a[i - 1]!)).toBe(true);
        matched[pass]! += matches[pass]!.length;
      }
    }
    // the texts reach every pass's regex many times over
    for (const n of matched) expect(n).toBeGreaterThan(300);
  });

  it('gives detect() the findings of the plain regex scan', () => {
    let findings = 0;
    for (const text of texts) {
      const every = Int32Array.from({ length: text.length }, (_, i) => i);
      const expected = detectAt(text, Array.from({ length: PASSES }, () => every));
      expect(detect(text)).toEqual(expected);
      findings += expected.length;
    }
    expect(findings).toBeGreaterThan(5_000);
  });

  it("lists each '\\n' of a text, whatever the window, and keeps its candidates for the same text only", () => {
    const newlines = (text: string): number[] => [...text.matchAll(/\n/g)].map((m) => m.index);
    let ends = 0;
    for (const [i, text] of texts.entries()) {
      const want = newlines(text);
      expect(Array.from(lineEnds(text))).toEqual(want);
      ends += want.length;
      if (i < 60) for (const window of [1, 2, 3, 5, 64]) expect(Array.from(lineEnds(text, window)), `window ${window}`).toEqual(want);
      // what candidates() gives after lineEnds(): the text's own lists, for that text or another
      const fresh = copy(candidates(text));
      lineEnds(text);
      expect(copy(candidates(text))).toEqual(fresh);
      const other = texts[(i + 1) % texts.length]!;
      const otherFresh = copy(candidates(other));
      lineEnds(text);
      expect(copy(candidates(other))).toEqual(otherFresh);
    }
    expect(ends).toBeGreaterThan(1_000);
    // a text of only line ends, and one longer than the kernel's window
    expect(Array.from(lineEnds('\n'.repeat(3000)))).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    const long = 'A123456(3) 電話 9123 4567\n'.repeat(40_000);
    expect(Array.from(lineEnds(long))).toEqual(newlines(long));
  });

  it('lists the same positions whatever the window the text is cut into', () => {
    for (const text of texts.filter((t) => t.length > 200).slice(0, 60)) {
      const whole = copy(candidates(text));
      for (const window of [1, 2, 3, 5, 8, 64]) expect(copy(candidates(text, window)), `window ${window}`).toEqual(whole);
    }
  });
});
