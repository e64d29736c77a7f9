// Low-level readers for the data-mapping scans: text in five encodings (declared
// or detected), chunking in bounded memory, bad bytes, binary files, budgets,
// unreadable files, and CSV/TSV on top of them. Every fixture is generated here,
// in a temporary directory; GB18030 and Big5 fixtures are encoded with iconv-lite
// (Node has decoders for them but no encoders).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsvRecords, type CsvRecord, type CsvReport, type CsvReadOptions } from '../lib/adapters/sources/csv-reader.ts';
import type { Encoding } from '../lib/domain/text/encoding.ts';
import { CHUNK_OVERLAP, type TextChunk } from '../lib/adapters/sources/text-chunks.ts';
import { ReadError } from '../lib/adapters/sources/read-error.ts';
import { readTextChunks, type ReadReport, type ReadTextOptions } from '../lib/adapters/sources/text-reader.ts';
import { detectRecords, type SourceRecord } from '../lib/domain/detect/records.ts';
import { mulberry32 } from '../lib/domain/text/seeded-random.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'scan-readers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
function fixture(bytes: Uint8Array | string, name = `f${++fileCount}.txt`): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

async function readAll(file: string, options: Omit<ReadTextOptions, 'report'> = {}) {
  let report: ReadReport | undefined;
  const chunks: TextChunk[] = [];
  for await (const chunk of readTextChunks(file, { ...options, report: (r) => (report = r) })) chunks.push(chunk);
  if (!report) throw new Error('no report');
  return { text: chunks.map((c) => c.text.slice(c.overlap)).join(''), chunks, report };
}

/** Where each '\n' of `text` stands, found by a regex (the reader finds them with indexOf). */
function newlinesIn(text: string): Int32Array {
  return Int32Array.from(text.matchAll(/\n/g), (m) => m.index);
}

async function readCsv(file: string, options: Omit<CsvReadOptions, 'report'> = {}) {
  let report: CsvReport | undefined;
  const records: CsvRecord[] = [];
  for await (const record of readCsvRecords(file, { ...options, report: (r) => (report = r) })) records.push(record);
  if (!report) throw new Error('no report');
  return { records, report };
}

const SIMPLIFIED = [
  '员工姓名：陈大文，联系电话：13912345678。',
  '本公司已收到你的体检报告，请于下周一前到人事部签署工资单。',
  '会议记录：财务部将在第三季度完成审计工作 (Q3 audit)。',
  '',
].join('\n');
const TRADITIONAL = [
  '員工姓名：陳大文，聯絡電話：9123 4567。',
  '本公司已收到你的體檢報告，請於下週一前到人事部簽署薪金單。',
  '會議記錄：財務部將在第三季度完成審計工作 (Q3 audit)。',
  '',
].join('\n');
const MIXED = 'Hello 你好 — café 😀 naïve\n第二行 line two\r\nlast line without newline 👍🏽';

const BOM_UTF8 = Uint8Array.of(0xef, 0xbb, 0xbf);
function utf16(text: string, order: 'le' | 'be', bom = true): Buffer {
  const body = Buffer.from(text, 'utf16le');
  if (order === 'be') body.swap16();
  const mark = order === 'le' ? Buffer.of(0xff, 0xfe) : Buffer.of(0xfe, 0xff);
  return bom ? Buffer.concat([mark, body]) : body;
}

describe('readTextChunks: encodings', () => {
  it('reads UTF-8 without a BOM, detected, in one chunk of whole lines', async () => {
    const file = fixture(MIXED);
    const { text, chunks, report } = await readAll(file);
    expect(text).toBe(MIXED);
    expect(chunks).toEqual([{ text: MIXED, line: 1, continued: false, overlap: 0, newlines: newlinesIn(MIXED) }]);
    expect(report).toEqual({
      encoding: 'utf-8',
      detected: true,
      bytesRead: Buffer.byteLength(MIXED),
      bytesTotal: Buffer.byteLength(MIXED),
      truncated: false,
      replacedSequences: 0,
      lines: 3,
    });
  });

  it('strips a UTF-8 BOM, detected or declared', async () => {
    const bytes = Buffer.concat([BOM_UTF8, Buffer.from(MIXED)]);
    const file = fixture(bytes);
    const detected = await readAll(file);
    expect(detected.text).toBe(MIXED);
    expect(detected.report).toMatchObject({ encoding: 'utf-8', detected: true, bytesRead: bytes.length, bytesTotal: bytes.length });
    const declared = await readAll(file, { encoding: 'utf-8' });
    expect(declared.text).toBe(MIXED);
    expect(declared.report).toMatchObject({ encoding: 'utf-8', detected: false });
  });

  for (const order of ['le', 'be'] as const) {
    it(`reads UTF-16${order.toUpperCase()} with a BOM (NUL bytes are not binary there)`, async () => {
      const bytes = utf16(MIXED, order);
      const file = fixture(bytes);
      const encoding: Encoding = `utf-16${order}`;
      const detected = await readAll(file);
      expect(detected.text).toBe(MIXED);
      expect(detected.report).toMatchObject({ encoding, detected: true, bytesRead: bytes.length, replacedSequences: 0, lines: 3 });
      expect(detected.report.skipped).toBeUndefined();
      const declared = await readAll(file, { encoding });
      expect(declared.text).toBe(MIXED);
      expect(declared.report).toMatchObject({ encoding, detected: false });
    });
  }

  it('reads GB18030 (including four-byte sequences), declared and detected', async () => {
    const text = SIMPLIFIED + '表情 😀 与欧元符号 €\n';
    const bytes = iconv.encode(text, 'gb18030');
    expect(bytes.includes(Buffer.from(text))).toBe(false); // really not UTF-8
    const file = fixture(bytes);
    for (const options of [{ encoding: 'gb18030' as const }, {}]) {
      const { text: read, report } = await readAll(file, options);
      expect(read).toBe(text);
      expect(report).toMatchObject({ encoding: 'gb18030', detected: options.encoding === undefined, replacedSequences: 0, lines: 4 });
    }
  });

  it('reads Big5, declared and detected', async () => {
    const bytes = iconv.encode(TRADITIONAL, 'big5');
    const file = fixture(bytes);
    for (const options of [{ encoding: 'big5' as const }, {}]) {
      const { text, report } = await readAll(file, options);
      expect(text).toBe(TRADITIONAL);
      expect(report).toMatchObject({ encoding: 'big5', detected: options.encoding === undefined, replacedSequences: 0, lines: 3 });
    }
  });

  it('tells GB18030 from Big5 on short, mostly-ASCII samples', async () => {
    const gb = fixture(iconv.encode('name,phone\n陈大文,13912345678\n', 'gb18030'));
    const big5 = fixture(iconv.encode('name,phone\n陳大文,91234567\n', 'big5'));
    expect((await readAll(gb)).report.encoding).toBe('gb18030');
    expect((await readAll(big5)).report.encoding).toBe('big5');
  });

  it('decodes multi-byte characters split across reads from disk', async () => {
    const text = '中文😀\n' + SIMPLIFIED + '𠀀€ end';
    const cases: Array<[Encoding, Uint8Array]> = [
      ['utf-8', Buffer.from(text)],
      ['utf-8', Buffer.concat([BOM_UTF8, Buffer.from(text)])],
      ['utf-16le', utf16(text, 'le')],
      ['utf-16be', utf16(text, 'be')],
      ['gb18030', iconv.encode(text, 'gb18030')],
      ['big5', iconv.encode(TRADITIONAL, 'big5')],
    ];
    for (const [encoding, bytes] of cases) {
      const file = fixture(bytes);
      const expected = encoding === 'big5' ? TRADITIONAL : text;
      for (const highWaterMark of [1, 2, 3, 5]) {
        for (const options of [{ encoding }, {}]) {
          const { text: read, report } = await readAll(file, { ...options, highWaterMark });
          expect({ encoding, highWaterMark, read }).toEqual({ encoding, highWaterMark, read: expected });
          expect(report).toMatchObject({ encoding, replacedSequences: 0, bytesRead: bytes.length, truncated: false });
        }
      }
    }
  });
});

describe('readTextChunks: chunks and line numbers', () => {
  // Many short lines, some long ones with surrogate pairs, and a final partial line.
  const lines: string[] = [];
  for (let i = 1; i <= 400; i++) {
    if (i % 37 === 0) lines.push(`long ${i} ` + '😀ab陈'.repeat(40 + i));
    else lines.push(`line ${i}: 电话 ${i}`);
  }
  const text = lines.join('\n') + '\r\nend';

  it('keeps the chunk contract: lines, whole-line chunks, overlaps, no split surrogates', async () => {
    const file = fixture(text);
    const maxChunkChars = 256;
    const { chunks, text: read, report } = await readAll(file, { maxChunkChars, highWaterMark: 97 });
    expect(read).toBe(text);
    expect(report.lines).toBe(401);
    let offset = 0; // offset in `text` of the first fresh character of the chunk
    let previous: TextChunk | undefined;
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(maxChunkChars);
      const start = offset - chunk.overlap; // offset of chunk.text[0]
      expect(chunk.text).toBe(text.slice(start, start + chunk.text.length));
      // The line rule: 1 + the number of '\n' before the chunk's first character.
      expect(chunk.line).toBe(1 + (text.slice(0, start).match(/\n/g)?.length ?? 0));
      expect(chunk.newlines).toEqual(newlinesIn(chunk.text));
      if (chunk.continued) {
        expect(chunk.overlap).toBeGreaterThan(0);
        expect(chunk.overlap).toBeLessThanOrEqual(CHUNK_OVERLAP);
        expect(previous?.text.endsWith(chunk.text.slice(0, chunk.overlap))).toBe(true);
        expect(chunk.text.slice(0, chunk.overlap)).not.toContain('\n');
      } else {
        expect(chunk.overlap).toBe(0);
        expect(start === 0 || text[start - 1] === '\n').toBe(true);
      }
      // No chunk starts or ends inside a surrogate pair.
      expect(/^[\uDC00-\uDFFF]/.test(chunk.text)).toBe(false);
      expect(/[\uD800-\uDBFF]$/.test(chunk.text)).toBe(false);
      offset += chunk.text.length - chunk.overlap;
      previous = chunk;
    }
    expect(offset).toBe(text.length);
    expect(chunks.some((c) => c.continued)).toBe(true);
    // Short lines are batched: far fewer chunks than lines.
    expect(chunks.length).toBeLessThan(lines.length / 2);
  });

  it("places findings on the same lines with the chunks' newline positions as by counting in the text", async () => {
    // a finding on many lines, some lines longer than a chunk (split with an overlap)
    const lines = Array.from({ length: 300 }, (_, i) =>
      i % 7 === 3 ? `long ${'x'.repeat(300)} 手機 9123 4567 ${'y'.repeat(200)}` : i % 2 === 0 ? `${i} chan${i}@acme.hk 病假` : `line ${i}`,
    );
    const chunks = (await readAll(fixture(lines.join('\n')), { maxChunkChars: 256 })).chunks;
    const place = async (withNewlines: boolean) => {
      const seen: string[] = [];
      async function* records(): AsyncGenerator<SourceRecord> {
        for (const c of chunks) {
          yield { group: 'g', sender: '', text: c.text, at: { file: 'f', line: c.line }, ...(withNewlines ? { newlines: c.newlines } : {}), ...(c.repeatedFrom !== undefined ? { repeatedFrom: c.repeatedFrom } : {}) };
        }
      }
      await detectRecords(records(), (_r, d, line) => seen.push(`${line}:${d.type}:${d.raw}`));
      return seen;
    };
    const counted = await place(false);
    expect(counted.length).toBe(129 * 2 + 43);
    expect(counted).toContain('4:hk_phone:9123 4567');
    expect(await place(true)).toEqual(counted);
  });

  it('rejects a chunk size too small for the overlap', async () => {
    const file = fixture('x');
    await expect(readAll(file, { maxChunkChars: 64 })).rejects.toThrow(RangeError);
  });
});

describe('readTextChunks: bad input', () => {
  it('replaces and counts invalid UTF-8, declared or detected, without counting a real U+FFFD', async () => {
    const good = Buffer.from('這是一段正常的中文內容，用來確認偵測結果仍然是 UTF-8。\n'.repeat(5));
    const bytes = Buffer.concat([
      good,
      Buffer.from('bad: '),
      Buffer.of(0xff), // never valid in UTF-8
      Buffer.from(' cut: '),
      Buffer.of(0xe4, 0xb8), // first two bytes of a three-byte character
      Buffer.from('\nreal replacement character: \uFFFD\n'),
      Buffer.of(0xc3), // truncated at the end of the file
    ]);
    const file = fixture(bytes);
    for (const options of [{ encoding: 'utf-8' as const }, {}]) {
      const { text, report } = await readAll(file, options);
      expect(report).toMatchObject({ encoding: 'utf-8', replacedSequences: 3, bytesRead: bytes.length, truncated: false });
      expect(text).toBe(`${good.toString()}bad: \uFFFD cut: \uFFFD\nreal replacement character: \uFFFD\n\uFFFD`);
    }
  });

  it('counts replacements exactly however the reads and long lines cut the bytes (real U+FFFD, bad and cut sequences at every seam)', async () => {
    // Pieces of valid text, real U+FFFD, and bad or cut sequences, in lines short and
    // longer than a chunk (a long line is read in pieces, cut wherever the bytes fall).
    // Odd rounds are valid UTF-8 throughout (real U+FFFD only); lines run to 600 bytes.
    const valid = [Buffer.from('ok '), Buffer.from('中文'), Buffer.from('\uFFFD')];
    const all = [...valid, Buffer.of(0xff), Buffer.of(0xe4, 0xb8)];
    const r = mulberry32(11);
    for (let round = 0; round < 12; round++) {
      const pieces = round % 2 ? valid : all;
      const parts: Buffer[] = [];
      for (let i = 0; i < 800; i++) parts.push(r() < 0.01 ? Buffer.from('\n') : pieces[Math.floor(r() * pieces.length)]!);
      // and a cut sequence that a long line's first piece (256 bytes) ends with, before valid text
      if (round === 0) parts.unshift(Buffer.from('a'.repeat(254)), Buffer.of(0xe4, 0xb8), Buffer.from('b'.repeat(300)));
      const bytes = Buffer.concat([Buffer.from('start\n'), ...parts]);
      const whole = new TextDecoder().decode(bytes);
      const expected = (whole.match(/\uFFFD/g) ?? []).length - (bytes.toString('latin1').split('\xef\xbf\xbd').length - 1);
      const file = fixture(bytes);
      for (const highWaterMark of [5, 64, 300]) {
        const { text, report } = await readAll(file, { encoding: 'utf-8', maxChunkChars: 256, highWaterMark });
        expect({ round, highWaterMark, text, replaced: report.replacedSequences }).toEqual({ round, highWaterMark, text: whole, replaced: expected });
      }
    }
  });

  it('skips a binary file (PNG header and NUL bytes) with the reason', async () => {
    const png = Buffer.concat([
      Buffer.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52),
      Buffer.alloc(4096),
    ]);
    const file = fixture(png, 'image.png');
    const { chunks, report } = await readAll(file);
    expect(chunks).toEqual([]);
    expect(report.skipped).toEqual({ reason: 'binary: NUL bytes in the first 8 KiB' });
    expect(report).toMatchObject({ bytesTotal: png.length, lines: 0, truncated: false });
  });

  it('skips a file made mostly of control characters', async () => {
    const bytes = Buffer.alloc(2000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = i % 3 === 0 ? 0x41 : 1 + (i % 8);
    const { chunks, report } = await readAll(fixture(bytes));
    expect(chunks).toEqual([]);
    expect(report.skipped?.reason).toMatch(/^binary: \d+% control characters in the first 8 KiB$/);
  });

  it('reads an empty file as no text', async () => {
    const { chunks, report } = await readAll(fixture(''));
    expect(chunks).toEqual([]);
    expect(report).toEqual({
      encoding: 'utf-8',
      detected: true,
      bytesRead: 0,
      bytesTotal: 0,
      truncated: false,
      replacedSequences: 0,
      lines: 0,
    });
  });

  it('stops at the byte budget, deterministically, dropping a character cut by it', async () => {
    const text = Array.from({ length: 10 }, (_, i) => `第${i}行 line ${i}`).join('\n') + '\n';
    const bytes = Buffer.from(text);
    const file = fixture(bytes);
    // Cut inside the three-byte '行' of the third line.
    const budgetBytes = bytes.indexOf(Buffer.from('行'), bytes.indexOf(Buffer.from('第2'))) + 1;
    const first = await readAll(file, { budgetBytes, highWaterMark: 7 });
    const second = await readAll(file, { budgetBytes });
    // and the token the budget cut short (`2` of `第2行`): not scanned, as it may be part of an identifier
    expect(first.text).toBe(text.slice(0, text.indexOf('第2') + 1));
    expect(second.text).toBe(first.text);
    expect(first.report).toEqual({
      encoding: 'utf-8',
      detected: true,
      bytesRead: budgetBytes,
      bytesTotal: bytes.length,
      truncated: true,
      replacedSequences: 0,
      lines: 3,
    });
    const all = await readAll(file, { budgetBytes: bytes.length * 2 });
    expect(all.report).toMatchObject({ bytesRead: bytes.length, truncated: false, lines: 10 });
  });

  it('reports a partial read when the caller stops early', async () => {
    const text = 'x'.repeat(300) + '\n' + 'y'.repeat(300) + '\n';
    let report: ReadReport | undefined;
    for await (const chunk of readTextChunks(fixture(text), { maxChunkChars: 256, highWaterMark: 64, report: (r) => (report = r) })) {
      expect(chunk.line).toBe(1);
      break;
    }
    expect(report).toMatchObject({ truncated: true, bytesTotal: text.length });
    expect(report?.bytesRead).toBeLessThan(text.length);
  });

  it('throws for a missing file, naming the path and the reason', async () => {
    const missing = path.join(dir, 'no-such-dir', 'missing.txt');
    const err: unknown = await readAll(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReadError);
    expect(err).toMatchObject({ code: 'ENOENT', path: missing, message: `cannot read ${missing}: no such file` });
  });

  it('throws for a directory given as a file', async () => {
    const sub = path.join(dir, 'a-directory.txt');
    mkdirSync(sub);
    const err: unknown = await readAll(sub).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'EISDIR', message: `cannot read ${sub}: is a directory` });
  });

  it('throws "permission denied" for an unreadable file (as root: checked in a child run as nobody)', async () => {
    const file = fixture('secret 機密\n', 'no-permission.txt');
    chmodSync(file, 0o000);
    if (process.getuid?.() !== 0) {
      const err: unknown = await readAll(file).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'EACCES', message: `cannot read ${file}: permission denied` });
      return;
    }
    // Root reads anything, so drop to nobody (65534) in a child process.
    chmodSync(dir, 0o755);
    const reader = new URL('../lib/adapters/sources/text-reader.ts', import.meta.url).pathname;
    const script = `
      import { readTextChunks } from ${JSON.stringify(reader)};
      try { for await (const c of readTextChunks(${JSON.stringify(file)})) {} console.log(JSON.stringify({ read: true })); }
      catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      uid: 65534,
      gid: 65534,
    });
    expect(JSON.parse(stdout)).toEqual({ code: 'EACCES', message: `cannot read ${file}: permission denied` });
  });
});

describe('readTextChunks: a 50 MB single line', () => {
  // 1 MiB of UTF-8 (ASCII, CJK and emoji), written 50 times without a newline.
  const unit = 'HKID A123456(3) 陈大文 電話 9123 4567 😀 ';
  let piece = unit.repeat(Math.floor((1 << 20) / Buffer.byteLength(unit)));
  piece += 'x'.repeat((1 << 20) - Buffer.byteLength(piece));
  const pieces = 50;
  const file = path.join(dir, 'single-line.log');

  function writeFixture(): { chars: number; sha256: string } {
    const hash = createHash('sha256');
    writeFileSync(file, '');
    for (let i = 0; i < pieces; i++) {
      appendFileSync(file, piece);
      hash.update(piece);
    }
    return { chars: piece.length * pieces, sha256: hash.digest('hex') };
  }

  let expected: { chars: number; sha256: string };
  beforeAll(() => {
    expected = writeFixture();
  });

  it('is read in chunks of at most 1 MiB characters that join up to the original', async () => {
    expect(statSync(file).size).toBe(50 * (1 << 20));
    const hash = createHash('sha256');
    let chars = 0;
    let count = 0;
    let maxLength = 0;
    let previousTail = '';
    let report: ReadReport | undefined;
    for await (const chunk of readTextChunks(file, { report: (r) => (report = r) })) {
      expect(chunk.line).toBe(1);
      expect(chunk.continued).toBe(count > 0);
      if (count > 0) {
        // 64, or 63 when 64 would start inside a surrogate pair.
        expect([CHUNK_OVERLAP - 1, CHUNK_OVERLAP]).toContain(chunk.overlap);
        expect(previousTail.endsWith(chunk.text.slice(0, chunk.overlap))).toBe(true);
      }
      const fresh = chunk.text.slice(chunk.overlap);
      hash.update(fresh);
      chars += fresh.length;
      maxLength = Math.max(maxLength, chunk.text.length);
      previousTail = chunk.text.slice(-CHUNK_OVERLAP);
      count++;
    }
    expect(maxLength).toBeLessThanOrEqual(1 << 20);
    expect(count).toBeGreaterThanOrEqual(Math.ceil(expected.chars / (1 << 20)));
    expect(chars).toBe(expected.chars);
    expect(hash.digest('hex')).toBe(expected.sha256);
    expect(report).toMatchObject({ bytesRead: 50 * (1 << 20), truncated: false, replacedSequences: 0, lines: 1 });
  });

  // Bounded memory: the text held at any time is about one chunk, so a 48 MB heap
  // is enough (the decoded line alone would need about 75 MB: 39 million UTF-16
  // code units, most of them in two-byte strings). Checked in a child process
  // because heap figures inside this one depend on when the GC runs.
  it('fits in a 48 MB heap (a child process with --max-old-space-size=48)', async () => {
    const reader = new URL('../lib/adapters/sources/text-reader.ts', import.meta.url).pathname;
    const script = `
      import { readTextChunks } from ${JSON.stringify(reader)};
      let chars = 0, chunks = 0;
      for await (const c of readTextChunks(${JSON.stringify(file)})) { chars += c.text.length - c.overlap; chunks++; }
      console.log(JSON.stringify({ chars, chunks }));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--max-old-space-size=48', '--input-type=module', '-e', script]);
    expect(JSON.parse(stdout)).toMatchObject({ chars: expected.chars });
  });
});

describe('readCsvRecords', () => {
  it('reads English and Chinese headers, with row and line numbers', async () => {
    const csv = [
      '姓名,電話,email,部門',
      '陳大文,9123 4567,tai.man@example.hk,財務部',
      '',
      'Alice Wong,"+852 2123 4567",alice@example.com,"HR, Payroll"',
      '"李小龍","6123 8888","lee@example.hk","多行',
      '備註"',
      '王五,5123 0000,wang@example.cn,銷售部',
    ].join('\r\n');
    const { records, report } = await readCsv(fixture(csv, 'staff.csv'));
    expect(records).toEqual([
      { row: 1, line: 2, cells: { 姓名: '陳大文', 電話: '9123 4567', email: 'tai.man@example.hk', 部門: '財務部' } },
      { row: 2, line: 4, cells: { 姓名: 'Alice Wong', 電話: '+852 2123 4567', email: 'alice@example.com', 部門: 'HR, Payroll' } },
      { row: 3, line: 5, cells: { 姓名: '李小龍', 電話: '6123 8888', email: 'lee@example.hk', 部門: '多行\n備註' } },
      { row: 4, line: 7, cells: { 姓名: '王五', 電話: '5123 0000', email: 'wang@example.cn', 部門: '銷售部' } },
    ]);
    expect(report).toMatchObject({ delimiter: ',', header: ['姓名', '電話', 'email', '部門'], headerLine: 1, rows: 4, problems: [] });
  });

  it('reads a Big5 CSV (detected) and a UTF-8 CSV with a BOM', async () => {
    const csv = '員工,聯絡電話\n陳大文,9123 4567\n';
    for (const bytes of [iconv.encode(csv, 'big5'), Buffer.concat([BOM_UTF8, Buffer.from(csv)])]) {
      const { records, report } = await readCsv(fixture(bytes, `enc${++fileCount}.csv`));
      expect(records).toEqual([{ row: 1, line: 2, cells: { 員工: '陳大文', 聯絡電話: '9123 4567' } }]);
      expect(report.header).toEqual(['員工', '聯絡電話']);
    }
  });

  it('reports an unbalanced quote on line 3 of 6 and still reads the rows after it', async () => {
    const csv = [
      'name,email', //               1
      'Alice,alice@example.com', //  2
      '"Bob,bob@example.com', //     3: the quote is never closed
      'Carol,carol@example.com', //  4
      'Dave,dave@example.com', //    5
      'Eve,eve@example.com', //      6
      '',
    ].join('\n');
    const seen: unknown[] = [];
    const { records, report } = await readCsv(fixture(csv, 'bad-quote.csv'), { onProblem: (p) => seen.push(p) });
    expect(records.map((r) => [r.row, r.line, r.cells.name])).toEqual([
      [1, 2, 'Alice'],
      [2, 4, 'Carol'],
      [3, 5, 'Dave'],
      [4, 6, 'Eve'],
    ]);
    expect(report.problems).toEqual([{ line: 3, code: 'CSV_QUOTE_NOT_CLOSED', message: expect.stringContaining('unbalanced quote') }]);
    expect(seen).toEqual(report.problems);
  });

  it('bounds a record left open by a quote and resumes after its first line', async () => {
    const lines = ['id,note', '1,ok', '2,"never closed'];
    for (let i = 3; i <= 102; i++) lines.push(`${i},row ${i}`);
    const { records, report } = await readCsv(fixture(lines.join('\n') + '\n', 'long-open-quote.csv'), { maxRecordBytes: 200 });
    expect(report.problems).toEqual([{ line: 3, code: 'CSV_MAX_RECORD_SIZE', message: expect.stringContaining('200') }]);
    expect(records.map((r) => r.cells.id)).toEqual(['1', ...Array.from({ length: 100 }, (_, i) => String(i + 3))]);
    expect(records.at(-1)).toMatchObject({ row: 101, line: 103 });
  });

  it('reads cells longer than a chunk, and skips a record longer than maxRecordBytes', async () => {
    const long = '長'.repeat(300) + 'x'.repeat(300);
    const huge = 'y'.repeat(5000);
    const csv = `a,b\n1,${long}\n2,${huge}\n3,"${long}"\n`;
    const { records, report } = await readCsv(fixture(csv, 'long-cells.csv'), { maxChunkChars: 256, maxRecordBytes: 2000, highWaterMark: 100 });
    expect(records).toEqual([
      { row: 1, line: 2, cells: { a: '1', b: long } },
      { row: 2, line: 4, cells: { a: '3', b: long } },
    ]);
    expect(report.problems).toEqual([{ line: 3, code: 'CSV_MAX_RECORD_SIZE', message: expect.any(String) }]);
  });

  it('keeps stray quotes inside unquoted cells', async () => {
    const { records, report } = await readCsv(fixture('item,size\nmonitor,27" screen\n"quoted" tail,x\n', 'quotes.csv'));
    expect(records.map((r) => r.cells)).toEqual([
      { item: 'monitor', size: '27" screen' },
      { item: '"quoted" tail', size: 'x' },
    ]);
    expect(report.problems).toEqual([]);
  });

  it('reads TSV by extension, by option or sniffed', async () => {
    const tsv = '姓名\tphone\temail\n陳大文\t9123 4567\ttai.man@example.hk\n';
    const expected = [{ row: 1, line: 2, cells: { 姓名: '陳大文', phone: '9123 4567', email: 'tai.man@example.hk' } }];
    const byExtension = await readCsv(fixture(tsv, 'export.tsv'));
    expect(byExtension.records).toEqual(expected);
    expect(byExtension.report.delimiter).toBe('\t');
    const byOption = await readCsv(fixture(tsv, 'export.txt'), { delimiter: '\t' });
    expect(byOption.records).toEqual(expected);
    // without either, the tabs are sniffed (table-layout.ts), as a tab-delimited export saved as .csv has them
    const sniffed = await readCsv(fixture(tsv, 'export2.txt'));
    expect(sniffed.records).toEqual(expected);
    expect(sniffed.report.delimiter).toBe('\t');
    // a given delimiter wins over the sniff
    const asCommas = await readCsv(fixture(tsv, 'export3.txt'), { delimiter: ',' });
    expect(asCommas.report.header).toEqual(['姓名\tphone\temail']);
  });

  it('makes empty and duplicate header names unique, and names extra cells', async () => {
    const { records, report } = await readCsv(fixture('name,,email,email, \na,b,c,d,e,f\n', 'headers.csv'));
    expect(report.header).toEqual(['name', 'column_2', 'email', 'email_2', 'column_5']);
    expect(records[0]?.cells).toEqual({ name: 'a', column_2: 'b', email: 'c', email_2: 'd', column_5: 'e', column_6: 'f' });
  });

  it('reports a file without a header', async () => {
    const { records, report } = await readCsv(fixture('\n\n', 'empty.csv'));
    expect(records).toEqual([]);
    expect(report.problems).toEqual([{ line: 1, code: 'CSV_NO_HEADER', message: expect.any(String) }]);
  });

  it('stops at the byte budget; the record it cut is read as far as the cut (not the token cut short)', async () => {
    const csv = 'a,b\n1,"x\ny"\n2,z\n3,"long\nquoted"\n';
    const budgetBytes = csv.indexOf('long') + 2;
    const { records, report } = await readCsv(fixture(csv, 'budget.csv'), { budgetBytes, highWaterMark: 3 });
    expect(records.map((r) => [r.row, r.line, r.cells.a, r.cells.b])).toEqual([
      [1, 2, '1', 'x\ny'],
      [2, 4, '2', 'z'],
      [3, 5, '3', ''],
    ]);
    expect(report).toMatchObject({ truncated: true, bytesRead: budgetBytes, problems: [] });
  });

  it('passes the binary verdict through', async () => {
    const { records, report } = await readCsv(fixture(Buffer.concat([Buffer.from('a,b\n'), Buffer.alloc(64)]), 'nul.csv'));
    expect(records).toEqual([]);
    expect(report.skipped).toEqual({ reason: 'binary: NUL bytes in the first 8 KiB' });
  });
});
