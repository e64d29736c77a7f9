// Platform audit-log files as behaviour monitoring reads them: a local file (or the
// files of a folder) or the objects under an S3 prefix, each checked to be what its
// extension says before anything is read (a ".csv" that is a ZIP archive, binary or
// JSON is refused, and so is a ".json" that is not JSON), hashed (SHA-256, so the same
// file imported again is recognised), and handed over as rows or entries with their
// line, entry or row numbers. Which layout the rows are in is the domain's question
// (lib/domain/monitoring/layouts.ts). In a folder or under a prefix, a file that cannot be
// opened (unreadable, not what its extension says, not a regular file) is set aside and
// the others are handed over; the ones set aside are thrown at the end, by their names
// and places (UnreadAuditLogFiles), so that one bad file never hides the rest.
//
// - .csv, .tsv, .txt: the CSV reader (encodings detected, a broken record is a problem
//   at its line and reading goes on at the next), the first record the header, or the
//   first after a title or metadata lines above it (lib/adapters/sources/table-layout.ts).
//   A .txt is read with commas, or the delimiter its `sep=` line names or sniffed.
// - .json: read whole (at most 64 MiB): an array of entries, `{ "entries": [...] }`
//   (Slack's audit-log API) or one entry.
// - .jsonl, .ndjson: one entry per line; a line that is not JSON is a problem at its line.
// - JSON is decoded as the CSV reader decodes text (lib/domain/text/encoding.ts: a BOM,
//   else UTF-8, else GB18030 or Big5), so a UTF-16 export with a BOM (PowerShell 5.1's
//   `ConvertTo-Json > file`) reads as its UTF-8 twin does. Text that is not JSON is
//   refused with where (line, column) and why, never the text itself.
// - .xlsx: the first sheet, its first row the header (or the first after a title, as in a
//   CSV file); rows are named by the number Excel shows (XlsxRow.sheetRow).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { redact } from '../../domain/detect/redact.ts';
import { unseal } from '../../domain/detect/seal.ts';
import type { RawRecord } from '../../domain/monitoring/layouts.ts';
import type { AuditLogDeclaration } from '../../domain/org/platform.ts';
import { textFormat, type Encoding } from '../../domain/text/text-format.ts';
import { whereNotJson } from '../../domain/text/json-strings.ts';
import { InputError } from '../../errors.ts';
import { UnreadAuditLogFiles, type UnreadAuditLogFile } from '../../usecases/monitoring/unread-files.ts';
import type { AuditLogFile, AuditLogReaders } from '../../usecases/ports.ts';
import { readCsvRecords, type CsvProblem, type CsvReport } from '../sources/csv-reader.ts';
import { entriesUnder } from '../sources/local-files.ts';
import { openRegularFile, statRegularFile, toReadError } from '../sources/read-error.ts';
import type { S3Sender } from '../sources/s3-source.ts';
import { readXlsxRows } from '../sources/xlsx-reader.ts';

/** What a JSON refusal says when the checker took the text (a value JSON.parse alone refuses): no position to give. */
const NOT_READ = 'refused by the JSON reader';

export const MAX_JSON_BYTES = 64 * 1024 * 1024;
const HEAD_BYTES = 64 * 1024;
const TABLE = new Set(['.csv', '.tsv', '.txt']);
const JSON_WHOLE = new Set(['.json']);
const JSON_LINES = new Set(['.jsonl', '.ndjson']);
const XLSX = '.xlsx';
const EXTENSIONS = [...TABLE, ...JSON_WHOLE, ...JSON_LINES, XLSX].join(', ');

async function head(file: string): Promise<{ bytes: Uint8Array; size: number }> {
  const { handle, size } = await openRegularFile(file);
  try {
    const buffer = new Uint8Array(Math.min(size, HEAD_BYTES));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return { bytes: buffer.subarray(0, bytesRead), size };
  } finally {
    await handle.close();
  }
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/** How a text file's bytes are decoded: its encoding, and the bytes of its BOM to skip. */
interface TextFormat {
  encoding: Encoding;
  bomLength: number;
}

/**
 * Refuses a file that is not what its extension says, before anything of it is read as
 * that; a text file's encoding otherwise (none for a workbook).
 */
function checkKind(name: string, ext: string, bytes: Uint8Array, complete: boolean): TextFormat | undefined {
  if (ext === XLSX) {
    if (!isZip(bytes)) throw new InputError(`${name}: not an .xlsx workbook (an .xlsx file is a ZIP archive, and this one has no ZIP signature)`);
    return undefined;
  }
  if (isZip(bytes)) throw new InputError(`${name}: a ZIP archive (perhaps an .xlsx workbook), not a ${ext} file: give it its own extension`);
  const format = textFormat(bytes, complete);
  if (format.binary) throw new InputError(`${name}: ${format.binary}, not a ${ext} file`);
  const text = new TextDecoder(format.encoding, { ignoreBOM: false }).decode(bytes.subarray(format.bomLength), { stream: true }).trimStart();
  const first = text.charAt(0);
  if (TABLE.has(ext) && (first === '{' || first === '[')) throw new InputError(`${name}: holds JSON, not a ${ext} table: give it the extension .json or .jsonl`);
  if ((JSON_WHOLE.has(ext) || JSON_LINES.has(ext)) && text.length > 0 && first !== '{' && first !== '[') {
    throw new InputError(`${name}: not JSON (it does not begin with "{" or "["): a ${ext} file holds JSON`);
  }
  return { encoding: format.encoding, bomLength: format.bomLength };
}

async function tableFile(file: string, name: string, sha256: string): Promise<AuditLogFile> {
  let header: string[] = [];
  let headerLine: number | undefined;
  for await (const _ of readCsvRecords(file, { report: (r: CsvReport) => ((header = r.header), (headerLine = r.headerLine)) })) break;
  if (headerLine === undefined || header.length === 0) throw new InputError(`${name}: no header row: an audit-log table names its columns in its first row`);
  return {
    name,
    sha256,
    unit: 'line',
    sample: { kind: 'table', header },
    async *records(): AsyncGenerator<RawRecord> {
      const problems: CsvProblem[] = [];
      for await (const r of readCsvRecords(file, { onProblem: (p) => problems.push(p) })) {
        while (problems.length) yield problemOf(problems.shift()!);
        yield { kind: 'row', line: r.line, cells: r.cells };
      }
      while (problems.length) yield problemOf(problems.shift()!);
    },
  };
}

const problemOf = (p: CsvProblem): RawRecord => ({ kind: 'problem', line: p.line, reason: p.message });

async function workbookFile(file: string, name: string, sha256: string): Promise<AuditLogFile> {
  let header: string[] = [];
  for await (const _ of readXlsxRows(file, { onHeader: (h) => (header = h) })) break;
  if (header.length === 0) throw new InputError(`${name}: no header row in its first sheet`);
  return {
    name,
    sha256,
    unit: 'row',
    sample: { kind: 'table', header },
    async *records(): AsyncGenerator<RawRecord> {
      // The row number Excel shows (blank rows and a title above the header counted).
      for await (const r of readXlsxRows(file)) yield { kind: 'row', line: r.sheetRow, cells: r.cells };
    },
  };
}

async function jsonFile(file: string, name: string, sha256: string, size: number, format: TextFormat): Promise<AuditLogFile> {
  if (size > MAX_JSON_BYTES) throw new InputError(`${name}: ${size} bytes, more than the ${MAX_JSON_BYTES}-byte limit for a .json file (read whole): export JSON lines (.jsonl) instead`);
  let text: string;
  const { handle } = await openRegularFile(file);
  try {
    text = new TextDecoder(format.encoding, { ignoreBOM: true }).decode((await handle.readFile()).subarray(format.bomLength));
  } finally {
    await handle.close();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InputError(`${name}: not valid JSON: ${whereNotJson(text) ?? NOT_READ}`);
  }
  const box = parsed as { entries?: unknown };
  const entries: unknown[] = Array.isArray(parsed) ? parsed : box && typeof box === 'object' && Array.isArray(box.entries) ? box.entries : [parsed];
  return {
    name,
    sha256,
    unit: 'entry',
    sample: { kind: 'json', first: entries[0] },
    async *records(): AsyncGenerator<RawRecord> {
      for (let i = 0; i < entries.length; i++) yield { kind: 'entry', line: i + 1, entry: entries[i] };
    },
  };
}

/** The file's text after its BOM, decoded in `format` as it is read. */
async function* decoded(file: string, format: TextFormat): AsyncGenerator<string> {
  const decoder = new TextDecoder(format.encoding, { ignoreBOM: true });
  for await (const chunk of createReadStream(file, { start: format.bomLength })) {
    const text = decoder.decode(chunk as Buffer, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

async function* jsonLines(file: string, format: TextFormat): AsyncGenerator<RawRecord> {
  let line = 0;
  const lines = createInterface({ input: Readable.from(decoded(file, format)), crlfDelay: Infinity });
  for await (const text of lines) {
    line++;
    const t = text.trim();
    if (t === '') continue;
    try {
      yield { kind: 'entry', line, entry: JSON.parse(t) };
    } catch {
      // The checker counts lines within this one: only its column is news.
      yield { kind: 'problem', line, reason: `not a JSON value: ${(whereNotJson(t) ?? NOT_READ).replace(/^line 1, /, '')}` };
    }
  }
}

async function jsonLinesFile(file: string, name: string, sha256: string, format: TextFormat): Promise<AuditLogFile> {
  let first: unknown;
  for await (const r of jsonLines(file, format)) {
    if (r.kind === 'problem') throw new InputError(`${name}: line ${r.line} is not JSON (${r.reason}): a ${path.extname(file)} file holds one JSON value per line`);
    if (r.kind === 'entry') first = r.entry;
    break;
  }
  return { name, sha256, unit: 'line', sample: { kind: 'json', first }, records: () => jsonLines(file, format) };
}

/** One local audit-log file, checked and hashed; `shown` names it in messages (default its name, redacted). */
export async function openAuditLogFile(file: string, shown?: string): Promise<AuditLogFile> {
  const name = shown ?? redact(path.basename(file));
  await statRegularFile(file);
  const ext = path.extname(file).toLowerCase();
  if (![...TABLE, ...JSON_WHOLE, ...JSON_LINES, XLSX].includes(ext)) throw new InputError(`${name}: "${ext || '(no extension)'}" is not an audit-log file type (${EXTENSIONS})`);
  const { bytes, size } = await head(file);
  if (size === 0) throw new InputError(`${name}: the file is empty`);
  const format = checkKind(name, ext, bytes, size <= bytes.length);
  const sha256 = await sha256Of(file);
  if (ext === XLSX || !format) return workbookFile(file, name, sha256);
  if (JSON_WHOLE.has(ext)) return jsonFile(file, name, sha256, size, format);
  if (JSON_LINES.has(ext)) return jsonLinesFile(file, name, sha256, format);
  return tableFile(file, name, sha256);
}

/**
 * The objects under a prefix, in key order, each downloaded to a private temporary folder
 * while it is read. One that cannot be fetched or opened is set aside and the others go
 * on; those set aside are thrown at the end (UnreadAuditLogFiles).
 */
async function* s3Files(client: S3Sender, bucket: string, prefix: string): AsyncGenerator<AuditLogFile> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = (await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }))) as {
      Contents?: { Key?: string }[];
      IsTruncated?: boolean;
      NextContinuationToken?: string;
    };
    for (const o of page.Contents ?? []) if (o.Key && !o.Key.endsWith('/')) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  keys.sort();
  const unread: UnreadAuditLogFile[] = [];
  const dir = await mkdtemp(path.join(tmpdir(), 'audit-log-'));
  try {
    for (const [i, key] of keys.entries()) {
      const shown = redact(`s3://${bucket}/${key}`);
      const local = path.join(dir, `object${path.extname(key)}`);
      let file: AuditLogFile;
      try {
        file = await fetchObject(client, bucket, key, local, shown);
      } catch (error) {
        unread.push({ name: shown, position: i + 1, error });
        await rm(local, { force: true });
        continue;
      }
      yield file;
      await rm(local, { force: true });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  if (unread.length) throw new UnreadAuditLogFiles(unread);
}

/** One object written to `local` and opened; S3's refusal by its name only (its message repeats the bucket and key as written). */
async function fetchObject(client: S3Sender, bucket: string, key: string, local: string, shown: string): Promise<AuditLogFile> {
  let got: { Body?: AsyncIterable<Uint8Array | string> | { transformToByteArray(): Promise<Uint8Array> } };
  try {
    got = (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))) as typeof got;
  } catch (error) {
    throw new InputError(`${shown}: the object could not be fetched (${(error as Error).name || 'error'})`);
  }
  const body = got.Body;
  // The SDK's body streams (and can give its bytes whole); it is written to the file as it comes.
  const chunks = !body ? [] : Symbol.asyncIterator in body ? body : [await body.transformToByteArray()];
  await writeFile(local, chunks, { mode: 0o600 });
  return openAuditLogFile(local, shown);
}

/** The readers the monitoring use cases take (lib/usecases/ports.ts). */
export function auditLogReaders(clients: { s3?: S3Sender; region?: string } = {}): AuditLogReaders {
  return {
    async *declared(log: AuditLogDeclaration, hashKey: string) {
      if ('path' in log) {
        const given = unseal(hashKey, log.path);
        let entries: Awaited<ReturnType<typeof entriesUnder>>;
        try {
          entries = await entriesUnder(given);
        } catch (error) {
          throw toReadError(given, error);
        }
        // A file declared alone that cannot be opened, or a folder that cannot be listed, is the
        // declared log's own failure, with its own reason.
        if (entries.length === 1 && entries[0]!.path === given) {
          if (entries[0]!.refused !== undefined) throw new InputError(`${redact(given)}: ${entries[0]!.refused}`);
          yield await openAuditLogFile(given);
          return;
        }
        // A folder: each file that cannot be opened is set aside and the rest are read; those
        // set aside are thrown at the end, so one bad file does not hide the others.
        const unread: UnreadAuditLogFile[] = [];
        for (const [i, entry] of entries.entries()) {
          let file: AuditLogFile;
          try {
            if (entry.refused !== undefined) throw new InputError(`${redact(entry.path)}: ${entry.refused}`);
            file = await openAuditLogFile(entry.path);
          } catch (error) {
            unread.push({ name: redact(path.basename(entry.path)), position: i + 1, error });
            continue;
          }
          yield file;
        }
        if (unread.length) throw new UnreadAuditLogFiles(unread);
        return;
      }
      const client = clients.s3 ?? new S3Client({ region: clients.region ?? 'ap-east-1', maxAttempts: 5 });
      yield* s3Files(client, log.bucket, unseal(hashKey, log.prefix));
    },
  };
}
