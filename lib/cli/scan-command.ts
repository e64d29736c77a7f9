// `compliance scan PATH...`: loaded only when the command runs. JSON is streamed (each
// finding written as found, in batches); the table summarises (findings per file and
// type, then the first findings with a note of how many more), so that any number of
// findings prints in bounded memory. Large scans run on worker threads (scan-pool.ts); a
// progress bar goes to stderr when it is a terminal. The exit code says whether all was
// read (scanExitCode).
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import type { FindingType } from '../domain/detect/detect.ts';
import { filesUnder, readFileRecords, readPathRecords } from '../adapters/sources/local-files.ts';
import { scanPathsTo, type Finding, type ScanOptions, type ScanSummary } from '../usecases/scan/scan-files.ts';
import { formatScan } from './scan-output.ts';
import { FindingJson } from './scan-json.ts';
import { Utf8Blocks } from './utf8-blocks.ts';
import type { PartFound } from './scan-pool.ts';

/** Findings listed one by one in the table; the rest are counted per file and type. */
export const TABLE_FINDINGS = 200;
/**
 * Below this many bytes in all, one thread scans: starting and warming up workers would
 * cost more than they save. (On a 2-core machine whose cores slow each other down, two
 * threads were slower even on 100 MB: 0.91x one thread's speed on text, 0.97x on CSV;
 * the default there is one thread.)
 */
const PARALLEL_FROM_BYTES = 16 * 1024 * 1024;

export interface ScanCommandOptions extends ScanOptions {
  format: 'json' | 'human' | 'table';
  /** Threads that scan a large scan: this one and threads - 1 workers; 1 scans on this thread alone. */
  threads: number;
}

type Found = (part: PartFound) => void;

/**
 * Runs the scan: on worker threads when it is large enough and more than one thread is
 * allowed (each part's findings come back as JSON text or as the first few, in order),
 * else on this thread, each finding as it is found.
 */
async function scan(paths: string[], options: ScanCommandOptions, found: Found, sink: (f: Finding) => void): Promise<ScanSummary> {
  const { format, threads, ...scanOptions } = options;
  // files and bytes under the paths, in one walk, each file once as it is read (a path that cannot be read is one file, failed, of no bytes)
  let bytes = 0;
  let files = 0;
  if (threads > 1 || process.stderr.isTTY)
    for await (const entry of filesUnder(paths)) {
      files++;
      if (entry.refused === undefined) bytes += await stat(entry.path).then((s) => s.size, () => 0);
    }
  const bar = process.stderr.isTTY && bytes > 0 ? await (await import('./progress.ts')).progressBar(process.stderr) : undefined;
  try {
    if (threads > 1 && bytes >= PARALLEL_FROM_BYTES) {
      const { scanPathsParallel } = await import('./scan-pool.ts');
      return await scanPathsParallel(paths, scanOptions, found, { threads, mode: format === 'json' ? 'json' : 'table', keep: TABLE_FINDINGS, ...(bar ? { onProgress: bar.update } : {}) });
    }
    // One thread: the bar moves as text is read (characters, counted as bytes until the
    // file is done and its reader says how many bytes it read) and as each file is done.
    const progress = { filesDone: 0, filesTotal: files, bytesDone: 0, bytesTotal: bytes };
    const tracked: typeof readPathRecords = async function* (p, o, onFile) {
      let underWay = 0;
      let shown = 0;
      const show = () => bar?.update({ ...progress, bytesDone: Math.min(bytes, progress.bytesDone + underWay) });
      const records = readPathRecords(p, o, (read) => {
        onFile(read);
        progress.filesDone++;
        progress.filesTotal = Math.max(progress.filesTotal, progress.filesDone);
        progress.bytesDone += read.bytesTotal ?? 0;
        underWay = shown = 0;
        show();
      });
      for await (const record of records) {
        underWay += record.text.length;
        if (underWay - shown >= SHOW_EVERY_CHARS) {
          shown = underWay;
          show();
        }
        yield record;
      }
    };
    bar?.update(progress);
    return await scanPathsTo({ file: readFileRecords, paths: bar ? tracked : readPathRecords }, paths, scanOptions, sink);
  } finally {
    bar?.stop();
  }
}

/** The one-thread bar is updated after about this much text read. */
const SHOW_EVERY_CHARS = 1 << 20;

/** `{ "findings": [...], "files": [...], "counts": {...} }`, the findings written in blocks as they are found. */
async function writeJson(paths: string[], options: ScanCommandOptions): Promise<ScanSummary> {
  const out = new Utf8Blocks((bytes) => process.stdout.write(bytes));
  const writer = new FindingJson();
  out.write('{\n  "findings": [');
  let first = true;
  // each finding's text starts ",\n    "; the first of all has no comma
  const found = (text: string) => {
    if (text.length === 0) return;
    out.write(first ? text.slice(1) : text);
    first = false;
  };
  const foundBytes = (bytes: Uint8Array) => {
    if (bytes.length === 0) return;
    out.writeBytes(first ? bytes.subarray(1) : bytes);
    first = false;
  };
  const summary = await scan(paths, options, (part) => part.json.forEach(foundBytes), (f) => {
    if (first) found(`,\n    ${writer.text(f)}`);
    else writer.writeTo(f, out);
  });
  out.write(`${first ? '' : '\n  '}],\n  "files": ${JSON.stringify(summary.files)},\n  "counts": ${JSON.stringify(summary.counts)}\n}\n`);
  out.flush();
  return summary;
}

/** The table: findings per file and type, then the first TABLE_FINDINGS findings. */
async function writeTable(paths: string[], options: ScanCommandOptions): Promise<ScanSummary> {
  const shown: Finding[] = [];
  const byFile = new Map<string, Partial<Record<FindingType, number>>>();
  let total = 0;
  const add = (file: string, type: FindingType, n: number) => {
    total += n;
    let counts = byFile.get(file);
    if (counts === undefined) byFile.set(file, (counts = {}));
    counts[type] = (counts[type] ?? 0) + n;
  };
  const summary = await scan(
    paths,
    options,
    (part) => {
      for (const f of part.kept) if (shown.length < TABLE_FINDINGS) shown.push(f);
      for (const [type, n] of Object.entries(part.counts) as [FindingType, number][]) add(part.file, type, n);
    },
    (f) => {
      if (shown.length < TABLE_FINDINGS) shown.push(f);
      add(f.file, f.type, 1);
    },
  );
  process.stdout.write(`${formatScan({ ...summary, findings: shown }, { total, byFile })}\n`);
  return summary;
}

/** Whether a path named on the command line cannot be read at all: missing, neither a regular file nor a folder, or not readable (a folder: not listable). */
async function unreadable(given: string): Promise<boolean> {
  try {
    const info = await stat(given);
    if (!info.isFile() && !info.isDirectory()) return true;
    await access(given, info.isDirectory() ? constants.R_OK | constants.X_OK : constants.R_OK);
    return false;
  } catch {
    return true;
  }
}

/**
 * The scan's exit code (README, "compliance scan" reads...), so that a script or a scheduled job can
 * tell a clean scan from one that did not read everything it was asked to: 0 when every
 * file was scanned or skipped (a format not read, a binary file); 2 when a path given
 * cannot be read at all (missing, unreadable, a FIFO or device: input the command was
 * given that is wrong); 1 when a file failed otherwise (a file or folder under a folder
 * given that cannot be read, a workbook or JSON document that cannot be read to its
 * end). The output is the same whatever the code.
 */
export async function scanExitCode(paths: readonly string[], summary: Pick<ScanSummary, 'files'>): Promise<number> {
  if (!summary.files.some((f) => f.status === 'failed')) return 0;
  for (const given of paths) if (await unreadable(given)) return 2;
  return 1;
}

export async function runScanCommand(paths: string[], options: ScanCommandOptions): Promise<void> {
  const summary = await (options.format === 'json' ? writeJson(paths, options) : writeTable(paths, options));
  const code = await scanExitCode(paths, summary);
  if (code !== 0) process.exitCode = code;
}
