// Bare Hong Kong numbers and their phone words (identifier-pattern.ts, records.ts): a list
// of numbers after one phone word, phone words of chat (Cantonese, `ph:`, `my number`),
// words that say a number is an order's or an invoice's, phone column names written as
// one word (`PHONENO`, `HP`), and Excel's text marks in a phone column (`'91234567`).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { detect } from '../lib/domain/detect/detect.ts';
import { isPhoneName } from '../lib/domain/detect/records.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { phones } from './support/phones.ts';
import { tempDir } from './support/temp-dir.ts';


describe('a list of numbers after one phone word', () => {
  it('makes each number of the list a phone, whatever joins them: / , ; 、 or 或', () => {
    expect(phones('Phone: 9123 4567 / 6123 4567')).toEqual(['9123 4567', '6123 4567']);
    expect(phones('Call me at 9123 4567 or 6123 4567')).toEqual(['9123 4567', '6123 4567']);
    expect(phones('Tel 2345 6789, 9123 4567')).toEqual(['2345 6789', '9123 4567']);
    expect(phones('電話 9123 4567、6123 4567；5123 4567 或 2123 4567')).toEqual(['9123 4567', '6123 4567', '5123 4567', '2123 4567']);
    expect(phones('手機：91234567/61234567')).toEqual(['91234567', '61234567']);
    expect(phones('mobile 9123-4567; 6123-4567')).toEqual(['9123-4567', '6123-4567']);
    // after a number with a prefix, too
    expect(phones('Tel: +852 9123 4567 / 6123 4567')).toEqual(['+852 9123 4567', '6123 4567']);
  });

  it('stops at anything else between the numbers, and after four', () => {
    expect(phones('Phone: 9123 4567 / ref 23456789')).toEqual(['9123 4567']);
    expect(phones('Tel 9123 4567 / order 23456789')).toEqual(['9123 4567']);
    expect(phones('手機 9123 4567，訂單 23456789')).toEqual(['9123 4567']);
    expect(phones('Phone 9123 4567 and 23456789')).toEqual(['9123 4567']);
    expect(phones('Tel 9123 4567 / 6123 4567 / 5123 4567 / 2123 4567 / 3123 4567 / 7123 4567')).toEqual(['9123 4567', '6123 4567', '5123 4567', '2123 4567', '3123 4567']);
    // no phone word: no list
    expect(phones('Order 23456789 / 33456789')).toEqual([]);
    // a phone word on the line before does not reach
    expect(phones('Phone:\n9123 4567 / 6123 4567')).toEqual([]);
  });

  it('takes a number of the list only where an item ends after it, not one a word goes on from (a count, a code)', () => {
    expect(phones('SMS 9123 4567, 98765432 units')).toEqual(['9123 4567']);
    expect(phones('Tel 9123 4567 / 23456789 pcs sold')).toEqual(['9123 4567']);
    // the ends an item of a list has: the line's, another separator, or, and, punctuation, a bracket, a phone word
    expect(phones('Tel 9123 4567 / 6123 4567.')).toEqual(['9123 4567', '6123 4567']);
    expect(phones('Tel 9123 4567, 6123 4567 and 2123 4567')).toEqual(['9123 4567', '6123 4567']);
    expect(phones('Tel 9123 4567, 6123 4567 (office)')).toEqual(['9123 4567', '6123 4567']);
    expect(phones('電話 9123 4567、6123 4567 手機')).toEqual(['9123 4567', '6123 4567']);
  });

  it('takes each number of a list that a date or time follows, and not a date YYYY MMDD as a number of the list', () => {
    expect(phones('電話 9123 4567 / 6123 4567 2026 1130')).toEqual(['9123 4567', '6123 4567']);
    expect(phones('電話: 9123 4567, 6123 4567, 2026 1130')).toEqual(['9123 4567', '6123 4567']);
    expect(phones('Tel 9123 4567 / 6123 4567 on 2026 1130')).toEqual(['9123 4567', '6123 4567']);
    expect(phones('電話: 9123 4567, 6123 4567, 20261130')).toEqual(['9123 4567', '6123 4567']);
    expect(phones('Tel 9123 4567 / 6123 4567 / 2026-1130')).toEqual(['9123 4567', '6123 4567']);
    expect(phones('Tel 9123 4567 / 2026 1130')).toEqual(['9123 4567']);
    expect(phones('Tel: 9123 4567 2026 1130')).toEqual(['9123 4567']);
    expect(phones('手機 9123 4567、6123 4567 於 2026年11月30日')).toEqual(['9123 4567', '6123 4567']);
    expect(phones('Tel 9123-4567 / 6123-4567 2026-11-30')).toEqual(['9123-4567', '6123-4567']);
    expect(phones('Tel 9123 4567 / 6123 4567 30/11/2026')).toEqual(['9123 4567', '6123 4567']);
    expect(phones('Tel 9123 4567 / 6123 4567 at 10:30')).toEqual(['9123 4567', '6123 4567']);
    // a mainland list the same way
    expect(detect('手機 138 1234 5678、139 8765 4321 2026 1130').map((d) => [d.type, d.raw])).toEqual([
      ['cn_phone', '138 1234 5678'],
      ['cn_phone', '139 8765 4321'],
    ]);
    // the number and the date make a card's shape, and this one passes Luhn (one in ten
    // does): after a phone word it is the phone; without one, the card
    expect(detect('電話 9123 4567 / 5123 4562 2026 1130').map((d) => [d.type, d.raw])).toEqual([
      ['hk_phone', '9123 4567'],
      ['hk_phone', '5123 4562'],
    ]);
    expect(detect('電話 5123 4567 2026 1101').map((d) => [d.type, d.raw])).toEqual([['hk_phone', '5123 4567']]);
    expect(detect('Visa 5123 4567 2026 1101').map((d) => [d.type, d.raw])).toEqual([['payment_card', '5123 4567 2026 1101']]);
    expect(detect('Mastercard 5123 4562 2026 1130').map((d) => [d.type, d.raw])).toEqual([['payment_card', '5123 4562 2026 1130']]);
  });

  it('reads as before a number after a list that is no date, and a date that is after no list', () => {
    // not a month-day: a phone of the list
    expect(phones('Tel 9123 4567 / 2026 1131')).toEqual(['9123 4567', '2026 1131']);
    expect(phones('Tel 9123 4567 / 2026 0230')).toEqual(['9123 4567', '2026 0230']);
    // right after the phone word, a number of that shape is the phone word's
    expect(phones('電話 2026 1130')).toEqual(['2026 1130']);
    // another number after a number may be one longer number: neither is taken
    expect(phones('電話 9123 4567 / 6123 4567 5555')).toEqual(['9123 4567']);
    expect(phones('Tel 9123 4567 / 6123 4567 2026')).toEqual(['9123 4567']);
    expect(phones('Tel: 9123 4567 2026 1130 0001')).toEqual([]);
    // a date without a phone list before it
    expect(phones('due 2026 1130')).toEqual([]);
    expect(phones('Order 23456789 / 2026 1130')).toEqual([]);
    expect(phones('9123 4567 / 6123 4567 2026 1130')).toEqual([]);
  });
});

describe('phone words of chat', () => {
  it('takes `my number`, `ph:`, Cantonese 打俾我 / 搵我, and handphone', () => {
    expect(phones('my number is 9123 4567')).toEqual(['9123 4567']);
    expect(phones('ph: 9123-4567')).toEqual(['9123-4567']);
    expect(phones('Ph. 2345 6789')).toEqual(['2345 6789']);
    expect(phones('打俾我 91234567')).toEqual(['91234567']);
    expect(phones('有咩事打畀我 9123 4567')).toEqual(['9123 4567']);
    expect(phones('搵我 9123 4567 啦')).toEqual(['9123 4567']);
    expect(phones('handphone 9123 4567')).toEqual(['9123 4567']);
  });

  it('still takes the words it took (WhatsApp, 聯絡, 手提, a number label after the word)', () => {
    expect(phones('WhatsApp 9123 4567')).toEqual(['9123 4567']);
    expect(phones('whatsapp me 9123 4567')).toEqual(['9123 4567']);
    expect(phones('聯絡 9123 4567')).toEqual(['9123 4567']);
    expect(phones('手提 9123 4567')).toEqual(['9123 4567']);
    expect(phones('Mobile no. is 9876 5432')).toEqual(['9876 5432']);
    expect(phones('Tel. No.: 9123 4567')).toEqual(['9123 4567']);
    expect(phones('Phone #: 9123 4567')).toEqual(['9123 4567']);
    expect(phones('Contact number: 9123 4567')).toEqual(['9123 4567']);
    // a WhatsApp or WeChat id is the number (a `Contact ID` is not: below)
    expect(phones('WhatsApp ID: 9123 4567')).toEqual(['9123 4567']);
    expect(phones('WeChat ID 91234567')).toEqual(['91234567']);
    // while an id further on is another thing's
    expect(phones('call about case id 23456789')).toEqual([]);
  });

  it('lets an order, reference, invoice, account or `#` between a phone word and a number break its hold', () => {
    expect(phones('call the hotline for order 91234567')).toEqual([]);
    expect(phones('call me re order 91234567')).toEqual([]);
    expect(phones('Call re invoice 2345 6789')).toEqual([]);
    expect(phones('phone about ref 61234567')).toEqual([]);
    expect(phones('call about #91234567')).toEqual([]);
    expect(phones('call re no. 23456789')).toEqual([]);
    expect(phones('Contact ID 23456789')).toEqual([]);
    expect(phones('致電查詢訂單 91234567')).toEqual([]);
    expect(phones('請致電跟進發票 23456789')).toEqual([]);
    expect(phones('聯絡會員編號 61234567')).toEqual([]);
    // `number` alone is no phone word, nor `no.` without one
    expect(phones('order number is 9123 4567')).toEqual([]);
    expect(phones('invoice no. 9123 4567')).toEqual([]);
    // the hotline itself is a phone word
    expect(phones('call the hotline 2345 6789')).toEqual(['2345 6789']);
  });
});

describe('phone columns', () => {
  it('reads a name written as one word, any case, with or without punctuation', () => {
    for (const name of ['PHONENO', 'MOBILENO', 'TELNO', 'CONTACTNO', 'HP', 'hp', 'H/P', 'HP No.', 'Phone No.', 'Mobile No', 'Tel. No.', 'TEL_NO', 'mobile_number', 'HANDPHONE', '聯絡電話', '手提電話']) {
      expect(isPhoneName(name), name).toBe(true);
    }
    for (const name of ['HPLC', 'ship_no', 'HP model', 'php', 'chp', 'No.', 'order_no', 'ORDERNO', 'phonetic', 'telegram', 'INVOICENO', 'HP_SERIAL', 'iPhone']) {
      expect(isPhoneName(name), name).toBe(false);
    }
  });

  const dir = tempDir('detect-phone-columns-');
  async function scanned(name: string, content: string): Promise<string[]> {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    const result = await scanPaths(sourceReaders(), [file]);
    return result.findings.map((f) => `${f.type} ${f.row ?? ''}${f.column !== undefined ? `[${f.column}]` : ''}${f.pointer ?? ''} ${f.masked}`);
  }

  it('finds the numbers of a column named so (PHONENO, HP)', async () => {
    expect(await scanned('one-word.csv', 'PHONENO,HP,No.,HPLC\n91234567,6123 4567,23456789,33456789\n')).toEqual([
      'hk_phone 1[PHONENO] +852 ****4567',
      'hk_phone 1[HP] +852 ****4567',
    ]);
  });

  it("reads a phone column's cell behind Excel's text marks: '91234567 and =\"91234567\"", async () => {
    const csv = ['phone,order_no', `'91234567,'23456789`, `"=""6123 4567""",="23456789"`, `"=""91234567",x`, `'9123 4567 / 6123 4567,x`].join('\n');
    expect(await scanned('marks.csv', csv + '\n')).toEqual([
      'hk_phone 1[phone] +852 ****4567',
      'hk_phone 2[phone] +852 ****4567',
      // row 3: `="91234567` never closed is not Excel's mark, but a number in a phone column's cell all the same
      'hk_phone 3[phone] +852 ****4567',
      'hk_phone 4[phone] +852 ****4567',
      'hk_phone 4[phone] +852 ****4567',
    ]);
  });

  it('finds each number of a list in a cell of a phone column', async () => {
    const csv = ['phone,聯絡電話', '"9123 4567 / 6123 4567",9123-4567、2345 6789', '91234567 or 61234567,9123 4567 ref 23456789'].join('\n');
    expect(await scanned('lists.csv', csv + '\n')).toEqual([
      'hk_phone 1[phone] +852 ****4567',
      'hk_phone 1[phone] +852 ****4567',
      'hk_phone 1[聯絡電話] +852 ****4567',
      'hk_phone 1[聯絡電話] +852 ****6789',
      'hk_phone 2[phone] +852 ****4567',
      'hk_phone 2[phone] +852 ****4567',
      'hk_phone 2[聯絡電話] +852 ****4567',
    ]);
  });

  it('finds each number of a list under a JSON phone key', async () => {
    const json = JSON.stringify({ phone: '9123 4567 / 6123 4567', order: '23456789 / 33456789' });
    expect(await scanned('phones.json', json)).toEqual(['hk_phone /phone +852 ****4567', 'hk_phone /phone +852 ****4567']);
  });
});
