// One task of the parallel scan (scan-pool.ts), run on a worker thread
// (scan-worker-start.mjs) or on the command's own thread: scans the file, or the part of
// a large text or CSV/TSV file, it is handed, and gives back what the main thread passes
// on: its findings as the JSON text the one-thread scan writes (line numbers already
// those of the whole file), encoded as UTF-8 in blocks (a worker hands them over without a
// copy), or the first few of them for a table, their counts by type, and the file's read.
// Nothing raw leaves it: the findings are the masked, redacted ones the one-thread scan
// makes. No side effects on import: the worker's wiring is in its entry.
import type { FindingType } from '../domain/detect/detect.ts';
import type { FilePart } from '../adapters/sources/file-parts.ts';
import { readCsvPartRecords, readFileRecords, readTextPartRecords } from '../adapters/sources/local-files.ts';
import { scanRecords, type FileResult, type Finding, type ScanOptions } from '../usecases/scan/scan-files.ts';
import { FindingJson } from './scan-json.ts';
import { Utf8Blocks } from './utf8-blocks.ts';

export interface ScanTask {
  id: number;
  file: string;
  group: string;
  part?: FilePart;
  options: ScanOptions;
  /** json: every finding as text, each after ",\n    "; table: the first `keep` findings. */
  mode: 'json' | 'table';
  keep: number;
}

export type ScanTaskResult =
  | { id: number; json: Uint8Array[]; kept: Finding[]; counts: Partial<Record<FindingType, number>>; read: FileResult }
  | { id: number; error: string };

/** Runs one task (also in-process, for tests). */
export async function runTask(task: ScanTask): Promise<ScanTaskResult> {
  // A part's records carry the whole file's lines (and a CSV part's its rows).
  const part = task.part;
  const writer = new FindingJson();
  const kept: Finding[] = [];
  const counts: Partial<Record<FindingType, number>> = {};
  const json: Uint8Array[] = [];
  const out = new Utf8Blocks((bytes) => json.push(bytes));
  try {
    const records =
      part === undefined
        ? readFileRecords(task.file, task.group, task.options)
        : part.csv !== undefined
          ? readCsvPartRecords(task.file, task.group, { ...part, csv: part.csv }, task.options)
          : readTextPartRecords(task.file, task.group, part, task.options);
    const read = await scanRecords(records, task.options, (f) => {
      counts[f.type] = (counts[f.type] ?? 0) + 1;
      if (task.mode === 'json') writer.writeTo(f, out);
      else if (kept.length < task.keep) kept.push(f);
    });
    // Encoded on the thread that scanned, block by block (one string of a part's findings
    // would be flattened and copied again), and moved (not copied) from a worker to the
    // main thread, which only writes the bytes.
    out.flush();
    return { id: task.id, json, kept, counts, read };
  } catch (error) {
    return { id: task.id, error: error instanceof Error ? error.message : String(error) };
  }
}
