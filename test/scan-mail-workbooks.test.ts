// A workbook attached to an e-mail (the payroll sheet mailed to HR) is read as a local
// workbook is: every sheet, each finding with its sheet, row and column, in the file
// `FILE#/attachments/N`; told by its name, its type, or its bytes (an export renamed
// `.csv`, sent as application/octet-stream); one the workbook reader refuses is a problem
// of the mail's read naming the attachment, and the rest of the mail is still read.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import writeExcelFile from 'write-excel-file/node';
import { readFileRecords } from '../lib/adapters/sources/local-files.ts';
import { recordsRead } from './support/records-read.ts';
import { tempDir } from './support/temp-dir.ts';

async function workbookBytes(): Promise<Buffer> {
  const file = path.join(tempDir('mail-book-'), 'payroll.xlsx');
  await writeExcelFile([
    { sheet: 'Payroll', data: [['Name', 'Mobile', 'HKID'], ['Chan Tai Man', '91234567', 'A123456(3)']] },
    { sheet: 'Bank', data: [['Name', 'Email'], ['Chan Tai Man', 'tm.chan@example.com']] },
  ]).toFile(file);
  return readFileSync(file);
}

const part = (type: string, name: string, bytes: Buffer) =>
  [`--XX`, `Content-Type: ${type}; name="${name}"`, `Content-Disposition: attachment; filename="${name}"`, 'Content-Transfer-Encoding: base64', '', bytes.toString('base64')].join('\r\n');

function mail(parts: string[]): string {
  return [
    'From: hr@example.com',
    'To: payroll@example.com',
    'Subject: November payroll',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="XX"',
    '',
    '--XX',
    'Content-Type: text/plain; charset=UTF-8',
    '',
    'Please see attached.',
    ...parts,
    '--XX--',
    '',
  ].join('\r\n');
}

/** A local file's records and findings (recordsRead). */
const read = (file: string, base: string) => recordsRead(readFileRecords(file, 'hr'), base);

describe('a workbook attached to an e-mail', () => {
  it('is read as the local workbook: by its name, its type, or its bytes; sheet, row and column kept', async () => {
    const book = await workbookBytes();
    const dir = tempDir('mail-book-read-');
    writeFileSync(path.join(dir, 'payroll.xlsx'), book);
    const local = await read(path.join(dir, 'payroll.xlsx'), `${dir}/`);
    expect(local.types).toEqual(['email', 'hk_id', 'hk_phone']);

    const eml = path.join(dir, 'payroll.eml');
    writeFileSync(
      eml,
      mail([
        part('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'payroll.xlsx', book),
        part('application/octet-stream', 'export.csv', book),
        part('application/octet-stream', 'data', book),
      ]),
    );
    const got = await read(eml, `${dir}/`);
    for (const n of [0, 1, 2]) {
      const sheets = got.records.filter((r) => r.at.file === `payroll.eml#/attachments/${n}`);
      expect(sheets, `attachment ${n}`).toEqual(local.records.map((r) => ({ ...r, at: { ...r.at, file: `payroll.eml#/attachments/${n}` } })));
    }
    expect(got.result).toMatchObject({ status: 'scanned', format: 'eml' });
    expect(got.result.problems ?? []).toEqual([]);
  });

  it('one the workbook reader refuses is a problem naming the attachment; the body and other parts are still read', async () => {
    const book = await workbookBytes();
    const dir = tempDir('mail-book-bad-');
    const eml = path.join(dir, 'bad.eml');
    writeFileSync(eml, mail([part('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'payroll.xlsx', book.subarray(0, book.length - 40)), part('text/csv', 'staff.csv', Buffer.from('name,mobile\nChan,91234567\n'))]));
    const got = await read(eml, `${dir}/`);
    expect(got.records.filter((r) => r.at.file === 'bad.eml#/attachments/0')).toEqual([]);
    expect(got.records.filter((r) => r.at.file === 'bad.eml#/attachments/1').map((r) => r.text)).toEqual([expect.stringContaining('91234567')]);
    expect(got.records.some((r) => r.at.pointer === '/text' && r.text.includes('Please see attached.'))).toBe(true);
    expect(got.result.problems).toEqual([{ line: 1, message: expect.stringMatching(/^attachment 0 \(a workbook\) not read: not a readable \.xlsx workbook \(/) }]);
  });
});
