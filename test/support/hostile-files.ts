// Hostile inputs for the scanners, at a given size: the shapes that once cost
// quadratic time or unbounded memory (test/hostile-files.test.ts checks each against
// its limit; bench/hostile-shapes.ts times each at its limit and measures its memory).
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { constants, crc32, deflateRawSync } from 'node:zlib';

const MiB = 1 << 20;

// ---------------------------------------------------------------------------------
// Zip archives (.xlsx)

export interface ZipEntry {
  name: string;
  /** The entry's bytes as stored (deflated when `method` is 8). */
  stored: Buffer;
  method: 0 | 8;
  /** Uncompressed size and CRC-32 written in the headers (may lie). */
  size: number;
  crc: number;
}

/** An entry deflated from `data`, its headers telling the truth. */
export function deflatedEntry(name: string, data: Buffer | string): ZipEntry {
  const bytes = Buffer.from(data);
  return { name, stored: deflateRawSync(bytes), method: 8, size: bytes.length, crc: crc32(bytes) };
}

/**
 * A raw deflate stream that inflates to `bytes` zero bytes (rounded up to a MiB), made
 * without deflating them: one MiB of zeros deflated with a sync flush is a run of
 * non-final blocks that can be repeated, and a final empty block ends it.
 */
export function zeroBomb(bytes: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(MiB), { finishFlush: constants.Z_SYNC_FLUSH, level: 9 });
  const n = Math.ceil(bytes / MiB);
  return Buffer.concat([...Array.from({ length: n }, () => block), Buffer.from([0x03, 0x00])]);
}

/**
 * A local (30 bytes) or central (46 bytes) header: both hold, from `at` on, the version
 * needed, flags, method, time, date, CRC, sizes and the name's length, in that order.
 */
function header(signature: number, length: number, at: number, e: ZipEntry, nameLength: number): Buffer {
  const h = Buffer.alloc(length);
  h.writeUInt32LE(signature, 0);
  if (at > 4) h.writeUInt16LE(20, 4); // version made by
  h.writeUInt16LE(20, at);
  h.writeUInt16LE(0x0800, at + 2); // names in UTF-8
  h.writeUInt16LE(e.method, at + 4);
  h.writeUInt32LE(e.crc, at + 10);
  h.writeUInt32LE(e.stored.length, at + 14);
  h.writeUInt32LE(e.size, at + 18);
  h.writeUInt16LE(nameLength, at + 22);
  return h;
}

/** A zip archive of the entries, headers as the entries say. */
export function zipArchive(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = header(0x04034b50, 30, 4, e, name.length);
    const central = header(0x02014b50, 46, 6, e, name.length);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.stored);
    centrals.push(central, name);
    offset += local.length + name.length + e.stored.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** The parts of a one-sheet workbook around `sheet` (the sheet's XML entry). */
function workbook(sheet: ZipEntry): ZipEntry[] {
  return [
    deflatedEntry(
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    ),
    deflatedEntry('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    deflatedEntry(
      'xl/workbook.xml',
      '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    deflatedEntry(
      'xl/_rels/workbook.xml.rels',
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    ),
    sheet,
  ];
}

/**
 * An .xlsx whose sheet inflates to `inflatedBytes` (zeros) from a few KB per MiB: its
 * headers declare that size (`lie: false`), or only `declaredBytes` (`lie: true`).
 */
export function xlsxBomb(inflatedBytes: number, options: { lie?: boolean; declaredBytes?: number } = {}): Buffer {
  const stored = zeroBomb(inflatedBytes);
  const size = options.lie ? (options.declaredBytes ?? 4096) : Math.min(Math.ceil(inflatedBytes / MiB) * MiB, 0xfffffffe);
  return zipArchive(workbook({ name: 'xl/worksheets/sheet1.xml', stored, method: 8, size, crc: 0 }));
}

/** The sheet XML of xlsxRows(rows). */
function rowsXml(rows: number): string {
  const parts: string[] = ['<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'];
  const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
  parts.push(`<row r="1">${cell('A1', 'name')}${cell('B1', 'id')}${cell('C1', 'email')}${cell('D1', 'note')}${cell('E1', 'amount')}</row>`);
  for (let r = 2; r <= rows + 1; r++) {
    parts.push(`<row r="${r}">${cell(`A${r}`, `Chan Tai Man ${r}`)}${cell(`B${r}`, 'A123456(3)')}${cell(`C${r}`, `user${r}@example.com`)}${cell(`D${r}`, `note ${r} sick leave`)}${cell(`E${r}`, String(r * 3))}</row>`);
  }
  parts.push('</sheetData></worksheet>');
  return parts.join('');
}

/** Bytes of xlsxRows(rows)'s sheet XML. */
export function xlsxRowsXmlBytes(rows: number): number {
  return Buffer.byteLength(rowsXml(rows));
}

/** An .xlsx whose sheet has `rows` rows of five inline-string cells, an HKID in each row. */
export function xlsxRows(rows: number): Buffer {
  return zipArchive(workbook(deflatedEntry('xl/worksheets/sheet1.xml', rowsXml(rows))));
}

/** A small workbook with `entries` entries in all (the rest images it does not read). */
export function xlsxManyEntries(entries: number): Buffer {
  const parts = workbook(deflatedEntry('xl/worksheets/sheet1.xml', rowsXml(1)));
  const images = Array.from({ length: Math.max(0, entries - parts.length) }, (_, i) => deflatedEntry(`xl/media/image${i + 1}.png`, 'png'));
  return zipArchive([...parts, ...images]);
}

// ---------------------------------------------------------------------------------
// Text shapes

/** JSON nested `depth` levels deep (arrays, or objects), with an HKID at the bottom. */
export function deepJson(depth: number, kind: 'array' | 'object' = 'array'): string {
  return kind === 'array' ? `${'['.repeat(depth)}"A123456(3)"${']'.repeat(depth)}` : `${'{"k":'.repeat(depth)}"A123456(3)"${'}'.repeat(depth)}`;
}

/** JSON nested `depth` levels deep with a string at every level: pointers as deep as the document. */
export function deepJsonWithStrings(depth: number): string {
  return `${'{"note":"call 9123 4567","k":'.repeat(depth)}"A123456(3)"${'}'.repeat(depth)}`;
}

/** A JSON array of `n` objects spread over lines, a phone in every tenth. */
export function longJson(n: number): string {
  const items: string[] = [];
  for (let i = 0; i < n; i++) items.push(`{"id":${i},"name":"customer ${i}","note":"${i % 10 === 0 ? 'call 9123 4567' : 'nothing here'}","tags":["a","b"]}`);
  return `[\n${items.join(',\n')}\n]\n`;
}

/** A JSON document holding one string of `chars` characters, an HKID near its end. */
export function longStringJson(chars: number): string {
  const unit = 'lorem ipsum dolor sit amet, ';
  return `{"note":"${unit.repeat(Math.ceil(chars / unit.length)).slice(0, chars - 20)} A123456(3)"}`;
}

/** A CSV whose header and one data row have `columns` columns. */
export function wideCsv(columns: number): string {
  const header = Array.from({ length: columns }, (_, i) => `c${i}`).join(',');
  const row = Array.from({ length: columns }, (_, i) => (i === columns - 1 ? 'A123456(3)' : 'x')).join(',');
  return `${header}\n${row}\n`;
}

/** A CSV whose header repeats one name `columns` times (then one data row). */
export function repeatedHeaderCsv(columns: number): string {
  return `${Array.from({ length: columns }, () => 'email').join(',')}\n${Array.from({ length: columns }, () => 'x').join(',')}\n`;
}

/**
 * A CSV with one quoted cell of `chars` characters (on lines of their own, or all on
 * one line), closed or never closed, then a row with an HKID.
 */
export function longQuotedCellCsv(chars: number, options: { closed?: boolean; oneLine?: boolean } = {}): string {
  // ASCII, so that characters are bytes (a record's limit counts bytes).
  const line = options.oneLine ? 'lorem ipsum dolor sit amet sick leave ' : 'lorem ipsum dolor sit amet sick leave\n';
  const body = line.repeat(Math.ceil(chars / line.length)).slice(0, chars);
  return `note,id\n"${body}${options.closed === false ? '' : '"'},x\nok,A123456(3)\n`;
}

/**
 * A CSV of `rows` lines, each ending in a quoted cell left open (`tail 3" x,9123 4567,"head`):
 * the next line's quote ends it with text after it, and its last cell opens the next one,
 * so a record begun on any line runs on to the end. `end`: 'open' (so it does: never
 * closed), or 'closed' (a last line closes the cell, and a well-formed row follows: every
 * record is then ended, at a stray quote). Each record csv-parse began was read on to that
 * end, again for every line: 115 KB took 10 s.
 */
export function openQuoteLinesCsv(rows: number, end: 'open' | 'closed'): string {
  const lines = Array.from({ length: rows }, (_, i) => `tail ${i}" x,9123 4567,"head\n`);
  return `name,phone,note\n${lines.join('')}${end === 'closed' ? 'end",x\nok,9876 5432,fine\n' : ''}`;
}

/**
 * A chat table whose time cells are a date, `spaces` spaces and two more lines: the
 * shape that made the date/time pattern try every way to share the spaces between
 * separator and clock (quadratic: a 200 KB table took 26 s).
 */
export function slowDateChatTable(spaces: number, rows = 1): string {
  const lines = ['time,sender,content'];
  for (let i = 0; i < rows; i++) lines.push(`"2026-11-03${' '.repeat(spaces)}\nx\ny",Ada,call 9123 4567`);
  return `${lines.join('\n')}\n`;
}

/** A chat table of `groups` rows, each in a group of its own (a phone in each group's name, an HKID in each message). */
export function manyGroupsChatTable(groups: number): string {
  const lines = ['group,sender,content'];
  for (let i = 0; i < groups; i++) lines.push(`Chat with +852 9${String(1000000 + i).slice(-7)},Ada,HKID A123456(3)`);
  return `${lines.join('\n')}\n`;
}

/** A folder `dir` holding a text file and a FIFO (named pipe) that nobody writes to. */
export function folderWithFifo(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'a.txt'), 'call 9123 4567\n');
  execFileSync('mkfifo', [path.join(dir, 'b-pipe.txt')]);
}

/** Writes `text` to `file` in pieces (for shapes too large to hold twice). */
export function writeText(file: string, pieces: Iterable<string>): void {
  const fd = openSync(file, 'w');
  try {
    for (const piece of pieces) writeSync(fd, piece);
  } finally {
    closeSync(fd);
  }
}
