// An e-mail saved as a file (`.eml`, RFC 5322 with MIME), read as its reader sees it:
// what a mail client shows is seldom what the file holds, since a body in Chinese (or
// any text not in ASCII) is written in base64 or quoted-printable, and names in headers
// as encoded words (`=?UTF-8?B?...?=`). Scanned as plain text, an HKID in such a body is
// not there to find. Parsed with postal-mime (maintained, no dependencies).
//
// Each part is a record of its own, placed by a JSON pointer (as a .json file's strings
// are): `/from`, `/to/0`, `/cc/1`, `/reply-to/0`, `/subject` (the decoded name and address
// of each mailbox, the decoded subject), `/text` (the plain-text body; else `/html`, the
// HTML body as text: tags dropped, entities read), `/attachments/N` for an attachment
// that is text (a contact card, a calendar invitation, a text file; its encoding told as
// a file's is; a card or calendar unfolded: folded-lines.ts), read as a table when it is
// one (a `.csv` or `.tsv` by its name or type: its findings then have the attachment's
// line, row and column, in a file named `FILE#/attachments/N`), and
// `/attachments/N/filename` for each attachment's name (`HKID copy A123456(3).jpg`). An
// `.xlsx` workbook attached (by its name or type, or by its bytes: a ZIP archive naming a
// workbook's part) is read as a local one is, every sheet, within the workbook limits
// (xlsx-reader.ts): its findings have the sheet, row and column, in `FILE#/attachments/N`.
// The same for a local file and an S3 object (s3-source.ts). An attachment that is not text (a PDF, an image)
// cannot be read here: the read says so, a problem at line 1 naming it by its number and
// type (an inline image of the body, a logo, is not named).
// Other headers (Message-ID, Received, DKIM...) are machine identifiers, not people's:
// `<CAF=x1@mail.gmail.com>` is no e-mail address.
//
// A message is parsed whole in memory: one larger than MAIL_MAX_BYTES (or than the byte
// budget) is read as text instead, as it was before this reader; so is a file that holds
// nothing of a mail (no sender, recipient, subject, body or attachment: a note saved as
// .eml), as `/text`.
import { readFile } from 'node:fs/promises';
import type { SourceRecord } from '../../domain/detect/records.ts';
import { textFormat } from '../../domain/text/text-format.ts';
import { fileKind, startsAsZip, zipContent } from './file-kinds.ts';
import { ReadError } from './read-error.ts';
import { foldedFormat, foldedText, foldsMended, unfoldedText } from './folded-lines.ts';
import type { LineProblem } from './problems.ts';

/** Messages up to this size are parsed (whole, in memory). */
export const MAIL_MAX_BYTES = 64 * 1024 * 1024;

export interface MailRead {
  /** Problems to report at line 1: the attachments that could not be read. */
  problems: string[];
}

/** Headers whose mailboxes are people's, and the pointer each is given. */
const ADDRESS_FIELDS = [
  ['from', 'from'],
  ['sender', 'sender'],
  ['replyTo', 'reply-to'],
  ['to', 'to'],
  ['cc', 'cc'],
  ['bcc', 'bcc'],
] as const;

interface Mailbox {
  name?: string;
  address?: string;
  group?: Mailbox[];
}

/** A mailbox as a line of text: `Chan Tai Man <tm.chan@example.com>` (a group's members, one per line). */
function mailboxText(m: Mailbox): string {
  if (m.group !== undefined) return m.group.map(mailboxText).join('\n');
  return [m.name, m.address === undefined || m.address === '' ? undefined : `<${m.address}>`].filter((s) => s !== undefined && s !== '').join(' ');
}

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * An HTML body as the text a reader sees: scripts and styles dropped, block ends as line
 * ends, other tags as a space, character references read (`&nbsp;`, `&#57;`, `&#x39;`).
 */
export function htmlText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<\s*(?:br|\/p|\/div|\/tr|\/li|\/h[1-6]|\/table)\b[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|([a-z]+));/gi, (m, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
      if (name !== undefined) return ENTITIES[name.toLowerCase()] ?? m;
      const code = dec !== undefined ? Number(dec) : Number.parseInt(hex!, 16);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    });
}

const TABLE_TYPES = new Set(['text/csv', 'application/csv', 'text/tab-separated-values']);
/** Excel's workbooks' types: `.xlsx`, with macros `.xlsm`, a template `.xltx`. */
const WORKBOOK_TYPES = new Set([
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-excel.sheet.macroenabled.12',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.template',
]);

/** How an attachment is read: as a table, a workbook, text, or not (its name says a format that is never text). */
async function attachmentKind(mimeType: string, filename: string | null, bytes: Uint8Array): Promise<'table' | 'workbook' | 'text' | 'no'> {
  const kind = filename ? fileKind(filename) : 'text';
  const type = mimeType.toLowerCase();
  if (kind === 'xlsx' || WORKBOOK_TYPES.has(type)) return 'workbook';
  // a workbook under another name (an export renamed .csv, or sent as application/octet-stream), as a local file is told
  if (startsAsZip(bytes) && (await zipContent(bytes.length, async (at, length) => bytes.subarray(at, at + length))) === 'workbook') return 'workbook';
  if (kind === 'table' || TABLE_TYPES.has(type)) return 'table';
  return kind === 'unsupported' ? 'no' : 'text';
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/**
 * The records of the message in `file` (see the top of this file); `read.problems` gets
 * what could not be read. Throws when the file cannot be read or parsed.
 */
export async function* readMail(file: string, group: string, read: MailRead): AsyncGenerator<SourceRecord> {
  yield* mailRecords(await readFile(file), file, group, read);
}

/**
 * The records of a message (`bytes`, all of it) named `file` (a path, or an S3 object's
 * address); `read.problems` gets what could not be read. Throws when it cannot be parsed.
 */
export async function* mailRecords(bytes: Uint8Array, file: string, group: string, read: MailRead): AsyncGenerator<SourceRecord> {
  const { default: PostalMime } = await import('postal-mime');
  const record = (pointer: string, text: string): SourceRecord => ({ group, sender: '', text, at: { file, pointer } });
  const mail = await PostalMime.parse(bytes, { attachmentEncoding: 'arraybuffer' });
  if (!mail.from && !mail.to?.length && !mail.subject && !mail.text && !mail.html && mail.attachments.length === 0) {
    // nothing of a mail (a note saved as .eml): its text, as a text file's
    yield record('/text', new TextDecoder(textFormat(bytes, true).encoding).decode(bytes));
    return;
  }
  for (const [field, key] of ADDRESS_FIELDS) {
    const value = (mail as unknown as Record<string, Mailbox | Mailbox[] | undefined>)[field];
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) yield record(`/${key}/${i}`, mailboxText(value[i]!));
    } else yield record(`/${key}`, mailboxText(value));
  }
  if (mail.subject) yield record('/subject', mail.subject);
  if (mail.text) yield record('/text', mail.text);
  else if (mail.html) yield record('/html', htmlText(mail.html));
  for (let i = 0; i < mail.attachments.length; i++) {
    const a = mail.attachments[i]!;
    if (a.filename) yield record(`/attachments/${i}/filename`, a.filename);
    if (a.rfc822DepthExceeded) read.problems.push(`attachment ${i}: a message nested too deep to read`);
    const content = a.content;
    const raw = typeof content === 'string' ? new TextEncoder().encode(content) : content instanceof ArrayBuffer ? new Uint8Array(content) : new Uint8Array(content.buffer, content.byteOffset, content.byteLength);
    const kind = await attachmentKind(a.mimeType, a.filename, raw);
    if (kind === 'workbook') {
      const { readXlsxSheets } = await import('./xlsx-reader.ts');
      const { sheetTableRecords } = await import('./table-records.ts');
      const where = `${file}#/attachments/${i}`;
      try {
        // (the reader reads every sheet before it gives a row: a workbook it refuses gives none)
        yield* sheetTableRecords(readXlsxSheets(where, { bytes: raw }), where, group);
      } catch (error) {
        if (!(error instanceof ReadError)) throw error;
        read.problems.push(`attachment ${i} (a workbook) not read: ${error.reason}`);
      }
      continue;
    }
    const format = foldedFormat(raw, true);
    const bytes = format.encoding === 'utf-8' ? foldsMended(raw) : raw; // a card's or calendar's characters cut by a fold made whole
    if (kind === 'no' || format.binary !== undefined) {
      if (!a.related) read.problems.push(`attachment ${i} (${a.mimeType || 'of no type'}) not read: not text (save it and scan it, or export it as text or CSV)`);
      continue;
    }
    const text = bytes.subarray(format.bomLength);
    if (kind === 'table') {
      const { readCsvRows } = await import('./csv-reader.ts');
      const { csvTableRecords } = await import('./table-records.ts');
      const { decodeTextChunks } = await import('./text-chunks.ts');
      const chunks = decodeTextChunks(once(text), format.encoding, { cut: false, ...(format.crLineEnds ? { crLineEnds: true } : {}) });
      const onProblem = ({ line, message }: { line: number; message: string }) => read.problems.push(`attachment ${i}, its line ${line}: ${message}`);
      yield* csvTableRecords(readCsvRows(a.filename || 'attachment.csv', { headerRow: true, text: { chunks, cut: false }, onProblem }), `${file}#/attachments/${i}`, group);
    } else {
      // a contact card or a calendar invitation read unfolded (folded-lines.ts)
      const decoded = new TextDecoder(format.encoding).decode(text);
      const problems: LineProblem[] = [];
      yield record(`/attachments/${i}`, foldedText(decoded) ? await unfoldedText(decoded, problems) : decoded);
      for (const p of problems) read.problems.push(`attachment ${i}, its line ${p.line}: ${p.message}`);
    }
  }
}
