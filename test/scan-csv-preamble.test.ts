// CSV/TSV files and .xlsx sheets as spreadsheet users export them: a title or a few
// metadata lines (and blank lines) above the real header row. The header is the first
// record of three names or more whose width the data rows share (table-layout.ts); the
// lines above it are a preamble, scanned as text at their lines, and not rows. A table
// without one reads as before, however narrow or wide its header, with gaps in it or not:
// an ordinary table never loses its header to its first data row.
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import writeExcelFile from 'write-excel-file/node';
import { readXlsxSheets } from '../lib/adapters/sources/xlsx-reader.ts';
import { readChatTable } from '../lib/adapters/sources/chat-table.ts';
import { splitFile } from '../lib/adapters/sources/file-parts.ts';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { readXlsxRows } from '../lib/adapters/sources/xlsx-reader.ts';
import { headerIndex, recordShape, type RecordShape } from '../lib/adapters/sources/table-layout.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { expectPartsScanAsOne, putTable, readTable, scanTable, where, type Found } from './support/csv-tables.ts';
import { tempDir } from './support/temp-dir.ts';

const KEY = 'csv-preamble-test-key';

const scan = (name: string, text: string) => scanTable('csv-preamble-', name, text, KEY);
const read = (text: string, name = 'a.csv') => readTable(putTable('csv-preamble-', name, text));

describe('a title above the header row of a CSV file', () => {
  it('finds the bare phones of the mobile column under the real header, with their lines and data rows', async () => {
    const { findings, file } = await scan('t.csv', 'Report: staff contacts (generated 2026-11-30)\n\nname,mobile,notes\nChan,91234567,x\nHo,61234567,y\n');
    expect(where(findings)).toEqual([
      ['hk_phone', 4, 1, 'mobile', '+852 ****4567'],
      ['hk_phone', 5, 2, 'mobile', '+852 ****4567'],
    ]);
    expect(file).toMatchObject({ status: 'scanned', format: 'csv' });
    expect(file.problems).toBeUndefined();
  });

  it('scans the preamble as text at its lines: a phone or an ID in a title or a metadata line is found, with no row or column', async () => {
    const { findings } = await scan(
      'contacts.csv',
      'Staff contacts - prepared by Chan, mobile 9876 5432,,,\n' + // a title Excel padded with empty cells
        'Mobile,61234567,,\n' + // a label and its value
        ',,,\n' + // a blank row, as Excel writes it
        '"HKID of owner: A123456(3)",,,\n' +
        'name,mobile,email,notes\n' +
        'Chan,91234567,chan@example.hk,\n' +
        'Ho,,ho@example.hk,"two\nlines"\n' +
        'Lee,51234567,,\n',
    );
    expect(where(findings)).toEqual([
      ['hk_phone', 1, undefined, undefined, '+852 ****5432'],
      ['hk_phone', 2, undefined, undefined, '+852 ****4567'],
      ['hk_id', 4, undefined, undefined, 'A12****(3)'],
      ['hk_phone', 6, 1, 'mobile', '+852 ****4567'],
      ['email', 6, 1, 'email', 'c***@example.hk'],
      ['email', 7, 2, 'email', 'h***@example.hk'],
      ['hk_phone', 9, 3, 'mobile', '+852 ****4567'],
    ]);
  });

  it('reports the header line and the preamble lines; rows count data records only', async () => {
    const { records, report } = await read('Report\n\n"Generated",2026-11-30,,,\nname,mobile,hkid,email\nChan,91234567,A123456(3),\n\nHo,61234567,,\n');
    expect(report).toMatchObject({ header: ['name', 'mobile', 'hkid', 'email'], headerLine: 4, preamble: [1, 3], rows: 2, problems: [] });
    expect(records.map((r) => [r.row, r.line, r.cells.mobile])).toEqual([
      [1, 5, '91234567'],
      [2, 7, '61234567'],
    ]);
  });

  it('also in a TSV file, and in a file whose title comes after blank lines and a byte-order mark', async () => {
    const tsv = await scan('t.tsv', 'Staff list\t\t\n\nname\tmobile\tdept\nChan\t91234567\tHR\n');
    expect(where(tsv.findings)).toEqual([['hk_phone', 4, 1, 'mobile', '+852 ****4567']]);
    // (a header of three names: under a title, two columns are read as before the preamble rule, below)
    const bom = await scan('bom.csv', '\uFEFF\n\nStaff list\nname,mobile,dept\nChan,91234567,HR\n');
    expect(where(bom.findings)).toEqual([['hk_phone', 5, 1, 'mobile', '+852 ****4567']]);
  });

  it('gives a chat export with a title its content column', async () => {
    const file = path.join(tempDir('csv-preamble-'), 'chat.csv');
    writeFileSync(file, 'DingTalk export: HR group\nsender,time,content\nAmy,2026-11-03 09:15,Call me 9123 4567\n');
    const got = [];
    for await (const m of readChatTable(file)) got.push(m);
    expect(got).toEqual([{ group: 'chat', sender: 'Amy', time: '2026-11-03T09:15:00', text: 'Call me 9123 4567', at: { file, row: 1, line: 3 }, senderAt: { file, row: 1, line: 3, column: 'sender' } }]);
  });
});

describe('tables without a preamble read as before', () => {
  it('a one-column CSV keeps its first record as header, all its rows', async () => {
    const quoted = await read('note\nhello\n"see you, Chan"\n"call 9123 4567, then, later"\nbye\n');
    expect(quoted.report).toMatchObject({ header: ['note'], headerLine: 1, preamble: [], rows: 4 });
    expect(quoted.records.map((r) => r.row)).toEqual([1, 2, 3, 4]);
    // free text with commas left unquoted: records of 1, 2 and 3 cells are no title over a table
    const loose = await read('note\nhello\nsee you, Chan\ncall 9123 4567, then, later\nbye\n');
    expect(loose.report).toMatchObject({ header: ['note'], headerLine: 1, preamble: [], rows: 4 });
  });

  it('a genuinely wide header over sparse rows keeps every row', async () => {
    const { records, report } = await read('name,mobile,email,dept,notes,extra\nChan,,,,,\nHo,61234567,,,,\n,,,,,x\n');
    expect(report).toMatchObject({ headerLine: 1, preamble: [], rows: 3 });
    expect(records.map((r) => r.line)).toEqual([2, 3, 4]);
  });

  it('a narrow header over wider rows stays the header (the rows are not twice as wide)', async () => {
    const { findings } = await scan('narrow.csv', 'name,phone\nChan,91234567,x\nHo,61234567,y\n');
    expect(where(findings)).toEqual([
      ['hk_phone', 2, 1, 'phone', '+852 ****4567'],
      ['hk_phone', 3, 2, 'phone', '+852 ****4567'],
    ]);
  });

  it('a title with no data rows after the next record is the header, as before', async () => {
    const { report } = await read('Report\nname,mobile\n');
    expect(report).toMatchObject({ header: ['Report'], headerLine: 1, preamble: [], rows: 1 });
  });
});

/** Records of `w` filled cells, leading and not like data (a title, a label and a value, a header). */
const widths = (ws: readonly number[]): RecordShape[] => ws.map((filled) => ({ filled, leading: true, dataLike: false, cells: filled, names: 0 }));
/** The shapes of CSV lines (split at commas). */
const shapes = (lines: readonly string[]): RecordShape[] => lines.map((l) => recordShape(l.split(',')));

describe('the preamble rule (headerIndex: the shapes of the first records)', () => {
  it.each([
    [[1, 3, 3], 1, 'a title'],
    [[1, 0, 1, 3, 3, 3], 3, 'a title, a blank row, a subtitle'],
    [[2, 4, 4], 1, 'a label and a value above four columns'],
    [[1, 3, 1, 3], 1, 'a sparse first row'],
    // was 1: a header of two names is never taken below a title now (a two-column table cannot be
    // told from one column of text with a comma, or from a narrow header over its first data row)
    [[1, 2, 2], 0, 'two columns: the first record stays the header'],
    [[2, 3, 3], 0, 'two cells are more than half of three: a narrow header, not a preamble'],
    [[3, 7, 7], 0, 'a first record of three cells is never a preamble'],
    [[1, 1, 1, 1], 0, 'one column'],
    [[1, 2, 2, 2], 0, 'one column of text with a comma in each line (`note` over `see you, Chan`)'],
    [[1, 3], 0, 'no data row after the candidate'],
    [[1, 4, 1, 1, 1], 0, 'no row after the candidate is as wide as half of it'],
    [[1, 1, 2, 3, 1], 0, 'a row after the candidate is wider than it'],
    [[5, 5, 5], 0, 'a header'],
  ])('%j -> %i (%s)', (ws, header) => {
    expect(headerIndex(widths(ws))).toBe(header);
  });

  it('looks at most ten records down', () => {
    expect(headerIndex(widths([...Array(10).fill(1), 3, 3]))).toBe(10);
    expect(headerIndex(widths([...Array(11).fill(1), 3, 3]))).toBe(0);
  });

  it.each([
    [['Report,,,', 'Generated,2026-11-30,,', ',,,', 'name,mobile,email,notes', 'Chan,91234567,,x'], 3, 'a title padded with empty cells, a label and a date, a blank row'],
    [['Name,,,Phone,', 'Chan,HR,3/F,9123 4567,chan@example.com', 'Lee,IT,5/F,6123 4567,lee@example.com'], 0, 'a header with gaps is not title-like'],
    [[',Report,,', 'name,mobile,notes', 'Chan,91234567,x'], 0, 'nor a record whose first cell is empty'],
    [['name,mobile', 'Chan,9123 4567,extra,x', 'Lee,6123 4567,extra,y', 'Wong,5123 4567,z,w'], 0, 'a candidate with a phone is a data row, not a header'],
    [['name,contact', 'Chan,HR,chan@example.hk', 'Lee,IT,lee@example.hk'], 0, 'nor one with an e-mail address'],
    [['id,who', 'Chan,A123456(3),x', 'Lee,B234567(8),y'], 0, 'nor one with an ID'],
    [['Report', 'name,Q1 2026,Q2 2026', 'Chan,1,2'], 1, 'a few digits in a name are no data'],
  ])('%j -> %i (%s)', (lines, header) => {
    expect(headerIndex(shapes(lines))).toBe(header);
  });

  it('a record\'s shape: filled cells, whether they lead, whether one looks like data', () => {
    expect(recordShape(['Report', '', ' ', ''])).toEqual({ filled: 1, leading: true, dataLike: false, cells: 4, names: 0 });
    expect(recordShape(['Name', '', '', 'Phone', ''])).toEqual({ filled: 2, leading: false, dataLike: false, cells: 5, names: 2 });
    expect(recordShape(['', '', ''])).toEqual({ filled: 0, leading: true, dataLike: false, cells: 3, names: 0 });
    expect(recordShape(['Chan', null, '9123 4567'])).toEqual({ filled: 2, leading: false, dataLike: true, cells: 3, names: 0 });
    expect(recordShape(['姓名', '電話'])).toMatchObject({ names: 2 });
    expect(recordShape(['see you', ' Chan'])).toMatchObject({ names: 0 });
    expect(recordShape(['ho@example.hk'])).toMatchObject({ dataLike: true });
    expect(recordShape(['2026-11-30'])).toMatchObject({ dataLike: true });
    expect(recordShape(['9123-4567'])).toMatchObject({ dataLike: true });
    expect(recordShape(['name', 'Q1 2026', 'room 12 34'])).toMatchObject({ dataLike: false });
  });
});

describe('ordinary tables never lose their header to their first data row', () => {
  it('a header with empty names between its names (`Name,,,Phone,`) over five-cell rows', async () => {
    const { findings } = await scan('gaps.csv', 'Name,,,Phone,\nChan,HR,3/F,9123 4567,chan@example.com\nLee,IT,5/F,6123 4567,lee@example.com\nHo,Ops,2/F,5123 4567,ho@example.com\n');
    expect(where(findings)).toEqual([
      ['hk_phone', 2, 1, 'Phone', '+852 ****4567'],
      ['email', 2, 1, 'column_5', 'c***@example.com'],
      ['hk_phone', 3, 2, 'Phone', '+852 ****4567'],
      ['email', 3, 2, 'column_5', 'l***@example.com'],
      ['hk_phone', 4, 3, 'Phone', '+852 ****4567'],
      ['email', 4, 3, 'column_5', 'h***@example.com'],
    ]);
  });

  it('a narrow header (`name,mobile`) over rows twice as wide', async () => {
    const { findings } = await scan('narrow.csv', 'name,mobile\nChan,9123 4567,extra,x\nLee,6123 4567,extra,y\nWong,5123 4567,z,w\n');
    expect(where(findings)).toEqual([
      ['hk_phone', 2, 1, 'mobile', '+852 ****4567'],
      ['hk_phone', 3, 2, 'mobile', '+852 ****4567'],
      ['hk_phone', 4, 3, 'mobile', '+852 ****4567'],
    ]);
  });

  it('the same two tables as .xlsx sheets', async () => {
    const dir = tempDir('xlsx-preamble-');
    const gaps = path.join(dir, 'gaps.xlsx');
    await writeExcelFile([
      ['Name', null, null, 'Phone', null],
      ['Chan', 'HR', '3/F', '9123 4567', 'chan@example.com'],
      ['Lee', 'IT', '5/F', '6123 4567', 'lee@example.com'],
      ['Ho', 'Ops', '2/F', '5123 4567', 'ho@example.com'],
    ]).toFile(gaps);
    const narrow = path.join(dir, 'narrow.xlsx');
    await writeExcelFile([
      ['name', 'mobile', null, null],
      ['Chan', '9123 4567', 'extra', 'x'],
      ['Lee', '6123 4567', 'extra', 'y'],
      ['Wong', '5123 4567', 'z', 'w'],
    ]).toFile(narrow);
    const { findings } = await scanPaths(sourceReaders(), [gaps, narrow], { hashKey: KEY });
    expect((findings as Found[]).filter((f) => f.type === 'hk_phone').map((f) => [path.basename(f.file!), f.row, f.column])).toEqual([
      ['gaps.xlsx', 2, 'Phone'],
      ['gaps.xlsx', 3, 'Phone'],
      ['gaps.xlsx', 4, 'Phone'],
      ['narrow.xlsx', 2, 'mobile'],
      ['narrow.xlsx', 3, 'mobile'],
      ['narrow.xlsx', 4, 'mobile'],
    ]);
    const sheet = [];
    for await (const r of readXlsxSheets(narrow)) sheet.push([r.row, r.preamble ?? false, Object.keys(r.cells)]);
    expect(sheet[1]).toEqual([2, false, ['name', 'mobile', 'column_3', 'column_4']]);
  });

  it('one column of notes with a comma in each line keeps its header and every row', async () => {
    const { records, report } = await read('note\nplease call me 9123 4567, thanks\nsee you, Chan\nok, thanks\nbye, bye\n');
    expect(report).toMatchObject({ header: ['note'], headerLine: 1, preamble: [], rows: 4 });
    expect(records.map((r) => [r.row, r.line])).toEqual([
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5],
    ]);
  });

  it('a chat table of one column, its messages with commas in them, gives every message', async () => {
    const file = path.join(tempDir('csv-preamble-'), 'chat.csv');
    writeFileSync(file, 'message\nhi, call me 9123 4567\nok, see you\nsure, bye\n');
    const got = [];
    for await (const m of readChatTable(file)) got.push(m.at);
    expect(got).toEqual([
      { file, row: 1, line: 2 },
      { file, row: 2, line: 3 },
      { file, row: 3, line: 4 },
    ]);
  });

  it('a title above a table of two columns whose header names a known column: the header is below it, and the phones are found', async () => {
    const { report } = await read('Staff list\nname,mobile\nChan,91234567\nHo,61234567\n');
    expect(report).toMatchObject({ header: ['name', 'mobile'], headerLine: 2, preamble: [1], rows: 2 });
    const { findings } = await scan('two-columns.csv', 'Staff list\r\nName,Mobile\r\nChan,91234567\r\n');
    expect(findings.map((f) => [f.line, f.row, f.column, f.type])).toEqual([[3, 1, 'Mobile', 'hk_phone']]);
  });

  it('Excel\'s export of a titled sheet of two columns (every record padded with empty cells): the header is below the title and the blank line', async () => {
    const { report } = await read('客戶名單,,,\r\n,,,\r\n客戶,聯絡,,\r\n陳大文,91234567,,\r\n');
    expect(report).toMatchObject({ header: ['客戶', '聯絡', 'column_3', 'column_4'], headerLine: 3, preamble: [1, 2], rows: 1 });
    const { findings } = await scan('two-padded.csv', '客戶名單,,,\r\n,,,\r\n姓名,電話,,\r\n陳大文,91234567,,\r\n');
    expect(findings.map((f) => [f.line, f.row, f.column, f.type])).toEqual([[4, 1, '電話', 'hk_phone']]);
  });

  it('free text in one column with a comma here and there keeps its header (the first line), digits or not; so does a title over two columns of no known names and no padding', async () => {
    expect((await read('note\nsee you, Chan\ncall me, 91234567\n')).report).toMatchObject({ header: ['note'], headerLine: 1, preamble: [] });
    expect((await read('Staff list\nfoo,bar\nChan,91234567\n')).report).toMatchObject({ header: ['Staff list'], headerLine: 1, preamble: [] });
    // and two columns with no data under them
    expect((await read('Staff list\nname,mobile\nChan,Ho\n')).report).toMatchObject({ header: ['Staff list'], headerLine: 1 });
  });
});

describe('a title above the header row of an .xlsx sheet', () => {
  it('reads the header below it, finds the mobile column, and scans the title as text at its row', async () => {
    const dir = tempDir('xlsx-preamble-');
    const file = path.join(dir, 'staff.xlsx');
    await writeExcelFile([
      ['Staff contacts - call Chan on mobile 9876 5432', null, null],
      [null, null, null],
      ['name', 'mobile', 'notes'],
      ['Chan', '91234567', 'x'],
      ['Ho', '61234567', 'y'],
    ]).toFile(file);
    const { findings } = await scanPaths(sourceReaders(), [file], { hashKey: KEY });
    expect((findings as Found[]).map((f) => [f.type, f.sheet, f.row, f.column, f.masked])).toEqual([
      ['hk_phone', 'Sheet1', 1, undefined, '+852 ****5432'],
      ['hk_phone', 'Sheet1', 4, 'mobile', '+852 ****4567'],
      ['hk_phone', 'Sheet1', 5, 'mobile', '+852 ****4567'],
    ]);
    const rows = [];
    for await (const r of readXlsxRows(file)) rows.push(r);
    expect(rows).toEqual([
      { row: 1, sheetRow: 4, cells: { name: 'Chan', mobile: '91234567', notes: 'x' } },
      { row: 2, sheetRow: 5, cells: { name: 'Ho', mobile: '61234567', notes: 'y' } },
    ]);
  });
});

describe('a CSV file with a preamble, cut into parts for several threads', () => {
  it('gives the one-thread scan: the parts read the real header, the preamble is scanned once', async () => {
    const dir = tempDir('csv-preamble-parallel-');
    const file = path.join(dir, 'big.csv');
    const rows = Array.from({ length: 3000 }, (_, i) => `Chan ${i},9${String(1000000 + i * 37).padStart(7, '0')},"note ${i}\nline two",p${i}@example.hk`);
    writeFileSync(file, `Staff contacts: ask Chan on mobile 9876 5432,,,\n,,,\nname,mobile,notes,email\n${rows.join('\n')}\n`);
    const parts = (await splitFile(file, undefined, 16 * 1024))!;
    expect(parts.length).toBeGreaterThan(5);
    const bytes = Buffer.from(await readFile(file));
    const header = { start: bytes.indexOf('name,mobile'), end: bytes.indexOf('\n', bytes.indexOf('name,mobile')) + 1 };
    expect(header.start).toBeGreaterThan(40);
    for (const p of parts) expect(p.csv).toEqual({ row: expect.any(Number), header, delimiter: ',' });
    const one = await scanPaths(sourceReaders(), [file], { hashKey: KEY });
    expect((one.findings as Found[]).filter((f) => f.column === 'mobile')).toHaveLength(3000);
    expect((one.findings as Found[]).filter((f) => f.row === undefined).map((f) => [f.line, f.masked])).toEqual([[1, '+852 ****5432']]);
    await expectPartsScanAsOne(file, one, parts.length, KEY);
  });
});
