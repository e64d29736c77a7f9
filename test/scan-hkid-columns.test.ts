// An HKID written as a document number is written (`A123456-3`, `AB 987654 (3)`) is an HKID
// only next to an HKID word (detect.ts: `PO123456-1` is an order's line): the name of its
// column or JSON key is that word (records.ts: isHkidName), as a phone column's is the
// phone word of its bare numbers. `ID` alone names any record's id, and is none.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { isHkidName } from '../lib/domain/detect/records.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { tempDir } from './support/temp-dir.ts';

const dir = tempDir('hkid-columns-');
async function scan(name: string, text: string) {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  const { findings } = await scanPaths(sourceReaders(), [file]);
  return findings.map((f) => [f.type, f.row ?? f.pointer, f.column, f.masked]);
}

describe('a column or key named as HKIDs', () => {
  it('gives the hyphenated and spaced forms its cells start with, check digit verified; not under an id or order column', async () => {
    const csv = 'name,HKID,身份證號碼,ID,order_id\nChan,A123456-3,AB 987654 (3),A123456-3,PO123456-1\nHo,A123456-4,B123456-6,x,SO123456-7\n';
    expect(await scan('staff.csv', csv)).toEqual([
      ['hk_id', 1, 'HKID', 'A12****(3)'],
      ['hk_id', 1, '身份證號碼', 'AB98****(3)'],
      ['hk_id', 2, '身份證號碼', 'B12****(6)'],
    ]);
  });

  it('in JSON too: a string under an `hkid` or `idCardNo` key', async () => {
    const json = JSON.stringify([{ name: 'Chan', hkid: 'A123456-3', id: 'A123456-3', ref: 'PO123456-1' }, { idCardNo: ' B123456-6' }]);
    expect(await scan('staff.json', json)).toEqual([
      ['hk_id', '/0/hkid', undefined, 'A12****(3)'],
      ['hk_id', '/1/idCardNo', undefined, 'B12****(6)'],
    ]);
  });

  it('names: HKID words and one-word forms, not ID alone', () => {
    for (const name of ['HKID', 'HK ID No.', 'hkidNo', 'HKID_NUMBER', 'ID Card No', 'idCardNo', '身份證號碼', '证件号码', 'Identity Card']) expect(isHkidName(name), name).toBe(true);
    for (const name of ['ID', 'id', 'order_id', 'Customer ID', 'ID No.', 'staff id', 'hidden']) expect(isHkidName(name), name).toBe(false);
  });
});
