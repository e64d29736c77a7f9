// Table rows as records (local-files.ts, records.ts): the CSV/TSV or .xlsx rows of a
// chunk are one record, scanned as all their cells joined with '\n' (SourceRecord.table
// says where each cell starts, its column, each row's number and line), and
// detectRecords hands each finding on as the cell's own scan made it (the cell's text
// and column, offsets in the cell, the row's line plus the newlines in that cell before
// it). Compared here with detect() run on each cell alone, as the readers did before, on
// rows built to catch a wrong mapping.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import writeXlsxFile from 'write-excel-file/node';
import { readCsvRecords } from '../lib/adapters/sources/csv-reader.ts';
import { readFileRecords } from '../lib/adapters/sources/local-files.ts';
import { readXlsxRows } from '../lib/adapters/sources/xlsx-reader.ts';
import { detect } from '../lib/domain/detect/detect.ts';
import { detectRecords, type Location, type SourceRecord } from '../lib/domain/detect/records.ts';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { scanFile, scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { formatScan } from '../lib/cli/scan-output.ts';
import { FindingJson } from '../lib/cli/scan-json.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'table-row-records-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Seen {
  row?: number;
  line?: number;
  column?: string;
  text: string;
  type: string;
  start: number;
  end: number;
  raw: string;
  value: string;
  country?: string;
}

const csvField = (s: string) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
function writeCsv(name: string, rows: readonly (readonly string[])[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, rows.map((r) => r.map(csvField).join(',')).join('\n') + '\n');
  return file;
}

/**
 * What scanning each cell on its own gives: detect() per cell, line = the row's + the
 * newlines of the row's cells before it (a quoted cell of several lines puts the next on
 * a later line) + the cell's newlines before the finding.
 */
function perCell(cells: Record<string, string>, row: number, line: number | undefined): Seen[] {
  const out: Seen[] = [];
  let before = 0; // newlines in the cells before this one (the cells come in the row's order)
  for (const [column, text] of Object.entries(cells)) {
    for (const d of detect(text)) {
      const l = line === undefined ? undefined : line + before + (text.slice(0, d.start).match(/\n/g)?.length ?? 0);
      out.push({ row, ...(l !== undefined ? { line: l } : {}), column, text, ...d });
    }
    before += text.match(/\n/g)?.length ?? 0;
  }
  return out;
}

/** The header row included (row 0), as the scan reads it: its cells are data in a file without one. */
async function expectedCsv(file: string): Promise<Seen[]> {
  const out: Seen[] = [];
  for await (const r of readCsvRecords(file, { headerRow: true })) out.push(...perCell(r.cells, r.row, r.line));
  return out;
}

/** For a sheet of a header and data rows with no empty row between: Excel's row is the data row + 1. */
async function expectedXlsx(file: string): Promise<Seen[]> {
  const out: Seen[] = [];
  for await (const r of readXlsxRows(file)) out.push(...perCell(r.cells, r.row + 1, undefined));
  return out;
}

interface Row {
  at: Location;
  text: string;
  cells: { column: string; start: number }[];
}

/** The rows of table records: each with its location, its cells joined and where each starts in that. */
function rowsOf(records: readonly SourceRecord[]): Row[] {
  const rows: Row[] = [];
  for (const { text, at, table } of records) {
    if (table === undefined) throw new Error('not a table record');
    const { starts, names, columns, rowStarts, lines } = table;
    for (let r = 0; r < rowStarts.length; r++) {
      const first = rowStarts[r]!;
      const end = r + 1 < rowStarts.length ? rowStarts[r + 1]! : starts.length;
      const from = starts[first]!;
      const to = end < starts.length ? starts[end]! - 1 : text.length;
      const cells = [];
      for (let c = first; c < end; c++) cells.push({ column: names[columns === undefined ? c - first : columns[c]!]!, start: starts[c]! - from });
      rows.push({ at: { file: at.file, ...(lines !== undefined ? { line: lines[r]! } : {}), row: table.rows[r]! }, text: text.slice(from, to), cells });
    }
  }
  return rows;
}

/** The records a file reader yields, and what detectRecords hands on from them. */
async function scanned(file: string): Promise<{ records: SourceRecord[]; seen: Seen[] }> {
  const records: SourceRecord[] = [];
  const seen: Seen[] = [];
  const reader = readFileRecords(file, 'g', {});
  const kept = (async function* () {
    for (;;) {
      const next = await reader.next();
      if (next.done) return next.value;
      records.push(next.value);
      yield next.value;
    }
  })();
  const read = await detectRecords(kept, (record, d, line) => {
    expect(record.table).toBeUndefined();
    expect(record.text.slice(d.start, d.end)).toBe(d.raw);
    const { at } = record;
    seen.push({ ...(at.row !== undefined ? { row: at.row } : {}), ...(line !== undefined ? { line } : {}), ...(at.column !== undefined ? { column: at.column } : {}), text: record.text, ...d });
  });
  expect(read.status).toBe('scanned');
  return { records, seen };
}

const HEADER = ['first', 'e1', 'e2', 'middle', 'phone word', 'number', 'keyword', 'last'];
const ROWS = [
  // findings in the first, middle and last cells; two in the middle one; empty cells between;
  // a phone word and, in the next cell, a bare number (no phone: never seen together);
  // `Commission` ending a cell, `(SFC)` starting the next (keeps its topic, as alone)
  ['A123456(3)', '', '', 'mail chan@acme.hk or card 4111 1111 1111 1111', 'call me on', '9123 4567', 'Commission', '(SFC) fees; salary to 13812345678'],
  // a multi-line quoted cell with a finding on its third line, then a cell whose finding
  // is on its own second line: the line it is on, the row's + the cells' before + 1
  ['three\nlines\nthen 病假 here', 'one line\nbonus 2026', '', 'Sales\nCommission', 'phone:', '', '23456789', 'x'],
  // a row of empty cells, and rows with fewer cells than the header
  ['', '', '', '', '', '', '', ''],
  ['b@c.hk'],
  ['', '', '', '', '', '', '', 'last only: GB82 WEST 1234 5698 7654 32'],
];

describe('table rows as records', () => {
  it('CSV: records of rows with their cells, and the findings each cell alone gives', async () => {
    const file = writeCsv('rows.csv', [HEADER, ...ROWS]);
    const { records, seen } = await scanned(file);
    // every row (the empty row too: its cells are there, all empty), in records of several rows
    expect(records.length).toBeLessThan(ROWS.length);
    expect(records.every((r) => r.text === rowsOf([r]).map((row) => row.text).join('\n'))).toBe(true);
    const rows = rowsOf(records);
    expect(rows.map((r) => r.at)).toEqual([
      { file, line: 1, row: 0 },
      { file, line: 2, row: 1 },
      { file, line: 3, row: 2 },
      { file, line: 8, row: 3 },
      { file, line: 9, row: 4 },
      { file, line: 10, row: 5 },
    ]);
    expect(rows[0]!.text).toBe(HEADER.join('\n'));
    expect(rows[1]!.text).toBe(ROWS[0]!.join('\n'));
    expect(rows[1]!.cells).toEqual(HEADER.map((column, i) => ({ column, start: ROWS[0]!.slice(0, i).join('\n').length + (i > 0 ? 1 : 0) })));
    expect(rows[4]!.cells).toEqual([{ column: 'first', start: 0 }]);

    const expected = await expectedCsv(file);
    expect(seen).toEqual(expected);
    // and what that is, so that the comparison is not of two empty lists
    expect(seen.map((s) => `${s.row}:${s.line}:${s.column}:${s.type}:${s.start}-${s.end}`)).toEqual([
      '1:2:first:hk_id:0-10',
      '1:2:middle:email:5-17',
      '1:2:middle:payment_card:26-45',
      '1:2:keyword:payroll:0-10',
      '1:2:last:payroll:12-18',
      '1:2:last:cn_phone:22-33',
      '2:5:first:health:17-19',
      '2:6:e1:payroll:9-14',
      '2:7:middle:payroll:6-16',
      '4:9:first:email:0-6',
      '5:10:last:iban:11-38',
    ]);
    expect(seen.some((s) => s.type === 'hk_phone')).toBe(false);
  });

  it('the cases the join must not change, checked on detect() itself', () => {
    // a phone word and a bare number are a phone on one line, not across a line end
    expect(detect('call me on 9123 4567').map((d) => d.type)).toEqual(['hk_phone']);
    expect(detect('call me on\n9123 4567')).toEqual([]);
    expect(detect('9123 4567\n(手機)')).toEqual([]);
    // `Commission (SFC)` is a regulator; `Commission` ending a cell is pay, whatever follows
    expect(detect('Commission (SFC) fees').filter((d) => d.value === 'commission')).toEqual([]);
    expect(detect('Commission\n(SFC) fees').map((d) => d.value)).toEqual(['commission']);
    // a capitalised word before `Commission` on the line before does not make it a body's name
    expect(detect('Sales Commission').map((d) => d.value)).toEqual(['commission']);
    expect(detect('Futures\nCommission').map((d) => d.value)).toEqual(['commission']);
    expect(detect('Futures Commission')).toEqual([]);
    // `bonus` then `points` in the next cell: still a bonus
    expect(detect('bonus\npoints').map((d) => d.value)).toEqual(['bonus']);
  });

  it('TSV: the same, cells joined whatever they hold', async () => {
    const file = path.join(dir, 'rows.tsv');
    writeFileSync(file, ['a\tb\tc', 'call\t9123 4567\tchan@acme.hk', 'Commission\t(SFC)\t', '月\t薪金 4111111111111111\t'].join('\n') + '\n');
    const { seen } = await scanned(file);
    expect(seen).toEqual(await expectedCsv(file));
    expect(seen.map((s) => `${s.row}:${s.column}:${s.type}:${s.value}`)).toEqual(['1:c:email:chan@acme.hk', '2:a:payroll:commission', '3:b:payroll:薪金', '3:b:payment_card:4111111111111111']);
  });

  it('column names that are numbers keep the order Object.entries gives', async () => {
    const file = writeCsv('numbers.csv', [['name', '2026', '1', 'note'], ['A123456(3)', 'chan@acme.hk', '13812345678', 'salary']]);
    const { records, seen } = await scanned(file);
    expect(rowsOf(records)[0]!.cells.map((c) => c.column)).toEqual(['1', '2026', 'name', 'note']);
    expect(seen).toEqual(await expectedCsv(file));
    expect(seen.map((s) => s.column)).toEqual(['1', '2026', 'name', 'note']);
  });

  it('.xlsx: records of rows, no line, the findings each cell alone gives', async () => {
    const file = path.join(dir, 'rows.xlsx');
    await writeXlsxFile([HEADER, ...ROWS.filter((r) => r.some((c) => c !== ''))]).toFile(file);
    const { records, seen } = await scanned(file);
    expect(records.every((r) => r.at.line === undefined && r.table !== undefined && r.table.lines === undefined)).toBe(true);
    expect(rowsOf(records).map((r) => r.at.row)).toEqual([1, 2, 3, 4, 5]); // Excel's rows, the header's (1) too
    expect(seen).toEqual(await expectedXlsx(file));
    expect(seen.length).toBe(11);
  });

  it('CSV: several rows in one record; findings at the ends of rows, cells beyond the header, multi-line cells, empty rows', async () => {
    const file = path.join(dir, 'several.csv');
    writeFileSync(
      file,
      [
        'a,b,c',
        'x,y,chan@acme.hk', // row 1, line 2: a finding in the last cell...
        'A123456(3),q,r', // row 2, line 3: ...and in the first cell of the next row
        '', // an empty line: no row
        ',,', // row 3, line 5: empty cells
        'p,q,r,s,13812345678', // row 4, line 6: cells beyond the header (column_4, column_5)
        '"multi\nline\nthen 4111 1111 1111 1111",b@c.hk', // row 5, lines 7-9: the card on line 9, the e-mail after it on line 9 too
        '1,2', // row 6, line 10: fewer cells than the header
        'm,n,o,p,q,r,GB82 WEST 1234 5698 7654 32', // row 7, line 11: column_7
        'x,y,call me on', // row 8: a phone word ending a row...
        '9123 4567,z,Commission', // row 9: ...and a bare number starting the next (no phone); Commission ending it...
        '(SFC) fees,"two\nlines 病假",bonus', // row 10, lines 14-15: ...and (SFC) starting the next (keeps its topic); bonus on line 15
        '',
        '',
        'last,row,b@c.hk', // row 11, line 18, after empty lines
      ].join('\n') + '\n',
    );
    const { records, seen } = await scanned(file);
    expect(records.length).toBeLessThanOrEqual(2);
    expect(records.some((r) => r.table!.rowStarts.length > 5)).toBe(true);
    expect(rowsOf(records).map((r) => `${r.at.row}:${r.at.line}:${r.cells.map((c) => c.column).join('|')}`)).toEqual([
      '0:1:a|b|c',
      '1:2:a|b|c',
      '2:3:a|b|c',
      '3:5:a|b|c',
      '4:6:a|b|c|column_4|column_5',
      '5:7:a|b',
      '6:10:a|b',
      '7:11:a|b|c|column_4|column_5|column_6|column_7',
      '8:12:a|b|c',
      '9:13:a|b|c',
      '10:14:a|b|c',
      '11:18:a|b|c',
    ]);
    expect(seen).toEqual(await expectedCsv(file));
    expect(seen.map((s) => `${s.row}:${s.line}:${s.column}:${s.type}:${s.start}-${s.end}`)).toEqual([
      '1:2:c:email:0-12',
      '2:3:a:hk_id:0-10',
      '4:6:column_5:cn_phone:0-11',
      '5:9:a:payment_card:16-35',
      '5:9:b:email:0-6',
      '7:11:column_7:iban:0-27',
      '9:13:c:payroll:0-10',
      '10:15:b:health:10-12',
      '10:15:c:payroll:0-5',
      '11:18:c:email:0-6',
    ]);
    expect(seen.some((s) => s.type === 'hk_phone')).toBe(false);
  });

  it('CSV: names that are numbers, with rows beyond the header and short of it, several in one record', async () => {
    const file = writeCsv('numbers-rows.csv', [
      ['name', '2', '1'],
      ['A123456(3)', 'chan@acme.hk', '13812345678', 'salary', 'b@c.hk'],
      ['x@y.hk', 'A123456(3)'],
      ['病假'],
      ['a', 'b', 'c@d.hk'],
    ]);
    const { records, seen } = await scanned(file);
    expect(rowsOf(records).map((r) => r.cells.map((c) => c.column).join('|'))).toEqual(['1|2|name', '1|2|name|column_4|column_5', '2|name', 'name', '1|2|name']);
    expect(seen).toEqual(await expectedCsv(file));
    expect(seen.map((s) => `${s.row}:${s.column}:${s.type}`)).toEqual([
      '1:1:cn_phone',
      '1:2:email',
      '1:name:hk_id',
      '1:column_4:payroll',
      '1:column_5:email',
      '2:2:hk_id',
      '2:name:email',
      '3:name:health',
      '4:1:email',
    ]);
  });

  it('CSV larger than a chunk: records of about 1 MiB, and the findings each cell alone gives', async () => {
    const file = path.join(dir, 'large.csv');
    const lines = ['time,sender,message,phone,email'];
    for (let i = 0; i < 50_000; i++) {
      const n = String(1000 + (i % 9000));
      const cells = [
        `2026-11-01T09:${String(i % 60).padStart(2, '0')}`,
        i % 7 === 0 ? `"Chan, ${i}"` : `p${i}`,
        i % 5 === 0 ? `"line one\nA123456(3) and ${i}\n病假 then call"` : i % 3 === 0 ? 'salary 4111 1111 1111 1111' : 'nothing here at all',
        i % 2 === 0 ? `+852 9123 ${n}` : '',
        i % 4 === 0 ? `s${i}@example.hk` : '',
      ];
      lines.push((i % 11 === 0 ? cells.concat(`13812345678`) : cells).join(','));
      if (i % 13 === 0) lines.push('');
    }
    writeFileSync(file, lines.join('\n') + '\n');
    expect(statSync(file).size).toBeGreaterThan(3 << 20);
    const { records, seen } = await scanned(file);
    // records of about 256K characters (a text chunk's): closed after the row that reaches it
    expect(records.length).toBeGreaterThanOrEqual(12);
    expect(records.every((r) => r.text.length <= (1 << 18) + 1000)).toBe(true);
    const rows = rowsOf(records);
    expect(rows.length).toBe(50_001); // the header row (row 0) too
    expect(rows.every((r, i) => r.at.row === i)).toBe(true);
    const expected = await expectedCsv(file);
    expect(seen.length).toBeGreaterThan(50_000);
    expect(seen).toEqual(expected);
  });

  it('findings as the scan reports them: column and line per cell', async () => {
    const file = writeCsv('findings.csv', [HEADER, ...ROWS]);
    const found: { line?: number; row?: number; column?: string; type: string; masked: string }[] = [];
    const read = await scanFile(sourceReaders(), file, {}, (f) => found.push({ line: f.line, row: f.row, column: f.column, type: f.type, masked: f.masked }));
    expect(read.findings).toBe(11);
    expect(found.slice(0, 2)).toEqual([
      { line: 2, row: 1, column: 'first', type: 'hk_id', masked: expect.any(String) },
      { line: 2, row: 1, column: 'middle', type: 'email', masked: 'c***@acme.hk' },
    ]);
    expect(found.filter((f) => f.row === 2).map((f) => f.line)).toEqual([5, 6, 7]);
  });

  it('a CSV or TSV without a header row: its first record is scanned too, at line 1, row 0', async () => {
    for (const [name, d] of [['noheader.csv', ','], ['noheader.tsv', '\t']] as const) {
      const file = path.join(dir, name);
      writeFileSync(file, ['Chan', 'A123456(3)', 'chan@example.com'].join(d) + '\n' + ['Lee', 'C123456(9)', 'lee@example.com'].join(d) + '\n');
      const result = await scanPaths(sourceReaders(), [file]);
      expect(result.counts, name).toEqual({ hk_id: 2, email: 2 });
      expect(result.findings.map((f) => `${f.line}:${f.row}:${f.column}:${f.masked}`), name).toEqual([
        '1:0:A12****(3):A12****(3)', // the header row's cells are their own columns' names (redacted)
        '1:0:c***@example.com:c***@example.com',
        '2:1:A12****(3):C12****(9)',
        '2:1:c***@example.com:l***@example.com',
      ]);
    }
  });

  it('.xlsx: every sheet, findings with the sheet and the row Excel shows (header rows scanned), within the row budget', async () => {
    const file = path.join(dir, 'two-sheets.xlsx');
    await writeXlsxFile([
      { sheet: 'Summary', data: [['Title', 'chan@example.com'], ['nothing here']] },
      { sheet: 'Staff', data: [['Name', 'ID'], ['Chan', 'A123456(3)'], [], ['Lee', 'C123456(9)']] },
    ]).toFile(file);
    const result = await scanPaths(sourceReaders(), [file]);
    expect(result.findings.map(({ sheet, row, column, type, masked }) => ({ sheet, row, column, type, masked }))).toEqual([
      { sheet: 'Summary', row: 1, column: 'c***@example.com', type: 'email', masked: 'c***@example.com' },
      { sheet: 'Staff', row: 2, column: 'ID', type: 'hk_id', masked: 'A12****(3)' },
      { sheet: 'Staff', row: 4, column: 'ID', type: 'hk_id', masked: 'C12****(9)' },
    ]);
    expect(result.files).toMatchObject([{ status: 'scanned', format: 'xlsx', truncated: false, findings: 3 }]);
    expect(new FindingJson().text(result.findings[1]!)).toBe(JSON.stringify(result.findings[1]));
    expect(new FindingJson().text(result.findings[1]!)).toContain('"sheet":"Staff","row":2,"column":"ID"');
    const human = formatScan(result);
    expect(human).toContain(`${file} sheet Staff row 4 [ID]`);
    expect(human).toContain(`scanned ${file} (xlsx): 3 findings`);
    // two data rows: Summary's, then Staff's first (header rows are not counted); row 4 is not read
    const budgeted = await scanPaths(sourceReaders(), [file], { budgetRecords: 2 });
    expect(budgeted.findings.map((f) => `${f.sheet}:${f.row}`)).toEqual(['Summary:1', 'Staff:2']);
    expect(budgeted.files).toMatchObject([{ status: 'scanned', truncated: true, findings: 2 }]);
  });
});
