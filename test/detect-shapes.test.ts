// Shapes QA found the detectors missed or misread (round 13): identifiers written with the
// spaces and dashes that text copied from Word, Outlook and web pages has; 13-digit
// numbers that are product barcodes, not cards; grouped cards after a date, a time or an
// amount, or before an expiry; and an address whose domain is too long to be one.
import { describe, expect, it } from 'vitest';
import { detect } from '../lib/domain/detect/detect.ts';
import { HYPHEN, isSeparator, SPACE } from '../lib/domain/detect/identifier-pattern.ts';
import { mask } from '../lib/domain/detect/mask.ts';
import { detectRecords, type SourceRecord } from '../lib/domain/detect/records.ts';
import { redact } from '../lib/domain/detect/redact.ts';
import { luhnCheckDigit } from './support/labelled-corpus.ts';

const found = (text: string): Array<[string, string]> => detect(text).map((d) => [d.type, d.raw]);

const NBSP = '\u00A0';
const FIGURE = '\u2007';
const THIN = '\u2009';
const NARROW = '\u202F';
const IDEOGRAPHIC = '\u3000';
const SPACES = [NBSP, FIGURE, THIN, NARROW, IDEOGRAPHIC];
const HYPHENS = ['\u2010', '\u2011', '\u2012', '\u2013'];

describe('Unicode spaces and dashes between groups (QA t19)', () => {
  it.each(SPACES.map((s) => [`U+${s.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`, s]))('%s stands where a space does', (_name, s) => {
    expect(found(`Tel: 9123${s}4567`)).toEqual([['hk_phone', `9123${s}4567`]]);
    expect(found(`Tel: +852${s}9123${s}4567`)).toEqual([['hk_phone', `+852${s}9123${s}4567`]]);
    expect(found(`card 4111${s}1111${s}1111${s}1111`)).toEqual([['payment_card', `4111${s}1111${s}1111${s}1111`]]);
    expect(found(`HKID A123456${s}(3)`)).toEqual([['hk_id', `A123456${s}(3)`]]);
    expect(found(`手機 138${s}1234${s}5678`)).toEqual([['cn_phone', `138${s}1234${s}5678`]]);
    expect(found(`+86${s}13812345678`)).toEqual([['cn_phone', `+86${s}13812345678`]]);
    expect(found(`IBAN GB82${s}WEST${s}1234${s}5698${s}7654${s}32`)).toEqual([['iban', `GB82${s}WEST${s}1234${s}5698${s}7654${s}32`]]);
    expect(found(`IBAN NO${s}93${s}8601${s}1117${s}947`)).toEqual([['iban', `NO${s}93${s}8601${s}1117${s}947`]]);
    expect(found(`9123${s}4567${s}(手機)`)).toEqual([['hk_phone', `9123${s}4567`]]);
  });

  it.each(HYPHENS.map((h) => [`U+${h.charCodeAt(0).toString(16).toUpperCase()}`, h]))('%s stands where a hyphen does, between groups and joining tokens', (_name, h) => {
    expect(found(`Tel: 9123${h}4567`)).toEqual([['hk_phone', `9123${h}4567`]]);
    expect(found(`card 4111${h}1111${h}1111${h}1111`)).toEqual([['payment_card', `4111${h}1111${h}1111${h}1111`]]);
    expect(found(`IBAN DE89${h}3704${h}0044${h}0532${h}0130${h}00`)).toEqual([['iban', `DE89${h}3704${h}0044${h}0532${h}0130${h}00`]]);
    // an order number joined by the dash is no phone, as with `-`
    expect(found(`Tel ORD${h}20261122${h}37121867`)).toEqual([]);
    expect(found(`Tel ORD-20261122-37121867`)).toEqual([]);
  });

  it('gives the value and mask of the number as people read it, the separators kept in the text as written', () => {
    const [phone] = detect(`Tel: +852${NARROW}9123${NARROW}4567`);
    expect(phone).toMatchObject({ raw: `+852${NARROW}9123${NARROW}4567`, value: '+85291234567' });
    expect(mask(phone!)).toBe(mask(detect('Tel: +852 9123 4567')[0]!));
    const [card] = detect(`card 4111${THIN}1111${THIN}1111${THIN}1111`);
    expect(card).toMatchObject({ value: '4111111111111111' });
    expect(mask(card!)).toBe('4111 **** **** 1111');
    expect(redact(`Tel: 9123${NBSP}4567 / 4111${NBSP}1111${NBSP}1111${NBSP}1111`)).toBe('Tel: +852 ****4567 / 4111 **** **** 1111');
    expect(redact('hr\u2010A1234563.csv')).toBe('hr\u2010A12****(3).csv');
  });

  it('takes the spaces as one kind, and no other character for a separator', () => {
    expect(found(`card 4111${NBSP}1111 1111${THIN}1111`)).toEqual([['payment_card', `4111${NBSP}1111 1111${THIN}1111`]]);
    // spaces and hyphens are still two kinds
    expect(found(`card 4111${NBSP}1111\u20131111 1111`)).toEqual([]);
    // a tab, U+2008, a zero-width space, an em dash and a minus sign are not separators
    for (const c of ['\t', '\u2008', '\u200B', '\u2014', '\u2212']) expect([c, found(`Tel: 9123${c}4567 card 4111${c}1111${c}1111${c}1111`)]).toEqual([c, []]);
  });

  it('knows the same separators in the function the kernel mirrors as in the regex class', () => {
    const re = new RegExp(`^(?:${SPACE}|${HYPHEN})$`);
    for (let c = 0; c < 0x10000; c++) if (isSeparator(c) !== re.test(String.fromCharCode(c))) expect.fail(`U+${c.toString(16)}`);
  });

  it('reads a phone column\'s cell written with them', async () => {
    const cells = [`9123${NBSP}4567`, `${NBSP}6123\u20134567 (office)`];
    const text = cells.join('\n');
    const record: SourceRecord = { group: 'g', sender: '', text, at: { file: 'f.csv' }, table: { starts: [0, cells[0]!.length + 1], names: ['電話'], rowStarts: [0, 1], rows: [1, 2] } };
    async function* records(): AsyncGenerator<SourceRecord> {
      yield record;
    }
    const seen: string[] = [];
    await detectRecords(records(), (_r, d) => seen.push(`${d.type} ${d.value}`));
    expect(seen).toEqual(['hk_phone +85291234567', 'hk_phone +85261234567']);
  });
});

/** A Luhn-valid number of `length` digits starting with `prefix`. */
function card(prefix: string, length: number): string {
  const payload = prefix + '3'.repeat(length - 1 - prefix.length);
  return payload + luhnCheckDigit(payload);
}

describe('13-digit card numbers need a card word (EAN-13 barcodes, QA t8)', () => {
  it('does not read product barcodes starting with 4 (Luhn-valid ones included) as Visa cards', () => {
    const csv = [
      'sku,barcode,description,qty,price',
      'JP-001,4901426046848,Pocky 日本朱古力棒,12,HK$15.90',
      'DE-003,4006290714784,Haribo,10,HK$22.00',
      'HK-005,4892297549517,維他奶,48,HK$6.50',
    ].join('\n');
    expect(found(csv)).toEqual([]);
    expect(found('barcode 4222222222222')).toEqual([]);
    expect(found(`SKU ${card('5018', 13)}`)).toEqual([]); // a UK barcode's prefix, Maestro's IIN
  });

  it('reads a 13-digit card number next to a card word on its line, before or after it', () => {
    expect(found('card 4222222222222 exp 12/28')).toEqual([['payment_card', '4222222222222']]);
    expect(found('卡號 4222 2222 2222 2，到期12/28')).toEqual([['payment_card', '4222 2222 2222 2']]);
    expect(found('信用咭4222222222222')).toEqual([['payment_card', '4222222222222']]);
    expect(found('4222222222222 (VISA)')).toEqual([['payment_card', '4222222222222']]);
    expect(found(`Maestro ${card('5018', 13)}`)).toEqual([['payment_card', card('5018', 13)]]);
    // not a word of the line before, nor one further than 32 characters, nor part of a word
    expect(found('card:\n4222222222222')).toEqual([]);
    expect(found(`card ${'x'.repeat(40)} 4222222222222`)).toEqual([]);
    expect(found('discard 4222222222222')).toEqual([]);
  });

  it('needs no word for the other lengths', () => {
    expect(found('ref 4111111111111111')).toEqual([['payment_card', '4111111111111111']]);
    expect(found(`ref ${card('5018', 12)}`)).toEqual([['payment_card', card('5018', 12)]]);
  });
});

describe('grouped cards after a number apart, and before an expiry (QA 3)', () => {
  it.each([
    '2026-11-30 4111 1111 1111 1111 refund',
    '2026/11/30 4111 1111 1111 1111',
    '30.11.2026 4111 1111 1111 1111',
    '30/11/26 4111-1111-1111-1111',
    '10:15 4111 1111 1111 1111',
    '2026-11-30T10:15:30 4111 1111 1111 1111',
    'Paid HK$500 4111 1111 1111 1111',
    '$1,200.50 4111 1111 1111 1111',
    'HKD 500 4111 1111 1111 1111',
    '¥500 4111 1111 1111 1111',
    '500.00 4111 1111 1111 1111',
    '001 4111 1111 1111 1111',
    `10:15${NBSP}4111${NBSP}1111${NBSP}1111${NBSP}1111`,
  ])('finds the card in %j', (text) => {
    expect(found(text).map(([type, raw]) => [type, raw.replace(/\D/g, '')])).toEqual([['payment_card', '4111111111111111']]);
  });

  it('finds a card followed by an expiry, MMYY, that ends the grouping', () => {
    expect(found('4111 1111 1111 1111 1227 cvv 123')).toEqual([['payment_card', '4111 1111 1111 1111']]);
    // the expiry and a three-digit CVV, pasted as a card's details are
    expect(found('Visa 4111 1111 1111 1111 1227 123 thanks')).toEqual([['payment_card', '4111 1111 1111 1111']]);
    expect(found(`5555${NBSP}5555${NBSP}5555${NBSP}4444${NBSP}0128${NBSP}737`)).toEqual([['payment_card', `5555${NBSP}5555${NBSP}5555${NBSP}4444`]]);
    expect(found(`card 5555${NBSP}5555${NBSP}5555${NBSP}4444${NBSP}0128`)).toEqual([['payment_card', `5555${NBSP}5555${NBSP}5555${NBSP}4444`]]);
    // joined by hyphens, the five groups are one token: `-0128` joins it on
    expect(found('card 5555-5555-5555-4444-0128')).toEqual([]);
  });

  it.each([
    '12 4111 1111 1111 1111', // may be one number of 18 digits
    '1234 4111 1111 1111 1111',
    '12345 4111 1111 1111 1111',
    '2026-11-30 1234 4111 1111 1111 1111',
    '10:15 1234 4111 1111 1111 1111',
    '12:30-4111-1111-1111-1111',
    '4111 1111 1111 1111 1334', // no month 13
    '4111 1111 1111 1111 1227 3456',
    '4111 1111 1111 1111 1227 123 4567', // the grouping goes on after what would be a CVV
    '4111 1111 1111 1111 1227 1234',
    '4111 1111 1111 1111 1327 123', // no month 13
    '4111 1111 1111 1111 1227-3456',
    '10:15 4111 1111 1111 1111 1111 1111',
    '4111 1111 1111 1111 1111 1111',
  ])('finds nothing inside the longer grouping %j', (text) => {
    expect(found(text)).toEqual([]);
  });
});

describe('e-mail', () => {
  it('takes no address whose domain is longer than 253 characters (RFC 1035)', () => {
    const label = 'a'.repeat(63);
    const ok = `${label}.${label}.${label}.com`; // 195
    const long = `${label}.${label}.${label}.${label}.hk`; // 258
    expect(found(`mail chan@${ok} now`)).toEqual([['email', `chan@${ok}`]]);
    expect(found(`mail chan@${long} now`)).toEqual([]);
  });
});
