// An S3 source reads workbooks as the file scan reads local ones (in-memory fake S3): an
// `.xlsx` object, and one under another name whose bytes are a workbook (an export renamed
// `.csv`), give the records a local file gives, sheet, row and column; a workbook is read
// whole, so one larger than what is left of the byte budget is skipped saying so, unfetched;
// another ZIP archive is skipped as the archive it is; a damaged workbook says why. A `.txt`
// or `.xls` object of tab-separated columns (Excel's "Unicode Text") is read as a table, as
// a local file is.
import { readFileSync, writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import writeExcelFile from 'write-excel-file/node';
import { readFileRecords } from '../lib/adapters/sources/local-files.ts';
import { readS3Prefix } from '../lib/adapters/sources/s3-source.ts';
import type { SourceRecord } from '../lib/domain/detect/records.ts';
import { recordsRead } from './support/records-read.ts';
import { FakeS3 } from './support/fake-s3.ts';
import { deflatedEntry, zipArchive } from './support/hostile-files.ts';
import { tempDir } from './support/temp-dir.ts';

/** A workbook of two sheets as Excel writes one: a title row above the header, Mobile and HKID columns. */
async function workbookBytes(): Promise<Buffer> {
  const file = path.join(tempDir('s3-book-'), 'staff.xlsx');
  await writeExcelFile([
    { sheet: 'HR', data: [['Staff list 2026'], ['Name', 'Mobile', 'HKID'], ['Chan Tai Man', '91234567', 'A123456(3)'], ['Wong Siu Ming', '61234567', 'B987654(0)']] },
    { sheet: 'Vendors', data: [['Contact', 'Email'], ['Lee', 'lee@example.com']] },
  ]).toFile(file);
  return readFileSync(file);
}

/** A reader's records and findings (recordsRead), its coverage or read as `coverage`. */
const read = async <R,>(records: AsyncGenerator<SourceRecord, R>, base: string) => {
  const { result, ...rest } = await recordsRead(records, base);
  return { ...rest, coverage: result };
};

describe('workbooks in an S3 source', () => {
  it('an .xlsx object, and a workbook renamed .csv, give the records and findings a local file gives', async () => {
    const book = await workbookBytes();
    const dir = tempDir('s3-book-local-');
    const localFile = path.join(dir, 'staff.xlsx');
    writeFileSync(localFile, book);
    const local = await read(readFileRecords(localFile, 'hr'), `${dir}/`);
    expect(local.types).toEqual(['email', 'hk_id', 'hk_id', 'hk_phone', 'hk_phone']);
    expect(local.records.map((r) => r.at.sheet)).toEqual(['HR', 'HR', 'Vendors']);

    const s3 = new FakeS3({ 'hr/staff.xlsx': book, 'hr/export.csv': book });
    const remote = await read(readS3Prefix({ bucket: 'b', client: s3 }), 's3://b/hr/');
    const byName = (name: string) => remote.records.filter((r) => r.at.file === name).map((r) => ({ ...r, at: { ...r.at, file: 'staff.xlsx' } }));
    expect(byName('staff.xlsx')).toEqual(local.records);
    expect(byName('export.csv')).toEqual(local.records);
    expect(remote.types).toEqual([...local.types, ...local.types].sort());
    expect(remote.coverage).toMatchObject({ records: 2, truncated: false, bytesRead: 2 * book.length, skipped: [] });
  });

  it('a workbook larger than what is left of the byte budget is skipped saying so, and not fetched', async () => {
    const book = await workbookBytes();
    const s3 = new FakeS3({ 'a.txt': Buffer.from('Mobile: 9123 4567\n'), 'b.xlsx': book, 'c.csv': book });
    const budgetBytes = 18 + book.length - 1;
    const { coverage, types } = await read(readS3Prefix({ bucket: 'b', client: s3, budgetBytes }), 's3://b/');
    expect(types).toEqual(['hk_phone']);
    // the .xlsx is known by its name (no GET); the renamed one by its start and its directory (ranged GETs), never fetched whole
    expect(s3.gets.map((g) => g.key)).toEqual(['a.txt', 'c.csv', 'c.csv', 'c.csv']);
    expect(s3.gets.filter((g) => g.key === 'c.csv').every((g) => g.range !== undefined)).toBe(true);
    const why = 'a workbook is read whole, and this one is larger than what is left of the byte budget';
    expect(coverage.skipped).toEqual([
      { key: 'b.xlsx', reason: why },
      { key: 'c.csv', reason: why },
    ]);
    expect(coverage.truncated).toBe(true);
  });

  it('another ZIP archive under a text name is skipped from its start and directory, its bytes not spent from the budget', async () => {
    // 8 MiB of stored (incompressible) data in a ZIP named .csv, then a chat whose last line holds a phone
    const noise = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    const archive = zipArchive([{ name: 'backup/data.bin', stored: noise, method: 0, size: noise.length, crc: crc32(noise) }]);
    const chat = Buffer.from(`${'.'.repeat(79)}\n`.repeat(20_000) + 'Mobile: 9123 4567\n');
    const s3 = new FakeS3({ 'a-backup.csv': archive, 'b-chat.txt': chat });
    const budgetBytes = 2 * 1024 * 1024;
    const { coverage, types } = await read(readS3Prefix({ bucket: 'b', client: s3, budgetBytes }), 's3://b/');
    expect(types).toEqual(['hk_phone']);
    expect(coverage.skipped).toEqual([{ key: 'a-backup.csv', reason: 'not a supported format (a ZIP archive, not itself an .xlsx workbook: unpack it to scan its files)' }]);
    expect(coverage.truncated).toBe(false);
    expect(coverage.bytesRead).toBeLessThan(chat.length + 128 * 1024);
    expect(s3.gets.filter((g) => g.key === 'b-chat.txt')).toEqual([{ key: 'b-chat.txt' }]);
  });

  it('an .xlsx object that is no ZIP archive says what it looks like, as a local file does', async () => {
    const csv = Buffer.from('Name,Mobile\nChan Tai Man,91234567\n');
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)]);
    const dir = tempDir('s3-notzip-');
    const localReasons: string[] = [];
    for (const [name, bytes] of [['staff.xlsx', csv], ['pw.xlsx', ole]] as const) {
      writeFileSync(path.join(dir, name), bytes);
      const r = await read(readFileRecords(path.join(dir, name), 'g'), `${dir}/`);
      const reason = (r.coverage as { reason?: string }).reason ?? '';
      localReasons.push(reason.slice(reason.indexOf(`${name}: `) + name.length + 2)); // (a local read's reason names the file first)
    }
    const s3 = new FakeS3({ 'pw.xlsx': ole, 'staff.xlsx': csv });
    const { coverage } = await read(readS3Prefix({ bucket: 'b', client: s3 }), 's3://b/');
    expect(localReasons[0]).toContain('it looks like text: rename it .csv or .txt to have it read');
    expect(localReasons[1]).toContain('a password-protected workbook');
    expect(coverage.skipped).toEqual([
      { key: 'pw.xlsx', reason: expect.any(String) },
      { key: 'staff.xlsx', reason: expect.any(String) },
    ]);
    expect([coverage.skipped[1]!.reason, coverage.skipped[0]!.reason]).toEqual(localReasons);
  });

  it('another ZIP archive is skipped as an archive; a damaged workbook says why; other objects are still read', async () => {
    const book = await workbookBytes();
    const s3 = new FakeS3({
      'backup.csv': zipArchive([deflatedEntry('notes/a.txt', 'HKID A123456(3)')]),
      'broken.xlsx': book.subarray(0, book.length - 30),
      'notes.txt': Buffer.from('HKID A123456(3)\n'),
    });
    const { coverage, types } = await read(readS3Prefix({ bucket: 'b', client: s3 }), 's3://b/');
    expect(types).toEqual(['hk_id']);
    expect(coverage.skipped).toEqual([
      { key: 'backup.csv', reason: 'not a supported format (a ZIP archive, not itself an .xlsx workbook: unpack it to scan its files)' },
      { key: 'broken.xlsx', reason: expect.stringMatching(/^not a readable \.xlsx workbook \(/) },
    ]);
    expect(coverage.records).toBe(1);
  });
});

describe('tab-separated text in an S3 source', () => {
  it('a .txt in UTF-16 and an .xls of tab-separated columns give the table records a local file gives, a Mobile column\'s numbers phones', async () => {
    const rows = ['Name\tMobile\tNote', 'Chan Tai Man\t91234567\tVIP', 'Wong Siu Ming\t61234567\t', 'Lee\t51234567\tcall after 6pm'];
    const unicodeText = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${rows.join('\r\n')}\r\n`, 'utf16le')]);
    const portal = Buffer.from(`${rows.join('\n')}\n`);
    const dir = tempDir('s3-tab-local-');
    writeFileSync(path.join(dir, 'staff.txt'), unicodeText);
    writeFileSync(path.join(dir, 'staff.xls'), portal);
    const localTxt = await read(readFileRecords(path.join(dir, 'staff.txt'), 'hr'), `${dir}/`);
    const localXls = await read(readFileRecords(path.join(dir, 'staff.xls'), 'hr'), `${dir}/`);
    expect(localTxt.types).toEqual(['hk_phone', 'hk_phone', 'hk_phone']);
    expect(localTxt.records.every((r) => r.table !== undefined)).toBe(true);

    const s3 = new FakeS3({ 'hr/staff.txt': unicodeText, 'hr/staff.xls': portal, 'hr/notes.txt': Buffer.from('Name\tMobile\n') });
    const remote = await read(readS3Prefix({ bucket: 'b', client: s3 }), 's3://b/hr/');
    expect(remote.records.filter((r) => r.at.file === 'staff.txt')).toEqual(localTxt.records);
    expect(remote.records.filter((r) => r.at.file === 'staff.xls')).toEqual(localXls.records);
    expect(remote.types).toEqual([...localTxt.types, ...localXls.types]);
  });
});
