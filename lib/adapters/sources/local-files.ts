// Local files and folders as records, by format (file-kinds.ts): text in chunks of lines, CSV and
// TSV rows in chunks with each row's line and row and each cell's column, the strings of a JSON document
// with their pointers, the rows of every .xlsx sheet with their sheet, row and each cell's column. Each file ends with a report of what
// was read (or why it was skipped or failed), so that the rest go on: a folder that
// cannot be listed fails alone, and a FIFO, socket or device is refused before it is
// opened (read-error.ts).
import type { FileRead, FileReadOptions } from '../../usecases/ports.ts';
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SourceRecord } from '../../domain/detect/records.ts';
import { redactName } from '../../domain/detect/redact.ts';
import { isJsonName } from '../../domain/text/json-escapes.ts';
import { JsonStrings, JsonSyntaxError, type JsonString } from '../../domain/text/json-strings.ts';
import { TELEGRAM_FIRST_MESSAGE_CHARS, TelegramExport } from './telegram-export.ts';
import { JsonTableColumns } from './json-tables.ts';
import type { CsvProblem, CsvReport } from './csv-reader.ts';
import { DETECTION_SAMPLE_BYTES } from '../../domain/text/text-format.ts';
import { fileKind, notZipWorkbook, startsAsZip, TAB_TEXT_NAMES, textIsTable, zipContent } from './file-kinds.ts';
import { notRegular, openRegularFile, ReadError, reasonOf, statRegularFile, toReadError } from './read-error.ts';
import type { CsvFilePart, FilePart } from './file-parts.ts';
import { csvTableRecords, sheetTableRecords } from './table-records.ts';
import { readTextChunks, type ReadReport } from './text-reader.ts';
import { chunkRecords, lineEndsOf } from './text-records.ts';
import type { LineProblem } from './problems.ts';
import { maxChunkCharsOf } from './text-chunks.ts';

// The CSV and .xlsx readers (csv-parse, read-excel-file and its zip reader) load with
// the first such file: a scan of text never pays for them.

type FileRecords = AsyncGenerator<SourceRecord, FileRead>;

/**
 * A .json document is read for its strings and their pointers up to this size (of the
 * file, or of its byte budget); a larger one is scanned as text, in chunks of lines,
 * as fast as any text: strings one by one cost about ten times as much per byte.
 */
export const JSON_POINTERS_MAX_BYTES = 16 * 1024 * 1024;

/**
 * A .json file's start looked at for JSON Lines (jsonShape), at most: a first record longer
 * than this is taken for the start of one document (JSON Lines with records of a mebibyte
 * are rare; a minified document is one long line).
 */
const JSON_SHAPE_CHARS = 1024 * 1024;

/** A file found under a folder, or something there that is not read (with why). */
export type Entry = { path: string; refused?: undefined } | { path: string; refused: string };

/**
 * What is under `given` (itself when it is not a folder), in path order: each folder
 * listed on its own, so that one that cannot be listed is an entry with its reason
 * and the rest are still found. Throws only when `given` itself cannot be read.
 */
export async function entriesUnder(given: string): Promise<Entry[]> {
  const info = await stat(given);
  if (!info.isDirectory()) return [{ path: given }];
  const entries: Entry[] = [];
  const folders = [given];
  for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
    let listed: Dirent[];
    try {
      listed = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      entries.push({ path: folder, refused: `folder not read: ${reasonOf(error).reason}` });
      continue;
    }
    for (const e of listed) {
      const full = path.join(folder, e.name);
      if (e.isDirectory()) folders.push(full);
      else {
        const refused = notRegular(e);
        entries.push(refused === undefined ? { path: full } : { path: full, refused });
      }
    }
  }
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A file to read under the paths given (with its group: its path below the folder given), or a path not read and why. */
export type FileUnder = { path: string; group: string; refused?: undefined } | { path: string; refused: string };

/** Whether `inner` is `outer` or lies under it (both real, absolute paths). */
const within = (inner: string, outer: string): boolean => inner === outer || inner.startsWith(outer.endsWith(path.sep) ? outer : outer + path.sep);

/**
 * Every file under the paths given (files, or folders recursively), each once: in the
 * order the paths are given and, under a folder, in path order (entriesUnder), a file
 * that a path given before has already brought (`scan docs docs/hr docs/hr/a.txt`, or a
 * symbolic link given to a file given too) is left out, so it is read and reported once,
 * where it was first named. Files are told apart by their real path: the real path of
 * the path given and their path below it (links inside a folder are not followed, so
 * that is theirs); only paths given that overlap another are kept track of. A path
 * given that cannot be read at all is a refused entry (`no such file or folder`, once
 * however often it is named), and the rest go on.
 */
export async function* filesUnder(paths: readonly string[]): AsyncGenerator<FileUnder> {
  const reals = await Promise.all(paths.map((p) => realpath(p).catch(() => undefined)));
  const overlaps = reals.map((r, i) => r !== undefined && reals.some((o, j) => j !== i && o !== undefined && (within(r, o) || within(o, r))));
  const seen = new Set<string>();
  const missing = new Set<string>();
  for (const [i, given] of paths.entries()) {
    let entries: Entry[];
    try {
      entries = await entriesUnder(given);
    } catch (error) {
      const key = path.resolve(given);
      if (missing.has(key)) continue;
      missing.add(key);
      const code = (error as NodeJS.ErrnoException).code;
      yield { path: given, refused: code === 'ENOENT' ? 'no such file or folder' : toReadError(given, error).message };
      continue;
    }
    const real = overlaps[i] ? reals[i] : undefined;
    for (const entry of entries) {
      const below = path.relative(given, entry.path);
      if (real !== undefined) {
        const key = below === '' ? real : path.join(real, below);
        if (seen.has(key)) continue;
        seen.add(key);
      }
      yield entry.refused !== undefined ? { path: entry.path, refused: entry.refused } : { path: entry.path, group: below || path.basename(entry.path) };
    }
  }
}

/** The files a scan of `target` reads (a file, or those under a folder) and their bytes. */
export async function extentOf(target: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for (const entry of await entriesUnder(target)) {
    if (entry.refused !== undefined) continue;
    files++;
    bytes += (await stat(entry.path)).size;
  }
  return { files, bytes };
}

/** Bytes in a file, or in all the regular files under a folder. */
export async function sizeOf(target: string): Promise<number> {
  return (await extentOf(target)).bytes;
}

/** A text or CSV report as the file's read; skipped when the reader judged the file binary; its warning (lib/domain/text/text-format.ts) a problem at line 1. */
function textRead(file: string, format: 'text' | 'csv' | 'tsv' | 'json', report: ReadReport | undefined, problems: readonly (CsvProblem | LineProblem)[] = []): FileRead {
  if (report?.skipped) return { file, status: 'skipped', reason: report.skipped.reason };
  return {
    file,
    status: 'scanned',
    format,
    ...(report
      ? { encoding: report.encoding, bytesRead: report.bytesRead, bytesTotal: report.bytesTotal, truncated: report.truncated, replacedSequences: report.replacedSequences }
      : {}),
    ...(problems.length || report?.warning !== undefined
      ? { problems: [...(report?.warning !== undefined ? [{ line: 1, message: report.warning }] : []), ...problems.map((p) => ({ line: p.line, message: p.message }))] }
      : {}),
  };
}

async function* textRecords(file: string, group: string, options: FileReadOptions, part?: FilePart): FileRecords {
  let report: ReadReport | undefined;
  const json = isJsonName(file); // JSON Lines, or a document too large for its strings: escapes read
  const reading = readTextChunks(file, {
    maxChunkChars: options.maxChunkChars,
    ...(options.budgetBytes ? { budgetBytes: options.budgetBytes } : {}),
    ...(part ? { range: part, encoding: part.encoding } : {}),
    jsonEscapes: json,
    ...lineEndsOf(file, json),
    report: (r) => (report = r),
  });
  const problems: LineProblem[] = [];
  // a part's reader counts its lines from 1: they are moved to the whole file's (a card or calendar is never cut in parts)
  yield* chunkRecords(reading, {
    file,
    group,
    linesBefore: part === undefined ? 0 : part.line - 1,
    jsonEscapes: json,
    folded: part === undefined,
    maxChunkChars: maxChunkCharsOf(options),
    cut: () => report?.truncated === true,
    problems,
  });
  return textRead(file, 'text', report, problems);
}

/** The records of one part of a large text file (file-parts.ts), with the whole file's lines. */
export function readTextPartRecords(file: string, group: string, part: FilePart, options: FileReadOptions = {}): FileRecords {
  return textRecords(file, group, options, part);
}

async function* tableRecords(file: string, group: string, options: FileReadOptions, part?: CsvFilePart): FileRecords {
  let report: CsvReport | undefined;
  const { readCsvRows } = await import('./csv-reader.ts');
  yield* csvTableRecords(
    readCsvRows(file, { maxChunkChars: options.maxChunkChars, ...(options.budgetBytes ? { budgetBytes: options.budgetBytes } : {}), ...(part ? { part } : {}), headerRow: true, report: (r) => (report = r) }),
    file,
    group,
  );
  return textRead(file, path.extname(file).toLowerCase() === '.csv' ? 'csv' : 'tsv', report, report?.problems);
}

/**
 * The records of one part of a large CSV/TSV file (file-parts.ts, csvParts), with the
 * whole file's lines and rows and the header's column names.
 */
export async function* readCsvPartRecords(file: string, group: string, part: CsvFilePart, options: FileReadOptions = {}): FileRecords {
  try {
    return yield* tableRecords(file, group, options, part);
  } catch (error) {
    return failedRead(file, error);
  }
}

/**
 * An .xlsx workbook, every sheet, in records as a table's rows (sheetTableRecords). The
 * workbook is read whole (read-excel-file), so the byte budget does not apply;
 * `budgetRecords` limits the data rows (the first N, over all the sheets).
 */
async function* xlsxRecords(file: string, group: string, options: FileReadOptions): FileRecords {
  const bytesTotal = (await statRegularFile(file)).size;
  let truncated = false;
  const { readXlsxSheets } = await import('./xlsx-reader.ts');
  const reading = readXlsxSheets(file, { ...(options.budgetRecords ? { budgetRecords: options.budgetRecords } : {}), report: (r) => (truncated = r.truncated) });
  yield* sheetTableRecords(withNotZipSaid(file, reading), file, group);
  return { file, status: 'scanned', format: 'xlsx', bytesRead: bytesTotal, bytesTotal, truncated };
}

/**
 * The rows of `reading`, a workbook named `.xlsx`; should the reader refuse it (unreadable,
 * or over its size limit) and its bytes be no ZIP archive at all (a CSV export named
 * .xlsx), the error says what they look like (notZipWorkbook) instead of what the ZIP
 * reader missed ("no zip central directory") or how large a workbook may be.
 */
async function* withNotZipSaid<T>(file: string, reading: AsyncGenerator<T>): AsyncGenerator<T> {
  try {
    yield* reading;
  } catch (error) {
    if (!(error instanceof ReadError) || (error.code !== 'EBADXLSX' && error.code !== 'EFBIG')) throw error;
    const why = await lookAt(file, async (head, size) => notZipWorkbook(head, size));
    if (why === undefined) throw error;
    throw new ReadError(file, 'EBADXLSX', why);
  }
}

/** Characters of a JSON key kept in a pointer (json-strings.ts cuts longer ones, with '…'). */
const JSON_KEY_CHARS = 256;
const longKeyRedacted = (key: string): string => (key.length > JSON_KEY_CHARS ? redactName(key) : key);

/** What the start of a `.json` file shows it holds: JSON Lines (one value per line), one JSON document, or not yet known. */
type JsonShape = 'lines' | 'document' | undefined;

/**
 * JSON Lines (NDJSON, each line a JSON value) saved as `.json`: the first line that is not
 * blank is a whole JSON object or array, and another line that is not blank follows it.
 * One JSON document can never look so (a whole value and more text is not JSON), so
 * nothing valid is read as lines. `text` is the start of the file (its first chunks),
 * `more` whether more may be looked at; undefined when the start cannot tell yet (the
 * first line goes on past `text`, or is whole but nothing follows it there).
 */
export function jsonShape(text: string, more: boolean): JsonShape {
  const start = text.search(/\S/);
  if (start < 0) return more ? undefined : 'document';
  const c = text.charCodeAt(start);
  if (c !== 0x7b && c !== 0x5b) return 'document'; // '{' or '['
  const nl = text.indexOf('\n', start);
  if (nl < 0) return more ? undefined : 'document'; // the first line goes on: more text decides, else one document
  NOT_BLANK.lastIndex = nl + 1;
  const next = NOT_BLANK.test(text);
  if (!next && !more) return 'document';
  try {
    const value: unknown = JSON.parse(text.slice(start, nl));
    if (typeof value !== 'object' || value === null) return 'document';
  } catch {
    return 'document';
  }
  return next ? 'lines' : undefined;
}
const NOT_BLANK = /\S/g;

/**
 * A JSON document, streamed (json-strings.ts): records carry the pointer of their
 * string, its keys as written (the detectors read a phone key in it: records.ts), but
 * for one longer than the pointer keeps, which is redacted as a name before it is cut
 * (a cut could leave half an identifier for a later redaction to miss); the scan
 * redacts each key of a pointer as a name before it shows it (scan-files.ts). The byte
 * budget applies. Bad JSON, or nesting
 * deeper than the limit, fails the file with the line and column, never the text: the
 * strings before the error are scanned and their findings kept, the rest of the file is
 * not read (the read says `truncated`). JSON Lines saved as `.json` (jsonShape) are read
 * as a `.jsonl` file is, as text. A Telegram chat export is read as chat messages
 * (telegram-export.ts), whatever its size; any other document beyond
 * JSON_POINTERS_MAX_BYTES as text, once its start has shown it is no such export (as it
 * was before it was read so, a document not valid JSON there is read as text too).
 */
async function* jsonRecords(file: string, group: string, options: FileReadOptions): FileRecords {
  const { size } = await statRegularFile(file);
  const large = Math.min(size, options.budgetBytes ?? Infinity) > JSON_POINTERS_MAX_BYTES;
  let report: ReadReport | undefined;
  const strings = new JsonStrings({ keyToken: longKeyRedacted, maxKeyChars: JSON_KEY_CHARS, numbers: true, lines: true });
  let out: SourceRecord[] = [];
  const tables = new JsonTableColumns(); // a table written as arrays, its first row the header
  const asString = ({ text, pointer, repeatedFrom }: JsonString) => {
    const column = tables.columnOf(pointer, text);
    out.push({ group, sender: '', text, at: { file, pointer, ...(column !== undefined ? { column } : {}) }, ...(repeatedFrom !== undefined ? { repeatedFrom } : {}) });
  };
  const telegram = new TelegramExport(file, group, (record) => out.push(record), asString);
  const emit = (s: JsonString) => telegram.take(s);
  let read = 0; // characters of the document pushed
  const reading = readTextChunks(file, {
    maxChunkChars: options.maxChunkChars,
    ...(options.budgetBytes ? { budgetBytes: options.budgetBytes } : {}),
    report: (r) => (report = r),
  });
  // The first chunks are held until the file's shape is known: up to the first line's end
  // and the next line's start, or JSON_SHAPE_CHARS (then one document).
  let held: string[] | undefined = [];
  let heldText = ''; // held's text, added to as it comes (not joined again for each chunk)
  let blank = true; // nothing but white space read yet
  try {
    for await (const chunk of reading) {
      const text = chunk.overlap ? chunk.text.slice(chunk.overlap) : chunk.text;
      if (blank) blank = !/\S/.test(text);
      if (held !== undefined) {
        held.push(text);
        heldText += text;
        const shape = jsonShape(heldText, heldText.length < JSON_SHAPE_CHARS);
        if (shape === undefined) continue;
        if (shape === 'lines') {
          await reading.return(undefined);
          return yield* textRecords(file, group, options);
        }
        for (const t of held) strings.push(t, emit);
        read = heldText.length;
        held = undefined;
      } else {
        strings.push(text, emit);
        read += text.length;
      }
      if (read > TELEGRAM_FIRST_MESSAGE_CHARS) telegram.notRecognised();
      if (large && telegram.recognised === false) {
        await reading.return(undefined);
        return yield* textRecords(file, group, options);
      }
      yield* out;
      out = [];
    }
    for (const t of held ?? []) strings.push(t, emit);
    // an empty (or blank) .json file holds nothing to find: read, and said so, not failed
    if (blank && !report?.skipped && !report?.truncated) return textRead(file, 'json', report, [{ line: 1, code: 'JSON_EMPTY', message: 'no JSON value: the file is empty or blank' }]);
    if (!report?.skipped && !report?.truncated) strings.end(emit);
    telegram.end();
    yield* out;
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    await reading.return(undefined);
    if (large && !telegram.recognised) return yield* textRecords(file, group, options);
    telegram.end();
    yield* out; // the strings completed before the error
    return {
      file,
      status: 'failed',
      format: 'json',
      ...(report ? { encoding: report.encoding } : {}),
      truncated: true,
      reason: `not valid JSON: ${error.message} (read up to there: the findings before it are reported)`,
    };
  }
  return textRead(file, 'json', report);
}

/** Bytes of a file from `position`: `length`, or fewer at its end. */
type ReadAt = (position: number, length: number) => Promise<Uint8Array>;

/**
 * What `look` makes of a regular file's first bytes (up to DETECTION_SAMPLE_BYTES; `size`
 * its size, `readAt` its other bytes); undefined when the file cannot be read, which its
 * reader then reports.
 */
async function lookAt<T>(file: string, look: (head: Uint8Array, size: number, readAt: ReadAt) => Promise<T>): Promise<T | undefined> {
  try {
    const { handle, size } = await openRegularFile(file);
    try {
      const readAt: ReadAt = async (position, length) => {
        const { buffer, bytesRead } = await handle.read(new Uint8Array(length), 0, length, position);
        return buffer.subarray(0, bytesRead);
      };
      return await look(await readAt(0, Math.min(size, DETECTION_SAMPLE_BYTES)), size, readAt);
    } finally {
      await handle.close().catch(() => undefined);
    }
  } catch {
    return undefined;
  }
}

/**
 * A file read by its name as text, a table, JSON or an e-mail (`kind`), unless its bytes
 * show it is something else (file-kinds.ts): a `.txt` or `.xls` of tab-separated columns
 * (textIsTable: Excel's "Unicode Text" export) is read as a table, decided from its first
 * bytes before it is read; and a file its reader skips as binary is looked at again, once
 * (so that text, the rule, costs no second open): a ZIP archive whose directory names a
 * workbook's part is an .xlsx workbook renamed (an export saved as `.csv`, or with no
 * extension), read as one (its read's format says `xlsx`); another ZIP archive is skipped
 * as the archive it is.
 */
async function* contentRecords(file: string, group: string, options: FileReadOptions, kind: 'json' | 'table' | 'mail' | 'text'): FileRecords {
  if (kind === 'mail') return yield* mailRecords(file, group, options);
  let table = kind === 'table';
  if (kind === 'text' && TAB_TEXT_NAMES.has(path.extname(file).toLowerCase())) table = (await lookAt(file, async (head, size) => textIsTable(file, head, head.length >= size))) ?? false;
  const read = yield* kind === 'json' ? jsonRecords(file, group, options) : table ? tableRecords(file, group, options) : textRecords(file, group, options);
  if (read.status !== 'skipped' || !read.reason?.startsWith('binary')) return read;
  const zip = await zipOf(file);
  if (zip === 'workbook') return yield* xlsxRecords(file, group, options);
  if (zip === 'archive') return { file, status: 'skipped', reason: 'not a supported format (a ZIP archive, not itself an .xlsx workbook: unpack it to scan its files)' };
  return read;
}

/** What a file whose bytes are a ZIP archive holds (zipContent); undefined when they are not one, or it cannot be read. */
const zipOf = (file: string) => lookAt(file, async (head, size, readAt) => (startsAsZip(head) ? zipContent(size, readAt) : undefined));

/** Whether a file is an .xlsx workbook by its bytes, whatever its name (an export renamed `.csv`). */
export async function workbookByBytes(file: string): Promise<boolean> {
  return (await zipOf(file)) === 'workbook';
}

/**
 * An e-mail (mail-reader.ts): its parts decoded, each placed by a pointer; the attachments
 * it cannot read are problems at line 1. One larger than MAIL_MAX_BYTES, or than the byte
 * budget, is read as text.
 */
async function* mailRecords(file: string, group: string, options: FileReadOptions): FileRecords {
  const { size } = await statRegularFile(file);
  const { readMail, MAIL_MAX_BYTES } = await import('./mail-reader.ts');
  if (size > MAIL_MAX_BYTES || size > (options.budgetBytes ?? Infinity)) return yield* textRecords(file, group, options);
  const read = { problems: [] as string[] };
  try {
    yield* readMail(file, group, read);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== undefined) throw error; // the file could not be read: failed as any file is
    return { file, status: 'failed', format: 'eml', reason: `not a readable e-mail: ${(error as Error).message}` };
  }
  return {
    file,
    status: 'scanned',
    format: 'eml',
    bytesRead: size,
    bytesTotal: size,
    truncated: false,
    ...(read.problems.length > 0 ? { problems: read.problems.map((message) => ({ line: 1, message })) } : {}),
  };
}

/** The reader for a file's format, or its read when no reader takes it. */
function formatRecords(file: string, group: string, options: FileReadOptions): FileRecords | FileRead {
  const kind = fileKind(file);
  if (kind === 'xlsx') return xlsxRecords(file, group, options);
  if (kind === 'unsupported') return { file, status: 'skipped', reason: `not a supported format (${path.extname(file).toLowerCase()})` };
  return contentRecords(file, group, options, kind);
}

const failedRead = (file: string, error: unknown): FileRead => ({ file, status: 'failed', reason: (error as Error).message });

/**
 * The records of one file, by its extension; a file that cannot be read, or is not a
 * regular file, fails; one in no supported format is skipped.
 */
export async function* readFileRecords(file: string, group: string, options: FileReadOptions = {}): FileRecords {
  const records = formatRecords(file, group, options);
  if (!(Symbol.asyncIterator in records)) return records;
  try {
    return yield* records;
  } catch (error) {
    return failedRead(file, error);
  }
}

/**
 * The records of every file under the paths given (files, or folders recursively; each
 * file once: filesUnder), each file's group its path below the folder given (its name
 * when a file is given). `onFile` gets each file's read as the file is done; a path that
 * cannot be listed, a folder that cannot be read and anything that is not a regular file
 * are failed reads, and the rest go on. (Each file's reader is delegated to directly,
 * not through readFileRecords: one generator fewer for every record to pass through.)
 */
export async function* readPathRecords(paths: readonly string[], options: FileReadOptions, onFile: (read: FileRead) => void): AsyncGenerator<SourceRecord> {
  for await (const entry of filesUnder(paths)) {
    if (entry.refused !== undefined) {
      onFile({ file: entry.path, status: 'failed', reason: entry.refused });
      continue;
    }
    const records = formatRecords(entry.path, entry.group, options);
    if (!(Symbol.asyncIterator in records)) onFile(records);
    else {
      try {
        onFile(yield* records);
      } catch (error) {
        onFile(failedRead(entry.path, error));
      }
    }
  }
}
