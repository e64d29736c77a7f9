// Ad hoc scan of local files and folders (`compliance scan PATH...`): each file's
// records go through the detectors, and each finding keeps only its masked form (and a
// keyed hash when a key is configured), never the raw value. Where a finding is (the
// file's path, a sheet's name, a column's header, a JSON pointer's keys) came from
// someone else's names: each is redacted as a name (redactName in
// lib/domain/detect/redact.ts: every identifier the detectors find masked, and a bare
// Hong Kong number too, as a chat named `9123 4567 陳生` is), as the data map stores its
// group names; what is said of a file (its reason, its problems) is a message, redacted
// with redact() (its numbers are counts and positions), the names in it already
// redacted by whoever wrote it. Findings go to a sink as they are found, so memory stays
// bounded however large the file and however many findings it holds.
import type { Detection, FindingType } from '../../domain/detect/detect.ts';
import { keyedHash, mask } from '../../domain/detect/mask.ts';
import { detectRecords, type SourceRecord } from '../../domain/detect/records.ts';
import { redact, redactError, redactName } from '../../domain/detect/redact.ts';
import { memoised } from '../../domain/text/memo.ts';
import type { FileRead, FileReadOptions, SourceReaders } from '../ports.ts';

/** The ad hoc scan reads local files only. */
type FileReaders = Pick<SourceReaders, 'file' | 'paths'>;

export interface Finding {
  type: FindingType;
  /** The path as given (joined with the name inside a folder given), redacted as a name. */
  file: string;
  /** XLSX: the sheet's name (redacted as a name). */
  sheet?: string;
  /** 1-based line where the finding starts (text files, and the record's line in CSV/TSV). */
  line?: number;
  /**
   * CSV/TSV: the 1-based data row (0: the header row); XLSX: the row number Excel shows.
   * With the column's header name (redacted as a name).
   */
  row?: number;
  column?: string;
  /** JSON: the JSON pointer (RFC 6901) of the string that holds it, its keys redacted as names (keys are content). */
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

/** A JSON pointer's key (RFC 6901 escaped) redacted as a name, escaped again. */
function redactedKey(token: string): string {
  const key = token.includes('~') ? token.replaceAll('~1', '/').replaceAll('~0', '~') : token;
  const shown = redactName(key);
  if (shown === key) return token;
  return shown.includes('~') || shown.includes('/') ? shown.replaceAll('~', '~0').replaceAll('/', '~1') : shown;
}

/**
 * Redaction of the names findings repeat: a file's path, its sheets' names and its
 * columns' headers come again with every finding in it, so each is redacted once
 * (memo.ts); a JSON pointer key by key, each key once (a pointer is seldom repeated:
 * /items/0/phone, /items/1/phone, ...).
 */
class Names {
  readonly redact = memoised(redactName);
  private readonly key = memoised(redactedKey, 4096);
  readonly pointer = (pointer: string): string => {
    let out = '';
    let at = 1; // a pointer starts with '/'
    for (let slash = pointer.indexOf('/', at); ; slash = pointer.indexOf('/', at)) {
      const end = slash < 0 ? pointer.length : slash;
      out += `/${this.key(pointer.slice(at, end))}`;
      if (slash < 0) return out;
      at = slash + 1;
    }
  };
}

function finding({ at }: SourceRecord, d: Detection, line: number | undefined, hashKey: ScanOptions['hashKey'], names: Names): Finding {
  // Keys set one by one, in this order, and only when present: spreading conditional
  // objects cost more than the mask on a file dense with findings.
  const f = { type: d.type, file: names.redact(at.file) } as Finding;
  if (at.sheet !== undefined) f.sheet = names.redact(at.sheet);
  if (line !== undefined) f.line = line;
  if (at.row !== undefined) f.row = at.row;
  if (at.column !== undefined) f.column = names.redact(at.column);
  // Readers give pointers with their keys as written (the detectors read a phone key in them).
  if (at.pointer !== undefined) f.pointer = at.pointer === '' ? '' : names.pointer(at.pointer);
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
    file: redactName(read.file),
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
