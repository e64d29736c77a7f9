// Ad hoc scan of local files and folders (`compliance scan PATH...`): each file is
// read in bounded chunks, every chunk goes through the detectors, and each finding
// keeps only its masked form (and a keyed hash when a key is configured) — never
// the raw value.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { readCsvRecords, type CsvReport } from './csv-reader.ts';
import { detect, type Detection, type FindingType } from './detect.ts';
import { keyedHash, mask } from './mask.ts';
import { CHUNK_OVERLAP, readTextChunks, type ReadReport } from './text-reader.ts';

export interface Finding {
  type: FindingType;
  /** The path as given (joined with the name inside a folder given). */
  file: string;
  /** 1-based line where the finding starts (text files, and the record's line in CSV/TSV). */
  line: number;
  /** CSV/TSV: 1-based data row and the column's header name. */
  row?: number;
  column?: string;
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
  format?: 'text' | 'csv' | 'tsv';
  encoding?: string;
  bytesRead?: number;
  bytesTotal?: number;
  truncated?: boolean;
  replacedSequences?: number;
  problems?: { line: number; message: string }[];
  findings: number;
}

export interface ScanResult {
  findings: Finding[];
  files: FileResult[];
  counts: Partial<Record<FindingType, number>>;
}

export interface ScanOptions {
  hashKey?: string | Uint8Array;
  /** Bytes read per file at most (the sampling budget). */
  budgetBytes?: number;
}

const TEXT = new Set(['.txt', '.log', '.md', '.jsonl', '.ndjson', '.json', '']);
const TABLE = new Set(['.csv', '.tsv', '.tab']);

async function filesUnder(given: string): Promise<string[]> {
  const info = await stat(given);
  if (!info.isDirectory()) return [given];
  const entries = await readdir(given, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

function finding(d: Detection, where: Omit<Finding, 'type' | 'masked' | 'hash' | 'country'>, options: ScanOptions): Finding {
  return {
    type: d.type,
    ...where,
    masked: mask(d),
    ...(options.hashKey ? { hash: keyedHash(options.hashKey, d) } : {}),
    ...(d.country ? { country: d.country } : {}),
  };
}

/** 1-based line of `offset` in a chunk that starts on `line`. */
function lineAt(text: string, offset: number, line: number, from = 0, at = line): number {
  let n = at;
  for (let i = text.indexOf('\n', from); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

async function scanText(file: string, options: ScanOptions, out: Finding[]): Promise<ReadReport | undefined> {
  let report: ReadReport | undefined;
  // When a long line goes on in the next chunk, that chunk starts again with this
  // chunk's last CHUNK_OVERLAP characters: detections starting there are left to it,
  // which sees them whole (identifiers are shorter than the overlap).
  let held: { d: Detection; line: number; tailStart: number }[] = [];
  for await (const chunk of readTextChunks(file, { ...(options.budgetBytes ? { budgetBytes: options.budgetBytes } : {}), report: (r) => (report = r) })) {
    const keep = chunk.continued ? held.filter((h) => h.d.start < h.tailStart) : held;
    for (const h of keep) out.push(finding(h.d, { file, line: h.line }, options));
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
  for (const h of held) out.push(finding(h.d, { file, line: h.line }, options));
  return report;
}

async function scanTable(file: string, options: ScanOptions, out: Finding[]): Promise<CsvReport | undefined> {
  let report: CsvReport | undefined;
  for await (const record of readCsvRecords(file, { ...(options.budgetBytes ? { budgetBytes: options.budgetBytes } : {}), report: (r) => (report = r) })) {
    for (const [column, value] of Object.entries(record.cells)) {
      for (const d of detect(value)) {
        out.push(finding(d, { file, line: lineAt(value, d.start, record.line), row: record.row, column }, options));
      }
    }
  }
  return report;
}

export async function scanFile(file: string, options: ScanOptions = {}): Promise<{ result: FileResult; findings: Finding[] }> {
  const ext = path.extname(file).toLowerCase();
  const findings: Finding[] = [];
  if (!TEXT.has(ext) && !TABLE.has(ext)) {
    return { result: { file, status: 'skipped', reason: `not a supported format (${ext})`, findings: 0 }, findings };
  }
  try {
    const table = TABLE.has(ext);
    const report = table ? await scanTable(file, options, findings) : await scanText(file, options, findings);
    if (report?.skipped) return { result: { file, status: 'skipped', reason: report.skipped.reason, findings: 0 }, findings: [] };
    const csv = table ? (report as CsvReport | undefined) : undefined;
    return {
      result: {
        file,
        status: 'scanned',
        format: table ? (ext === '.csv' ? 'csv' : 'tsv') : 'text',
        ...(report
          ? { encoding: report.encoding, bytesRead: report.bytesRead, bytesTotal: report.bytesTotal, truncated: report.truncated, replacedSequences: report.replacedSequences }
          : {}),
        ...(csv?.problems?.length ? { problems: csv.problems.map((p) => ({ line: p.line, message: p.message })) } : {}),
        findings: findings.length,
      },
      findings,
    };
  } catch (error) {
    return { result: { file, status: 'failed', reason: (error as Error).message, findings: 0 }, findings: [] };
  }
}

/** Scans every path (files, or folders recursively); an unreadable one is recorded as failed and the rest go on. */
export async function scanPaths(paths: string[], options: ScanOptions = {}): Promise<ScanResult> {
  const result: ScanResult = { findings: [], files: [], counts: {} };
  for (const given of paths) {
    let files: string[];
    try {
      files = await filesUnder(given);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      result.files.push({ file: given, status: 'failed', reason: code === 'ENOENT' ? 'no such file or folder' : (error as Error).message, findings: 0 });
      continue;
    }
    for (const file of files) {
      const { result: fileResult, findings } = await scanFile(file, options);
      result.files.push(fileResult);
      for (const f of findings) {
        result.findings.push(f);
        result.counts[f.type] = (result.counts[f.type] ?? 0) + 1;
      }
    }
  }
  return result;
}
