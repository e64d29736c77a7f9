// A label right before a number says it is a code, not a person's (labels.ts): an
// account's (帳戶), a repair job's or a build's is no phone, though a phone word is near; a
// transaction's, a reference's or a policy's 16 digits that pass Luhn are no card unless a
// card word is near; a staff member's, a cheque's, a parcel's, a job's, a purchase order's
// or a licence's code of an HKID's compact shape is no HKID unless an HKID word is near.
// And a CSV/TSV column or JSON key named as such a code (records.ts: isCodeName) says so of
// the compact HKID shape each value is; one written as an HKID, `A123456(3)`, stays one.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { cardValid, hkidValue } from '../lib/domain/detect/check-digits.ts';
import { detect } from '../lib/domain/detect/detect.ts';
import { isCodeName } from '../lib/domain/detect/records.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { tempDir } from './support/temp-dir.ts';

const found = (text: string) => detect(text).map((d) => [d.type, d.raw]);

const CARD = '4000123456789017';
const CODES = ['E1023458', 'C100234A', 'SF1234562', 'PO2026113', 'J2600126', 'L1234563'];

describe('a label that says a number is a thing’s', () => {
  it('the codes and the card number would pass their checks: alone, each is found', () => {
    expect(cardValid(CARD)).toBe(true);
    for (const code of CODES) {
      expect(hkidValue(code), code).toBeDefined();
      expect(found(code)).toEqual([['hk_id', code]]);
    }
    expect(found(CARD)).toEqual([['payment_card', CARD]]);
  });

  it('an account’s (帳戶, 账户), a repair job’s or a build’s number is no phone; a phone word right before one still makes it one', () => {
    for (const text of ['電話費 帳戶 91234567', '电话费 账户 91234567', 'Phone repair job 91234567', '手機維修單 91234567', 'Mobile app release build 91234567 deployed'])
      expect(found(text), text).toEqual([]);
    expect(found('Job: Driver, Mobile 9123 4567')).toEqual([['hk_phone', '9123 4567']]);
    expect(found('Build team, Tel 9123 4567')).toEqual([['hk_phone', '9123 4567']]);
    expect(found('電話 91234567 (帳戶持有人)')).toEqual([['hk_phone', '91234567']]);
  });

  it('a transaction’s, a transfer’s or a policy’s number is no card, unless a card word is near; a reference’s alone may be the card paid with', () => {
    for (const label of ['Transaction ID: ', 'Txn Ref ', 'FPS reference: ', 'Order ref ', 'Policy No. ', '保單 ']) expect(found(label + CARD), label).toEqual([]);
    expect(found(`Ref: ${CARD}`)).toEqual([['payment_card', CARD]]);
    expect(found('Visa card transaction 4000 1234 5678 9017')).toEqual([['payment_card', '4000 1234 5678 9017']]);
    expect(found(`Card no. ${CARD}`)).toEqual([['payment_card', CARD]]);
    // a reference's number may still be a phone: the label is no phone's
    expect(found('9123 4567 / ref 6123 4567 (手機)')).toEqual([['hk_phone', '6123 4567']]);
  });

  it('a staff, cheque, parcel, job, purchase order or licence code is no HKID, unless an HKID word is near', () => {
    const labelled = [
      'Staff ID E1023458',
      'Employee No. E1023458',
      '工號 E1023458',
      'Cheque no. C100234A',
      'Parcel SF1234562',
      'PO PO2026113',
      'PO: E1023458',
      'Job J2600126',
      'Licence L1234563',
      'License no. L1234563',
    ];
    for (const text of labelled) expect(found(text), text).toEqual([]);
    expect(found('Staff HKID E1023458')).toEqual([['hk_id', 'E1023458']]);
    // a staff member's name or heading before the member's HKID: no ID's mark after `Staff`
    expect(found('Staff: E1023458')).toEqual([['hk_id', 'E1023458']]);
    expect(found('Staff ID E1023458 (HKID)')).toEqual([['hk_id', 'E1023458']]);
  });

  it('Po the given name is no purchase order’s label', () => {
    expect(found('CHAN SIU PO A1234563')).toEqual([['hk_id', 'A1234563']]);
    expect(found('CHAN Siu Po A123456(3)')).toEqual([['hk_id', 'A123456(3)']]);
    expect(found('Po: A1234563')).toEqual([['hk_id', 'A1234563']]);
  });
});

const dir = tempDir('thing-labels-');
async function scan(name: string, text: string) {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  const { findings } = await scanPaths(sourceReaders(), [file]);
  return findings.map((f) => [f.type, f.row ?? f.pointer, f.column, f.masked]);
}

describe('a column or key named as a code', () => {
  it('its cells’ compact HKID shapes are that code; an HKID column’s, another column’s and one written as an HKID are HKIDs', async () => {
    const csv = [
      'Staff ID,Employee No,工號,員工編號,HKID,Staff Name',
      "E1023458,  E1023458,'E1023458,E1023458,E1023458,Amy E1023458",
      'A123456(3),x,x,x,A123456(3),x',
    ].join('\n');
    expect(await scan('staff.csv', csv)).toEqual([
      ['hk_id', 1, 'HKID', 'E10****(8)'],
      ['hk_id', 1, 'Staff Name', 'E10****(8)'],
      ['hk_id', 2, 'Staff ID', 'A12****(3)'],
      ['hk_id', 2, 'HKID', 'A12****(3)'],
    ]);
    expect(await scan('staff.tsv', 'Staff ID\tHKID\nE1023458\tE1023458\n')).toEqual([['hk_id', 1, 'HKID', 'E10****(8)']]);
  });

  it('in JSON too: a string under a `staffId` key', async () => {
    const json = JSON.stringify([{ staffId: 'E1023458', staff_no: 'A123456(3)', hkid: 'E1023458', note: 'E1023458' }]);
    expect(await scan('staff.json', json)).toEqual([
      ['hk_id', '/0/staff_no', undefined, 'A12****(3)'],
      ['hk_id', '/0/hkid', undefined, 'E10****(8)'],
      ['hk_id', '/0/note', undefined, 'E10****(8)'],
    ]);
  });

  it('names: read as the label before a value, not an HKID name', () => {
    for (const name of ['Staff ID', 'Employee No.', 'staffId', 'staff_no', 'EMPLOYEE_ID', '工號', '員工編號', '員工號碼', '员工号', 'Emp. ID', 'EMP_NO', 'Order No', 'SKU', 'Job', 'PO#'])
      expect(isCodeName(name), name).toBe(true);
    for (const name of ['ID', 'Staff HKID', 'staffHkid', 'Staff', 'Staff Name', 'Job Title', 'HKID', '身份證號碼', 'Po', 'name', '員工', '員工姓名', 'Emp', 'Emp Name'])
      expect(isCodeName(name), name).toBe(false);
  });
});

describe('a number before a phone word that labels the next number', () => {
  it('is no phone when a claim\'s, a business registration\'s or a staff number\'s label names it; the next number is', () => {
    for (const [text, phone] of [
      ['Claim No.: 61234567 (contact 9123 4500)', '9123 4500'],
      ['工號 61234567 手機 9123 4500', '9123 4500'],
      ['商業登記號碼：61234567 電話：2877 1200', '2877 1200'],
      ['BR No.: 61234567 (Tel: 2877 1234)', '2877 1234'],
      ['Staff ID 61234567, mobile 9123 4500', '9123 4500'],
      ['員工號碼 61234567 手機 9123 4500', '9123 4500'],
      ['Emp. No. 61234567 Tel 9123 4500', '9123 4500'],
    ] as const) {
      expect(detect(text).map((d) => [d.type, d.raw]), text).toEqual([['hk_phone', phone]]);
    }
  });
});
