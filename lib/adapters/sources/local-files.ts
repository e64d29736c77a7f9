// Local files and folders as records, by format: text files in chunks of lines, CSV and
// TSV cells with their line, row and column, the strings of a JSON document with their
// pointers, .xlsx cells with their row and column. Each file ends with a report of what
// was read (or why it was skipped or failed), so that the rest go on.
import type { FileRead, FileReadOptions } from '../../usecases/ports.ts';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SourceRecord } from '../../domain/detect/records.ts';
import { readCsvRecords, type CsvProblem, type CsvReport } from './csv-reader.ts';
import { readTextChunks, type ReadReport } from './text-reader.ts';
import { readXlsxRows } from './xlsx-reader.ts';

/** What was read of one file; the scan adds the findings it made. */

type FileRecords = AsyncGenerator<SourceRecord, FileRead>;

const TEXT = new Set(['.txt', '.log', '.md', '.jsonl', '.ndjson', '']);
const TABLE = new Set(['.csv', '.tsv', '.tab']);
/** A .json document is parsed whole to give pointers; larger ones are read as text. */
const JSON_WHOLE_MAX_BYTES = 64 * 1024 * 1024;
const DEFAULT_CHUNK_CHARS = 256 * 1024;

/** The files under `given` (itself when it is a file), in name order. */
async function filesUnder(given: string): Promise<string[]> {
  const info = await stat(given);
  if (!info.isDirectory()) return [given];
  const entries = await readdir(given, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** Bytes in a file, or in all the files under a folder. */
export async function sizeOf(target: string): Promise<number> {
  let total = 0;
  for (const file of await filesUnder(target)) total += (await stat(file)).size;
  return total;
}

/** A text or CSV report as the file's read; skipped when the reader judged the file binary. */
function textRead(file: string, format: 'text' | 'csv' | 'tsv', report: ReadReport | undefined, problems: readonly CsvProblem[] = []): FileRead {
  if (report?.skipped) return { file, status: 'skipped', reason: report.skipped.reason };
  return {
    file,
    status: 'scanned',
    format,
    ...(report
      ? { encoding: report.encoding, bytesRead: report.bytesRead, bytesTotal: report.bytesTotal, truncated: report.truncated, replacedSequences: report.replacedSequences }
      : {}),
    ...(problems.length ? { problems: problems.map((p) => ({ line: p.line, message: p.message })) } : {}),
  };
}

async function* textRecords(file: string, group: string, options: FileReadOptions): FileRecords {
  let report: ReadReport | undefined;
  const reading = readTextChunks(file, {
    maxChunkChars: options.maxChunkChars ?? DEFAULT_CHUNK_CHARS,
    ...(options.budgetBytes ? { budgetBytes: options.budgetBytes } : {}),
    report: (r) => (report = r),
  });
  for await (const { text, line, repeatedFrom } of reading) {
    yield { group, sender: '', text, at: { file, line }, ...(repeatedFrom !== undefined ? { repeatedFrom } : {}) };
  }
  return textRead(file, 'text', report);
}

async function* tableRecords(file: string, group: string, options: FileReadOptions): FileRecords {
  let report: CsvReport | undefined;
  for await (const record of readCsvRecords(file, { ...(options.budgetBytes ? { budgetBytes: options.budgetBytes } : {}), report: (r) => (report = r) })) {
    for (const [column, text] of Object.entries(record.cells)) yield { group, sender: '', text, at: { file, line: record.line, row: record.row, column } };
  }
  return textRead(file, path.extname(file).toLowerCase() === '.csv' ? 'csv' : 'tsv', report, report?.problems);
}

/**
 * An .xlsx workbook (first sheet): records carry the data row and the column's
 * header name, as in CSV, and no line. The workbook is read whole (read-excel-file),
 * so the byte budget does not apply; `budgetRecords` limits the rows (the first N).
 */
async function* xlsxRecords(file: string, group: string, options: FileReadOptions): FileRecords {
  const bytesTotal = (await stat(file)).size;
  let rows = 0;
  for await (const record of readXlsxRows(file, options.budgetRecords ? { budgetRecords: options.budgetRecords } : {})) {
    rows++;
    for (const [column, text] of Object.entries(record.cells)) yield { group, sender: '', text, at: { file, row: record.row, column } };
  }
  const truncated = options.budgetRecords !== undefined && rows >= options.budgetRecords;
  return { file, status: 'scanned', format: 'xlsx', bytesRead: bytesTotal, bytesTotal, truncated };
}

const pointerToken = (key: string | number) => String(key).replaceAll('~', '~0').replaceAll('/', '~1');

/** Every string in a JSON document (keys too), with its JSON pointer. */
function* jsonStrings(value: unknown, pointer = ''): Generator<[string, string]> {
  if (typeof value === 'string') yield [pointer, value];
  else if (Array.isArray(value)) for (const [i, item] of value.entries()) yield* jsonStrings(item, `${pointer}/${i}`);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      yield [`${pointer}/${pointerToken(key)}`, key];
      yield* jsonStrings(item, `${pointer}/${pointerToken(key)}`);
    }
  }
}

/** A JSON document: records carry the pointer of their string; bad JSON fails with where. */
async function* jsonRecords(file: string, group: string): FileRecords {
  const bytes = await readFile(file);
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder('utf-8').decode(bytes));
  } catch (error) {
    return { file, status: 'failed', reason: `not valid JSON: ${(error as Error).message}` };
  }
  for (const [pointer, text] of jsonStrings(document)) yield { group, sender: '', text, at: { file, pointer } };
  return { file, status: 'scanned', format: 'json', encoding: 'utf-8', bytesRead: bytes.length, bytesTotal: bytes.length, truncated: false };
}

/** The records of one file, by its extension; a file that cannot be read fails, one in no supported format is skipped. */
export async function* readFileRecords(file: string, group: string, options: FileReadOptions = {}): FileRecords {
  const ext = path.extname(file).toLowerCase();
  try {
    if (ext === '.json' && (await stat(file)).size <= JSON_WHOLE_MAX_BYTES && !options.budgetBytes) return yield* jsonRecords(file, group);
    if (ext === '.xlsx') return yield* xlsxRecords(file, group, options);
    if (TABLE.has(ext)) return yield* tableRecords(file, group, options);
    if (TEXT.has(ext) || ext === '.json') return yield* textRecords(file, group, options);
    return { file, status: 'skipped', reason: `not a supported format (${ext})` };
  } catch (error) {
    return { file, status: 'failed', reason: (error as Error).message };
  }
}

/**
 * The records of every file under the paths given (files, or folders recursively),
 * each file's group its path below the folder given (its name when a file is given).
 * `onFile` gets each file's read as the file is done; a path that cannot be listed is
 * a failed read, and the rest go on.
 */
export async function* readPathRecords(paths: readonly string[], options: FileReadOptions, onFile: (read: FileRead) => void): AsyncGenerator<SourceRecord> {
  for (const given of paths) {
    let files: string[];
    try {
      files = await filesUnder(given);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      onFile({ file: given, status: 'failed', reason: code === 'ENOENT' ? 'no such file or folder' : (error as Error).message });
      continue;
    }
    for (const file of files) onFile(yield* readFileRecords(file, path.relative(given, file) || path.basename(file), options));
  }
}
