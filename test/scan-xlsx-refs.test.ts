// A workbook whose rows and cells lack their optional `r` reference (ECMA-376: a row
// without one follows the row before it, a cell the cell before it in its row) is read,
// each cell placed as the format places it; and a reader's failure never shows a raw
// JavaScript error (`TypeError: Cannot read properties of undefined`).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { columnLetters, withCellRefs } from '../lib/adapters/sources/xlsx-cell-refs.ts';
import { wholeNumberDigits } from '../lib/adapters/sources/xlsx-reader.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { deflatedEntry, zipArchive } from './support/hostile-files.ts';
import { tempDir } from './support/temp-dir.ts';

const dir = tempDir('scan-xlsx-refs-');
const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';

/** A workbook of one sheet (named `name`) with this sheet XML. */
function workbook(file: string, sheetXml: string, name = 'Staff'): string {
  writeFileSync(
    file,
    zipArchive([
      deflatedEntry('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'),
      deflatedEntry('_rels/.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
      deflatedEntry('xl/workbook.xml', `<?xml version="1.0"?><workbook ${NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${name}" sheetId="1" r:id="rId1"/></sheets></workbook>`),
      deflatedEntry('xl/_rels/workbook.xml.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
      deflatedEntry('xl/worksheets/sheet1.xml', sheetXml),
    ]),
  );
  return file;
}

const text = (t: string) => `<is><t>${t}</t></is>`;

describe('cells without references', () => {
  it('are read, placed in document order (QA’s noref.xlsx shape)', async () => {
    const xml =
      `<?xml version="1.0"?><worksheet ${NS}><sheetData>` +
      `<row><c t="inlineStr">${text('phone')}</c><c t="inlineStr">${text('hkid')}</c><c t="inlineStr">${text('email')}</c></row>` +
      `<row><c><v>91234567</v></c><c t="inlineStr">${text('A123456(3)')}</c></row>` +
      // a row with its reference, cells without: row 5; a cell with one, and the next after it
      `<row r="5"><c t="inlineStr">${text('61234567')}</c><c r="C5" t="inlineStr">${text('ada@example.hk')}</c></row>` +
      `<row><c/><c t="inlineStr">${text('Z987654(6)')}</c></row>` +
      '</sheetData></worksheet>';
    const file = workbook(path.join(dir, 'noref.xlsx'), xml);
    const result = await scanPaths(sourceReaders(), [file]);
    expect(result.files[0]).toMatchObject({ status: 'scanned', format: 'xlsx' });
    expect(result.findings.map((f) => [f.type, f.row, f.column, f.masked])).toEqual([
      ['hk_phone', 2, 'phone', '+852 ****4567'],
      ['hk_id', 2, 'hkid', 'A12****(3)'],
      ['hk_phone', 5, 'phone', '+852 ****4567'],
      ['email', 5, 'email', 'a***@example.hk'],
      ['hk_id', 6, 'hkid', 'Z98****(6)'],
    ]);
  });

  it('a sheet whose cells have their references is left as it is; comments, CDATA, prefixes and ">" in values are passed over', () => {
    expect(withCellRefs(`<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"/></row></sheetData>`)).toBeUndefined();
    expect(withCellRefs('<x:sheetData><!-- <c> --><x:row><x:c a=">"><x:is><x:t><![CDATA[<c>]]></x:t></x:is></x:c><x:c/></x:row></x:sheetData>')).toBe(
      '<x:sheetData><!-- <c> --><x:row><x:c r="A1" a=">"><x:is><x:t><![CDATA[<c>]]></x:t></x:is></x:c><x:c r="B1"/></x:row></x:sheetData>',
    );
    expect([1, 26, 27, 52, 702, 703, 16_384].map(columnLetters)).toEqual(['A', 'Z', 'AA', 'AZ', 'ZZ', 'AAA', 'XFD']);
  });

  it('a workbook the reader cannot read fails with what is wrong, never a raw JavaScript error', async () => {
    // a worksheet without its sheetData: read-excel-file fails on it with a TypeError
    const xml = `<?xml version="1.0"?><worksheet ${NS}></worksheet>`;
    const result = await scanPaths(sourceReaders(), [workbook(path.join(dir, 'nodata.xlsx'), xml)]);
    expect(result.files[0]).toMatchObject({
      status: 'failed',
      reason: `cannot read ${path.join(dir, 'nodata.xlsx')}: not a readable .xlsx workbook (its sheets are not laid out as the format requires: the reader could not read them)`,
    });
  });
});

describe('numbers in scientific notation (Apache POI writes every whole number of eight digits or more so)', () => {
  it('a whole number is read as its digits, as Excel shows it: a phone 9.1234567E7 is 91234567', async () => {
    const xml =
      `<?xml version="1.0"?><worksheet ${NS}><sheetData>` +
      `<row r="1"><c r="A1" t="inlineStr">${text('Mobile')}</c><c r="B1" t="inlineStr">${text('Amount')}</c></row>` +
      `<row r="2"><c r="A2"><v>9.1234567E7</v></c><c r="B2"><v>1.5E3</v></c></row>` +
      `<row r="3"><c r="A3"><v>8.5261234567E10</v></c><c r="B3"><v>1.2345E2</v></c></row>` +
      `</sheetData></worksheet>`;
    const result = await scanPaths(sourceReaders(), [workbook(path.join(dir, 'poi.xlsx'), xml)]);
    expect(result.findings.map((f) => [f.row, f.column, f.type, f.masked])).toEqual([
      [2, 'Mobile', 'hk_phone', '+852 ****4567'],
      [3, 'Mobile', 'hk_phone', '+852 ****4567'],
    ]);
  });

  it('wholeNumberDigits: whole numbers as digits, the rest as written', () => {
    expect(['9.1234567E7', '8.5291234567E10', '1E2', '1.5E1', '-4.5E3', '1.2345E2', '1.5E-3', '91234567', '9.1234567e+07', '12.5E1', 'abc'].map(wholeNumberDigits)).toEqual([
      '91234567',
      '85291234567',
      '100',
      '15',
      '-4500',
      '1.2345E2',
      '1.5E-3',
      '91234567',
      '91234567',
      '12.5E1',
      'abc',
    ]);
  });
});
