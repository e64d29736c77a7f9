// Spreadsheets under the wrong extension: a workbook (a ZIP archive) saved as .csv, .txt,
// .xls or with no extension is read as a workbook; another ZIP archive under such a name
// is skipped as the archive it is; a CSV saved as .xlsx fails saying it looks like text;
// tab-separated text saved as .xls is read as a table (S3 objects: scan-s3-workbooks.test.ts).
import { copyFileSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import writeExcelFile from 'write-excel-file/node';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { cleanEnv, runCli } from './support/cli.ts';
import { deflatedEntry, xlsxBomb, zipArchive } from './support/hostile-files.ts';
import { tempDir } from './support/temp-dir.ts';

const HKID = 'A123456(3)';

/** A workbook as Excel writes one: a Mobile column of bare numbers, an HKID column. */
async function workbook(file: string): Promise<void> {
  await writeExcelFile([
    ['Name', 'Mobile', 'HKID'],
    ['Chan Tai Man', '91234567', HKID],
    ['Wong Siu Ming', '61234567', 'B987654(6)'],
  ]).toFile(file);
}

const scan = (files: string[]) => scanPaths(sourceReaders(), files, { hashKey: 'k' });

describe('a workbook under another name', () => {
  it('is read as a workbook whatever its extension (.csv, .txt, .xls, none), its read saying xlsx', async () => {
    const dir = tempDir('wrong-ext-');
    const real = path.join(dir, 'staff.xlsx');
    await workbook(real);
    const names = ['staff.csv', 'staff.txt', 'staff.xls', 'staff', 'staff.log'];
    for (const name of names) copyFileSync(real, path.join(dir, name));
    const asXlsx = await scan([real]);
    expect(asXlsx.findings.length).toBeGreaterThanOrEqual(3);
    for (const name of names) {
      const file = path.join(dir, name);
      const result = await scan([file]);
      expect(result.files, name).toEqual([expect.objectContaining({ file, status: 'scanned', format: 'xlsx', bytesRead: readFileSync(real).length })]);
      // the same findings as the workbook named .xlsx, placed by sheet, row and column
      expect(result.findings.map((f) => [f.type, f.sheet, f.row, f.column, f.masked]), name).toEqual(asXlsx.findings.map((f) => [f.type, f.sheet, f.row, f.column, f.masked]));
    }
    expect(asXlsx.findings.map((f) => [f.type, f.column])).toEqual(expect.arrayContaining([['hk_phone', 'Mobile'], ['hk_id', 'HKID']]));
  });

  it('read through a folder, and on several threads by the command line: exit 0, the workbook found', async () => {
    const dir = tempDir('wrong-ext-cli-');
    await workbook(path.join(dir, 'export.csv'));
    writeFileSync(path.join(dir, 'notes.txt'), 'call 9123 4567\n');
    const folder = await scan([dir]);
    expect(folder.files.map((f) => [path.basename(f.file), f.status, f.format])).toEqual([
      ['export.csv', 'scanned', 'xlsx'],
      ['notes.txt', 'scanned', 'text'],
    ]);
    const cli = await runCli(['scan', dir, '--format', 'json', '--threads', '2'], cleanEnv({ COMPLIANCE_HASH_KEY: 'test-key-0123456789' }));
    expect(cli.code).toBe(0);
    const out = JSON.parse(cli.stdout) as { files: { file: string; status: string; format?: string; findings: number }[]; findings: { type: string; sheet?: string }[] };
    expect(out.files.find((f) => f.file.endsWith('export.csv'))).toMatchObject({ status: 'scanned', format: 'xlsx' });
    expect(out.findings.filter((f) => f.sheet !== undefined).map((f) => f.type)).toEqual(expect.arrayContaining(['hk_phone', 'hk_id']));
    expect(cli.stdout).not.toContain(HKID);
  });

  it('fails as a damaged .xlsx does when its directory names a workbook the reader cannot read', async () => {
    const dir = tempDir('wrong-ext-bad-');
    const real = path.join(dir, 'staff.xlsx');
    await workbook(real);
    const bytes = readFileSync(real);
    // the central directory (and so the workbook's part names) kept; the parts' bytes zeroed
    const damaged = Buffer.from(bytes);
    damaged.fill(0, 40, bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])));
    writeFileSync(path.join(dir, 'staff.xlsx'), damaged);
    writeFileSync(path.join(dir, 'staff.csv'), damaged);
    const [xlsx, csv] = (await scan([path.join(dir, 'staff.xlsx'), path.join(dir, 'staff.csv')])).files;
    expect(xlsx).toMatchObject({ status: 'failed' });
    expect(xlsx!.reason).toContain('not a readable .xlsx workbook (');
    expect(csv).toMatchObject({ status: 'failed', reason: xlsx!.reason!.replace('staff.xlsx', 'staff.csv') });
  });

  it('is held to the workbook reader\'s limits: a ZIP bomb named .csv fails before it is inflated, as one named .xlsx does', async () => {
    const dir = tempDir('wrong-ext-bomb-');
    const bomb = xlsxBomb(256 * 1024 * 1024);
    writeFileSync(path.join(dir, 'bomb.xlsx'), bomb);
    writeFileSync(path.join(dir, 'bomb.csv'), bomb);
    const [xlsx, csv] = (await scan([path.join(dir, 'bomb.xlsx'), path.join(dir, 'bomb.csv')])).files;
    expect(xlsx!.reason).toContain('refused before inflating');
    expect(csv).toMatchObject({ status: 'failed', reason: xlsx!.reason!.replace('bomb.xlsx', 'bomb.csv') });
  });
});

describe('another ZIP archive under a name read as text', () => {
  it('is skipped as the archive it is (a Word document, an archive of files), not read as a workbook; one cut short as binary', async () => {
    const dir = tempDir('wrong-ext-zip-');
    const docx = zipArchive([
      deflatedEntry('[Content_Types].xml', '<Types/>'),
      deflatedEntry('word/document.xml', `<w:document><w:body><w:p><w:r><w:t>HKID ${HKID}</w:t></w:r></w:p></w:body></w:document>`),
    ]);
    writeFileSync(path.join(dir, 'letter.txt'), docx);
    writeFileSync(path.join(dir, 'backup.csv'), zipArchive([deflatedEntry('notes/a.txt', `HKID ${HKID}`)]));
    const real = path.join(dir, 'real.xlsx');
    await workbook(real);
    const bytes = readFileSync(real);
    writeFileSync(path.join(dir, 'cut.csv'), bytes.subarray(0, bytes.length - 200)); // a download cut short: no directory
    const result = await scan([dir]);
    // one cut short has no directory to tell what it holds: read as its name says, so skipped as binary, as before
    expect(result.files.filter((f) => f.file !== real).map((f) => [path.basename(f.file), f.status, f.reason])).toEqual([
      ['backup.csv', 'skipped', 'not a supported format (a ZIP archive, not itself an .xlsx workbook: unpack it to scan its files)'],
      ['cut.csv', 'skipped', 'binary: NUL bytes in the first 8 KiB'],
      ['letter.txt', 'skipped', 'not a supported format (a ZIP archive, not itself an .xlsx workbook: unpack it to scan its files)'],
    ]);
  });

  it("is told by its entries' exact names: a workbook folder inside an archive is no workbook; a comment holding the end signature is read past", async () => {
    const dir = tempDir('wrong-ext-names-');
    writeFileSync(path.join(dir, 'folder.csv'), zipArchive([deflatedEntry('report/xl/workbook.xml', '<workbook/>')]));
    writeFileSync(path.join(dir, 'notes.csv'), zipArchive([deflatedEntry('notes/xl/workbook.xml.txt', 'x')]));
    const real = path.join(dir, 'real.xlsx');
    await workbook(real);
    const bytes = readFileSync(real);
    const commented = Buffer.concat([bytes, Buffer.from('xxxxxxxxxxPK\x05\x06', 'latin1')]);
    commented.writeUInt16LE(14, bytes.length - 22 + 20); // the end record's comment length
    writeFileSync(path.join(dir, 'commented.csv'), commented);
    const result = await scan([dir]);
    expect(result.files.filter((f) => f.file !== real).map((f) => [path.basename(f.file), f.status, f.format ?? f.reason])).toEqual([
      ['commented.csv', 'scanned', 'xlsx'],
      ['folder.csv', 'skipped', 'not a supported format (a ZIP archive, not itself an .xlsx workbook: unpack it to scan its files)'],
      ['notes.csv', 'skipped', 'not a supported format (a ZIP archive, not itself an .xlsx workbook: unpack it to scan its files)'],
    ]);
    expect(result.findings.filter((f) => f.file.endsWith('commented.csv')).map((f) => f.type).sort()).toEqual(['hk_id', 'hk_phone', 'hk_phone']);
  });
});

describe('a CSV saved as .xlsx', () => {
  it('fails saying it is no ZIP archive and looks like text; a ZIP archive named .xlsx keeps what the reader says', async () => {
    const dir = tempDir('wrong-ext-csv-');
    writeFileSync(path.join(dir, 'export.xlsx'), 'Name,Mobile\nChan,91234567\n');
    writeFileSync(path.join(dir, 'empty.xlsx'), '');
    writeFileSync(path.join(dir, 'old.xlsx'), Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]));
    const zipOnly = zipArchive([deflatedEntry('notes/a.txt', 'x')]);
    writeFileSync(path.join(dir, 'zip.xlsx'), zipOnly);
    const result = await scan(['export.xlsx', 'empty.xlsx', 'old.xlsx', 'zip.xlsx'].map((n) => path.join(dir, n)));
    const reasons = result.files.map((f) => [f.status, f.reason?.replace(`cannot read ${dir}${path.sep}`, '')]);
    expect(reasons).toEqual([
      ['failed', 'export.xlsx: not a readable .xlsx workbook: not a ZIP archive, as every .xlsx file is (it looks like text: rename it .csv or .txt to have it read)'],
      ['failed', 'empty.xlsx: not a readable .xlsx workbook: not a ZIP archive, as every .xlsx file is (the file is empty)'],
      ['failed', 'old.xlsx: not a readable .xlsx workbook: not a ZIP archive, as every .xlsx file is (a password-protected workbook, or an Excel 97-2003 one: save it unprotected as .xlsx to have it read)'],
      ['failed', expect.stringMatching(/^zip\.xlsx: not a readable \.xlsx workbook \(.*workbook\.xml.*\)$/)],
    ]);
    const cli = await runCli(['scan', path.join(dir, 'export.xlsx'), '--format', 'table']);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('it looks like text: rename it .csv or .txt to have it read');
  });
});

describe('tab-separated text saved as .xls', () => {
  it('is read as a table, so a Mobile column gives phones; an HTML table under .xls stays text', async () => {
    const dir = tempDir('wrong-ext-tsv-');
    const tsv = path.join(dir, 'portal.xls');
    writeFileSync(tsv, 'Name\tMobile\nChan\t91234567\nLee\t61234567\n');
    const html = path.join(dir, 'portal-html.xls');
    writeFileSync(html, '<table><tr><th>Name</th><th>Mobile</th></tr>\n<tr><td>Chan</td><td>91234567</td></tr></table>\n');
    const result = await scan([tsv, html]);
    expect(result.files.map((f) => [path.basename(f.file), f.format])).toEqual([
      ['portal.xls', 'tsv'],
      ['portal-html.xls', 'text'],
    ]);
    expect(result.findings.filter((f) => f.file === tsv).map((f) => [f.type, f.row, f.column])).toEqual([
      ['hk_phone', 1, 'Mobile'],
      ['hk_phone', 2, 'Mobile'],
    ]);
  });
});

describe('a workbook with macros (.xlsm) or a template (.xltx)', () => {
  it('is read as the .xlsx workbook it is, not skipped by its name', async () => {
    const dir = tempDir('wrong-ext-xlsm-');
    const real = path.join(dir, 'staff.xlsx');
    await workbook(real);
    for (const name of ['staff.xlsm', 'staff.xltx']) copyFileSync(real, path.join(dir, name));
    const result = await scan([real, path.join(dir, 'staff.xlsm'), path.join(dir, 'staff.xltx')]);
    expect(result.files.map((f) => [path.basename(f.file), f.status, f.format, f.findings])).toEqual([
      ['staff.xlsx', 'scanned', 'xlsx', 3],
      ['staff.xlsm', 'scanned', 'xlsx', 3],
      ['staff.xltx', 'scanned', 'xlsx', 3],
    ]);
  });
});

describe('a CSV over the workbook size limit named .xlsx', () => {
  it('fails saying it looks like text, not that a workbook may be no larger', async () => {
    const dir = tempDir('wrong-ext-big-');
    const file = path.join(dir, 'export.xlsx');
    const head = `Name,Mobile\n${'Chan Tai Man,91234567\n'.repeat(400)}`;
    writeFileSync(file, head);
    truncateSync(file, 70_000_000); // past the 64 MiB limit, without writing it (the rest reads as zeros)
    const result = await scan([file]);
    expect(result.files.map((f) => [f.status, f.reason])).toEqual([
      ['failed', `cannot read ${file}: not a readable .xlsx workbook: not a ZIP archive, as every .xlsx file is (it looks like text: rename it .csv or .txt to have it read)`],
    ]);
  });
});
