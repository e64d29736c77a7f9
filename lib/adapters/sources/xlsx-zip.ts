// An .xlsx workbook is a zip archive, and a zip can lie: a 2 MB file can declare (or,
// with headers that understate it, hide) gigabytes of XML, and read-excel-file's
// unzipper inflates whatever a local header announces, as far as the data goes. So the
// workbook is never handed to it as it is. Instead:
//
// 1. the central directory (at the end of the archive) is read first, and the archive
//    is refused before anything is inflated when it has more entries than
//    `maxEntries`, when the parts read-excel-file reads (its own filter: `.xml` and
//    `.xml.rels`) declare more than `maxUncompressedBytes` in all, or when one of them
//    declares more than `maxRatio` times its compressed size (once past
//    `ratioFromBytes`: small parts compress as they like). Zip64, encrypted and
//    multi-disk archives are refused; Excel writes none of them for sheets this size.
// 2. each of those parts is inflated by zlib with its output capped at the size it
//    declares (`maxOutputLength`): a part that inflates to more stops there and fails
//    the file, one that inflates to less or fails its CRC fails it too, so no header
//    can make inflation run past what was checked in step 1;
// 3. the parts are packed again, stored (no compression), with exactly those sizes,
//    into the stream that read-excel-file reads, one part at a time as it reads; a
//    worksheet whose cells lack their optional references is given them first
//    (xlsx-cell-refs.ts), and packed with its new size and checksum.
// Memory: one part's compressed and inflated bytes at a time (beside what
// read-excel-file keeps). Time: reading the central directory, then inflating within
// the limit.
import { inflateRawSync, crc32 } from 'node:zlib';
import { Readable } from 'node:stream';
import { ReadError } from './read-error.ts';
import { withCellRefs } from './xlsx-cell-refs.ts';

export interface XlsxZipLimits {
  /** Entries in the archive's central directory. */
  maxEntries: number;
  /** Declared uncompressed bytes of the parts read, in all. */
  maxUncompressedBytes: number;
  /** Declared uncompressed size over compressed size, per part read... */
  maxRatio: number;
  /** ...for parts declaring more than this many bytes. */
  ratioFromBytes: number;
}

export const DEFAULT_XLSX_ZIP_LIMITS: XlsxZipLimits = {
  maxEntries: 1000,
  maxUncompressedBytes: 12 * 1024 * 1024,
  maxRatio: 100,
  ratioFromBytes: 100 * 1024,
};

interface Part {
  name: Buffer;
  method: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

const SHEET_DATA = Buffer.from('sheetData');
const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The parts of the workbook read-excel-file reads (the filter it applies itself). */
const isPartRead = (name: string) => name.endsWith('.xml') || name.endsWith('.xml.rels');

/** What the archive is read from: a file's handle, or bytes in memory (an S3 object's: bytesAt). */
export interface RandomAccess {
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
}

/** Bytes in memory, read as a file's handle reads its file. */
export function bytesAt(bytes: Uint8Array): RandomAccess {
  return {
    read: async (buffer, offset, length, position) => {
      const from = Math.min(position, bytes.length);
      const taken = bytes.subarray(from, Math.min(from + length, bytes.length));
      buffer.set(taken, offset);
      return { bytesRead: taken.length };
    },
  };
}

async function readAt(handle: RandomAccess, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await handle.read(buffer, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buffer.subarray(0, got);
}

const badXlsx = (file: string, why: string) => new ReadError(file, 'EBADXLSX', `not a readable .xlsx workbook (${why})`);
const overLimit = (file: string, why: string) => new ReadError(file, 'EXLSXLIMIT', `${why} (see "Limits" in the README); export the sheet as CSV instead`);

/**
 * The workbook's parts, checked against the limits before anything is inflated, then
 * inflated within them, as a zip of stored entries for read-excel-file to read. The
 * caller keeps `handle` open until the stream is read.
 */
export async function repackXlsx(file: string, handle: RandomAccess, size: number, limits: XlsxZipLimits = DEFAULT_XLSX_ZIP_LIMITS): Promise<Readable> {
  const parts = await checkedParts(file, handle, size, limits);
  return Readable.from(storedParts(file, handle, size, parts));
}

/** Step 1: the central directory, and the parts read-excel-file reads, within the limits. */
async function checkedParts(file: string, handle: RandomAccess, size: number, limits: XlsxZipLimits): Promise<Part[]> {
  const bad = (why: string) => badXlsx(file, why);
  const over = (why: string) => overLimit(file, why);

  // The end of central directory record: within the last 22 + 65535 (comment) bytes.
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = await readAt(handle, size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw bad('no zip central directory');
  const disk = tail.readUInt16LE(eocd + 4);
  const entries = tail.readUInt16LE(eocd + 10);
  const cdSize = tail.readUInt32LE(eocd + 12);
  const cdOffset = tail.readUInt32LE(eocd + 16);
  if (entries === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw bad('a Zip64 archive');
  if (disk !== 0 || tail.readUInt16LE(eocd + 8) !== entries) throw bad('a multi-disk archive');
  if (entries > limits.maxEntries) throw over(`the archive has ${entries} entries, more than the limit of ${limits.maxEntries}; refused before inflating`);
  if (cdOffset + cdSize > size) throw bad('the central directory lies outside the file');

  const cd = await readAt(handle, cdOffset, cdSize);
  const parts: Part[] = [];
  const seen = new Set<string>();
  let total = 0;
  let at = 0;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > cd.length || cd.readUInt32LE(at) !== CENTRAL) throw bad('a damaged central directory');
    const flags = cd.readUInt16LE(at + 8);
    const method = cd.readUInt16LE(at + 10);
    const crc = cd.readUInt32LE(at + 16);
    const compressedSize = cd.readUInt32LE(at + 20);
    const uncompressedSize = cd.readUInt32LE(at + 24);
    const nameLength = cd.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + cd.readUInt16LE(at + 30) + cd.readUInt16LE(at + 32);
    const localOffset = cd.readUInt32LE(at + 42);
    if (next > cd.length) throw bad('a damaged central directory');
    const nameBytes = cd.subarray(at + 46, at + 46 + nameLength);
    at = next;
    const name = nameBytes.toString('utf8');
    if (!isPartRead(name)) continue;
    if (seen.has(name)) throw bad('a part named twice');
    seen.add(name);
    if (flags & 0x1) throw bad('an encrypted part');
    if (method !== 0 && method !== 8) throw bad(`a part compressed with method ${method}`);
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff || localOffset === 0xffffffff) throw bad('a Zip64 archive');
    if (method === 0 && compressedSize !== uncompressedSize) throw bad('a stored part whose sizes differ');
    // Deflate never grows data by more than a few bytes per 16 KiB block.
    if (compressedSize > uncompressedSize + (uncompressedSize >> 8) + 1024) throw bad('a part larger compressed than inflated');
    if (uncompressedSize > limits.ratioFromBytes && uncompressedSize > limits.maxRatio * compressedSize) {
      throw over(`a part declares ${uncompressedSize} bytes from ${compressedSize} compressed, more than ${limits.maxRatio} times its size; refused before inflating`);
    }
    total += uncompressedSize;
    if (total > limits.maxUncompressedBytes) {
      throw over(`its XML parts declare more than the limit of ${limits.maxUncompressedBytes} bytes uncompressed; refused before inflating`);
    }
    parts.push({ name: nameBytes, method, crc, compressedSize, uncompressedSize, localOffset });
  }
  return parts;
}

/** Steps 2 and 3: each part inflated within its declared size, and packed again, stored. */
async function* storedParts(file: string, handle: RandomAccess, size: number, parts: Part[]): AsyncGenerator<Buffer> {
  const bad = (why: string) => badXlsx(file, why);
  for (const part of parts) {
    const local = await readAt(handle, part.localOffset, 30);
    if (local.length < 30 || local.readUInt32LE(0) !== LOCAL) throw bad('a part without its local header');
    const dataStart = part.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    if (dataStart + part.compressedSize > size) throw bad('a part runs past the end of the file');
    const compressed = await readAt(handle, dataStart, part.compressedSize);
    let data: Buffer;
    if (part.method === 0) data = compressed;
    else {
      try {
        data = inflateRawSync(compressed, { maxOutputLength: Math.max(1, part.uncompressedSize) });
      } catch (err) {
        if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw overLimit(file, `a part inflates to more than the ${part.uncompressedSize} bytes it declares; inflating stopped there`);
        throw bad('a part that does not inflate');
      }
    }
    if (data.length !== part.uncompressedSize) throw bad('a part whose size is not what it declares');
    if (crc32(data) !== part.crc) throw bad('a part that fails its checksum');
    let crc = part.crc;
    // A worksheet (the only part with sheetData) whose cells lack references gets them.
    if (data.includes(SHEET_DATA)) {
      const refs = withCellRefs(data.toString('utf8'));
      if (refs !== undefined) {
        data = Buffer.from(refs, 'utf8');
        crc = crc32(data);
      }
    }
    const header = Buffer.alloc(30);
    header.writeUInt32LE(LOCAL, 0);
    header.writeUInt16LE(20, 4); // version needed
    header.writeUInt16LE(0x0800, 6); // names in UTF-8
    header.writeUInt32LE(crc, 14);
    header.writeUInt32LE(data.length, 18);
    header.writeUInt32LE(data.length, 22);
    header.writeUInt16LE(part.name.length, 26);
    yield Buffer.concat([header, part.name]);
    yield data;
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  yield end;
}
