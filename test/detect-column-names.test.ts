// What a table's column name or a JSON key says of its values (records.ts): a phone word
// in it makes bare eight-digit numbers phones unless the words around it name another
// thing (an id, a count, a model, a fee: `Contact ID`, `smsCount`, `電話費 (HK$)`), as the
// text's PHONE_KEY refuses `telephone_count=`; HKIC is an HKID word as HKID is; and a
// phone column's number written in scientific notation (`9.1234567E+07`) is read as the
// .xlsx reader reads one.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { isHkidName, isPhoneName } from '../lib/domain/detect/records.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { tempDir } from './support/temp-dir.ts';

const dir = tempDir('column-names-');
const KEY = 'column-names-test-key';

async function scan(name: string, content: string) {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  const { findings } = await scanPaths(sourceReaders(), [file], { hashKey: KEY });
  return findings.map((f) => ({ type: f.type, at: f.column ?? f.pointer, masked: f.masked, hash: f.hash }));
}

describe('phone names that name another thing', () => {
  it('are no phone names: an id, a count, a model, a usage, a fee, a time or a type after the phone word, a count before it', () => {
    for (const name of [
      'Contact ID', 'contactId', 'CONTACT_ID', 'callId', 'PhoneID', 'telephone_count', 'smsCount', 'SMS Count', 'phoneModel', 'Phone Model',
      'Mobile Data (bytes)', 'mobileDataUsage', 'Call Duration', 'Call Date', 'Last Call Time', 'callTime', 'Phone Type', 'Phone 1 - Type', 'Phone Number Type',
      'No. of Calls', 'numberOfCalls', 'Total Calls',
      '電話費 (HK$)', '電話費用', '手機型號', '聯絡編號', '手機數據用量',
    ]) {
      expect(isPhoneName(name), name).toBe(false);
    }
  });

  it('keeps every name that means a phone: a number label, an index, a second phone word, WhatsApp ID', () => {
    for (const name of [
      'phone', 'Mobile', 'mobileNo', 'phone_no', 'contactPhone', 'Contact Number', 'Contact No.', 'Tel.', 'Phone 2', 'mobile1', 'whatsapp',
      'WhatsApp ID', 'whatsappId', 'whatsapp_id', 'Phone 1 - Value', 'Phone (day time)', 'Phone (any time)', 'Phone (in case of emergency)',
      'Contact Data', 'Phone No. of Parent', 'Contact Number of Parent',
      'emergencyContactNo', 'Home Phone 2', 'PHONENO', 'HP', 'MSISDN',
      '手機號碼', '聯絡電話', '電話號碼', '聯絡人電話',
    ]) {
      expect(isPhoneName(name), name).toBe(true);
    }
  });

  it("gives no phone in such a table's columns, and still those of its phone column", async () => {
    const csv = 'Contact ID,SMS Count,Phone Model,Mobile Data (bytes),電話費 (HK$),Contact No.\n91234567,51234567,61234567,51234567,91234567,6123 4567\n';
    expect((await scan('usage.csv', csv)).map((f) => [f.type, f.at])).toEqual([['hk_phone', 'Contact No.']]);
  });

  it('nor under such JSON keys, numbers or strings', async () => {
    const json = '{"contactId": 91234567, "callId": 61234567, "telephone_count": 23456789, "smsCount": 51234567, "phoneModel": "61234567", "mobileNo": "91234567"}';
    expect((await scan('usage.json', json)).map((f) => [f.type, f.at])).toEqual([['hk_phone', '/mobileNo']]);
  });
});

describe('HKIC names', () => {
  it('are HKID names, as HKID is: HKIC, H.K.I.C., HKIC No., Hong Kong ID, HK Identity Card No; not IC or Hong Kong alone', () => {
    for (const name of ['HKIC', 'hkic', 'H.K.I.C.', 'HKIC No.', 'HKICNO', 'hkicNo', 'Hong Kong ID', 'HongKongID', 'Hong Kong ID Card No.', 'HK Identity Card No']) {
      expect(isHkidName(name), name).toBe(true);
    }
    for (const name of ['IC', 'IC No.', 'Hong Kong', 'Kong ID', 'hkicx', 'ID']) expect(isHkidName(name), name).toBe(false);
  });

  it("give an HKID column's A123456-3 form, in a table and under a JSON key", async () => {
    expect((await scan('hkic.csv', 'HKIC,Name\nK234567-6,Chan\n')).map((f) => [f.type, f.at, f.masked])).toEqual([['hk_id', 'HKIC', 'K23****(6)']]);
    expect((await scan('hkic.json', '{"name":"Chan","hkic":"CA182361-1"}')).map((f) => [f.type, f.at, f.masked])).toEqual([['hk_id', '/hkic', 'CA18****(1)']]);
  });
});

describe("a phone column's number in scientific notation", () => {
  it('is the phone its digits are, the same value as written out', async () => {
    const found = await scan('sci.csv', 'Name,Mobile\nChan,9.1234567E+07\nHo,91234567\nLee, 6.1234567e7 \n');
    expect(found.map((f) => [f.type, f.at, f.masked])).toEqual([
      ['hk_phone', 'Mobile', '+852 ****4567'],
      ['hk_phone', 'Mobile', '+852 ****4567'],
      ['hk_phone', 'Mobile', '+852 ****4567'],
    ]);
    expect(found[0]!.hash).toBe(found[1]!.hash);
  });

  it('only as the whole cell, of a whole number of eight digits that is a Hong Kong number, in a phone column', async () => {
    const csv = [
      'Mobile,Amount',
      '9.12345678E+07,9.1234567E+07', // not a whole number; not a phone column
      '9.1234567E+08,x', // nine digits
      '1.2345678E+07,x', // no Hong Kong number
      '9.1234567E+07 HKD,x', // more than the number
    ].join('\n');
    expect(await scan('not-sci.csv', csv + '\n')).toEqual([]);
  });
});

describe('a phone name with a note of whose or what for', () => {
  it.each([
    'Phone (Billing)', 'phone_billing', 'phoneBilling', 'phone_number_for_billing', 'phone_account', 'Mobile No. (Account Holder)',
    'Phone Number (Invoice)', 'Recipient Mobile (Order)', 'Contact Phone for Order', 'Tel for Order', 'Mobile number for order updates',
    'Phone - Ticket Holder', 'Mobile (Plan Holder)', 'mobile_plan_holder', 'Mobile (Service Account)', 'Phone (Ref)', 'Phone of Reference',
    'Contact (Reference 1)', '手機號碼(訂單)', '聯絡電話(帳單地址)',
  ])('is still a phone name: %j', (name) => {
    expect(isPhoneName(name)).toBe(true);
  });
});
