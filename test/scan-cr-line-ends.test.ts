// Files whose lines end with CR alone (classic Mac OS; Excel for Mac's "CSV (Macintosh)"):
// each CR is a line end (TextFormat.crLineEnds), so a CSV has its rows and header, and a
// text file its lines, instead of one line holding everything.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { decodeTextChunks } from '../lib/adapters/sources/text-chunks.ts';
import { textFormat } from '../lib/domain/text/text-format.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { tempDir } from './support/temp-dir.ts';

const where = (findings: Array<{ type: string; line?: number; row?: number; column?: string; masked: string }>) => findings.map((f) => [f.type, f.line, f.row, f.column, f.masked]);

describe('lines ending with CR alone', () => {
  it('reads a CSV row by row, under its header, as the same file with CRLF', async () => {
    const dir = tempDir('cr-lines-');
    const rows = ['name,phone,hkid', 'Chan,91234567,A123456(3)', 'Lee,61234567,B987654(0)'];
    const cr = path.join(dir, 'mac.csv');
    writeFileSync(cr, `${rows.join('\r')}\r`);
    const crlf = path.join(dir, 'windows.csv');
    writeFileSync(crlf, `${rows.join('\r\n')}\r\n`);
    const expected = where((await scanPaths(sourceReaders(), [crlf])).findings);
    expect(expected).toEqual([
      ['hk_phone', 2, 1, 'phone', '+852 ****4567'],
      ['hk_id', 2, 1, 'hkid', 'A12****(3)'],
      ['hk_phone', 3, 2, 'phone', '+852 ****4567'],
      ['hk_id', 3, 2, 'hkid', 'B98****(0)'],
    ]);
    const { findings, files } = await scanPaths(sourceReaders(), [cr]);
    expect(where(findings)).toEqual(expected);
    expect(files[0]).toMatchObject({ status: 'scanned', format: 'csv' });
  });

  it('gives a text file its lines, in UTF-8 and Big5 alike, and leaves CR before LF as it was', async () => {
    const dir = tempDir('cr-lines-');
    const lines = ['hello', '電話 9123 4567', '', 'HKID A123456(3)'];
    const utf8 = path.join(dir, 'a.txt');
    writeFileSync(utf8, lines.join('\r'));
    const big5 = path.join(dir, 'b.txt');
    writeFileSync(big5, Buffer.from([...Buffer.from('hello\r'), 0xb9, 0x71, 0xb8, 0xdc, ...Buffer.from(' 9123 4567\r\rHKID A123456(3)')]));
    for (const [file, encoding] of [[utf8, 'utf-8'], [big5, 'big5']] as const) {
      const { findings, files } = await scanPaths(sourceReaders(), [file]);
      expect(where(findings), file).toEqual([
        ['hk_phone', 2, undefined, undefined, '+852 ****4567'],
        ['hk_id', 4, undefined, undefined, 'A12****(3)'],
      ]);
      expect(files[0]).toMatchObject({ status: 'scanned', encoding });
    }
    expect(textFormat(Buffer.from('a\r\nb\r\n'), true).crLineEnds).toBeUndefined();
    expect(textFormat(Buffer.from('a\rb\r'), true).crLineEnds).toBe(true);
    expect(textFormat(Buffer.from('\uFEFFa\rb', 'utf16le'), true).crLineEnds).toBeUndefined();
  });

  it('reads a Mac CSV whose cells hold more line breaks than it has rows (addresses of three lines)', async () => {
    const dir = tempDir('cr-lines-');
    const file = path.join(dir, 'addresses.csv');
    writeFileSync(file, 'name,mobile,address\rChan,9123 4567,"Flat A, 12/F\nHarbour Bldg\nCentral"\rLee,6123 4567,"Flat B, 3/F\nOcean Ct\nTsuen Wan"\r');
    const { findings, files } = await scanPaths(sourceReaders(), [file]);
    expect(where(findings)).toEqual([
      ['hk_phone', 2, 1, 'mobile', '+852 ****4567'],
      ['hk_phone', 5, 2, 'mobile', '+852 ****4567'], // its cell's line breaks count as lines
    ]);
    expect(files[0]!.problems).toBeUndefined();
    // an LF file stays one: an LF outside quotes, unbalanced quotes, or no CR outside them
    expect(textFormat(Buffer.from('a "x\ny" b\rc\nd\n'), true).crLineEnds).toBeUndefined();
    expect(textFormat(Buffer.from('say "hi\n\rthere\n'), true).crLineEnds).toBeUndefined();
    expect(textFormat(Buffer.from('"a\rb\nc"'), true).crLineEnds).toBeUndefined();
  });

  it('keeps an LF inside a Mac CSV cell (Excel writes a cell’s line break so) and CRLF lines later in a file as they are', async () => {
    const dir = tempDir('cr-lines-');
    const cell = path.join(dir, 'cell.csv');
    writeFileSync(cell, 'name,phone,note\r陳大文,91234567,"a\nb"\rLee,61234567,身份證 A123456(3)\r');
    expect(where((await scanPaths(sourceReaders(), [cell])).findings)).toEqual([
      ['hk_phone', 2, 1, 'phone', '+852 ****4567'],
      ['hk_phone', 4, 2, 'phone', '+852 ****4567'],
      ['hk_id', 4, 2, 'note', 'A12****(3)'],
    ]);
    // CR lines beyond the 64 KiB the format is told by, then CRLF lines: each line once
    const mixed = path.join(dir, 'mixed.txt');
    writeFileSync(mixed, `${'x\r'.repeat(40_000)}${'y\r\n'.repeat(6)}電話 9123 4567\r\n`);
    expect(where((await scanPaths(sourceReaders(), [mixed])).findings)).toEqual([['hk_phone', 40_007, undefined, undefined, '+852 ****4567']]);
    // a log with LF lines and a progress line's CRs is read as it was
    expect(textFormat(Buffer.from('a\nprogress 10%\rprogress 20%\nb\n'), true).crLineEnds).toBeUndefined();
  });

  it('reads a CR at the end of one read and an LF at the start of the next as one line end', async () => {
    async function* pieces(): AsyncGenerator<Uint8Array> {
      for (const p of ['a\r', '\nb\r', 'c\r', '']) yield Buffer.from(p);
    }
    let text = '';
    for await (const c of decodeTextChunks(pieces(), 'utf-8', { crLineEnds: true })) text += c.text.slice(c.overlap);
    expect(text).toBe('a\r\nb\nc\n');
  });
});
