// Phone numbers and HKIDs written the way people write them, which the detectors missed:
// an index after the phone word (`Phone 2: 9876 5432`, `Tel (2): `, `Phone #2 `, `電話2：`),
// read by the same rules as after the phone word alone; more than one space
// after a written +852 / +86 and between the groups (`+852 9123  4567`, as aligned text and
// exports write it), read as one space is; and an HKID with a hyphen before its check
// digit right after an ID number's label (`ID no. A123456-3`), but not a thing's or an
// order's (`Order ID A123456-3`, `Product ID: `).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detect } from '../lib/domain/detect/detect.ts';
import { keyedHash } from '../lib/domain/detect/mask.ts';
import { expectCandidatesComplete } from './support/candidate-checks.ts';
import { hkidCheck } from './support/labelled-corpus.ts';

/** Each finding of `text`: type and as written. */
function found(text: string): [string, string][] {
  return detect(text).map((d) => [d.type, d.raw]);
}

/** Each finding of `text`: type, value and where it starts relative to `from` (a label's length). */
function findings(text: string, from: number): [string, string, number][] {
  return detect(text).map((d) => [d.type, d.value, d.start - from]);
}

describe('an index after a phone word', () => {
  it('leaves the number after it a phone', () => {
    const cases: [string, string][] = [
      ['Phone 2: 9876 5432', '9876 5432'],
      ['Mobile 1: 9123 4567', '9123 4567'],
      ['Tel (2): 2123 4567', '2123 4567'],
      ['Tel（2）：2123 4567', '2123 4567'],
      ['Phone #2 9123 4567', '9123 4567'],
      ['Phone #12 9123 4567', '9123 4567'],
      ['Phone No. 2: 9123 4567', '9123 4567'],
      ['電話2：9123 4567', '9123 4567'],
      ['手機 1: 91234567', '91234567'],
      ['Tel. 1 / Tel. 2: 9123 4567', '9123 4567'],
      ['Phone(2):91234567', '91234567'],
      ['<td>Phone 2:</td><td>9123 4567</td>', '9123 4567'],
      ['Phone 2 (Amy): 6123 4567', '6123 4567'],
    ];
    for (const [text, raw] of cases) {
      expect(found(text), text).toEqual([['hk_phone', raw]]);
      expectCandidatesComplete(text);
    }
    const both = 'Phone 1: 2345 6789 Phone 2: 3456 7890';
    expect(found(both)).toEqual([
      ['hk_phone', '2345 6789'],
      ['hk_phone', '3456 7890'],
    ]);
    // a list after it, as after the phone word alone
    expect(found('Phone 2: 9123 4567 / 6123 4567')).toEqual([
      ['hk_phone', '9123 4567'],
      ['hk_phone', '6123 4567'],
    ]);
  });

  it('changes nothing of the rules for what follows: the same findings as after the phone word alone', () => {
    const values = [
      '9123 4567',
      '91234567',
      '4612 3456', // a block opened from 2018
      '4512 3456', // not a mobile block
      '1234 5678', // no Hong Kong number starts 1
      '8123 4567',
      'HK$ 51234567', // an amount
      '91234567.50',
      '9123 4567 8888', // perhaps one longer number
      '9123 4567 2026 1130', // and a date
      'order 91234567', // an order's
      'ref no. 23456789',
      'Amy 9123 4567',
      'call 9123 4567',
      '9123 4567，訂單23456789',
      'n/a',
      '2',
      '12',
    ];
    for (const value of values) {
      const plain = findings(`Phone: ${value}`, 'Phone: '.length);
      for (const label of ['Phone 2: ', 'Mobile 1: ', 'Tel (2): ', 'Phone #2: ', '電話2：', 'Phone No. 2: ']) {
        const text = `${label}${value}`;
        expect(findings(text, label.length), text).toEqual(plain);
        expectCandidatesComplete(text);
      }
    }
    // the values above are not all refused (or all found): both rules are exercised
    expect(values.filter((v) => detect(`Phone: ${v}`).length > 0).length).toBeGreaterThan(4);
    expect(values.filter((v) => detect(`Phone: ${v}`).length === 0).length).toBeGreaterThan(4);
  });

  it('is one or two digits that are no other number, and links no number it did not before', () => {
    for (const text of [
      'Phone 2023 report 9123 4567', // a year, not an index
      'Phone 123: 9123 4567',
      'Phone 2 9123 4567', // `2 9123 4567` may be one number (Sydney's)
      'Phone 12 91234567',
      'Mobile 5G plan 91234567', // a word's digit
      'Phone 2: order 91234567',
      'Order #2 9123 4567', // no phone word
      'Phone 2\n9123 4567', // another line
      'Phone 2',
      'Phone 2: 2',
    ]) {
      expect(found(text), text).toEqual([]);
      expectCandidatesComplete(text);
    }
  });
});

describe('more than one space in a +852 / +86 number', () => {
  const hk: [string, string][] = [
    ['+852 9123  4567', '+852 9123 4567'],
    ['+852  9123 4567', '+852 9123 4567'],
    ['+852    9123    4567', '+852 9123 4567'],
    ['(852)  9123 4567', '(852) 9123 4567'],
    ['（+852）  2123  4567', '（+852） 2123 4567'],
  ];
  const cn: [string, string][] = [
    ['+86 138  1234 5678', '+86 138 1234 5678'],
    ['+86  138 1234 5678', '+86 138 1234 5678'],
  ];

  it('is read as one space is: the same finding, value and hash', () => {
    for (const [wide, single] of [...hk, ...cn]) {
      const one = detect(`Tel ${single} ok`);
      expect(one.length, single).toBe(1); // the one-space form is a phone
      for (const text of [wide, `Tel ${wide} ok`, `聯絡 ${wide}。`]) {
        const ds = detect(text);
        expect(
          ds.map((d) => [d.type, d.raw, d.value]),
          text,
        ).toEqual([[one[0]!.type, wide, one[0]!.value]]);
        expect(keyedHash('k', ds[0]!)).toBe(keyedHash('k', one[0]!));
        expectCandidatesComplete(text);
      }
    }
  });

  it('makes a list after it a phone list, as with one space', () => {
    const lists: [string, string][] = [
      ['Tel: +852  9123 4567 / 6123 4567', '+852  9123 4567'],
      ['Tel: +852 9123  4567, 6123 4567', '+852 9123  4567'],
      ['6123 4567 / +852  9123 4567 (手機)', '6123 4567'],
    ];
    for (const [text, first] of lists) {
      expect(found(text).length, text).toBe(2);
      expect(found(text)[0], text).toEqual(['hk_phone', first]);
      expectCandidatesComplete(text);
    }
  });

  it('widens no bare 852 or 86, no bare number, and no tab: those are a table\'s columns', () => {
    for (const text of [
      '852  9123 4567', // a bare code keeps one separator
      '852 9123  4567',
      '00852  9123  4567',
      '86 138  1234 5678',
      'Qty  852  2000  1500',
      'Paper A4    852    2340    1500',
      'Score 86 139    2024    1130',
      '+852\t2000\t1500', // a tab: a TSV row's cells
      '+852\t9123 4567',
      '+86\t138\t1234\t5678',
      '852  1234 5678', // no number starts 1
      'Invoice 852  9123 4567',
      '852\t91234567', // a tab after a bare code: two cells of a table
      '9123  4567', // a bare number's groups keep one separator
      '9123\t4567',
      'Tel: 9123  4567',
      '138  1234 5678',
      '+852 9123  45678', // a digit more: not this number
    ]) {
      expect(found(text), text).toEqual([]);
      expectCandidatesComplete(text);
    }
    // as with one space
    expect(found('Invoice 852 9123 4567')).toEqual([]);
  });
});

describe('an HKID with a hyphen before its check digit after an ID number label', () => {
  const check = hkidCheck('A', '123456');
  const hkid = `A123456-${check}`;
  const wrong = `A123456-${check === '0' ? '1' : '0'}`;

  it('is found after `ID no.`, `ID No.:`, `ID number`, `I.D. No.`, as after an HKID word', () => {
    for (const text of [`ID no. ${hkid}`, `ID No.: ${hkid}`, `ID number ${hkid}`, `I.D. No. ${hkid}`, `id no: ${hkid}`, `Name: Chan Tai Man, ID no. ${hkid}`, `身份證號碼 ${hkid}`]) {
      expect(
        detect(text).map((d) => [d.type, d.raw, d.value]),
        text,
      ).toEqual([['hk_id', hkid, `A123456${check}`]]);
      expectCandidatesComplete(text);
    }
    const two = hkidCheck('AB', '987654');
    expect(found(`ID no. AB 987654 (${two})`)).toEqual([['hk_id', `AB 987654 (${two})`]]);
  });

  it('is not found after a thing\'s or an order\'s ID, after `ID` alone, nor with a wrong check digit', () => {
    for (const text of [
      `Order ID ${hkid}`,
      `Order ID no. ${hkid}`,
      `Order ID No.: ${hkid}`,
      `Product ID: ${hkid}`,
      `Product ID no. ${hkid}`,
      `SKU ID no. ${hkid}`,
      `SKU ${hkid}`,
      `Ticket ID ${hkid}`,
      `Ticket ID no. ${hkid}`,
      `Employee ID No.: ${hkid}`, // any word before `ID no.` makes it that word's
      `Member ID no. ${hkid} renewed`,
      `Staff I.D. No. ${hkid}`,
      `Case ID no. ${hkid} closed`,
      `Invoice ID No. ${hkid}`,
      `ID: ${hkid}`,
      `ID no. ${wrong}`,
      `ID no. x ${hkid}`, // not right before it
      `ID no.\n${hkid}`,
    ]) {
      expect(found(text), text).toEqual([]);
      expectCandidatesComplete(text);
    }
  });
});

describe('these forms under either of V8 regex compilations', () => {
  it('are found the same, optimized or not', () => {
    const child = fileURLToPath(new URL('./support/detect-child.ts', import.meta.url));
    const samples = ['PHONE 2: 9876 5432', 'TEL (2): 2123 4567', 'Phone #2 9123 4567', '電話2：9123 4567', '+852 9123  4567', '+86  138 1234 5678', 'ID NO. A123456-3'];
    const run = (flags: string[]): unknown[][] => JSON.parse(execFileSync(process.execPath, [...flags, child, ...samples], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
    const optimized = run([]);
    expect(optimized.slice(0, samples.length).map((ds) => ds.length)).toEqual(samples.map(() => 1));
    expect(run(['--no-regexp-optimization'])).toEqual(optimized);
  });
});
