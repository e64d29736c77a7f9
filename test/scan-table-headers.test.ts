// Which record of a CSV/TSV file (or .xlsx sheet) is the header, and which records after
// it are rows (table-layout.ts):
// - a group row above the header, as Excel exports merged cells over groups of columns
//   (`Personal details,,,Contact,,`), is a preamble record, not the header: the columns
//   keep their own names (a phone column finds its bare numbers), rows count from the
//   first one of data, and the group row's text is still scanned;
// - psql's aligned output saved as .csv: the rule under the header and the `(N rows)`
//   count are no rows;
// - a header of two names (`name,city`) over wider rows stays the header (it was read as a
//   label and its value above the first data row), the cells beyond it named `column_N`.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import writeExcelFile from 'write-excel-file/node';
import { splitFile } from '../lib/adapters/sources/file-parts.ts';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { headerIndex, recordShape } from '../lib/adapters/sources/table-layout.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { expectPartsScanAsOne, putTable, readTable, scanTable, where, type Found } from './support/csv-tables.ts';
import { tempDir } from './support/temp-dir.ts';

const KEY = 'table-headers-test-key';

const scan = (name: string, text: string) => scanTable('table-headers-', name, text, KEY);
const read = (text: string, name = 'a.csv') => readTable(putTable('table-headers-', name, text));
/** The header's index among CSV lines (split at commas). */
const headerOf = (lines: readonly string[]): number => headerIndex(lines.map((l) => recordShape(l.split(','))));

const STAFF = 'Chan Tai Man,A123456(3),1980-01-01,91234567,chan@example.hk,1 Queen St\nHo Siu Ming,A123456(3),1985-02-02,61234567,ho@example.hk,2 King Rd\n';

describe('a group row above the header (merged cells, as Excel exports them)', () => {
  it('reads the header under it: each column by its own name, rows from the first of data', async () => {
    const { findings, file } = await scan('groups.csv', `Personal details,,,Contact,,\nName,HKID,DOB,Phone,Email,Address\n${STAFF}`);
    expect(where(findings)).toEqual([
      ['hk_id', 3, 1, 'HKID', 'A12****(3)'],
      ['hk_phone', 3, 1, 'Phone', '+852 ****4567'],
      ['email', 3, 1, 'Email', 'c***@example.hk'],
      ['hk_id', 4, 2, 'HKID', 'A12****(3)'],
      ['hk_phone', 4, 2, 'Phone', '+852 ****4567'],
      ['email', 4, 2, 'Email', 'h***@example.hk'],
    ]);
    expect(file.problems).toBeUndefined();
  });

  it('finds the bare numbers of a phone column whose group has no phone word (they were missed)', async () => {
    const { findings } = await scan('other.csv', `Identity,,,,Other,\nName,HKID,DOB,Mobile,Email,Address\n${STAFF}`);
    expect(where(findings).filter(([type]) => type === 'hk_phone')).toEqual([
      ['hk_phone', 3, 1, 'Mobile', '+852 ****4567'],
      ['hk_phone', 4, 2, 'Mobile', '+852 ****4567'],
    ]);
  });

  it('reports the group row as preamble, below a title (scanned as text at its line) too, and in a TSV file', async () => {
    const titled = await read(`Staff list 2026,,,,,\n,,,,,\nPersonal details,,,Contact,,\nName,HKID,DOB,Phone,Email,Address\n${STAFF}`);
    expect(titled.report).toMatchObject({ header: ['Name', 'HKID', 'DOB', 'Phone', 'Email', 'Address'], headerLine: 4, preamble: [1, 2, 3], rows: 2 });
    expect(titled.records.map((r) => [r.row, r.line, r.cells.Phone])).toEqual([
      [1, 5, '91234567'],
      [2, 6, '61234567'],
    ]);
    const { findings } = await scan('titled.csv', `"Staff list: ask Chan, mobile 9876 5432",,,,,\nPersonal details,,,Contact,,\nName,HKID,DOB,Phone,Email,Address\n${STAFF}`);
    expect(where(findings).slice(0, 2)).toEqual([
      ['hk_phone', 1, undefined, undefined, '+852 ****5432'],
      ['hk_id', 4, 1, 'HKID', 'A12****(3)'],
    ]);
    const tsv = await read(`個人資料\t\t聯絡\t\n姓名\t身份證號碼\t電話\t電郵\n陳大文\tA123456(3)\t91234567\tchan@example.hk\n`, 'a.tsv');
    expect(tsv.report).toMatchObject({ header: ['姓名', '身份證號碼', '電話', '電郵'], headerLine: 2, preamble: [1], rows: 1 });
  });

  it('in an .xlsx sheet of merged cells (empty under the merge) as well', async () => {
    const file = path.join(tempDir('table-headers-'), 'groups.xlsx');
    await writeExcelFile([
      ['Personal details', null, null, 'Other', null],
      ['Name', 'HKID', 'DOB', 'Mobile', 'Email'],
      ['Chan Tai Man', 'A123456(3)', '1980-01-01', '91234567', 'chan@example.hk'],
      ['Ho Siu Ming', 'A123456(3)', '1985-02-02', '61234567', 'ho@example.hk'],
    ]).toFile(file);
    const { findings } = await scanPaths(sourceReaders(), [file], { hashKey: KEY });
    expect((findings as Found[]).map((f) => [f.type, f.row, f.column])).toEqual([
      ['hk_id', 3, 'HKID'], // an .xlsx finding's row is the sheet's
      ['hk_phone', 3, 'Mobile'],
      ['email', 3, 'Email'],
      ['hk_id', 4, 'HKID'],
      ['hk_phone', 4, 'Mobile'],
      ['email', 4, 'Email'],
    ]);
  });

  it.each([
    [['Personal details,,,Contact,,', 'Name,HKID,DOB,Phone,Email,Address', 'Chan,A123456(3),1980-01-01,91234567,c@x.hk,1 Queen St'], 1, 'a group row'],
    [['Report,,,,,', 'Personal,,,Contact,,', 'Name,HKID,DOB,Phone,Email,Address', 'Chan,A123456(3),1980-01-01,91234567,c@x.hk,x'], 2, 'a title, then a group row'],
    [[',Personal,,Contact,,', 'No.,Name,HKID,Phone,Email,Address', '1,Chan,A123456(3),91234567,c@x.hk,x'], 1, 'a group row whose first cell is empty'],
    [['Personal,,,Contact,,', 'Given,Family,Born,Office,Home,Street', 'Chan,Tai Man,1980-01-01,21234567,91234567,x'], 0, 'a header naming no column the scan knows: the sparse first record stays the header'],
    [['Name,,,Phone,,', 'Chan,Tai Man,HR,Name,Mobile', 'Ho,Siu Ming,IT,Name,Phone'], 0, 'a header with gaps over rows whose cells are not its width'],
    [['Name,,,Phone,', 'Chan,HR,3/F,9123 4567,chan@example.com', 'Lee,IT,5/F,6123 4567,lee@example.com'], 0, 'a header with gaps over rows of data'],
    [['Personal,Contact,Other,', 'Name,HKID,Phone,Email', 'Chan,A123456(3),91234567,c@x.hk'], 0, 'three filled cells over four: not sparse'],
    [['Personal,,,Contact,,,,', 'Name,HKID,DOB,Phone,Email,Address', 'Chan,A123456(3),1980-01-01,91234567,c@x.hk,x'], 0, 'a record wider than the header is no group over it'],
    [['Personal,,,Call 9123 4567,,', 'Name,HKID,DOB,Phone,Email,Address', 'Chan,A123456(3),1980-01-01,91234567,c@x.hk,x'], 0, 'nor one like data'],
    [['Personal,,,Contact,,', 'Name,HKID,DOB,Phone,Email,Address', 'Chan,A123456(3),1980-01-01,91234567,c@x.hk,x,extra,more'], 0, 'nor when the rows are wider than the header'],
    [['Item,,Ref,,,', 'Nokia 3310,Blue,Mobile,Boxed,New,x', 'Widget,Red,23456789,Loose,Old,y', 'Gizmo,Red,61234567,Loose,Old,y'], 0, 'nor over a record naming one known column (a product, not a header)'],
    [['Customer,,,,Preferred', 'Chan Tai Man,Central,Clerk,Finance,Phone', 'Lee Siu Ming,Kowloon,Manager,Sales,Mobile', 'Wong,Shatin,Clerk,HR,Email'], 0, 'nor over rows that each hold one known word'],
  ])('%j -> %i (%s)', (lines, header) => {
    expect(headerOf(lines)).toBe(header);
  });

  it('free text in one column keeps its header', async () => {
    const { report } = await read('note\n,,see you, Chan\nName,Phone,Email\ncall me, 91234567,\n');
    expect(report).toMatchObject({ header: ['note'], headerLine: 1, preamble: [], rows: 3 });
  });
});

describe('psql\'s aligned output saved as .csv (read with pipes)', () => {
  const PSQL = '  name  |  phone   \n--------+----------\n chan   | 91234567\n ho     | 61234567\n(2 rows)\n\n';

  it('numbers rows from the first of data: the rule under the header and the count of rows are no rows', async () => {
    const { records, report } = await read(PSQL, 'out.csv');
    expect(report).toMatchObject({ delimiter: '|', header: ['name', 'phone'], headerLine: 1, rows: 2, problems: [] });
    expect(records.map((r) => [r.row, r.line, r.cells.phone])).toEqual([
      [1, 3, ' 91234567'],
      [2, 4, ' 61234567'],
    ]);
    const { findings } = await scan('out.csv', PSQL);
    expect(where(findings)).toEqual([
      ['hk_phone', 3, 1, 'phone', '+852 ****4567'],
      ['hk_phone', 4, 2, 'phone', '+852 ****4567'],
    ]);
  });

  it('a Markdown rule under the header too (`---|:--`); a rule further down, or dashes as a value, stay rows', async () => {
    const md = await read('name|mobile|email\n---|:---:|---\nChan|91234567|c@x.hk\n-|-|-\nHo|61234567|h@x.hk\n(1 row)\n', 'md.csv');
    expect(md.records.map((r) => [r.row, r.line, r.cells.name])).toEqual([
      [1, 3, 'Chan'],
      [2, 4, '-'],
      [3, 5, 'Ho'],
    ]);
    const placeholder = await read('id,name,mobile,notes\n,,,---\n1,Chan,9123 4567,x\n2,Lee,6123 4567,y\n');
    expect(placeholder.records.map((r) => [r.row, r.line, r.cells.name])).toEqual([
      [1, 2, ''],
      [2, 3, 'Chan'],
      [3, 4, 'Lee'],
    ]);
    const below = await read('name,mobile\nChan,91234567\n-----,-----\nHo,61234567\n');
    expect(below.records.map((r) => [r.row, r.line])).toEqual([
      [1, 2],
      [2, 3],
      [3, 4],
    ]);
  });
});

describe('a count of rows that is not the table\'s last record', () => {
  it('is a row (a one-column list may hold one), as the part cutter counts it', async () => {
    const { records } = await read('email\nchan@acme.hk\nlee@acme.hk\n(2 rows)\nwong@acme.hk\n');
    expect(records.map((r) => [r.row, r.line, r.cells.email])).toEqual([
      [1, 2, 'chan@acme.hk'],
      [2, 3, 'lee@acme.hk'],
      [3, 4, '(2 rows)'],
      [4, 5, 'wong@acme.hk'],
    ]);
  });

  it('keeps one thread\'s rows when psql outputs are joined in one file cut in parts', async () => {
    const block = (n: number, who: string) => Array.from({ length: n }, (_, i) => ` ${who} ${i} | x | y`).join('\n');
    const file = putTable('table-headers-joined-', 'joined.csv', `name|mobile|note\n------+------+----\n${block(3000, 'Chan')}\n(3000 rows)\n${block(3000, 'Lee')}\n Wong | 9123 4567 | z\n`);
    const parts = (await splitFile(file, undefined, 16 * 1024))!;
    expect(parts.length).toBeGreaterThan(3);
    const one = await scanPaths(sourceReaders(), [file], { hashKey: KEY });
    expect((one.findings as Found[]).map((f) => [f.type, f.row])).toEqual([['hk_phone', 6002]]);
    await expectPartsScanAsOne(file, one, parts.length, KEY);
  });
});

describe('a large psql output saved as .csv, cut into parts for several threads', () => {
  it('gives the one-thread scan: the rule (in the first part) is no row for the parts after it either', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => ` Chan ${String(i).padEnd(5)} | 9${String(1000000 + i * 37).padStart(7, '0')} | note ${i}`);
    const file = putTable('table-headers-parallel-', 'out.csv', `    name    |  mobile  | notes\n------------+----------+----------\n${rows.join('\n')}\n(3000 rows)\n\n`);
    const parts = (await splitFile(file, undefined, 16 * 1024))!;
    expect(parts.length).toBeGreaterThan(5);
    const one = await scanPaths(sourceReaders(), [file], { hashKey: KEY });
    const phones = (one.findings as Found[]).filter((f) => f.column === 'mobile');
    expect(phones).toHaveLength(3000);
    expect(phones.map((f) => f.row)).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    await expectPartsScanAsOne(file, one, parts.length, KEY);
  });
});

describe('a label and its value above the header', () => {
  it('a label and its value above a header that names a known column is still a preamble', async () => {
    expect(headerOf(['Generated,2026-11-30', 'Date,Item,Amount,Notes', '2026-11-01,Pens,12,x'])).toBe(1);
    expect(headerOf(['Prepared by,Chan', 'name,mobile,email,notes', 'Chan,91234567,c@x.hk,x'])).toBe(1);
    expect(headerOf(['Name,Department', 'Name,HKID,Mobile,Notes', 'Chan,A123456(3),91234567,x'])).toBe(1);
  });

  it('are a preamble above a header that names no known column too: a bank statement keeps its columns, and no customer\'s name is one', async () => {
    const text = 'Name,CHAN TAI MAN\nDate,Description,Withdrawal,Deposit,Balance\n2026-11-01,FPS to 91234567,100.00,,5000.00\n2026-11-02,Salary,,20000.00,25000.00\n';
    const { report } = await read(text);
    expect(report).toMatchObject({ header: ['Date', 'Description', 'Withdrawal', 'Deposit', 'Balance'], headerLine: 2, preamble: [1], rows: 2 });
    expect(where((await scan('stmt.csv', text)).findings).filter((f) => f[0] === 'payroll')).toEqual([['payroll', 4, 2, 'Description', expect.any(String)]]);
  });
});
