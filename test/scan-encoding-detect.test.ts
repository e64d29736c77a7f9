// Encoding detection of the source readers (lib/domain/text/text-format.ts), on
// files generated here: UTF-16 without a BOM read as UTF-16 (and real binary files,
// whose bytes could pass for it, still skipped); short GB18030 text that happens to be
// nearly valid UTF-8 read as GB18030 (and UTF-8 with a corrupt byte still UTF-8); and a
// UTF-16 BOM in front of bytes that are not UTF-16, read as the BOM says with a warning
// in the file's result.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import type { FileRead } from '../lib/usecases/ports.ts';
import { readCsvRecords, type CsvRecord, type CsvReport } from '../lib/adapters/sources/csv-reader.ts';
import { readFileRecords } from '../lib/adapters/sources/local-files.ts';
import { textFormat } from '../lib/domain/text/text-format.ts';
import { readTextChunks, type ReadReport } from '../lib/adapters/sources/text-reader.ts';
import { mulberry32 } from '../lib/domain/text/seeded-random.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'scan-encoding-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let count = 0;
function fixture(bytes: Uint8Array | string, ext = '.txt'): string {
  const file = path.join(dir, `f${++count}${ext}`);
  writeFileSync(file, bytes);
  return file;
}

async function readAll(file: string) {
  let report: ReadReport | undefined;
  let text = '';
  for await (const c of readTextChunks(file, { report: (r) => (report = r) })) text += c.text.slice(c.overlap);
  if (!report) throw new Error('no report');
  return { text, report };
}

async function fileRead(file: string): Promise<FileRead> {
  const records = readFileRecords(file, 'g');
  for (;;) {
    const next = await records.next();
    if (next.done) return next.value;
  }
}

async function readCsv(file: string) {
  let report: CsvReport | undefined;
  const records: CsvRecord[] = [];
  for await (const r of readCsvRecords(file, { report: (x) => (report = x) })) records.push(r);
  if (!report) throw new Error('no report');
  return { records, report };
}

function utf16(text: string, order: 'le' | 'be'): Buffer {
  const body = Buffer.from(text, 'utf16le');
  if (order === 'be') body.swap16();
  return body;
}

const NUL_SKIP = { reason: 'binary: NUL bytes in the first 8 KiB' };

describe('UTF-16 without a BOM', () => {
  const text = '員工：陳大文\n電話 9123 4567\nHKID A123456(3)\n电邮 chan@example.hk 😀\n';

  it.each(['le', 'be'] as const)('reads UTF-16%s without a BOM as UTF-16, detected', async (order) => {
    const { text: read, report } = await readAll(fixture(utf16(text, order)));
    expect(report).toMatchObject({ encoding: `utf-16${order}`, detected: true, replacedSequences: 0, lines: 4, truncated: false });
    expect(report.skipped).toBeUndefined();
    expect(read).toBe(text);
  });

  it('reports the detected encoding in the file result, for text and CSV', async () => {
    expect(await fileRead(fixture(utf16(text, 'le')))).toMatchObject({ status: 'scanned', format: 'text', encoding: 'utf-16le', replacedSequences: 0 });
    const csv = 'name,phone\n陳大文,9123 4567\n';
    const file = fixture(utf16(csv, 'le'), '.csv');
    expect(await fileRead(file)).toMatchObject({ status: 'scanned', format: 'csv', encoding: 'utf-16le' });
    const { records, report } = await readCsv(file);
    expect(report).toMatchObject({ encoding: 'utf-16le', detected: true, problems: [] });
    expect(records.map((r) => r.cells)).toEqual([{ name: '陳大文', phone: '9123 4567' }]);
  });

  it('reads a short one (8 characters of ASCII) and one that is nearly all Chinese', async () => {
    expect((await readAll(fixture(utf16('A1234563', 'le')))).report.encoding).toBe('utf-16le');
    // one code unit in about 30 with a NUL high byte (the line ends), and as many with a NUL low byte (一 is U+4E00)
    const dense = '本公司已收到你的體檢報告，請於下週一前到人事部簽署薪金單。\n'.repeat(200);
    const { text: read, report } = await readAll(fixture(utf16(dense, 'be')));
    expect(report.encoding).toBe('utf-16be');
    expect(read).toBe(dense);
  });

  it('detects it when the 8 KiB sample ends inside a surrogate pair', async () => {
    const long = `${'a'.repeat(4095)}😀${'電話 9123 4567\n'.repeat(400)}`;
    const { text: read, report } = await readAll(fixture(utf16(long, 'le')));
    expect(report).toMatchObject({ encoding: 'utf-16le', replacedSequences: 0 });
    expect(read).toBe(long);
  });
});

describe('binary files stay binary', () => {
  const random = (n: number, seed: number): Buffer => {
    const next = mulberry32(seed);
    return Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256)));
  };
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };

  /** A 16-bit greyscale PNG, stored uncompressed, whose pixels are the code units of ASCII text in UTF-16BE. */
  function png16(): Buffer {
    const width = 64;
    const rows: Buffer[] = [];
    for (let y = 0; y < 64; y++) rows.push(Buffer.concat([Buffer.of(0), utf16('Phone 9123 4567 A123456(3) card 4111111111111111 end of row ok ...'.slice(0, width), 'be')]));
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(width, 0);
    ihdr.writeUInt32BE(64, 4);
    ihdr[8] = 16; // bit depth
    return Buffer.concat([
      Buffer.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 0 })),
      chunk('IEND', Buffer.alloc(0)),
    ]);
  }

  /** A ZIP (an .xlsx's shape) whose first entry is stored, uncompressed: UTF-16LE XML. */
  function zipWithUtf16(): Buffer {
    const name = Buffer.from('xl/sharedStrings.xml');
    const data = Buffer.concat([Buffer.of(0xff, 0xfe), utf16('<sst><si><t>陳大文 9123 4567</t></si></sst>\n'.repeat(150), 'le')]);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt32LE(crc32(data), 14);
    header.writeUInt32LE(data.length, 18);
    header.writeUInt32LE(data.length, 22);
    header.writeUInt16LE(name.length, 26);
    return Buffer.concat([header, name, data]);
  }

  /** A PDF with a UTF-16BE title (as PDF writes text strings) and a binary stream. */
  function pdf(): Buffer {
    return Buffer.concat([
      Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Title (', 'latin1'),
      Buffer.of(0xfe, 0xff),
      utf16('Staff list 員工 9123 4567 '.repeat(100), 'be'),
      Buffer.from(') >>\nendobj\n2 0 obj\n<< /Length 4096 /Filter /FlateDecode >>\nstream\n', 'latin1'),
      random(4096, 7),
      Buffer.from('\nendstream\nendobj\n', 'latin1'),
    ]);
  }

  /** A quiet 16-bit little-endian PCM signal (a WAV file's samples, without its RIFF header). */
  function pcm16(): Buffer {
    const b = Buffer.alloc(16384);
    for (let i = 0; i < b.length / 2; i++) b.writeInt16LE(Math.round(200 * Math.sin(i / 7)), 2 * i);
    return b;
  }

  const cases: [string, () => Buffer][] = [
    ['a 16-bit PNG whose pixels are UTF-16BE text', png16],
    ['a ZIP (.xlsx) holding a stored UTF-16LE entry', zipWithUtf16],
    ['a PDF with a UTF-16BE string and a binary stream', pdf],
    ['random bytes', () => random(16384, 42)],
    ['random bytes with every odd byte NUL (random U+0000..U+00FF in UTF-16LE)', () => Buffer.from(random(16384, 3).map((b, i) => (i % 2 ? 0 : b)))],
    ['16-bit PCM audio', pcm16],
    ['an executable (this Node binary)', () => readFileSync(process.execPath).subarray(0, 65536)],
    ['an executable without its signature', () => Buffer.concat([Buffer.from('TEXT'), readFileSync(process.execPath).subarray(4, 65536)])],
    ['ASCII text with NUL bytes in over 1% of its first bytes', () => Buffer.from('Phone 9123 4567\n'.repeat(20) + '\0'.repeat(4))],
    ['ASCII text with 16 NUL bytes in its first 8 KiB', () => Buffer.from('Phone 9123 4567, card 4111 1111 1111 1111\n'.repeat(100) + '\0'.repeat(16))],
    ['English text with NUL bytes at odd offsets only', () => Buffer.from(Buffer.from('The quick brown fox jumps over the lazy dog. 9123 4567\n'.repeat(150)).map((b, i) => (i % 64 === 1 ? 0 : b)))],
  ];

  it.each(cases)('skips %s with the reason', async (_, make) => {
    const bytes = make();
    for (const ext of ['.txt', '.csv']) {
      const file = fixture(bytes, ext);
      const { text, report } = await readAll(file);
      expect(text).toBe('');
      expect(report.skipped?.reason).toMatch(/^binary: /);
      expect(await fileRead(file)).toMatchObject({ status: 'skipped', reason: report.skipped!.reason });
    }
  });

  it('reads text with a few NUL bytes as text (a database export that left one in a cell): its rows are not skipped unread', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => `Chan ${i},A123456(3),91234567`);
    rows.splice(50, 0, 'Lee\0\0\0\0,A123456(3),61234567');
    const file = fixture(Buffer.from(`name,hkid,mobile\n${rows.join('\n')}\n`), '.csv');
    expect(await fileRead(file)).toMatchObject({ status: 'scanned', format: 'csv' });
    const { report } = await readAll(fixture(Buffer.from('Phone 9123 4567, card 4111 1111 1111 1111\n'.repeat(20) + '\0')));
    expect(report.skipped).toBeUndefined();
  });

  it('keeps the reason of a PNG made of NUL bytes', async () => {
    const { report } = await readAll(fixture(Buffer.concat([Buffer.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), Buffer.alloc(4096)])));
    expect(report.skipped).toEqual(NUL_SKIP);
  });
});

describe('short GB18030 and Big5 that is nearly valid UTF-8', () => {
  // 电话 is B5 E7 BB B0: B5 is invalid UTF-8, E7 BB B0 a valid UTF-8 character (绰)
  it.each([
    ['电话 91234567', 'gb18030'],
    ['手機 91234567', 'gb18030'], // CA D6 99 43: CA D6 is a valid UTF-8 character (ʖ)
    ['Tel 91234567 电话\n', 'gb18030'], // ASCII first
    ['name: 陈大文 phone: 91234567 电话\n', 'gb18030'],
  ] as const)('reads %j in %s as that, not as UTF-8 with a replacement', async (text, encoding) => {
    const bytes = iconv.encode(text, encoding);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const { text: read, report } = await readAll(fixture(bytes));
    expect(report).toMatchObject({ encoding, detected: true, replacedSequences: 0 });
    expect(read).toBe(text);
  });

  it('keeps short Big5 as Big5 and valid UTF-8 as UTF-8', async () => {
    for (const text of ['電話 91234567', '手機 91234567']) expect((await readAll(fixture(iconv.encode(text, 'big5')))).report.encoding).toBe('big5');
    for (const text of ['电话 91234567', '手機 91234567', 'Tel 91234567']) expect((await readAll(fixture(text))).report.encoding).toBe('utf-8');
  });

  it('keeps UTF-8 with a corrupt byte as UTF-8, short or long', async () => {
    // a valid character then a stray byte: GB18030 decodes it without an error, into nothing common
    const short = Buffer.concat([Buffer.from('电话'), Buffer.of(0x80), Buffer.from(' 91234567\n')]);
    expect((await readAll(fixture(short))).report).toMatchObject({ encoding: 'utf-8', replacedSequences: 1 });
    // Windows-1252 no-break space before an identifier: GB18030 would take the A with it
    const latin = Buffer.concat([Buffer.from('HKID'), Buffer.of(0xa0), Buffer.from('A123456(3)\n')]);
    const read = await readAll(fixture(latin));
    expect(read.report).toMatchObject({ encoding: 'utf-8', replacedSequences: 1 });
    expect(read.text).toContain('A123456(3)');
    const line = '本公司已收到你的体检报告，请于下周一前到人事部签署工资单。联系电话：13912345678。\n';
    const long = Buffer.concat([Buffer.from(line.repeat(1000)), Buffer.of(0xff), Buffer.from(line.repeat(1000))]);
    expect((await readAll(fixture(long))).report).toMatchObject({ encoding: 'utf-8', replacedSequences: 1 });
  });
});

describe('a UTF-16 BOM before bytes that are not UTF-16', () => {
  // the QA file: FF FE, then UTF-8 (with two invalid sequences) holding an HKID and a card
  const qa = Buffer.concat([Buffer.of(0xff, 0xfe, 0xfd), Buffer.from(' bad A123456(3) '), Buffer.of(0xc3, 0x28, 0x20, 0x78, 0x80), Buffer.from(' 4111111111111111\n')]);

  it('honours the BOM and says why the text may be misread, with no identifier in the message', async () => {
    const file = fixture(qa);
    const { report } = await readAll(file);
    expect(report).toMatchObject({ encoding: 'utf-16le', detected: true });
    expect(report.warning).toMatch(/UTF-16LE byte-order mark \(FF FE\).*\d+% printable ASCII without a NUL byte.*8-bit text such as UTF-8, not UTF-16, so findings may be missed$/);
    const read = await fileRead(file);
    expect(read).toMatchObject({ status: 'scanned', encoding: 'utf-16le', problems: [{ line: 1, message: report.warning }] });
    expect(JSON.stringify(read)).not.toMatch(/A123456|4111|\d{6}/);
  });

  it('warns in a CSV file too, before its own problems', async () => {
    const file = fixture(Buffer.concat([Buffer.of(0xfe, 0xff), Buffer.from('name,phone\nChan,"9123 4567\n')]), '.csv');
    const read = await fileRead(file);
    expect(read).toMatchObject({ status: 'scanned', format: 'csv', encoding: 'utf-16be' });
    expect(read.problems?.[0]).toEqual({ line: 1, message: expect.stringMatching(/^the file starts with the UTF-16BE byte-order mark \(FE FF\)/) });
  });

  it('warns when the text after the BOM is mostly unpaired surrogates, private-use or unassigned characters', async () => {
    const next = mulberry32(9);
    const bytes = Buffer.concat([Buffer.of(0xff, 0xfe), Buffer.from(Array.from({ length: 4096 }, () => 1 + Math.floor(next() * 255)))]);
    const { report } = await readAll(fixture(bytes));
    expect(report.skipped).toBeUndefined();
    expect(report.warning).toMatch(/^the file starts with the UTF-16LE byte-order mark \(FF FE\) and is read as UTF-16LE, but \d+% of the characters in the first 8 KiB are unpaired surrogates, controls, private-use or unassigned code points: not UTF-16 text, so findings may be missed$/);
  });

  it('does not warn for UTF-16 text: ASCII, all Chinese, or with one stray surrogate', async () => {
    const bom = Buffer.of(0xff, 0xfe);
    for (const text of ['Phone 9123 4567, HKID A123456(3)\n'.repeat(10), '本公司已收到你的體檢報告請於下週一前到人事部簽署薪金單'.repeat(20), `員工 9123 4567 \ud800 電話\n${'員工 9123 4567 電話\n'.repeat(20)}`]) {
      const file = fixture(Buffer.concat([bom, utf16(text, 'le')]));
      const { report } = await readAll(file);
      expect(report.warning).toBeUndefined();
      expect((await fileRead(file)).problems).toBeUndefined();
    }
  });

  it('does not warn for an encoding that was declared', () => {
    expect(textFormat(qa, true, 'utf-16le').warning).toBeUndefined();
    expect(textFormat(qa, true).warning).toBeDefined();
  });
});
