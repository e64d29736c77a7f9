// Ad hoc scan of local files and folders (`compliance scan PATH...`): each file's
// records go through the detectors, and each finding keeps only its masked form (and a
// keyed hash when a key is configured), never the raw value. Findings go to a sink as
// they are found, so memory stays bounded however large the file and however many
// findings it holds.
import type { Detection, FindingType } from '../../domain/detect/detect.ts';
import { keyedHash, mask } from '../../domain/detect/mask.ts';
import { detectRecords, type SourceRecord } from '../../domain/detect/records.ts';
import type { FileRead, FileReadOptions, SourceReaders } from '../ports.ts';

/** The ad hoc scan reads local files only. */
type FileReaders = Pick<SourceReaders, 'file' | 'paths'>;

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

export interface FileResult extends FileRead {
  findings: number;
}

export interface ScanSummary {
  files: FileResult[];
  counts: Partial<Record<FindingType, number>>;
}

export interface ScanResult extends ScanSummary {
  findings: Finding[];
}

export interface ScanOptions extends FileReadOptions {
  hashKey?: string | Uint8Array;
}

type Sink = (finding: Finding) => void;

function finding({ at }: SourceRecord, d: Detection, line: number | undefined, hashKey: ScanOptions['hashKey']): Finding {
  return {
    type: d.type,
    file: at.file,
    ...(line !== undefined ? { line } : {}),
    ...(at.row !== undefined ? { row: at.row } : {}),
    ...(at.column !== undefined ? { column: at.column } : {}),
    ...(at.pointer !== undefined ? { pointer: at.pointer } : {}),
    masked: mask(d),
    ...(hashKey ? { hash: keyedHash(hashKey, d) } : {}),
    ...(d.country ? { country: d.country } : {}),
  };
}

/** A file's read with the findings made in it (none kept for a file that failed or was skipped). */
const fileResult = (read: FileRead, findings: number): FileResult => ({ ...read, findings: read.status === 'scanned' ? findings : 0 });

/** Scans one file, handing each finding to `sink`; failures and skips come back as the file's result. */
export async function scanFile(readers: FileReaders, file: string, options: ScanOptions, sink: Sink): Promise<FileResult> {
  let count = 0;
  const read = await detectRecords(readers.file(file, file, options), (record, d, line) => {
    count++;
    sink(finding(record, d, line, options.hashKey));
  });
  return fileResult(read, count);
}

/**
 * Scans every path (files, or folders recursively), handing findings to `sink`; an
 * unreadable path is recorded as failed and the rest go on.
 */
export async function scanPathsTo(readers: FileReaders, paths: string[], options: ScanOptions, sink: Sink): Promise<ScanSummary> {
  const summary: ScanSummary = { files: [], counts: {} };
  let count = 0;
  const records = readers.paths(paths, options, (read) => {
    summary.files.push(fileResult(read, count));
    count = 0;
  });
  await detectRecords(records, (record, d, line) => {
    count++;
    summary.counts[d.type] = (summary.counts[d.type] ?? 0) + 1;
    sink(finding(record, d, line, options.hashKey));
  });
  return summary;
}

/** The same, collecting the findings (for callers that want them all at once). */
export async function scanPaths(readers: FileReaders, paths: string[], options: ScanOptions = {}): Promise<ScanResult> {
  const findings: Finding[] = [];
  const summary = await scanPathsTo(readers, paths, options, (f) => findings.push(f));
  return { findings, ...summary };
}
