// Ad hoc scan of local files and folders (`compliance scan PATH...`): each file's
// records go through the detectors, and each finding keeps only its masked form (and a
// keyed hash when a key is configured), never the raw value. Where a finding is (the
// file's path, a column's header, a JSON pointer) and what is said of a file (its
// reason, its problems) came from someone else's names and content too: they are
// redacted (lib/domain/detect/redact.ts) before they leave. Findings go to a sink as
// they are found, so memory stays bounded however large the file and however many
// findings it holds.
import type { Detection, FindingType } from '../../domain/detect/detect.ts';
import { keyedHash, mask } from '../../domain/detect/mask.ts';
import { detectRecords, type SourceRecord } from '../../domain/detect/records.ts';
import { redact, redactError } from '../../domain/detect/redact.ts';
import { memoised } from '../../domain/text/memo.ts';
import type { FileRead, FileReadOptions, SourceReaders } from '../ports.ts';

/** The ad hoc scan reads local files only. */
type FileReaders = Pick<SourceReaders, 'file' | 'paths'>;

export interface Finding {
  type: FindingType;
  /** The path as given (joined with the name inside a folder given), redacted. */
  file: string;
  /** XLSX: the sheet's name (redacted). */
  sheet?: string;
  /** 1-based line where the finding starts (text files, and the record's line in CSV/TSV). */
  line?: number;
  /**
   * CSV/TSV: the 1-based data row (0: the header row); XLSX: the row number Excel shows.
   * With the column's header name (redacted).
   */
  row?: number;
  column?: string;
  /** JSON: the JSON pointer (RFC 6901) of the string that holds it, its keys redacted (keys are content). */
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

/**
 * Redaction of the names findings repeat: a file's path and its columns' headers come
 * again with every finding in it, so each is redacted once (memo.ts).
 */
class Names {
  readonly redact = memoised(redact);
}

function finding({ at }: SourceRecord, d: Detection, line: number | undefined, hashKey: ScanOptions['hashKey'], names: Names): Finding {
  // Keys set one by one, in this order, and only when present: spreading conditional
  // objects cost more than the mask on a file dense with findings.
  const f = { type: d.type, file: names.redact(at.file) } as Finding;
  if (at.sheet !== undefined) f.sheet = names.redact(at.sheet);
  if (line !== undefined) f.line = line;
  if (at.row !== undefined) f.row = at.row;
  if (at.column !== undefined) f.column = names.redact(at.column);
  // Readers build pointers from redacted keys (local-files.ts), so a pointer is not redacted again per finding.
  if (at.pointer !== undefined) f.pointer = at.pointer;
  f.masked = mask(d);
  if (hashKey) f.hash = keyedHash(hashKey, d);
  if (d.country) f.country = d.country;
  return f;
}

/**
 * A file's read, redacted, with the findings made in it: a file that failed part way
 * (bad JSON after good strings) counts those it made before, as the findings list has them.
 */
export function fileResult(read: FileRead, findings: number): FileResult {
  return {
    ...read,
    file: redact(read.file),
    ...(read.reason !== undefined ? { reason: redact(read.reason) } : {}),
    ...(read.problems ? { problems: read.problems.map((p) => ({ line: p.line, message: redact(p.message) })) } : {}),
    findings,
  };
}

/** Scans one file, handing each finding to `sink`; failures and skips come back as the file's result. */
export function scanFile(readers: FileReaders, file: string, options: ScanOptions, sink: Sink): Promise<FileResult> {
  return scanRecords(readers.file(file, file, options), options, sink);
}

/**
 * Scans the records of one file (or of one part of it), handing each finding to
 * `sink`; the read the records end with comes back redacted, with its findings counted
 * (and whatever else the reader says of it, such as a part's lines).
 */
export async function scanRecords<R extends FileRead>(records: AsyncGenerator<SourceRecord, R>, options: ScanOptions, sink: Sink): Promise<FileResult & Omit<R, keyof FileRead>> {
  let count = 0;
  const names = new Names();
  try {
    const read = await detectRecords(records, (record, d, line) => {
      count++;
      sink(finding(record, d, line, options.hashKey, names));
    });
    return { ...read, ...fileResult(read, count) };
  } catch (error) {
    throw redactError(error);
  }
}

/**
 * Scans every path (files, or folders recursively), handing findings to `sink`; an
 * unreadable path is recorded as failed and the rest go on.
 */
export async function scanPathsTo(readers: FileReaders, paths: string[], options: ScanOptions, sink: Sink): Promise<ScanSummary> {
  const summary: ScanSummary = { files: [], counts: {} };
  const names = new Names();
  let count = 0;
  const records = readers.paths(paths, options, (read) => {
    summary.files.push(fileResult(read, count));
    count = 0;
  });
  try {
    await detectRecords(records, (record, d, line) => {
      count++;
      summary.counts[d.type] = (summary.counts[d.type] ?? 0) + 1;
      sink(finding(record, d, line, options.hashKey, names));
    });
  } catch (error) {
    throw redactError(error);
  }
  return summary;
}

/** The same, collecting the findings (for callers that want them all at once). */
export async function scanPaths(readers: FileReaders, paths: string[], options: ScanOptions = {}): Promise<ScanResult> {
  const findings: Finding[] = [];
  const summary = await scanPathsTo(readers, paths, options, (f) => findings.push(f));
  return { findings, ...summary };
}
