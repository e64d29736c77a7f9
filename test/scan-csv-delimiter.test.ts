// The cell separator of a CSV file as Excel writes it: semicolons in locales with a
// decimal comma (sniffed from the file's first records, as tabs and pipes are in a
// tab-delimited export or a database client's output saved as .csv), and Excel's `sep=X` first line,
// which names it and is no record (a bad one is a problem at line 1, never a crash). A
// .tsv stays tab-separated. Read the same on one thread or in parts on several.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsvBatches, readCsvRecords, type CsvRecord } from '../lib/adapters/sources/csv-reader.ts';
import { splitFile } from '../lib/adapters/sources/file-parts.ts';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { readFileRecords } from '../lib/adapters/sources/local-files.ts';
import { readS3Prefix } from '../lib/adapters/sources/s3-source.ts';
import { sniffDelimiter } from '../lib/adapters/sources/table-layout.ts';
import { detectRecords, type SourceRecord } from '../lib/domain/detect/records.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { FakeS3 } from './support/fake-s3.ts';
import { expectPartsScanAsOne, putTable, readTable, scanTable, where, type Found } from './support/csv-tables.ts';

const KEY = 'csv-delimiter-test-key';

const put = (name: string, text: string | Buffer) => putTable('csv-delimiter-', name, text);
const scan = (name: string, text: string | Buffer) => scanTable('csv-delimiter-', name, text, KEY);
const read = readTable;

const PHONE_AND_ID = [
  ['hk_phone', 3, 1, 'mobile', '+852 ****4567'],
  ['hk_id', 3, 1, 'hkid', 'A12****(3)'],
];

describe("Excel's sep= first line", () => {
  it('names the delimiter; the line is no record, and lines stay the file\'s own', async () => {
    const { findings, file } = await scan('sep.csv', 'sep=;\nname;mobile;hkid\nChan;91234567;A123456(3)\n');
    expect(where(findings)).toEqual(PHONE_AND_ID);
    expect(file.problems).toBeUndefined();
    const { records, report } = await read(put('sep.csv', 'sep=;\r\nname;mobile;hkid\r\nChan;91234567;A123456(3)\r\n\r\nHo;61234567;\r\n'));
    expect(report).toMatchObject({ delimiter: ';', header: ['name', 'mobile', 'hkid'], headerLine: 2, preamble: [], rows: 2, problems: [] });
    expect(records.map((r) => [r.row, r.line, r.cells])).toEqual([
      [1, 3, { name: 'Chan', mobile: '91234567', hkid: 'A123456(3)' }],
      [2, 5, { name: 'Ho', mobile: '61234567', hkid: '' }],
    ]);
  });

  it('takes any one character: a tab, a pipe, a non-ASCII one; in any case, after a byte-order mark, in a .tsv too', async () => {
    expect(where((await scan('tab.csv', 'sep=\t\nname\tmobile\thkid\nChan\t91234567\tA123456(3)\n')).findings)).toEqual(PHONE_AND_ID);
    expect(where((await scan('pipe.csv', 'SEP=|\nname|mobile|hkid\nChan|91234567|A123456(3)\n')).findings)).toEqual(PHONE_AND_ID);
    expect(where((await scan('bom.csv', '\uFEFFsep=;\nname;mobile;hkid\nChan;91234567;A123456(3)\n')).findings)).toEqual(PHONE_AND_ID);
    expect(where((await scan('section.csv', 'sep=§\nname§mobile§hkid\nChan§91234567§A123456(3)\n')).findings)).toEqual(PHONE_AND_ID);
    expect(where((await scan('semi.tsv', 'sep=;\nname;mobile;hkid\nChan;91234567;A123456(3)\n')).findings)).toEqual(PHONE_AND_ID);
  });

  it.each([
    ['sep=', /line names no delimiter/],
    ['sep=;;', /line names 2 characters; a delimiter is one character/],
    ['sep=\t;', /line names 2 characters/],
    ['sep="', /names the quote character/],
  ])('%j is a problem at line 1 saying why, the line is skipped, and the rest is read', async (line, why) => {
    const { findings, file } = await scan('bad.csv', `${line}\nname,mobile,hkid\nChan,91234567,A123456(3)\n`);
    expect(file).toMatchObject({ status: 'scanned', format: 'csv' });
    expect(file.problems).toHaveLength(1);
    expect(file.problems![0]!.line).toBe(1);
    expect(file.problems![0]!.message).toMatch(why);
    expect(file.problems![0]!.message).toMatch(/the line is not read as a record, and cells are separated by ","/);
    expect(where(findings)).toEqual(PHONE_AND_ID);
  });

  it('a bad sep= line says which delimiter the cells are read with (sniffed when it could not be named)', async () => {
    const { findings, file } = await scan('bad-semi.csv', 'sep=;;\nname;mobile;hkid\nChan;91234567;A123456(3)\n');
    expect(file.problems).toEqual([{ line: 1, message: expect.stringMatching(/names 2 characters.*cells are separated by ";"$/) }]);
    expect(where(findings)).toEqual(PHONE_AND_ID);
  });

  it('what a bad sep= line holds is still scanned, as a line of text (an HKID pasted after it), however long the line', async () => {
    const { findings, file } = await scan('sep-id.csv', 'sep=;A123456(3)\nname;mobile\nChan;91234567\n');
    expect(file.problems).toEqual([{ line: 1, message: expect.stringMatching(/names 11 characters/) }]);
    expect(findings.map((f) => [f.line, f.row, f.type])).toEqual([
      [1, undefined, 'hk_id'],
      [3, 1, 'hk_phone'],
    ]);
    const long = await scan('sep-long.csv', `sep=;${'x '.repeat(40_000)}A123456(3)\nname;mobile\nChan;91234567\n`);
    expect(long.findings.map((f) => [f.line, f.row, f.type])).toEqual([
      [1, undefined, 'hk_id'],
      [3, 1, 'hk_phone'],
    ]);
  });

  it('a given delimiter wins; the sep= line is still no record', async () => {
    const { records, report } = await read(put('given.csv', 'sep=;\nname,mobile\nChan,91234567\n'), { delimiter: ',' });
    expect(report).toMatchObject({ delimiter: ',', header: ['name', 'mobile'], headerLine: 2, rows: 1, problems: [] });
    expect(records[0]).toEqual({ row: 1, line: 3, cells: { name: 'Chan', mobile: '91234567' } });
  });
});

describe('a semicolon-separated CSV without a sep= line', () => {
  it('is sniffed: the phone of the mobile column is found, cells keep their names', async () => {
    const { findings, file } = await scan('eu.csv', 'name;mobile;hkid\nChan;9123 4567;A123456(3)\n');
    expect(where(findings)).toEqual([
      ['hk_phone', 2, 1, 'mobile', '+852 ****4567'],
      ['hk_id', 2, 1, 'hkid', 'A12****(3)'],
    ]);
    expect(file.problems).toBeUndefined();
  });

  it('with decimal commas, quoted cells holding commas and semicolons, and a title with a comma above it', async () => {
    const file = put('eu.csv', 'Staff, November 2026\n\nname;mobile;amount;notes\n"Chan, Tai Man";91234567;12,50;"a; b, c"\nHo;61234567;3,75;x\n');
    const { records, report } = await read(file);
    expect(report).toMatchObject({ delimiter: ';', header: ['name', 'mobile', 'amount', 'notes'], headerLine: 3, preamble: [1], rows: 2 });
    expect(records.map((r) => r.cells)).toEqual([
      { name: 'Chan, Tai Man', mobile: '91234567', amount: '12,50', notes: 'a; b, c' },
      { name: 'Ho', mobile: '61234567', amount: '3,75', notes: 'x' },
    ]);
    // the fast path and csv-parse alone read it alike
    const slow = await read(file, { fastPath: false });
    expect(slow.records).toEqual(records);
    expect(slow.report.delimiter).toBe(';');
  });

  it('reads the same in chunks of any size (the delimiter is decided on the same text)', async () => {
    const rows = Array.from({ length: 400 }, (_, i) => `Chan ${i};9${String(1000000 + i).padStart(7, '0')};"n ${i}; more"`);
    const file = put('chunks.csv', `name;mobile;notes\n${rows.join('\n')}\n`);
    const whole = await read(file);
    expect(whole.report.delimiter).toBe(';');
    for (const maxChunkChars of [256, 1000]) {
      const batches: CsvRecord[] = [];
      for await (const b of readCsvBatches(file, { maxChunkChars, highWaterMark: 64 })) batches.push(...b);
      expect(batches).toEqual(whole.records);
    }
  });

  it('comma files stay comma files: semicolons in their cells, a .tsv of semicolons stays tab-separated', async () => {
    expect(sniffDelimiter('name,phone,tags\nChan,91234567,a;b\nHo,61234567,c;d;e\n')).toBe(',');
    expect(sniffDelimiter('message\nhi; there\nfoo; bar; baz\n')).toBe(',');
    expect(sniffDelimiter('name,notes\n"Chan; Tai Man",x\n')).toBe(',');
    expect(sniffDelimiter('a;b,c\nd;e,f\n')).toBe(','); // the header has a comma: not told apart, the default
    expect(sniffDelimiter('')).toBe(',');
    const tsv = await read(put('semi.tsv', 'name\tmobile\nChan;Ho\t91234567\n'));
    expect(tsv.report).toMatchObject({ delimiter: '\t', header: ['name', 'mobile'] });
  });

  it('one column of text with a semicolon in each line stays one column (its header has none)', async () => {
    expect(sniffDelimiter('notes\nCall Chan; mobile 9123 4567\nMeeting; room 2\nLunch; canteen\n')).toBe(',');
    const { records, report } = await read(put('notes.csv', 'notes\nCall Chan; mobile 9123 4567\nMeeting; room 2\nLunch; canteen\n'));
    expect(report).toMatchObject({ delimiter: ',', header: ['notes'], headerLine: 1, rows: 3 });
    expect(records[0]!.cells).toEqual({ notes: 'Call Chan; mobile 9123 4567' });
    const { findings } = await scan('notes.csv', 'notes\nCall Chan; mobile 9123 4567\nMeeting; room 2\nLunch; canteen\n');
    expect(where(findings)).toEqual([['hk_phone', 2, 1, 'notes', '+852 ****4567']]);
  });

  it('below a first record without a semicolon, semicolons must split the records into three cells or more', async () => {
    expect(sniffDelimiter('Staff, November 2026\nname;mobile;dept\nChan;91234567;HR\n')).toBe(';');
    expect(sniffDelimiter('Staff list\nname;mobile\nChan;91234567\n')).toBe(','); // two columns under a title: not told from notes
    expect(sniffDelimiter('name;mobile\nChan;91234567\nHo;61234567\n')).toBe(';'); // a header with a semicolon: two columns are enough
  });
});

describe('a tab- or pipe-separated file saved as .csv, without a sep= line', () => {
  it.each([
    ['tab', '\t'],
    ['pipe', '|'],
  ])('%s: sniffed, the phone and the HKID found in their named columns', async (_, d) => {
    const text = `name${d}mobile${d}hkid\nChan${d}91234567${d}A123456(3)\nHo${d}${d}\n`;
    expect(sniffDelimiter(text)).toBe(d);
    const { findings, file } = await scan(`export-${_}.csv`, text);
    expect(where(findings)).toEqual(PHONE_AND_ID.map(([type, , row, column, masked]) => [type, 2, row, column, masked]));
    expect(file.problems).toBeUndefined();
    const { report } = await read(put(`export-${_}.csv`, text));
    expect(report).toMatchObject({ delimiter: d, header: ['name', 'mobile', 'hkid'], rows: 2 });
  });

  it('under a title, and with commas in quoted and decimal cells (a database client\'s output)', async () => {
    expect(sniffDelimiter('Staff, November 2026\nname\tmobile\tpay\nChan\t91234567\t12,50\n')).toBe('\t');
    expect(sniffDelimiter('name | mobile | notes\nChan | 91234567 | "a, b"\nHo | 61234567 | c\n')).toBe('|');
    const { findings, file } = await scan('psql.csv', 'name | mobile | notes\nChan | 91234567 | "a, b"\nHo | 61234567 | c\n');
    expect(findings.map((f) => [f.type, f.row, f.column])).toEqual([
      ['hk_phone', 1, 'mobile'],
      ['hk_phone', 2, 'mobile'],
    ]);
    expect(file.problems).toBeUndefined();
  });

  it('comma files stay comma files: a tab or a pipe inside some cells, one column of text with one in each line', async () => {
    expect(sniffDelimiter('name,notes\nChan,call\tlater\nHo,ok\n')).toBe(',');
    expect(sniffDelimiter('name,route\nChan,A|B\nHo,C|D\n')).toBe(',');
    expect(sniffDelimiter('notes\nChan | 9123 4567\nHo | later\n')).toBe(',');
    expect(sniffDelimiter('"a\tb",c\n"d\te",f\n')).toBe(',');
    // semicolons and tabs both split the records: the one more records agree on
    expect(sniffDelimiter('a;b\tc\nd;e\tf\ng;h\ti\tj\n')).toBe(';');
  });

  it('a large tab-separated .csv is cut into parts read with tabs, as one thread reads it', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `Chan ${i}\t9${String(1000000 + i * 37).padStart(7, '0')}\t"note ${i}\tmore"\tp${i}@example.hk`);
    const file = put('tabs.csv', `name\tmobile\tnotes\temail\n${rows.join('\n')}\n`);
    const parts = (await splitFile(file, undefined, 16 * 1024))!;
    expect(parts.length).toBeGreaterThan(5);
    for (const p of parts) expect(p.csv?.delimiter).toBe('\t');
    const one = await scanPaths(sourceReaders(), [file], { hashKey: KEY });
    expect((one.findings as Found[]).filter((f) => f.column === 'mobile')).toHaveLength(3000);
    await expectPartsScanAsOne(file, one, parts.length, KEY);
  });
});

describe('a large semicolon CSV cut into parts for several threads', () => {
  it('every part reads with the delimiter and the header found at the start, as one thread does', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `Chan ${i};9${String(1000000 + i * 37).padStart(7, '0')};"note ${i};\nline two, 3,5";p${i}@example.hk`);
    for (const [name, start] of [
      ['sep.csv', 'sep=;\n'],
      ['sniffed.csv', 'Staff, November 2026\n;;;\n'],
    ]) {
      const file = put(name!, `${start}name;mobile;notes;email\n${rows.join('\n')}\n`);
      const parts = (await splitFile(file, undefined, 16 * 1024))!;
      expect(parts.length, name).toBeGreaterThan(5);
      const headerStart = Buffer.byteLength(start!);
      for (const p of parts) expect(p.csv, name).toEqual({ row: expect.any(Number), header: { start: headerStart, end: headerStart + 'name;mobile;notes;email\n'.length }, delimiter: ';' });
      const whole = await read(file);
      const inParts: CsvRecord[] = [];
      for (const part of parts) for await (const r of readCsvRecords(file, { part: { ...part, csv: part.csv! } })) inParts.push(r);
      expect(inParts).toEqual(whole.records);
      expect(whole.records).toHaveLength(3000);
      const one = await scanPaths(sourceReaders(), [file], { hashKey: KEY });
      expect((one.findings as Found[]).filter((f) => f.column === 'mobile')).toHaveLength(3000);
      await expectPartsScanAsOne(file, one, parts.length, KEY);
    }
  });

  it('a non-ASCII delimiter named by sep= is read whole (the cutting pass reads one byte), with the same findings', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `Chan ${i}§9${String(1000000 + i).padStart(7, '0')}`);
    const file = put('section.csv', `sep=§\nname§mobile\n${rows.join('\n')}\n`);
    expect(await splitFile(file, undefined, 16 * 1024)).toBeUndefined();
    const { records, report } = await read(file);
    expect(report).toMatchObject({ delimiter: '§', headerLine: 2, rows: 2000 });
    expect(records[1999]).toEqual({ row: 2000, line: 2002, cells: { name: 'Chan 1999', mobile: '91001999' } });
  });
});

describe('CSV objects in S3', () => {
  it('are read as the same file is locally: sep= line, sniffed semicolons, a title above the header, rows and columns', async () => {
    const texts = {
      'exports/hr/sep.csv': 'sep=;\r\nname;mobile;hkid\r\nChan;91234567;A123456(3)\r\n',
      'exports/hr/sniffed.csv': 'Staff, November 2026 (call 9876 5432)\n\nname;mobile;amount\nChan;9123 4567;12,50\n',
      'exports/hr/title.tsv': 'Staff list\t\t\nname\tmobile\tdept\nHo\t61234567\tHR\n',
    };
    const seen = (records: AsyncIterator<SourceRecord, unknown>) => {
      const found: unknown[] = [];
      return detectRecords(records, (r, d, line) => found.push([d.type, line, r.at.row, r.at.column])).then(() => found);
    };
    const s3 = new FakeS3(Object.fromEntries(Object.entries(texts).map(([k, v]) => [k, Buffer.from(v)])));
    const fromS3 = await seen(readS3Prefix({ bucket: 'b', prefix: 'exports/', client: s3 }));
    const local: unknown[] = [];
    for (const [key, text] of Object.entries(texts)) local.push(...(await seen(readFileRecords(put(path.basename(key), text), 'hr'))));
    expect(fromS3).toEqual(local);
    expect(fromS3).toEqual([
      ['hk_phone', 3, 1, 'mobile'],
      ['hk_id', 3, 1, 'hkid'],
      ['hk_phone', 1, undefined, undefined],
      ['hk_phone', 4, 1, 'mobile'],
      ['hk_phone', 3, 1, 'mobile'],
    ]);
  });
});

describe('a .txt file of tab-separated columns (Excel\'s "Unicode Text" and "Text (Tab delimited)")', () => {
  const sheet = (n: number) => ['姓名\t手機\t身份證', ...Array.from({ length: n }, (_, i) => `陳大文${i}\t91234567\tA123456(3)`)].join('\r\n') + '\r\n';

  it('is read as a table, in UTF-16 with its BOM or in UTF-8: the mobile column\'s bare numbers are phones', async () => {
    const utf16 = await scan('unicode.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(sheet(2), 'utf16le')]));
    expect(utf16.file).toMatchObject({ status: 'scanned', format: 'tsv', encoding: 'utf-16le' });
    expect(utf16.findings.map((f) => [f.type, f.line, f.row, f.column])).toEqual([
      ['hk_phone', 2, 1, '手機'],
      ['hk_id', 2, 1, '身份證'],
      ['hk_phone', 3, 2, '手機'],
      ['hk_id', 3, 2, '身份證'],
    ]);
    const utf8 = await scan('tabbed.txt', sheet(2));
    expect(utf8.file).toMatchObject({ format: 'tsv' });
    expect(utf8.findings).toHaveLength(4);
  });

  it('is read as a table with a quoted cell of several lines (an address as Excel writes it), in UTF-16 or UTF-8', async () => {
    const rows = ['Name\tMobile\tAddress', 'Chan\t91234567\t"Flat A, 12/F\r\n1 Queen\'s Road"', 'Wong\t61234567\t"He said ""hi"""', 'Lee\t51234567\tx'].join('\r\n') + '\r\n';
    const utf16 = await scan('address.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(rows, 'utf16le')]));
    expect(utf16.file).toMatchObject({ status: 'scanned', format: 'tsv', encoding: 'utf-16le' });
    expect(utf16.findings.map((f) => [f.type, f.line, f.row, f.column])).toEqual([
      ['hk_phone', 2, 1, 'Mobile'],
      ['hk_phone', 4, 2, 'Mobile'],
      ['hk_phone', 5, 3, 'Mobile'],
    ]);
    expect((await scan('address8.txt', rows)).file).toMatchObject({ format: 'tsv' });
  });

  it('a quote left open is a table still, its lines counted; one inside a cell joins no lines', async () => {
    expect((await scan('open-quote.txt', 'a\tb\n"c\td\ne\tf\n')).file).toMatchObject({ format: 'tsv' });
    expect((await scan('inner-quote.txt', 'say\t5"\nx\ty\tz\n')).file).toMatchObject({ format: 'text' });
  });

  it('text with a tab here and there, or lines of uneven tabs, stays text', async () => {
    expect((await scan('prose.txt', 'Dear all,\nplease call 9123 4567\tthanks\n')).file).toMatchObject({ format: 'text' });
    expect((await scan('log.txt', 'a\tb\tc\nd\te\nf\tg\th\n')).file).toMatchObject({ format: 'text' });
    expect((await scan('one-line.txt', 'name\tmobile\n')).file).toMatchObject({ format: 'text' });
  });

  it('a large one is cut into parts read as the whole file is', async () => {
    const file = put('large-tabs.txt', sheet(3000));
    const one = await scanPaths(sourceReaders(), [file], { hashKey: KEY });
    expect(one.files[0]).toMatchObject({ format: 'tsv' });
    expect(one.findings).toHaveLength(6000);
    await expectPartsScanAsOne(file, one, 6, KEY);
  });
});
