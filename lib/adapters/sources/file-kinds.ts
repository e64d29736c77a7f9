// How a file is read, by its name: the one place that says it, for local files
// (local-files.ts), the parts a large file is cut into (file-parts.ts) and S3 objects
// (s3-source.ts).
//
// - `.json`: a document, string by string; `.xlsx`: a workbook; `.csv`, `.tsv`, `.tab`:
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
import path from 'node:path';
import { textFormat } from '../../domain/text/text-format.ts';
import { tabTable } from './table-layout.ts';

export type FileKind = 'json' | 'xlsx' | 'table' | 'mail' | 'text' | 'unsupported';

const TABLE = new Set(['.csv', '.tsv', '.tab']);

/** Extensions of formats that are never text, skipped by name. */
const NOT_TEXT = new Set(
  [
    // documents and spreadsheets in binary or zipped formats
    'pdf docx docm dot dotx xlsm xlsb xlt xltx ppt pptx pptm pps ppsx odt ods odp odg pages numbers key epub',
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
 * Whether a file read as text is read as a table instead, from its first bytes (`head`;
 * `complete`: all of it): a `.txt` whose start is tab-separated columns (tabTable: Excel's
 * "Unicode Text", UTF-16, and "Text (Tab delimited)" exports), so that a `mobile` column's
 * bare numbers are known as phones.
 */
export function textIsTable(file: string, head: Uint8Array, complete: boolean): boolean {
  if (path.extname(file).toLowerCase() !== '.txt') return false;
  const format = textFormat(head, complete);
  if (format.binary !== undefined) return false;
  return tabTable(new TextDecoder(format.encoding, { ignoreBOM: true }).decode(head.subarray(format.bomLength)), complete);
}

/** How the file named `file` (a path or an S3 key) is read. */
export function fileKind(file: string): FileKind {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.xlsx') return 'xlsx';
  if (TABLE.has(ext)) return 'table';
  if (ext === '.eml') return 'mail';
  if (NOT_TEXT.has(ext)) return 'unsupported';
  return 'text';
}
