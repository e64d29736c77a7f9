// A phone number followed by a date or a time (DATE_OR_TIME in identifier-pattern.ts): the
// date is when, not more of the number, but only a real date is one. A token with no real
// month and day (`99.99.99`, `45/13/2026`, `2026-19-45`: a reference, a version, an
// amount) is more digits after the number, and `9123 4567 <more digits>` may be one longer
// number, so it is no phone.
import { describe, expect, it } from 'vitest';
import { detect } from '../lib/domain/detect/detect.ts';
import { ID_RE } from '../lib/domain/detect/identifier-pattern.ts';
import { mask } from '../lib/domain/detect/mask.ts';

/** Every finding in `text`: type, raw, value, mask and where. */
function found(text: string) {
  return detect(text).map((d) => ({ type: d.type, raw: d.raw, value: d.value, masked: mask(d), start: d.start, end: d.end }));
}

const HK = { type: 'hk_phone', raw: '9123 4567', value: '+85291234567', masked: '+852 ****4567' };
const CN = { type: 'cn_phone', raw: '138 1234 5678', value: '+8613812345678', masked: '+86 *******5678' };

// each form DATE_OR_TIME reads: year first, day or month first, with `/`, `-` or `.`,
// zero-padded or not, two-digit years; and the times and YYYY MMDD it read before
const VALID = [
  '30/11/2026', '11/30/2026', '1/2/26', '01/02/2026', '12/13/26', '13/12/26', '31/12/1999', '12/31/1999',
  '30-11-26', '11-30-2026', '30.11.2026', '11.30.26', '2026-11-30', '2026-1-5', '2026/11/30', '2026/01/05',
  '2026.11.30', '1999.12.31', '2026 1130', '2026年', '10:30', '23:59',
];
// no month (13-99, 00) or no day (32-99, 00) where one must be
const IMPOSSIBLE = [
  '99.99.99', '45/13/2026', '2026-19-45', '31.13.26', '13/13/2026', '32/12/2026', '12/32/2026', '00/11/2026',
  '11/00/26', '2026-11-32', '2026-13-01', '2026/0/5', '2026.12.00',
];

describe('a phone number followed by a real date or time', () => {
  it('is still the phone, a Hong Kong one after a phone word, whatever form the date takes', () => {
    for (const date of VALID) {
      expect(found(`Phone: 9123 4567 ${date}`), date).toEqual([{ ...HK, start: 7, end: 16 }]);
      expect(found(`電話 6123 4567 ${date}`), date).toEqual([
        { type: 'hk_phone', raw: '6123 4567', value: '+85261234567', masked: '+852 ****4567', start: 3, end: 12 },
      ]);
    }
  });

  it('is still the phone, a mainland one', () => {
    for (const date of VALID) expect(found(`手機 138 1234 5678 ${date}`), date).toEqual([{ ...CN, start: 3, end: 16 }]);
  });

  it('ends each number of a list, so all of them are phones', () => {
    expect(found('電話 9123 4567 / 6123 4567 2026 1130').map((d) => [d.type, d.raw, d.value])).toEqual([
      ['hk_phone', '9123 4567', '+85291234567'],
      ['hk_phone', '6123 4567', '+85261234567'],
    ]);
    for (const date of ['30/11/2026', '11/30/26', '2026-11-30', '2026.1.5', 'on 31.12.2026', '於 2026/11/30']) {
      expect(found(`電話 9123 4567 / 6123 4567 ${date}`).map((d) => d.raw), date).toEqual(['9123 4567', '6123 4567']);
      expect(found(`Tel 91234567, 61234567 ${date}`).map((d) => d.raw), date).toEqual(['91234567', '61234567']);
    }
  });
});

describe.each(IMPOSSIBLE)('a phone-shaped number followed by %s, which is no date', (token) => {
  it('is no Hong Kong phone: the digits may be more of the number', () => {
    expect(found(`Phone: 9123 4567 ${token}`)).toEqual([]);
    expect(found(`電話 6123 4567 ${token}`)).toEqual([]);
  });

  it('is no mainland phone either', () => {
    expect(found(`手機 138 1234 5678 ${token}`)).toEqual([]);
  });

  it('does not end a list: the numbers before it are still phones, the last one is not', () => {
    expect(found(`電話 9123 4567 / 6123 4567 ${token}`)).toEqual([{ ...HK, start: 3, end: 12 }]);
    expect(found(`Tel 91234567, 61234567 ${token}`).map((d) => d.raw)).toEqual(['91234567']);
    expect(found(`Tel 91234567, 61234567 on ${token}`).map((d) => d.raw)).toEqual(['91234567']);
  });

  it('leaves a compact number after a phone word a phone (nothing after it is read)', () => {
    expect(found(`Phone: 91234567 ${token}`)).toEqual([{ ...HK, raw: '91234567', start: 7, end: 15 }]);
  });
});

describe('the identifier regex', () => {
  // Above 20 kB (RegExp::kRegExpTooLargeToOptimize) V8 compiles a regex unoptimized, which
  // is slower (that it finds the same: detect-regexp-tiers.test.ts).
  it('stays under the size where V8 stops optimizing it', () => {
    expect(ID_RE.source.length).toBeLessThan(20 * 1024);
  });
});

describe('a phone number followed by a count, a street number or a 12-hour time', () => {
  it('is still the phone: one or two digits and then a word are not more of the number', () => {
    for (const after of ['2 people', '2位', '2 位', '12 Queen\'s Road', '3 pcs', '12.30pm', '12.30 PM', '9.05a.m.']) {
      expect(found(`Tel 9123 4567 ${after}`), after).toEqual([{ ...HK, start: 4, end: 13 }]);
      expect(found(`手機 138 1234 5678 ${after}`), after).toEqual([{ ...CN, start: 3, end: 16 }]);
    }
  });

  it('is no phone when more digits follow: 88 8888, 123 abc, 12.30 alone (an amount), 13.30pm', () => {
    for (const after of ['88 8888', '123 abc', '12.30', '13.30pm', '2 8888']) {
      expect(found(`Tel 9123 4567 ${after}`), after).toEqual([]);
    }
  });
});
