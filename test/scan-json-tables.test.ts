// A table written as JSON arrays, its first row the header (Google Sheets' API `values`,
// pandas' `orient="values"`): a cell's only key is its place, so a `Mobile` column's bare
// numbers need the column's name (json-tables.ts), as a CSV column's cells have it.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { tempDir } from './support/temp-dir.ts';

const dir = tempDir('json-tables-');
async function scan(name: string, value: unknown) {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  const { findings } = await scanPaths(sourceReaders(), [file]);
  return findings.map((f) => [f.type, f.pointer, f.column, f.masked]);
}

describe('a JSON table of rows with a header row', () => {
  it('gives each later cell its column\'s name: a phone column\'s bare numbers (each of a list) and an HKID column\'s A123456-3', async () => {
    const sheet = { range: 'Staff!A1:C3', majorDimension: 'ROWS', values: [['Name', 'Mobile', 'HKID'], ['Chan', '9123 4567', 'A123456-3'], ['Ho', '6123 4567 / 5123 4567', 'n/a']] };
    expect(await scan('sheet.json', sheet)).toEqual([
      ['hk_phone', '/values/1/1', 'Mobile', '+852 ****4567'],
      ['hk_id', '/values/1/2', 'HKID', 'A12****(3)'],
      ['hk_phone', '/values/2/1', 'Mobile', '+852 ****4567'],
      ['hk_phone', '/values/2/1', 'Mobile', '+852 ****4567'],
    ]);
  });

  it('is no table when its first row is data, or names no column the scan knows: the strings are read as before', async () => {
    expect(await scan('rows.json', [['Chan', '91234567'], ['Ho', '61234567']])).toEqual([]);
    expect(await scan('named-data.json', [['Mobile', '91234567'], ['Ho', '61234567']])).toEqual([]);
    expect(await scan('unknown.json', [['Given', 'Family', 'Extension'], ['Tai Man', 'Chan', '91234567']])).toEqual([]);
    // a header row's own cells are read as strings, and a second table starts afresh
    expect(await scan('two.json', { a: [['Name', 'Mobile'], ['Chan', '91234567']], b: [['x', 'y'], ['Ho', '61234567']] })).toEqual([['hk_phone', '/a/1/1', 'Mobile', '+852 ****4567']]);
  });
});
