// Phone numbers in links, their `+` percent-encoded as `%2B` (identifier-pattern.ts,
// PCT_PATTERN): `tel:%2B852-9123-4567`, `https://wa.me/?phone=%2B85291234567`,
// `sms:%2B8613812345678`. Read as the `+` form (the same value, so the same mask and hash),
// with the raw and offsets covering what was written, `%2B` and any `%20` included, so
// that nothing of the number is left in what is stored. Only `%2B` right before 852 or 86.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { detect } from '../lib/domain/detect/detect.ts';
import { mask } from '../lib/domain/detect/mask.ts';
import { redact } from '../lib/domain/detect/redact.ts';
import { mulberry32 } from '../lib/domain/text/seeded-random.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { expectCandidatesComplete } from './support/candidate-checks.ts';
import { tempDir } from './support/temp-dir.ts';

/** Each finding as [type, raw, value], checking that raw is the text at its offsets. */
function found(text: string): [string, string, string][] {
  return detect(text).map((d) => {
    expect(text.slice(d.start, d.end), text).toBe(d.raw);
    return [d.type, d.raw, d.value];
  });
}

describe('a phone in a link, its + written %2B', () => {
  it('is found as the + form: the same type, value and mask', () => {
    expect(found('https://wa.me/?tel=%2B85291234567')).toEqual([['hk_phone', '%2B85291234567', '+85291234567']]);
    expect(found('tel:%2B852-9123-4567')).toEqual([['hk_phone', '%2B852-9123-4567', '+85291234567']]);
    expect(found('https://x.hk/c?phone=%2B85261234567&x=1')).toEqual([['hk_phone', '%2B85261234567', '+85261234567']]);
    expect(found('sms:%2B8613812345678')).toEqual([['cn_phone', '%2B8613812345678', '+8613812345678']]);
    // lower-case hex, as some encoders write it
    expect(found('tel:%2b852 2345 6789')).toEqual([['hk_phone', '%2b852 2345 6789', '+85223456789']]);
    expect(found('sms:%2b86-138-1234-5678')).toEqual([['cn_phone', '%2b86-138-1234-5678', '+8613812345678']]);
    // in Chinese text, and in a link's markdown
    expect(found('WhatsApp我：https://wa.me/?phone=%2B85291234567。')).toEqual([['hk_phone', '%2B85291234567', '+85291234567']]);
    expect(found('[call](tel:%2B85291234567)')).toEqual([['hk_phone', '%2B85291234567', '+85291234567']]);
    // the same person as the + form: the same value, so the same mask
    const plain = detect('+852 9123 4567')[0]!;
    const link = detect('tel:%2B852-9123-4567')[0]!;
    expect(link.value).toBe(plain.value);
    expect(mask(link)).toBe('+852 ****4567');
  });

  it('takes an encoded space (%20) or a form-encoded one (+) between the groups', () => {
    expect(found('tel:%2B852%209123%204567')).toEqual([['hk_phone', '%2B852%209123%204567', '+85291234567']]);
    expect(found('tel:%2B852%2091234567')).toEqual([['hk_phone', '%2B852%2091234567', '+85291234567']]);
    expect(found('?phone=%2B852+9123+4567&a=1')).toEqual([['hk_phone', '%2B852+9123+4567', '+85291234567']]);
    expect(found('sms:%2B86%20138%201234%205678')).toEqual([['cn_phone', '%2B86%20138%201234%205678', '+8613812345678']]);
    // several in one link
    expect(found('to=%2B85291234567%2C%2B8613812345678')).toEqual([
      ['hk_phone', '%2B85291234567', '+85291234567'],
      ['cn_phone', '%2B8613812345678', '+8613812345678'],
    ]);
  });

  it('leaves no digit of the number in what is stored', async () => {
    expect(redact('tel:%2B852%209123%204567')).toBe('tel:+852 ****4567');
    expect(redact('https://wa.me/?tel=%2B85291234567&text=hi')).toBe('https://wa.me/?tel=+852 ****4567&text=hi');
    expect(redact('sms:%2B8613812345678')).toBe('sms:+86 *******5678');
    const dir = tempDir('detect-phone-links-');
    const file = path.join(dir, 'chat.txt');
    writeFileSync(file, 'Chan: WhatsApp me https://wa.me/?tel=%2B85291234567 or tel:%2B852%206123%204567\nLee: sms:%2B8613812345678\n');
    const result = await scanPaths(sourceReaders(), [file]);
    expect(result.findings.map((f) => `${f.type} ${f.masked}`)).toEqual(['hk_phone +852 ****4567', 'hk_phone +852 ****4567', 'cn_phone +86 *******5678']);
    const stored = JSON.stringify(result);
    for (const digits of ['91234567', '9123', '61234567', '6123', '13812345678', '1381234']) expect(stored).not.toContain(digits);
  });

  it('is not found with too few or too many digits, another escape, or a letter or digit after', () => {
    for (const text of [
      'tel:%2B852912345', // too few
      'tel:%2B8529123456', // one short
      'tel:%2B852-9123-456',
      'tel:%2B852912345678', // too many
      'tel:%2B86138123456',
      'tel:%2B85212345678', // a Hong Kong number does not start with 1
      'tel:%2B8612345678901', // nor a mainland mobile with 12
      'x=%2C85291234567', // an encoded comma, not a +
      'x=%252B85291234567', // encoded twice: %25 is the %
      'x=%2D85291234567',
      'x=%2B85291234567abc', // runs on into a token
      'sig=%2B8613812345678X',
      'a%2091234567', // an encoded space before eight digits: no phone word
      'q=%E9%9B%BB%E8%A9%B1', // 電話, encoded
      '100%2B 852 users', // a % and more text
      '%2B852',
      '%2B',
    ]) {
      expect(detect(text), text).toEqual([]);
    }
  });

  it('leaves the candidates complete: every position where the identifier regex matches is listed', () => {
    const r = mulberry32(41);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');
    const sep = (): string => pick(['', '', ' ', '-', '%20', '+', '%2', '\u00A0', '%2C']);
    const pieces: (() => string)[] = [
      // numbers after each encoded prefix, with each separator (and near misses of both)
      () =>
        pick(['%2B', '%2b', '%2B', '%2b', '%2C', '%25', '%2', '+']) +
        pick(['852', '852', '86', '85']) +
        sep() +
        pick(['9' + digits(3), '2' + digits(3), '1' + pick(['3', '8', '2']) + digits(1), digits(4)]) +
        sep() +
        digits(pick([4, 4, 4, 3, 5])) +
        pick(['', '', sep() + digits(4)]),
      () => pick(['%2B', '%2b', '%20', '%2C', '%25', '%', '%2', '+', ' ', ' ', '-', '=', '&', '&', 'tel:', 'x', 'B', '電話 ']),
      () => digits(1 + Math.floor(r() * 12)),
    ];
    const texts = Array.from({ length: 1500 }, () => Array.from({ length: 1 + Math.floor(r() * 12) }, () => pick(pieces)()).join(''));
    let matched = 0;
    let phones = 0;
    for (const text of texts) {
      const checked = expectCandidatesComplete(text);
      matched += checked.matched;
      phones += checked.found.filter((d) => d.raw.startsWith('%2')).length;
    }
    // the texts reach the encoded branch many times over
    expect(matched).toBeGreaterThan(200);
    expect(phones).toBeGreaterThan(100);
  });
});
