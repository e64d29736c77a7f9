// Ad hoc scan of local files and folders (`compliance scan PATH...`): each file is
// read in bounded chunks, every chunk goes through the detectors, and each finding
// keeps only its masked form (and a keyed hash when a key is configured), never
// the raw value. Findings go to a sink as they are found, so memory stays bounded
// however large the file and however many findings it holds.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { readCsvRecords, type CsvReport } from './csv-reader.ts';
import { detect, type Detection, type FindingType } from '../../domain/detect/detect.ts';
import { keyedHash, mask } from '../../domain/detect/mask.ts';
import { CHUNK_OVERLAP } from './text-chunks.ts';
import { readTextChunks, type ReadReport } from './text-reader.ts';
import { readXlsxRows } from './xlsx-reader.ts';

export interface Finding {
  type: FindingType;
  /** The path as given (joined with the name inside a folder given). */
  file: string;
  /** 1-based line where the finding starts (text files, and the record's line in CSV/TSV). */
  line?: number;
  /** CSV/TSV/XLSX: 1-based data row and the column's header name. */
  row?: number;
  column?: string;
  /** JSON: the JSON pointer (RFC 6901) of the string that holds it. */
  pointer?: string;
  masked: string;
  /** HMAC-SHA-256 of the canonical value, when a hash key is configured. */
  hash?: string;
  /** Where the identifier points (HK, CN, or an IBAN's country). */
  country?: string;
}

export interface FileResult {
  file: string;
  status: 'scanned' | 'skipped' | 'failed';
  reason?: string;
  format?: 'text' | 'csv' | 'tsv' | 'json' | 'xlsx';
  encoding?: string;
  bytesRead?: number;
  bytesTotal?: number;
  truncated?: boolean;
  replacedSequences?: number;
  problems?: { line: number; message: string }[];
  findings: number;
}

export interface ScanSummary {
  files: FileResult[];
  counts: Partial<Record<FindingType, number>>;
}

export interface ScanResult extends ScanSummary {
  findings: Finding[];
}

export interface ScanOptions {
  hashKey?: string | Uint8Array;
  /** Bytes read per file at most (the sampling budget). */
  budgetBytes?: number;
  /** .xlsx: data rows read per workbook at most (a workbook is read whole, so bytes cannot bound it). */
  budgetRecords?: number;
  /** Characters per chunk handed to the detectors (smaller: less memory). */
  maxChunkChars?: number;
}

type Sink = (finding: Finding) => void;

const TEXT = new Set(['.txt', '.log', '.md', '.jsonl', '.ndjson', '']);
const TABLE = new Set(['.csv', '.tsv', '.tab']);
/** A .json document is parsed whole to give pointers; larger ones are read as text. */
const JSON_WHOLE_MAX_BYTES = 64 * 1024 * 1024;
const DEFAULT_CHUNK_CHARS = 256 * 1024;

async function filesUnder(given: string): Promise<string[]> {
  const info = await stat(given);
  if (!info.isDirectory()) return [given];
  const entries = await readdir(given, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

function finding(d: Detection, where: Pick<Finding, 'file' | 'line' | 'row' | 'column' | 'pointer'>, options: ScanOptions): Finding {
  return {
    type: d.type,
    ...where,
    masked: mask(d),
    ...(options.hashKey ? { hash: keyedHash(options.hashKey, d) } : {}),
    ...(d.country ? { country: d.country } : {}),
  };
}

/** 1-based line of `offset` in a text that starts on `line`, counting newlines after `from` (where the line was `at`). */
function lineAt(text: string, offset: number, line: number, from = 0, at = line): number {
  let n = at;
  for (let i = text.indexOf('\n', from); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

async function scanText(file: string, options: ScanOptions, sink: Sink): Promise<ReadReport | undefined> {
  let report: ReadReport | undefined;
  // When a long line goes on in the next chunk, that chunk starts again with this
  // chunk's last CHUNK_OVERLAP characters: detections starting there are left to it,
  // which sees them whole (identifiers are shorter than the overlap).
  let held: { d: Detection; line: number; tailStart: number }[] = [];
  const reading = readTextChunks(file, {
    maxChunkChars: options.maxChunkChars ?? DEFAULT_CHUNK_CHARS,
    ...(options.budgetBytes ? { budgetBytes: options.budgetBytes } : {}),
    report: (r) => (report = r),
  });
  for await (const chunk of reading) {
    for (const h of chunk.continued ? held.filter((x) => x.d.start < x.tailStart) : held) sink(finding(h.d, { file, line: h.line }, options));
    held = [];
    let line = chunk.line;
    let scanned = 0;
    const tailStart = chunk.text.length - CHUNK_OVERLAP;
    for (const d of detect(chunk.text)) {
      line = lineAt(chunk.text, d.start, chunk.line, scanned, line);
      scanned = d.start;
      held.push({ d, line, tailStart });
    }
  }
  for (const h of held) sink(finding(h.d, { file, line: h.line }, options));
  return report;
}

async function scanTable(file: string, options: ScanOptions, sink: Sink): Promise<CsvReport | undefined> {
  let report: CsvReport | undefined;
  for await (const record of readCsvRecords(file, { ...(options.budgetBytes ? { budgetBytes: options.budgetBytes } : {}), report: (r) => (report = r) })) {
    for (const [column, value] of Object.entries(record.cells)) {
      for (const d of detect(value)) sink(finding(d, { file, line: lineAt(value, d.start, record.line), row: record.row, column }, options));
    }
  }
  return report;
}

/**
 * An .xlsx workbook (first sheet): findings carry the data row and the column's
 * header name, as in CSV, and no line. The workbook is read whole (read-excel-file),
 * so the byte budget does not apply; `budgetRecords` limits the rows (the first N).
 */
async function scanXlsx(file: string, options: ScanOptions, sink: Sink): Promise<FileResult> {
  const bytesTotal = (await stat(file)).size;
  let rows = 0;
  let count = 0;
  for await (const record of readXlsxRows(file, options.budgetRecords ? { budgetRecords: options.budgetRecords } : {})) {
    rows++;
    for (const [column, value] of Object.entries(record.cells)) {
      for (const d of detect(value)) {
        sink(finding(d, { file, row: record.row, column }, options));
        count++;
      }
    }
  }
  const truncated = options.budgetRecords !== undefined && rows >= options.budgetRecords;
  return { file, status: 'scanned', format: 'xlsx', bytesRead: bytesTotal, bytesTotal, truncated, findings: count };
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

/** A JSON document: findings carry the pointer of the string they are in; bad JSON says where. */
async function scanJson(file: string, options: ScanOptions, sink: Sink): Promise<FileResult | undefined> {
  const bytes = await readFile(file);
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder('utf-8').decode(bytes));
  } catch (error) {
    return { file, status: 'failed', reason: `not valid JSON: ${(error as Error).message}`, findings: 0 };
  }
  let count = 0;
  for (const [pointer, text] of jsonStrings(document)) {
    for (const d of detect(text)) {
      sink(finding(d, { file, pointer }, options));
      count++;
    }
  }
  return { file, status: 'scanned', format: 'json', encoding: 'utf-8', bytesRead: bytes.length, bytesTotal: bytes.length, truncated: false, findings: count };
}

/** Scans one file, handing each finding to `sink`; failures and skips come back as the file's result. */
export async function scanFile(file: string, options: ScanOptions, sink: Sink): Promise<FileResult> {
  const ext = path.extname(file).toLowerCase();
  let count = 0;
  const counted: Sink = (f) => {
    count++;
    sink(f);
  };
  try {
    if (ext === '.json') {
      const size = (await stat(file)).size;
      if (size <= JSON_WHOLE_MAX_BYTES && !options.budgetBytes) return (await scanJson(file, options, sink)) as FileResult;
    } else if (ext === '.xlsx') {
      return await scanXlsx(file, options, counted);
    } else if (!TEXT.has(ext) && !TABLE.has(ext)) {
      return { file, status: 'skipped', reason: `not a supported format (${ext})`, findings: 0 };
    }
    const table = TABLE.has(ext);
    const report = table ? await scanTable(file, options, counted) : await scanText(file, options, counted);
    if (report?.skipped) return { file, status: 'skipped', reason: report.skipped.reason, findings: 0 };
    const problems = table ? (report as CsvReport | undefined)?.problems : undefined;
    return {
      file,
      status: 'scanned',
      format: table ? (ext === '.csv' ? 'csv' : 'tsv') : 'text',
      ...(report
        ? { encoding: report.encoding, bytesRead: report.bytesRead, bytesTotal: report.bytesTotal, truncated: report.truncated, replacedSequences: report.replacedSequences }
        : {}),
      ...(problems?.length ? { problems: problems.map((p) => ({ line: p.line, message: p.message })) } : {}),
      findings: count,
    };
  } catch (error) {
    return { file, status: 'failed', reason: (error as Error).message, findings: 0 };
  }
}

/**
 * Scans every path (files, or folders recursively), handing findings to `sink`; an
 * unreadable path is recorded as failed and the rest go on.
 */
export async function scanPathsTo(paths: string[], options: ScanOptions, sink: Sink): Promise<ScanSummary> {
  const summary: ScanSummary = { files: [], counts: {} };
  const counting: Sink = (f) => {
    summary.counts[f.type] = (summary.counts[f.type] ?? 0) + 1;
    sink(f);
  };
  for (const given of paths) {
    let files: string[];
    try {
      files = await filesUnder(given);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      summary.files.push({ file: given, status: 'failed', reason: code === 'ENOENT' ? 'no such file or folder' : (error as Error).message, findings: 0 });
      continue;
    }
    for (const file of files) summary.files.push(await scanFile(file, options, counting));
  }
  return summary;
}

/** The same, collecting the findings (for callers that want them all at once). */
export async function scanPaths(paths: string[], options: ScanOptions = {}): Promise<ScanResult> {
  const findings: Finding[] = [];
  const summary = await scanPathsTo(paths, options, (f) => findings.push(f));
  return { findings, ...summary };
}
