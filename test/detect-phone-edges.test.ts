// Edges of the phone shapes, each a way people write a number:
// - a link that keeps the `+` (or the brackets) and percent-encodes only the spaces,
//   `tel:+852%209123%204567`, `(852)%209123%204567` (LINK_SEP in identifier-pattern.ts);
// - a link that percent-encodes the brackets around the country code, `%28852%29`,
//   `%28%2B852%29`, or the `+` inside kept ones, `(%2B852)` (PCT_PATTERN);
// - a date before a list of numbers that ends in a phone word, `2026 1130 / 9123 4567
//   (手機)`: no item of the list, as after a phone word (`電話: 9123 4567, 2026 1130`).
// Each is read as the plain form: the same type, value and mask, the raw all that was written.
import { describe, expect, it } from 'vitest';
import { detect } from '../lib/domain/detect/detect.ts';
import { mask } from '../lib/domain/detect/mask.ts';
import { mulberry32 } from '../lib/domain/text/seeded-random.ts';
import { expectCandidatesComplete } from './support/candidate-checks.ts';

/** Every finding in `text`: type, raw, value, mask and where (checking raw is the text there). */
function found(text: string) {
  return detect(text).map((d) => {
    expect(text.slice(d.start, d.end), text).toBe(d.raw);
    return { type: d.type, raw: d.raw, value: d.value, masked: mask(d), start: d.start, end: d.end };
  });
}

const HK = { type: 'hk_phone', value: '+85291234567', masked: '+852 ****4567' } as const;
const CN = { type: 'cn_phone', value: '+8613812345678', masked: '+86 *******5678' } as const;

/** The one finding expected in `text`: `raw` at its first place, of type and value `as`. */
function only(text: string, raw: string, as: typeof HK | typeof CN) {
  const start = text.indexOf(raw);
  return [{ ...as, raw, start, end: start + raw.length }];
}

describe('a link that keeps the + and encodes the spaces (%20)', () => {
  it('is found as the + form, the whole of it', () => {
    for (const [text, raw] of [
      ['tel:+852%209123%204567', '+852%209123%204567'],
      ['https://wa.me/?text=call%20+852%209123%204567', '+852%209123%204567'],
      ['tel:+852%2091234567', '+852%2091234567'],
      ['tel:+85291234567%20', '+85291234567'],
      ['[call](tel:+852%209123-4567)', '+852%209123-4567'],
      // encodeURIComponent keeps brackets: `(852) 9123 4567` is `(852)%209123%204567`
      ['tel:(852)%209123%204567', '(852)%209123%204567'],
      ['tel:(+852)%209123%204567', '(+852)%209123%204567'],
    ] as const) {
      expect(found(text), text).toEqual(only(text, raw, HK));
    }
    for (const [text, raw] of [
      ['sms:+86%20138%201234%205678', '+86%20138%201234%205678'],
      ['sms:+86%2013812345678', '+86%2013812345678'],
      ['tel:(86)%20138%201234%205678', '(86)%20138%201234%205678'],
    ] as const) {
      expect(found(text), text).toEqual(only(text, raw, CN));
    }
  });

  it('is the same person as the plain form: the same value and mask', () => {
    const plain = detect('+852 9123 4567')[0]!;
    const link = detect('tel:+852%209123%204567')[0]!;
    expect([link.value, mask(link)]).toEqual([plain.value, mask(plain)]);
    const cnPlain = detect('+86 138 1234 5678')[0]!;
    const cnLink = detect('sms:+86%20138%201234%205678')[0]!;
    expect([cnLink.value, mask(cnLink)]).toEqual([cnPlain.value, mask(cnPlain)]);
  });

  it('is nothing, nor a fragment of another type, with another escape or the wrong digits', () => {
    for (const text of [
      'tel:+852%209123%20456', // one short
      'tel:+852%209123%2045678', // one too many
      'tel:+852%2012345678', // a Hong Kong number does not start with 1
      'tel:+852%2C9123%2C4567', // an encoded comma
      'tel:+852%25209123%25204567', // encoded twice
      'tel:+852%20%209123%204567', // two spaces
      'tel:+852%2091234567abc', // runs on into a token
      'sms:+86%20138-1234%205678', // one kind of separator in 3-4-4
      'sms:+86%20138%201234%20567',
      'sms:+86%2012812345678',
      'a%2091234567',
    ]) {
      expect(found(text), text).toEqual([]);
    }
  });
});

describe('a link that encodes the brackets around the country code', () => {
  it('is found as the (852) / (+852) form, the whole of it', () => {
    for (const [text, raw] of [
      ['tel:%28852%29%209123%204567', '%28852%29%209123%204567'],
      ['tel:%28%2B852%29%209123%204567', '%28%2B852%29%209123%204567'],
      ['tel:%28%2b852%29-9123-4567', '%28%2b852%29-9123-4567'],
      ['?phone=%28852%29+9123+4567&x=1', '%28852%29+9123+4567'], // URLSearchParams
      ['?phone=%28852%2991234567', '%28852%2991234567'],
      // encodeURIComponent keeps the brackets and encodes the +
      ['tel:(%2B852)%209123%204567', '(%2B852)%209123%204567'],
    ] as const) {
      expect(found(text), text).toEqual(only(text, raw, HK));
    }
    for (const [text, raw] of [
      ['sms:%2886%29%2013812345678', '%2886%29%2013812345678'],
      ['sms:%28%2B86%29+138+1234+5678', '%28%2B86%29+138+1234+5678'],
      ['sms:(%2b86)%20138%201234%205678', '(%2b86)%20138%201234%205678'],
    ] as const) {
      expect(found(text), text).toEqual(only(text, raw, CN));
    }
  });

  it('is nothing with half-encoded brackets, another escape or the wrong digits', () => {
    for (const text of [
      'tel:%28852)%209123%204567', // one bracket encoded, the other not
      'tel:(852%29%209123%204567',
      'tel:%28852%29%209123%20456',
      'tel:%28852%29%2012345678',
      'tel:(%2C852)%209123%204567',
      'tel:%28%2C852%29%209123%204567',
      'x=%2891234567%29', // a bracketed number, no country code
      'tel:%28852%29',
      '(%2B852)',
      '%28%2B86%29+138+1234+567',
    ]) {
      expect(found(text), text).toEqual([]);
    }
  });
});

describe('a date before a list of numbers that ends in a phone word', () => {
  it('is no item of the list: only the phones are found', () => {
    expect(found('2026 1130 / 9123 4567 (手機)')).toEqual([{ ...HK, raw: '9123 4567', start: 12, end: 21 }]);
    expect(found('2026 1130、6123 4567 係我手機')).toEqual([
      { type: 'hk_phone', raw: '6123 4567', value: '+85261234567', masked: '+852 ****4567', start: 10, end: 19 },
    ]);
    expect(found('2026-1130 / 9123 4567 is my mobile')).toEqual([{ ...HK, raw: '9123 4567', start: 12, end: 21 }]);
    expect(found('20261130, 91234567 (WhatsApp)')).toEqual([{ ...HK, raw: '91234567', start: 10, end: 18 }]);
    // in the middle of a list, as after a phone word (`電話: 9123 4567, 2026 1130, 6123 4567`)
    expect(found('9123 4567 / 2026 1130 / 6123 4567 (手機)').map((d) => d.raw)).toEqual(['9123 4567', '6123 4567']);
  });

  it('is refused as the list after a phone word refuses it', () => {
    expect(found('電話: 9123 4567, 2026 1130')).toEqual([{ ...HK, raw: '9123 4567', start: 4, end: 13 }]);
  });

  it('leaves what is no date, and a number with its phone word right after it, as they were', () => {
    // no month-day 1131, no year 21xx: a number of the list
    expect(found('2026 1131 / 9123 4567 (手機)').map((d) => d.raw)).toEqual(['2026 1131', '9123 4567']);
    expect(found('2126 1130 / 9123 4567 (手機)').map((d) => d.raw)).toEqual(['2126 1130', '9123 4567']);
    // right before its phone word it is a phone, as right after one (`電話 2026 1130`)
    expect(found('2026 1130 (手機)')).toEqual([{ type: 'hk_phone', raw: '2026 1130', value: '+85220261130', masked: '+852 ****1130', start: 0, end: 9 }]);
    expect(found('2026 1130 係我手機').map((d) => d.raw)).toEqual(['2026 1130']);
    expect(found('9123 4567 / 2026 1130 (手機)').map((d) => d.raw)).toEqual(['9123 4567', '2026 1130']);
    expect(found('電話 2026 1130').map((d) => d.raw)).toEqual(['2026 1130']);
  });
});

describe('the candidates', () => {
  it('are complete for the new shapes: every position where the identifier regex matches is listed', () => {
    const r = mulberry32(43);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');
    const sep = (): string => pick(['', '', ' ', '-', '%20', '+', '%2', '%28', '%29']);
    const pieces: (() => string)[] = [
      () =>
        pick(['+', '(', '(+', '%28', '%28%2B', '(%2B', '(%2b', '%2B', '%28%2C', '(%2', '%2']) +
        pick(['852', '852', '86', '85']) +
        pick(['', ')', '%29', '%29', ')']) +
        sep() +
        pick(['9' + digits(3), '2' + digits(3), '1' + pick(['3', '8', '2']) + digits(1), digits(4)]) +
        sep() +
        digits(pick([4, 4, 4, 3, 5])) +
        pick(['', '', sep() + digits(4)]),
      () => pick(['%28', '%29', '%2B', '%20', '(', ')', '(%', '%', '+', ' ', ' / ', '、', '(手機)', 'tel:', 'x', '2026 1130']),
      () => digits(1 + Math.floor(r() * 12)),
    ];
    const texts = Array.from({ length: 1500 }, () => Array.from({ length: 1 + Math.floor(r() * 12) }, () => pick(pieces)()).join(''));
    let phones = 0;
    for (const text of texts) phones += expectCandidatesComplete(text).found.filter((d) => d.raw.includes('%2') && d.type.endsWith('_phone')).length;
    // the texts reach the new shapes many times over
    expect(phones).toBeGreaterThan(30);
  });
});
