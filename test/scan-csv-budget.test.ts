// `--budget-bytes N` reads at most N bytes of a file (a sample). Where the budget cuts a
// CSV/TSV record, the cells read before the cut are still a row, as a text file's cut
// line is still text (text-reader.ts): the record used to be dropped whole, and the
// identifiers in its complete cells with it. The token the cut may have fallen inside is
// left out (text-chunks.ts), so no half of an identifier is found as a whole one, and the
// read still says it was truncated.
import { describe, expect, it } from 'vitest';
import { readCsvRows, type CsvReport } from '../lib/adapters/sources/csv-reader.ts';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { putTable, where, type Found } from './support/csv-tables.ts';

const KEY = 'csv-budget-test-key';

/** A table's rows, each cell's text; the file's text, and where each cell ends in it (ASCII: bytes). */
function table(rows: readonly (readonly string[])[], delimiter = ','): { text: string; ends: Map<string, number> } {
  let text = '';
  const ends = new Map<string, number>(); // `row/column` -> the offset just after the cell
  rows.forEach((cells, r) => {
    cells.forEach((cell, c) => {
      if (c > 0) text += delimiter;
      text += cell;
      ends.set(`${r}/${c}`, text.length);
    });
    text += '\n';
  });
  return { text, ends };
}

async function scan(file: string, budgetBytes?: number) {
  const { findings, files } = await scanPaths(sourceReaders(), [file], { hashKey: KEY, ...(budgetBytes !== undefined ? { budgetBytes } : {}) });
  return { findings: findings as Found[], file: files[0]! };
}

const HEADER = ['name', 'mobile', 'hkid', 'email', 'notes'];
const ROWS = [
  ['Chan Tai Man', '91234567', 'A123456(3)', 'chan@example.hk', 'call after 6'],
  ['Ho Siu Ming', '61234567', 'A123456(3)', 'ho.siu.ming@example.hk', 'card 4111 1111 1111 1111'],
];

describe('a CSV file cut by a byte budget', () => {
  it('finds, at every budget, what the whole file holds in each cell read to its end, and nothing else (no half of an identifier)', async () => {
    const { text, ends } = table([HEADER, ...ROWS]);
    const file = putTable('csv-budget-', 'staff.csv', text);
    const whole = await scan(file);
    expect(whole.findings).toHaveLength(7); // a phone, an HKID and an e-mail address a row, and the card in the last cell
    const columnOf = (name: string | undefined) => HEADER.indexOf(name!);
    const headerEnd = text.indexOf('\n') + 1;
    for (let budget = headerEnd; budget < text.length; budget++) {
      // a cell is read whole when the delimiter or line end after it is within the budget
      const expected = whole.findings.filter((f) => ends.get(`${f.row}/${columnOf(f.column)}`)! < budget);
      const cut = await scan(file, budget);
      expect(where(cut.findings), `budget ${budget}`).toEqual(where(expected));
      expect(cut.file).toMatchObject({ truncated: true, bytesRead: budget });
      expect(cut.file.problems, `budget ${budget}`).toBeUndefined();
    }
  });

  it('gives the cut record as a row at its line, with the cells read (the one the cut fell in without its last token)', async () => {
    const file = putTable('csv-budget-', 'rows.csv', 'name,mobile,email\nChan,91234567,chan@example.hk\nHo,61234567,ho@example.hk\n');
    const cutAt = 'name,mobile,email\nChan,91234567,chan@example.hk\nHo,61234567,ho@exa'.length;
    let report: CsvReport | undefined;
    const rows: [number, number, readonly string[]][] = [];
    for await (const b of readCsvRows(file, { budgetBytes: cutAt, report: (r) => (report = r) })) b.cells.forEach((cells, i) => rows.push([b.row + i, b.lines[i]!, cells]));
    expect(rows).toEqual([
      [1, 2, ['Chan', '91234567', 'chan@example.hk']],
      [2, 3, ['Ho', '61234567', '']],
    ]);
    expect(report).toMatchObject({ truncated: true, rows: 2, problems: [] });
  });

  it('a quoted cell of several lines still open at the cut: the cells before it, and its lines read, at the record\'s line', async () => {
    const text = 'name,mobile,notes\nChan,91234567,"first line\nsecond, with A123456(3) in it\nthird"\nHo,61234567,x\n';
    const file = putTable('csv-budget-', 'open.csv', text);
    const budget = text.indexOf('third') + 2;
    const { findings, file: read } = await scan(file, budget);
    expect(where(findings)).toEqual([
      ['hk_phone', 2, 1, 'mobile', '+852 ****4567'],
      ['hk_id', 3, 1, 'notes', 'A12****(3)'],
    ]);
    expect(read).toMatchObject({ truncated: true });
    expect(read.problems).toBeUndefined();
  });

  it('also in a TSV file, and with the cut in its header row (the names read are the header)', async () => {
    const { text, ends } = table([HEADER, ...ROWS], '\t');
    const file = putTable('csv-budget-', 'staff.tsv', text);
    const budget = ends.get('2/3')! + 1; // the second row read to the end of its e-mail cell and its tab
    const { findings } = await scan(file, budget);
    expect(where(findings).filter(([, , row]) => row === 2)).toEqual([
      ['hk_phone', 3, 2, 'mobile', '+852 ****4567'],
      ['hk_id', 3, 2, 'hkid', 'A12****(3)'],
      ['email', 3, 2, 'email', 'h***@example.hk'],
    ]);
    let report: CsvReport | undefined;
    for await (const b of readCsvRows(file, { budgetBytes: 'name\tmobile\th'.length, report: (r) => (report = r) })) expect(b.cells).toEqual([]);
    expect(report).toMatchObject({ truncated: true, header: ['name', 'mobile', 'column_3'], rows: 0, problems: [] });
  });
});
