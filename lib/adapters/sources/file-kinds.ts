// How a file is read, by its name and, where the name can be wrong, its first bytes: the
// one place that says it, for local files (local-files.ts), the parts a large file is cut
// into (file-parts.ts) and S3 objects (s3-source.ts).
//
// - `.json`: a document, string by string; `.xlsx` (`.xlsm`, `.xltx`): a workbook; `.csv`, `.tsv`, `.tab`:
//   a table, row by row; `.eml`: an e-mail, part by part, decoded (mail-reader.ts), a
//   local file and an S3 object alike.
// - Formats that are never text (PDF, Word, older Excel, images, archives, audio and
//   video, executables, databases, Outlook's .msg and .pst) are not read: the result
//   says the format is not supported.
// - Everything else is read as text, in chunks of lines, whatever its name: a contact
//   export (.vcf), a calendar (.ics), a web page, a SQL dump, a configuration file or a
//   log with no extension holds the same identifiers as a .txt; a contact card or
//   calendar (a text that starts with BEGIN:VCARD or BEGIN:VCALENDAR) has its folded lines
//   unfolded first (folded-lines.ts). So are `.xls` and `.doc`: a web portal's "Export to Excel" writes an HTML table or tab-separated text under that
//   name (and Word a web page); a real binary workbook or document is skipped as binary.
//   Content that is binary all the same is skipped by the text reader, with why
//   (lib/domain/text/text-format.ts).
// - A local file read by its name as text, a table or JSON that its reader skips as
//   binary, and whose bytes are a ZIP archive (startsAsZip), may be an .xlsx workbook
//   renamed (an export saved as `.csv`, a download named `.xls`, or with no extension):
//   it is read as a workbook when its directory names the part the workbook reader needs
//   (zipContent), skipped as the archive it is when it names none, and left skipped as
//   binary when it has none (local-files.ts contentRecords); an S3 object or a mail's
//   attachment is told the same way (s3-source.ts, mail-reader.ts). A `.txt` or `.xls`
//   whose start is tab-separated columns is read as a table (textIsTable).
import path from 'node:path';
import type { MarkupKind } from '../../domain/detect/text-tables.ts';
import { textFormat } from '../../domain/text/text-format.ts';
import { tabTable } from './table-layout.ts';

export type FileKind = 'json' | 'xlsx' | 'table' | 'mail' | 'text' | 'unsupported';

const TABLE = new Set(['.csv', '.tsv', '.tab']);
/** Excel's workbooks in its XML format: `.xlsx`, with macros `.xlsm`, a template `.xltx` (the same parts the reader reads). */
const WORKBOOK = new Set(['.xlsx', '.xlsm', '.xltx']);

/** Extensions of formats that are never text, skipped by name. */
const NOT_TEXT = new Set(
  [
    // documents and spreadsheets in binary or zipped formats
    'pdf docx docm dot dotx xlsb xlt ppt pptx pptm pps ppsx odt ods odp odg pages numbers key epub',
    // archives and disk images
    'zip gz tgz bz2 xz zst 7z rar tar jar war apk ipa iso dmg img cab',
    // images, audio and video
    'png jpg jpeg gif bmp tif tiff webp heic heif ico psd ai raw cr2 nef mp3 mp4 m4a m4v mov avi mkv wav flac aac ogg webm wmv',
    // executables, libraries, compiled code, databases, fonts
    'exe dll so dylib bin o a lib class pyc wasm db sqlite sqlite3 mdb accdb ttf otf woff woff2',
    // Outlook's message and mailbox files (OLE compound files)
    'msg pst ost',
  ]
    .join(' ')
    .split(' ')
    .map((e) => `.${e}`),
);

/**
 * Names of text that may hold Markdown or HTML tables, whose cells are read under their
 * columns' names (text-tables.ts): a Markdown document, a web page, and what portals and
 * Word save as web pages under other names (`.xls`, `.doc`).
 */
const MARKUP_TABLE_NAMES: ReadonlyMap<string, MarkupKind> = new Map([
  ['.md', 'markdown'],
  ['.markdown', 'markdown'],
  ...['.html', '.htm', '.xhtml', '.xls', '.doc'].map((e): [string, MarkupKind] => [e, 'html']),
]);

/** Whether text of this name may hold Markdown or HTML tables (MARKUP_TABLE_NAMES): the kind of text it is, else undefined. */
export function holdsMarkupTables(file: string): MarkupKind | undefined {
  return MARKUP_TABLE_NAMES.get(path.extname(file).toLowerCase());
}

/** Names of text that is read as a table when its start is one (textIsTable). */
export const TAB_TEXT_NAMES: ReadonlySet<string> = new Set(['.txt', '.xls']);

/**
 * Whether a file read as text is read as a table instead, from its first bytes (`head`;
 * `complete`: all of it): a `.txt` or `.xls` whose start is tab-separated columns
 * (tabTable: Excel's "Unicode Text", UTF-16, and "Text (Tab delimited)" exports, or a
 * portal's "Export to Excel" written as tab-separated text), so that a `mobile` column's
 * bare numbers are known as phones.
 */
export function textIsTable(file: string, head: Uint8Array, complete: boolean): boolean {
  if (!TAB_TEXT_NAMES.has(path.extname(file).toLowerCase())) return false;
  const format = textFormat(head, complete);
  if (format.binary !== undefined) return false;
  return tabTable(new TextDecoder(format.encoding, { ignoreBOM: true }).decode(head.subarray(format.bomLength)), complete);
}

/** How the file named `file` (a path or an S3 key) is read. */
export function fileKind(file: string): FileKind {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (WORKBOOK.has(ext)) return 'xlsx';
  if (TABLE.has(ext)) return 'table';
  if (ext === '.eml') return 'mail';
  if (NOT_TEXT.has(ext)) return 'unsupported';
  return 'text';
}

/** The first bytes of a ZIP archive (its first local header's signature), as of every .xlsx workbook. */
const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];

/** Whether a file's first bytes are a ZIP archive's. */
export function startsAsZip(head: Uint8Array): boolean {
  return ZIP_SIGNATURE.every((b, i) => head[i] === b);
}

/** The first bytes of an OLE compound file (a password-protected .xlsx, an Excel 97-2003 .xls). */
const OLE_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/**
 * Why a file named as a workbook whose first bytes (`head`, of `size`) are no ZIP archive,
 * as every .xlsx file is, is not read, saying what it looks like (a CSV export named .xlsx,
 * a password-protected workbook); undefined when they are a ZIP archive (the workbook
 * reader says what is wrong with it).
 */
export function notZipWorkbook(head: Uint8Array, size: number): string | undefined {
  if (startsAsZip(head)) return undefined;
  const looks =
    size === 0
      ? 'the file is empty'
      : // Excel keeps a password-protected workbook, and a 97-2003 one, in an OLE container
        OLE_SIGNATURE.every((b, i) => head[i] === b)
        ? 'a password-protected workbook, or an Excel 97-2003 one: save it unprotected as .xlsx to have it read'
        : (textFormat(head, head.length >= size).binary ?? 'it looks like text: rename it .csv or .txt to have it read');
  return `not a readable .xlsx workbook: not a ZIP archive, as every .xlsx file is (${looks})`;
}

/** The end of a ZIP archive's central directory: its record's signature, its size without a comment, the longest comment. */
const ZIP_END = 0x06054b50;
const ZIP_END_BYTES = 22;
const ZIP_COMMENT_BYTES = 0xffff;
/** A central directory entry's signature, and its size before the name. */
const ZIP_ENTRY = 0x02014b50;
const ZIP_ENTRY_BYTES = 46;
/** Bytes of a central directory looked through: a workbook's (at most xlsx-zip.ts's 1,000 entries) is far smaller. */
const ZIP_DIRECTORY_BYTES = 1024 * 1024;
/** The part the workbook reader (read-excel-file) reads each workbook from, at this fixed path. */
const WORKBOOK_PART = 'xl/workbook.xml';

/**
 * What a ZIP archive of `size` bytes (startsAsZip) holds, by its central directory: a
 * workbook the .xlsx reader can read (an entry named exactly `xl/workbook.xml`; a Zip64
 * archive counts as one, so that the reader fails it as it fails one named .xlsx), or
 * another archive (a Word document, an archive of files); undefined when no directory is
 * found (the archive cut short or damaged). The end record is the last one whose comment
 * runs to the archive's end (a comment may hold the signature). `readAt` gives `length`
 * bytes from `position` (fewer at the end). Only the directory is read, not the parts: the
 * workbook reader checks those within its limits (xlsx-zip.ts).
 */
export async function zipContent(size: number, readAt: (position: number, length: number) => Promise<Uint8Array>): Promise<'workbook' | 'archive' | undefined> {
  const tailStart = Math.max(0, size - ZIP_END_BYTES - ZIP_COMMENT_BYTES);
  const tail = Buffer.from(await readAt(tailStart, size - tailStart));
  let end = -1;
  for (let i = tail.length - ZIP_END_BYTES; i >= 0; i--) {
    if (tail.readUInt32LE(i) === ZIP_END && i + ZIP_END_BYTES + tail.readUInt16LE(i + 20) === tail.length) {
      end = i;
      break;
    }
  }
  if (end < 0) return undefined;
  const entries = tail.readUInt16LE(end + 10);
  const directoryBytes = tail.readUInt32LE(end + 12);
  const directoryAt = tail.readUInt32LE(end + 16);
  if (entries === 0xffff || directoryBytes === 0xffffffff || directoryAt === 0xffffffff) return 'workbook';
  if (directoryAt + directoryBytes > size) return undefined;
  const directory = Buffer.from(await readAt(directoryAt, Math.min(directoryBytes, ZIP_DIRECTORY_BYTES)));
  for (let at = 0; at + ZIP_ENTRY_BYTES <= directory.length && directory.readUInt32LE(at) === ZIP_ENTRY; ) {
    const nameBytes = directory.readUInt16LE(at + 28);
    if (directory.toString('utf8', at + ZIP_ENTRY_BYTES, at + ZIP_ENTRY_BYTES + nameBytes) === WORKBOOK_PART) return 'workbook';
    at += ZIP_ENTRY_BYTES + nameBytes + directory.readUInt16LE(at + 30) + directory.readUInt16LE(at + 32);
  }
  return 'archive';
}
