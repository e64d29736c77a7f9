// The detectors find the same however V8 compiles their regexes. V8 compiles a regex
// unoptimized when its source is over 20 kB, or once a process has generated a megabyte of
// regex code and holds 16 MB of executable memory (a long-running server; a regex first
// run late, on two-byte text), and a `(?i:...)` modifier over alternatives then failed to
// match capitals: `Phone: 9123 4567` went unread. --no-regexp-optimization forces that
// compilation from the start; the findings must not change.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('./support/detect-child.ts', import.meta.url));
const SAMPLES = [
  'Phone: 9123 4567',
  'MOBILE 6123 4567',
  'TEL 9123 4567 / 6123 4567',
  'call me at 9123 4567 OR 6123 4567',
  'Tel No. 9123 4567',
  '9123 4567 IS MY mobile',
  'WhatsApp +852 9123 4567',
  '手機 9123 4567',
  // phone keys, a vCard's TEL, a phone word after a written-out escape, markup (detect-qa-fixes.test.ts)
  'PHONE_NO: 91234567',
  'contactPhone=91234567',
  'TEL;TYPE=CELL,VOICE:9876 5432',
  String.raw`"Reply:\nMOBILE 9123 4567"`,
  '<TD>PHONE:</TD><TD>9123 4567</TD>',
];

function found(flags: string[]): [string, number, number, string][][] {
  return JSON.parse(execFileSync(process.execPath, [...flags, CHILD, ...SAMPLES], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
}

describe('the detectors under either of V8 regex compilations', () => {
  it('find the same in the labelled corpus and in capitalised phone words, optimized or not', () => {
    const optimized = found([]);
    const unoptimized = found(['--no-regexp-optimization']);
    // the samples are phones (so the comparison below is not of two empty lists)
    expect(optimized.slice(0, SAMPLES.length).map((ds) => ds.map((d) => d[0]))).toEqual([
      ['hk_phone'],
      ['hk_phone'],
      ['hk_phone', 'hk_phone'],
      ['hk_phone', 'hk_phone'],
      ['hk_phone'],
      ['hk_phone'],
      ['hk_phone'],
      ['hk_phone'],
      ['hk_phone'],
      ['hk_phone'],
      ['hk_phone'],
      ['hk_phone'],
      ['hk_phone'],
    ]);
    expect(optimized.flat().length).toBeGreaterThan(2000); // findings in the corpus lines
    expect(unoptimized).toEqual(optimized);
  });
});
