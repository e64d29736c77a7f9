// A workbook that cannot be read says why in the reader's words, which quote the parts
// its relationships name. Those names are the workbook's: redacted as names, so that a
// sheet named after a person's number does not print it (the message as a whole is
// redacted as text, where an 8-digit byte count is no phone).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { deflatedEntry, zipArchive } from './support/hostile-files.ts';
import { tempDir } from './support/temp-dir.ts';

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet';

/** A workbook whose one sheet, named in its relationships, is missing from the archive. */
function workbookMissingSheet(target: string): Buffer {
  return zipArchive([
    deflatedEntry('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    deflatedEntry('_rels/.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    deflatedEntry('xl/workbook.xml', '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    deflatedEntry('xl/_rels/workbook.xml.rels', `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}" Target="${target}"/></Relationships>`),
  ]);
}

describe('a workbook that names a missing part after a person', () => {
  it('fails naming the part redacted as a name: no HKID, no bare phone', async () => {
    const dir = tempDir('xlsx-part-names-');
    const file = path.join(dir, 'staff.xlsx');
    writeFileSync(file, workbookMissingSheet('worksheets/A123456(3) 91234567.xml'));
    const result = await scanPaths(sourceReaders(), [file], {});
    const read = result.files[0]!;
    expect(read.status).toBe('failed');
    expect(read.reason).toMatch(/^cannot read .*staff\.xlsx: not a readable \.xlsx workbook \(/);
    expect(read.reason).toContain('A12****(3) +852 ****4567.xml');
    expect(read.reason).not.toMatch(/91234567|A123456/);
  });
});
