// `compliance scan` on several threads: the files under the paths given, and the parts of
// large text and CSV/TSV files (file-parts.ts: byte ranges ending at line or record
// ends, each knowing its first line, and a CSV part its rows before it and its header),
// are scanned by this thread and worker threads (scan-task.ts), and what they find is
// handed on in the order one thread would have found it: file by file in path order,
// part by part, a split file's parts reported as one file. The workers write the JSON
// text of their findings themselves, so this thread only passes it on. At most a
// few tasks per thread are out at once, so memory stays bounded whatever the number of
// files.
import module from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { csvParts, fileParts, PART_BYTES, splittable, type FilePart } from '../adapters/sources/file-parts.ts';
import { filesUnder } from '../adapters/sources/local-files.ts';
import { MAX_PROBLEMS } from '../adapters/sources/problems.ts';
import type { FindingType } from '../domain/detect/detect.ts';
import { fileResult, type FileResult, type Finding, type ScanOptions, type ScanSummary } from '../usecases/scan/scan-files.ts';
import type { FileRead } from '../usecases/ports.ts';
import { runTask, type ScanTask, type ScanTaskResult } from './scan-task.ts';

export interface Progress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface PoolOptions {
  /** Threads asked for, this one included (threadsFor says how many run). */
  threads: number;
  /** Size of the parts a large text file is cut into (tests make it small). */
  partBytes?: number;
  onProgress?: (p: Progress) => void;
}

type Unit =
  | { kind: 'read'; read: FileRead }
  | { kind: 'task'; task: Pick<ScanTask, 'file' | 'group' | 'part'>; size: number; last: boolean };

/** Where a task runs: a worker thread, or this one. */
interface Executor {
  post(task: ScanTask): void;
}

/** What a part (or a whole file) found, in order: JSON text (UTF-8, in blocks), or the first findings for a table; counts by type. */
export interface PartFound {
  file: string;
  json: Uint8Array[];
  kept: Finding[];
  counts: Partial<Record<FindingType, number>>;
}

/** Every file under the paths (each once: filesUnder), in path order, as tasks (whole files or parts) and refused reads. */
async function* units(paths: readonly string[], budgetBytes: number | undefined, partBytes: number, sizes: Map<string, number>): AsyncGenerator<Unit> {
  for await (const entry of filesUnder(paths)) {
    if (entry.refused !== undefined) {
      yield { kind: 'read', read: { file: entry.path, status: 'failed', reason: entry.refused } };
      continue;
    }
    const group = entry.group;
    const split = await splittable(entry.path, budgetBytes, partBytes);
    if (split === undefined) {
      yield { kind: 'task', task: { file: entry.path, group }, size: sizes.get(entry.path) ?? 0, last: true };
      continue;
    }
    if (split.kind === 'csv') {
      // A CSV file is cut only after one pass has followed its quotes to the end.
      const parts = await csvParts(entry.path, split, partBytes);
      if (parts === undefined) yield { kind: 'task', task: { file: entry.path, group }, size: sizes.get(entry.path) ?? 0, last: true };
      else for (const [i, part] of parts.entries()) yield { kind: 'task', task: { file: entry.path, group, part }, size: part.end - part.start, last: i === parts.length - 1 };
      continue;
    }
    // Each part goes out as soon as the next is found (so the first is scanned while
    // the rest are cut); the last is known when the cutting ends.
    let held: FilePart | undefined;
    for await (const part of fileParts(entry.path, split.size, split.encoding, partBytes)) {
      if (held) yield { kind: 'task', task: { file: entry.path, group, part: held }, size: held.end - held.start, last: false };
      held = part;
    }
    if (held) yield { kind: 'task', task: { file: entry.path, group, part: held }, size: held.end - held.start, last: true };
  }
}


/** A split file's parts read as one: bytes, replaced sequences, findings and CSV problems added up; failed when a part failed. */
function merge(into: FileResult | undefined, part: FileResult): FileResult {
  if (into === undefined) return part;
  if (into.status !== 'scanned') return { ...into, findings: into.findings + part.findings };
  if (part.status !== 'scanned') return { ...part, file: into.file, findings: into.findings + part.findings };
  // the keys in the order one read of the whole file gives them (its JSON is the same)
  const { problems: _problems, findings: _findings, ...read } = into;
  const problems = [...(into.problems ?? []), ...(part.problems ?? [])].slice(0, MAX_PROBLEMS); // kept as one read of the whole file keeps them
  return {
    ...read,
    bytesRead: (into.bytesRead ?? 0) + (part.bytesRead ?? 0),
    bytesTotal: (into.bytesTotal ?? 0) + (part.bytesTotal ?? 0),
    replacedSequences: (into.replacedSequences ?? 0) + (part.replacedSequences ?? 0),
    truncated: Boolean(into.truncated || part.truncated),
    ...(problems.length > 0 ? { problems } : {}),
    findings: into.findings + part.findings,
  };
}

/**
 * Scans every path on `threads` threads (this one and workers), handing what each part found to
 * `found` in the order a one-thread scan gives; resolves to the same summary (files in
 * order, counts by type).
 */
export async function scanPathsParallel(
  paths: readonly string[],
  options: ScanOptions,
  found: (part: PartFound) => void,
  pool: PoolOptions & { mode: ScanTask['mode']; keep?: number },
): Promise<ScanSummary> {
  const partBytes = pool.partBytes ?? PART_BYTES;
  const summary: ScanSummary = { files: [], counts: {} };
  const progress: Progress = { filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0 };
  const sizes = await sizesOf(paths, progress);
  pool.onProgress?.(progress);
  const threads = threadsFor(pool.threads, sizes, options.budgetBytes, partBytes);

  // This thread scans too, beside threads - 1 workers: it is running already, while a
  // worker takes a tenth of a second to start and more to warm up, and passing the
  // workers' bytes on left it idle most of the time. Workers start from plain JavaScript and
  // the compile cache this thread filled, so that each does not strip the detectors'
  // TypeScript again.
  const compileCache = module.getCompileCacheDir?.();
  const workers = Array.from(
    { length: threads - 1 },
    () => new Worker(new URL('./scan-worker-start.mjs', import.meta.url), { workerData: { compileCache } }),
  );
  const results = new Map<number, ScanTaskResult>();
  const wakers = new Map<number, () => void>();
  const waiting: ((e: Executor) => void)[] = [];
  const done = (r: ScanTaskResult, executor: Executor): void => {
    results.set(r.id, r);
    wakers.get(r.id)?.();
    const next = waiting.shift();
    if (next) next(executor);
    else idle.push(executor);
  };
  const self: Executor = { post: (task) => void runTask(task).then((r) => done(r, self)) };
  const executors = workers.map((w): Executor => {
    const executor: Executor = { post: (task) => w.postMessage(task) };
    w.on('message', (r: ScanTaskResult) => done(r, executor));
    return executor;
  });
  // This thread first (free ones are taken from the end): it starts at once. A worker
  // has two places, so that it holds its next task while it runs one and never waits for
  // this thread to send it (it was idle a fifth of a CSV scan on two threads).
  const idle = [...executors, ...executors, self];
  // A worker that fails, or stops before the pool stops it (process.exit in it, or its
  // thread killed), fails the scan: its task would otherwise never be answered.
  let stopping = false;
  const failure = new Promise<never>((_, reject) =>
    workers.forEach((w) => {
      // (an error from another thread may arrive without its message: say what is known)
      w.on('error', (error) => reject(new Error(`a scan worker thread failed: ${(error instanceof Error && error.message) || String(error) || 'no reason given'}`)));
      w.on('exit', (code) => {
        if (!stopping) reject(new Error(`a scan worker thread stopped (exit code ${code}) before the scan was done`));
      });
    }),
  );
  failure.catch(() => undefined);
  const executor = (): Promise<Executor> => (idle.length > 0 ? Promise.resolve(idle.pop()!) : new Promise((resolve) => waiting.push(resolve)));
  const resultOf = (id: number): Promise<ScanTaskResult> =>
    results.has(id) ? Promise.resolve(results.get(id)!) : Promise.race([new Promise<ScanTaskResult>((resolve) => wakers.set(id, () => resolve(results.get(id)!))), failure]);

  // Emitted in order: the units dispatched, oldest first, at most 3 per thread out at once.
  const out: { unit: Unit; id: number }[] = [];
  let nextId = 0;
  let merged: FileResult | undefined;
  const emit = async (): Promise<void> => {
    const { unit, id } = out.shift()!;
    if (unit.kind === 'read') {
      summary.files.push(fileResult(unit.read, 0));
      progress.filesDone++;
      pool.onProgress?.(progress);
      return;
    }
    const r = await resultOf(id);
    results.delete(id);
    wakers.delete(id);
    if ('error' in r) throw new Error(r.error);
    for (const [type, n] of Object.entries(r.counts) as [FindingType, number][]) summary.counts[type] = (summary.counts[type] ?? 0) + n;
    found({ file: r.read.file, json: r.json, kept: r.kept, counts: r.counts });
    merged = merge(merged, r.read);
    progress.bytesDone += unit.size;
    if (unit.last) {
      summary.files.push(merged);
      merged = undefined;
      progress.filesDone++;
    }
    pool.onProgress?.(progress);
  };
  try {
    for await (const unit of units(paths, options.budgetBytes, partBytes, sizes)) {
      const id = nextId++;
      if (unit.kind === 'task') {
        const task: ScanTask = { id, ...unit.task, options, mode: pool.mode, keep: pool.keep ?? 0 };
        (await Promise.race([executor(), failure])).post(task);
      }
      out.push({ unit, id });
      while (out.length > threads * 3 || (out.length > 0 && (out[0]!.unit.kind === 'read' || results.has(out[0]!.id)))) await emit();
    }
    while (out.length > 0) await emit();
  } finally {
    stopping = true;
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return summary;
}

/** Threads per core at the most, whatever is asked: each worker is a whole JavaScript engine (tens of MB, a tenth of a second to start), and past the cores they only take turns. */
const MAX_THREADS_PER_CORE = 4;

/**
 * The threads a scan runs on: those asked for, but no more than MAX_THREADS_PER_CORE per
 * core, nor than the tasks the files could make (a file, or a part of `partBytes` of one):
 * a worker with nothing to scan would only cost its start.
 */
function threadsFor(asked: number, sizes: ReadonlyMap<string, number>, budgetBytes: number | undefined, partBytes: number): number {
  let tasks = 0;
  for (const size of sizes.values()) tasks += Math.max(1, Math.ceil(Math.min(size, budgetBytes ?? Infinity) / partBytes));
  return Math.max(1, Math.min(asked, MAX_THREADS_PER_CORE * availableParallelism(), tasks));
}

/** Sizes of the regular files under the paths (for the progress bar), and how many (each file once, as it is read). */
async function sizesOf(paths: readonly string[], progress: Progress): Promise<Map<string, number>> {
  const { stat } = await import('node:fs/promises');
  const sizes = new Map<string, number>();
  for await (const e of filesUnder(paths)) {
    progress.filesTotal++;
    if (e.refused !== undefined) continue;
    try {
      const size = (await stat(e.path)).size;
      sizes.set(e.path, size);
      progress.bytesTotal += size;
    } catch {
      // reported when it is read
    }
  }
  return sizes;
}
