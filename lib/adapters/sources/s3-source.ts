// An Amazon S3 prefix as a data-mapping source: the objects under the prefix, listed
// in key order, read within a byte budget, decoded as text and yielded as records in
// chunks of lines in bounded memory (the same streaming decode as local files).
//
// - Deterministic sampling: ListObjectsV2 (all pages) sorted by key; "folder" keys
//   (ending in "/") are skipped; objects are read in that order until `budgetBytes`
//   (default 64 MiB) or `budgetRecords` objects; the object that crosses the byte
//   budget is read only up to it (a Range GET), the rest are not read.
// - Text: the declared encoding, else detected from the first bytes and judged binary
//   or not exactly as local files are (foldedFormat: textFormat), from the body's start.
//   A binary object is skipped.
// - Workbooks (`.xlsx`, `.xlsm`, `.xltx`; and an object under another name whose bytes are a
//   ZIP archive naming a workbook's part, as a local file renamed `.csv` is read) are read
//   whole, in memory, by the local files' reader and within its limits (xlsx-reader.ts):
//   one larger than the workbook limit, or than what is left of the byte budget, is skipped
//   saying so and not fetched; another ZIP archive is skipped saying so.
// - CSV and TSV objects (`.csv`, `.tsv`, `.tab`), and a `.txt` or `.xls` whose start is
//   tab-separated columns (textIsTable: Excel's "Unicode Text"), are read as tables, as local files are
//   (csv-reader.ts, table-records.ts): rows with their line, row and column, a `sep=` line,
//   a sniffed ';', tab or '|', a title above the header. `.eml` objects are parsed as local
//   ones are (mail-reader.ts: each part by a pointer, within MAIL_MAX_BYTES; one the budget
//   cuts is read as text). Other objects are text in chunks of lines, a contact card's or
//   calendar's unfolded (text-records.ts). What the readers could not read (a CSV record
//   with a quote never closed, one over the record limit, a bad `sep=` line, a mail's
//   attachment that is not text, a card's bad quoted-printable) is in the coverage's
//   problems, by key and line, as a local file's read has its problems.
// - Group: the first path segment of the key below the prefix ("hr/2026/a.csv"
//   -> "hr"), or the key itself when it has no folder.
// - The client is injected (`{ send }`), so the adapter is tested without S3; on AWS
//   it is an S3Client for the source's region.
// - Keys are content too (a key may name a person): the coverage's skipped keys and its
//   problems' keys are redacted, and records' groups are redacted by the scan that
//   tallies them.
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { SourceRecord } from '../../domain/detect/records.ts';
import { redactName } from '../../domain/detect/redact.ts';
import { textFormat, type Encoding } from '../../domain/text/text-format.ts';
import { DETECTION_SAMPLE_BYTES } from '../../domain/text/encoding.ts';
import { fileKind, notZipWorkbook, startsAsZip, TAB_TEXT_NAMES, textIsTable, zipContent } from './file-kinds.ts';
import { ReadError } from './read-error.ts';
import { csvTableRecords, sheetTableRecords } from './table-records.ts';
import { decodeTextChunks, DEFAULT_MAX_CHUNK_CHARS } from './text-chunks.ts';
import { FOLDED_HEAD_BYTES, foldedBytes, foldedFormat } from './folded-lines.ts';
import { MAX_PROBLEMS, type LineProblem } from './problems.ts';
import { chunkRecords, lineEndsOf } from './text-records.ts';
import { isJsonName } from '../../domain/text/json-escapes.ts';

export const DEFAULT_S3_BUDGET_BYTES = 64 * 1024 * 1024;

/** Why an object that is a ZIP archive but no workbook is skipped (as a local file is). */
const ZIP_NOT_WORKBOOK = 'not a supported format (a ZIP archive, not itself an .xlsx workbook: unpack it to scan its files)';
/** Why a workbook, read whole, is skipped when the byte budget cannot hold it. */
const WORKBOOK_OVER_BUDGET = 'a workbook is read whole, and this one is larger than what is left of the byte budget';

export interface S3Sender {
  send(command: ListObjectsV2Command | GetObjectCommand): Promise<unknown>;
}

export interface S3ScanOptions {
  bucket: string;
  prefix?: string;
  region?: string;
  encoding?: Encoding;
  budgetBytes?: number;
  budgetRecords?: number;
  client?: S3Sender;
}

export interface S3Coverage {
  records: number;
  truncated: boolean;
  bytesRead: number;
  bytesTotal: number;
  /** Objects not read, their keys redacted. */
  skipped: { key: string; reason: string }[];
  /**
   * What the objects' readers could not read (a CSV record rejected and not scanned, a bad
   * `sep=` line, a mail's attachment not read), each at its line of the object, its key redacted: the first
   * MAX_PROBLEMS (problems.ts) of each object, as a local file's read keeps them.
   */
  problems: { key: string; line: number; message: string }[];
  /** Problems beyond those kept, counted. */
  problemsOmitted: number;
}

interface Listed {
  key: string;
  size: number;
}

type Body = AsyncIterable<Uint8Array | string> | { transformToByteArray(): Promise<Uint8Array> };

export function groupOfKey(key: string, prefix: string): string {
  const rest = key.startsWith(prefix) ? key.slice(prefix.length).replace(/^\/+/, '') : key;
  const slash = rest.indexOf('/');
  return slash > 0 ? rest.slice(0, slash) : key;
}

async function listObjects(client: S3Sender, bucket: string, prefix: string): Promise<Listed[]> {
  const listed: Listed[] = [];
  let token: string | undefined;
  do {
    const page = (await client.send(
      new ListObjectsV2Command({ Bucket: bucket, ...(prefix ? { Prefix: prefix } : {}), ...(token ? { ContinuationToken: token } : {}) }),
    )) as { Contents?: { Key?: string; Size?: number }[]; IsTruncated?: boolean; NextContinuationToken?: string };
    for (const o of page.Contents ?? []) if (o.Key && !o.Key.endsWith('/')) listed.push({ key: o.Key, size: o.Size ?? 0 });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  // S3 lists in UTF-8 byte order; sort by code point order ourselves so a fake or
  // another store gives the same sample.
  return listed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The bytes of a body, never more than `left` in all (even if the store ignored the Range), counted as they are taken. */
async function* bodyBytes(body: Body | undefined, left: number, taken: (n: number) => void): AsyncGenerator<Uint8Array> {
  if (!body) return;
  const chunks = Symbol.asyncIterator in body ? body : [await body.transformToByteArray()];
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const take = bytes.subarray(0, left);
    left -= take.length;
    taken(take.length);
    yield take;
    if (left <= 0) return;
  }
}

/** `length` bytes of an object from `at` (fewer at its end), by a ranged GET. */
async function rangeOf(client: S3Sender, bucket: string, key: string, at: number, length: number): Promise<Buffer> {
  if (length <= 0) return Buffer.alloc(0);
  const got = (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${at}-${at + length - 1}` }))) as { Body?: Body };
  const chunks: Uint8Array[] = [];
  for await (const chunk of bodyBytes(got.Body, length, () => undefined)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * Whether a workbook of `size` bytes is skipped unfetched, in the coverage saying why: over
 * the workbook limit, or over what is left of the byte budget (`left`; the scan is then
 * truncated).
 */
async function workbookSkipped(size: number, left: number, key: string, coverage: S3Coverage): Promise<boolean> {
  const { DEFAULT_MAX_XLSX_BYTES } = await import('./xlsx-reader.ts');
  if (size > DEFAULT_MAX_XLSX_BYTES) {
    coverage.skipped.push({ key, reason: `workbook is ${size} bytes, larger than the ${DEFAULT_MAX_XLSX_BYTES}-byte limit for .xlsx files (read whole); export it as CSV` });
    return true;
  }
  if (size <= left) return false;
  coverage.skipped.push({ key, reason: WORKBOOK_OVER_BUDGET });
  coverage.truncated = true;
  return true;
}

/** A workbook object's records, as a local workbook's; false (and the object skipped, saying why) when the reader refuses it. */
async function* workbookRecords(bytes: Uint8Array, file: string, group: string, key: string, coverage: S3Coverage): AsyncGenerator<SourceRecord, boolean> {
  const { readXlsxSheets } = await import('./xlsx-reader.ts');
  try {
    // (the reader reads every sheet before it gives a row: a workbook it refuses gives none)
    yield* sheetTableRecords(readXlsxSheets(file, { bytes }), file, group);
    return true;
  } catch (error) {
    if (!(error instanceof ReadError)) throw error;
    coverage.skipped.push({ key, reason: error.reason });
    return false;
  }
}

/**
 * The text of the objects under the prefix, within the budget, as records in chunks of
 * lines (`at.file` the object's s3:// address); returns the coverage.
 */
export async function* readS3Prefix(options: S3ScanOptions): AsyncGenerator<SourceRecord, S3Coverage> {
  const client = options.client ?? new S3Client({ region: options.region ?? 'ap-east-1', maxAttempts: 5 });
  const prefix = options.prefix ?? '';
  const budgetBytes = options.budgetBytes ?? DEFAULT_S3_BUDGET_BYTES;
  const budgetRecords = options.budgetRecords ?? Infinity;
  const objects = await listObjects(client, options.bucket, prefix);
  const bytesTotal = objects.reduce((n, o) => n + o.size, 0);
  const coverage: S3Coverage = { records: 0, truncated: false, bytesRead: 0, bytesTotal, skipped: [], problems: [], problemsOmitted: 0 };

  for (const object of objects) {
    const left = budgetBytes - coverage.bytesRead;
    if (left <= 0 || coverage.records >= budgetRecords) {
      coverage.truncated = true;
      break;
    }
    if (object.size === 0) continue;
    const kind = fileKind(object.key);
    if (kind === 'unsupported') {
      // never text (an image, a PDF, an archive): not downloaded, so the budget goes to what can be read
      coverage.skipped.push({ key: redactName(object.key), reason: `not a supported format (${path.extname(object.key).toLowerCase()})` });
      continue;
    }
    const key = redactName(object.key);
    const file = `s3://${options.bucket}/${object.key}`;
    const group = groupOfKey(object.key, prefix);
    // a workbook is read whole or not at all (a ZIP archive's directory is at its end), so not fetched when it cannot be
    if (kind === 'xlsx' && (await workbookSkipped(object.size, left, key, coverage))) continue;
    const partial = object.size > left;
    const got = (await client.send(
      new GetObjectCommand({ Bucket: options.bucket, Key: object.key, ...(partial ? { Range: `bytes=0-${left - 1}` } : {}) }),
    )) as { Body?: Body };
    let read = 0;
    const bytes = bodyBytes(got.Body, left, (n) => (read += n));
    let kept = 0;
    const onProblem = ({ line, message }: LineProblem): void => {
      if (kept++ < MAX_PROBLEMS) coverage.problems.push({ key, line, message });
      else coverage.problemsOmitted++;
    };
    const counted = (): void => { // the object read, in the coverage
      coverage.bytesRead += read;
      coverage.records++;
      if (partial || read < object.size) coverage.truncated = true;
    };
    if (kind === 'mail' && !partial) {
      // parsed as a local .eml file is (mail-reader.ts), within the same limit; a larger one is read as text
      const { mailRecords, MAIL_MAX_BYTES } = await import('./mail-reader.ts');
      if (object.size <= MAIL_MAX_BYTES) {
        const body: Uint8Array[] = [];
        for await (const chunk of bytes) body.push(chunk);
        const mail = { problems: [] as string[] };
        try {
          yield* mailRecords(Buffer.concat(body), file, group, mail);
        } catch (error) {
          coverage.bytesRead += read;
          coverage.skipped.push({ key, reason: `not a readable e-mail: ${(error as Error).message}` });
          continue;
        }
        for (const message of mail.problems) onProblem({ line: 1, message });
        counted();
        continue;
      }
    }
    // The same encoding detection and binary check as local files, on the body's first
    // FOLDED_HEAD_BYTES (a network chunk may hold a few bytes: a card's BEGIN line cut),
    // or fewer once they are binary (the object is dropped, no more of it read); for a
    // `.txt` or `.xls`, as many as a local file's look at its start takes, to tell whether
    // it is tab-separated columns (textIsTable).
    const tabText = kind === 'text' && TAB_TEXT_NAMES.has(path.extname(object.key).toLowerCase());
    const headBytes = tabText ? DETECTION_SAMPLE_BYTES : FOLDED_HEAD_BYTES;
    let head: Uint8Array = new Uint8Array(0);
    while (head.length < headBytes) {
      const next = await bytes.next();
      if (next.done) break;
      head = head.length === 0 ? next.value : Buffer.concat([head, next.value]);
      if (textFormat(head, false, options.encoding).binary !== undefined) break;
    }
    const format = foldedFormat(head, head.length >= object.size, options.encoding);
    if (kind === 'xlsx') {
      // (a signature's 8 bytes at least: what a workbook that is no ZIP archive looks like is told from them)
      for (let next; head.length < 8 && !(next = await bytes.next()).done; ) head = Buffer.concat([head, next.value]);
      const notZip = notZipWorkbook(head, object.size);
      if (notZip !== undefined) {
        // a CSV export named .xlsx, a password-protected workbook: said as for a local file
        await bytes.return(undefined);
        coverage.bytesRead += read;
        coverage.skipped.push({ key, reason: notZip });
        continue;
      }
      const chunks = [head];
      for await (const chunk of bytes) chunks.push(chunk);
      coverage.bytesRead += read;
      if (yield* workbookRecords(Buffer.concat(chunks), file, group, key, coverage)) coverage.records++;
      continue;
    }
    if (format.binary !== undefined && startsAsZip(head)) {
      // a ZIP archive under another name: a workbook (an export renamed .csv) when its
      // directory, read from the object's end by ranged GETs, names a workbook's part; then
      // fetched whole, as a workbook named so is, within the same limits. Another archive
      // is skipped unread past its start and its directory, its bytes not spent from the budget.
      await bytes.return(undefined);
      coverage.bytesRead += read;
      const zip = await zipContent(object.size, (at, length) => rangeOf(client, options.bucket, object.key, at, length));
      if (zip !== 'workbook') {
        coverage.skipped.push({ key, reason: zip === 'archive' ? ZIP_NOT_WORKBOOK : 'binary content' });
        continue;
      }
      if (await workbookSkipped(object.size, left, key, coverage)) continue;
      const whole = await rangeOf(client, options.bucket, object.key, 0, object.size);
      coverage.bytesRead += whole.length - read;
      if (yield* workbookRecords(whole, file, group, key, coverage)) coverage.records++;
      continue;
    }
    if (format.binary !== undefined) {
      await bytes.return(undefined);
      coverage.bytesRead += read;
      coverage.skipped.push({ key, reason: 'binary content' });
      continue;
    }
    const body = (async function* () {
      yield head.subarray(format.bomLength);
      yield* bytes;
    })();
    const table = kind === 'table' || (tabText && textIsTable(object.key, head, head.length >= object.size));
    const rest = table ? body : foldedBytes(body, head.subarray(format.bomLength), format.encoding);
    if (table) {
      const { readCsvRows } = await import('./csv-reader.ts');
      // chunks of the size a local file's reader decodes (readCsvRows' maxChunkChars is for the text it decodes itself)
      const chunks = decodeTextChunks(rest, format.encoding, { cut: partial, crLineEnds: format.crLineEnds });
      yield* csvTableRecords(readCsvRows(file, { headerRow: true, text: { chunks, cut: partial }, onProblem }), file, group);
      counted();
      continue;
    }
    // text as a local file's: a card or calendar unfolded, JSON's `\uXXXX` escapes read (text-records.ts)
    const json = isJsonName(object.key);
    const problems: LineProblem[] = [];
    const chunks = decodeTextChunks(rest, format.encoding, { cut: partial, jsonEscapes: json, crLineEnds: format.crLineEnds, ...lineEndsOf(object.key, json) });
    yield* chunkRecords(chunks, { file, group, jsonEscapes: json, folded: true, maxChunkChars: DEFAULT_MAX_CHUNK_CHARS, cut: () => partial, problems });
    problems.forEach(onProblem);
    counted();
  }
  return coverage;
}
