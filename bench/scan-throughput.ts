// Benchmark for the data-mapping detectors (issue 3, "Checked"):
//   (a) precision and recall per finding type on the labelled corpus
//       (test/support/labelled-corpus.ts, the same generator as test/scan-precision.test.ts);
//   (b) detection throughput: detect() over a generated ~100 MB (UTF-8) mixed-language
//       corpus held in memory, in chunks of the size files are read in (text-chunks.ts), on one core
//       (target: at least 80 MB/s);
//   (c) peak memory scanning a 1 GiB file with scanFile(), in a child process so that
//       its peak RSS is the scan's alone (target: under 256 MB);
//   (d) the command line end to end, as a user runs it with the pinned Node: the start
//       (`compliance --help` and a scan of an empty file, target under 250 ms) and
//       `compliance scan FILE --format json` over a 100 MB mixed chat file where a fifth
//       of the lines carry identifiers, on 1, 2 and every core (--threads), in MB/s and
//       as a ratio to one core (target: at least 80 MB/s on one core); and the same over a
//       100 MB CSV chat export (quoted messages, some over several lines, with commas and
//       doubled quotes), cut at record ends (lib/adapters/sources/file-parts.ts), with the
//       time of the pass that finds the cuts.
//
// `node bench/scan-throughput.ts` runs main(); bench/run.ts imports and calls it.
// Environment: BENCH_SCAN_CLI_MB (file size for (d), default 100), BENCH_SCAN_MB (corpus size for (b), default 100), BENCH_SCAN_FILE_MB
// (file size for (c), default 1024), BENCH_SCAN_NODE_FLAGS (node flags for the scan
// child, default `--max-semi-space-size=4`), BENCH_SCAN_VARIANTS=1 (also run (c) with
// other node flags and a denser file, to compare).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { detect, FINDING_TYPES } from '../lib/domain/detect/detect.ts';
import { DEFAULT_MAX_CHUNK_CHARS as CHUNK_CHARS } from '../lib/adapters/sources/text-chunks.ts';
import { formatScores, labelledCorpus, labelledLineStream, score, type CorpusOptions } from '../test/support/labelled-corpus.ts';

const MB = 1e6;
const MiB = 1 << 20;
const THIS_FILE = fileURLToPath(import.meta.url);

/** (b): ~1.5 findings per KB, 10% of lines carry an item (chat where most messages hold none). */
const REALISTIC: CorpusOptions = { seed: 11, itemLineShare: 0.1 };
/** (b), for comparison: the labelled corpus's own mix, ~9 findings per KB and as many near misses. */
const LABELLED_MIX: CorpusOptions = { seed: 12 };
/** The density of the 1 GiB file: ~0.15 findings per KB, one per ~7 KB (see densityOf). */
const SPARSE: CorpusOptions = { seed: 31, itemLineShare: 0.01 };
/** A denser file for comparison: ~1 finding per KB. */
const DENSE: CorpusOptions = { seed: 32, itemLineShare: 0.1 };

function fmt(n: number, digits = 1): string {
  return n.toFixed(digits);
}

/** `count` distinct generated lines (text only). */
function linePool(count: number, options: CorpusOptions): string[] {
  const it = labelledLineStream(options);
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push((it.next().value as { text: string }).text);
  return out;
}

// ---------------------------------------------------------------------------------
// (a) precision and recall

export function precisionTable(lines = 20_000): string {
  const corpus = labelledCorpus(lines);
  const scores = score(corpus.text, corpus.labels, detect(corpus.text), FINDING_TYPES);
  const out = [
    `(a) precision / recall on the labelled corpus: ${lines} lines, ${corpus.labels.length} items of which ${corpus.labels.filter((l) => l.type === 'NONE').length} near misses (targets: precision >= 0.98, recall >= 0.97)`,
    formatScores(scores),
  ];
  for (const s of scores) {
    const miss = [...Object.entries(s.fpByKind).map(([k, n]) => `FP ${n} ${k}`), ...Object.entries(s.fnByKind).map(([k, n]) => `FN ${n} ${k}`)];
    if (miss.length) out.push(`  ${s.type}${s.precision >= 0.98 && s.recall >= 0.97 ? '' : ' (below target)'}: ${miss.join('; ')}`);
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------
// (b) throughput

/**
 * ~`targetBytes` of UTF-8 as chunks of at most CHUNK_CHARS characters, cut at line ends
 * like lib/adapters/sources/text-chunks.ts: a pool of distinct generated lines, walked from a
 * different place for each chunk so that chunks are not copies of each other.
 */
function throughputChunks(targetBytes: number, options: CorpusOptions): { chunks: string[]; bytes: number; chars: number } {
  const pool = linePool(150_000, options);
  const chunks: string[] = [];
  let bytes = 0;
  let chars = 0;
  let at = 0;
  while (bytes < targetBytes) {
    const parts: string[] = [];
    let n = 0;
    for (;;) {
      const l = pool[at % pool.length]!;
      if (n + l.length + 1 > CHUNK_CHARS) break;
      parts.push(l);
      n += l.length + 1;
      at++;
    }
    at += 7919; // a prime step: the next chunk starts elsewhere in the pool
    const chunk = parts.join('\n') + '\n';
    chunks.push(chunk);
    bytes += Buffer.byteLength(chunk);
    chars += chunk.length;
  }
  return { chunks, bytes, chars };
}

export function throughput(targetMB = 100, options: CorpusOptions = REALISTIC): { bytes: number; seconds: number; mbPerSecond: number; findings: number; chars: number } {
  const { chunks, bytes, chars } = throughputChunks(targetMB * MB, options);
  // Warm up the regexes and the JIT on a few chunks, then time every chunk.
  for (const c of chunks.slice(0, 3)) detect(c);
  let findings = 0;
  const t0 = performance.now();
  for (const c of chunks) findings += detect(c).length;
  const seconds = (performance.now() - t0) / 1000;
  return { bytes, chars, seconds, mbPerSecond: bytes / MB / seconds, findings };
}

// ---------------------------------------------------------------------------------
// (c) peak memory of scanFile() on a 1 GiB file, in a child process

/** About 8 MiB of distinct pieces from `next(i)`, as one block to write over and over. */
function block8MiB(next: (i: number) => string): Buffer {
  const pieces: string[] = [];
  for (let n = 0, i = 0; n < 8 * MiB; i++) {
    const piece = next(i);
    pieces.push(piece);
    n += Buffer.byteLength(piece);
  }
  return Buffer.from(pieces.join(''));
}

/** Writes `bytes` (rounded down to a line end) of generated lines to `file`; returns bytes written. */
export function writeCorpusFile(file: string, bytes: number, options: CorpusOptions): number {
  const it = labelledLineStream(options);
  const block = block8MiB(() => (it.next().value as { text: string }).text + '\n');
  const fd = openSync(file, 'w');
  let written = 0;
  try {
    while (written + block.length <= bytes) {
      writeSync(fd, block);
      written += block.length;
    }
    const rest = block.subarray(0, block.lastIndexOf(0x0a, bytes - written - 1) + 1);
    if (rest.length) {
      writeSync(fd, rest);
      written += rest.length;
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

/** Findings per KB (1000 bytes) that detect() makes on text of this density. */
function densityOf(options: CorpusOptions): number {
  const text = linePool(50_000, options).join('\n');
  return detect(text).length / (Buffer.byteLength(text) / 1000);
}

interface ChildReport {
  status: string;
  reason?: string;
  bytesRead: number;
  findings: number;
  seconds: number;
  maxRssKB: number;
  heapUsedMB: number;
}

async function scanInChild(file: string, nodeFlags: string[]): Promise<ChildReport & { wallSeconds: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [...nodeFlags, THIS_FILE, '--scan-child', file], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => (out += d));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const wallSeconds = (performance.now() - t0) / 1000;
  const last = out.trim().split('\n').pop() ?? '';
  if (code !== 0 || !last.startsWith('{')) throw new Error(`scan child exited ${code}: ${out.slice(-500)}`);
  return { ...(JSON.parse(last) as ChildReport), wallSeconds };
}

/** The child: scan one file with scanFile() and print one JSON line. */
async function scanChild(file: string): Promise<void> {
  const { scanFile } = await import('../lib/usecases/scan/scan-files.ts');
  const { readFileRecords, readPathRecords } = await import('../lib/adapters/sources/local-files.ts');
  const t0 = performance.now();
  // Findings are counted as they stream by, as a data-map scan aggregates them.
  let findings = 0;
  const result = await scanFile({ file: readFileRecords, paths: readPathRecords }, file, {}, () => findings++);
  const seconds = (performance.now() - t0) / 1000;
  const report: ChildReport = {
    status: result.status,
    ...(result.reason ? { reason: result.reason } : {}),
    bytesRead: result.bytesRead ?? 0,
    findings,
    seconds,
    maxRssKB: process.resourceUsage().maxRSS,
    heapUsedMB: process.memoryUsage().heapUsed / MB,
  };
  console.log(JSON.stringify(report));
}

function describeScan(label: string, r: ChildReport & { wallSeconds: number }): string {
  const mb = r.bytesRead / MB;
  return (
    `${label}: ${r.status}${r.reason ? ` (${r.reason})` : ''}, ${fmt(mb, 0)} MB scanned in ${fmt(r.seconds)} s (${fmt(mb / r.seconds)} MB/s; ` +
    `child wall time ${fmt(r.wallSeconds)} s), ${r.findings.toLocaleString('en')} findings, peak RSS ${fmt((r.maxRssKB * 1024) / MB)} MB` +
    ` (${fmt(r.maxRssKB / 1024)} MiB)${r.maxRssKB * 1024 < 256 * MB ? '' : ' — over the 256 MB target'}`
  );
}

export async function peakMemory(fileMB = 1024, nodeFlags: string[] = ['--max-semi-space-size=4'], variants = false): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'scan-bench-'));
  const out: string[] = [];
  try {
    const file = path.join(dir, 'chat-export.txt');
    const density = densityOf(SPARSE);
    const t0 = performance.now();
    const written = writeCorpusFile(file, fileMB * MiB, SPARSE);
    out.push(
      `(c) peak memory: ${fmt(written / MB, 0)} MB file (${fmt(written / MiB, 0)} MiB, written in ${fmt((performance.now() - t0) / 1000)} s), ` +
        `density ${fmt(density, 3)} findings per KB (${fmt(SPARSE.itemLineShare! * 100, 0)}% of lines carry an item); scanFile() in a child process`,
    );
    const flags = nodeFlags.length ? nodeFlags.join(' ') : 'no node flags';
    out.push(describeScan(`  ${flags}`, await scanInChild(file, nodeFlags)));
    if (variants) {
      for (const f of [[], ['--max-semi-space-size=1'], ['--max-semi-space-size=2'], ['--max-semi-space-size=8'], ['--max-semi-space-size=4', '--max-old-space-size=96']]) {
        if (f.join(' ') === nodeFlags.join(' ')) continue;
        out.push(describeScan(`  ${f.length ? f.join(' ') : 'no node flags'}`, await scanInChild(file, f)));
      }
      const denseFile = path.join(dir, 'dense.txt');
      const denseWritten = writeCorpusFile(denseFile, fileMB * MiB, DENSE);
      rmSync(file);
      out.push(
        describeScan(`  denser file (${fmt(densityOf(DENSE), 2)} findings per KB, ${fmt(denseWritten / MB, 0)} MB), ${flags}`, await scanInChild(denseFile, nodeFlags)),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

// ---------------------------------------------------------------------------------
// (d) the command line, end to end

const CLI = fileURLToPath(new URL('../lib/cli/main.mjs', import.meta.url));
/** Mixed chat where a fifth of the lines carry identifiers (the issue's file). */
export const CLI_MIX: CorpusOptions = { seed: 41, itemLineShare: 0.2 };

/**
 * A CSV chat export of about `bytes`: time, sender, message (quoted: the corpus's lines,
 * a tenth of them two lines in one cell, quotes doubled), phone, e-mail. An 8 MiB block
 * of distinct records, written over and over after the header. Returns the bytes written.
 */
export function writeCsvFile(file: string, bytes: number, options: CorpusOptions): number {
  const it = labelledLineStream(options);
  const text = () => (it.next().value as { text: string }).text;
  const block = block8MiB((i) => {
    const message = i % 10 === 0 ? `${text()}\n${text()}` : text();
    return `2026-11-${String(1 + (i % 28)).padStart(2, '0')}T09:${String(i % 60).padStart(2, '0')}:00+08:00,"Chan, Tai Man ${i % 500}","${message.replaceAll('"', '""')}",${i % 3 === 0 ? `+852 9123 ${String(1000 + (i % 9000))}` : ''},${i % 4 === 0 ? `staff${i % 700}@example.hk` : ''}\n`;
  });
  const fd = openSync(file, 'w');
  let written = 0;
  try {
    written += writeSync(fd, 'time,sender,message,phone,email\n');
    while (written + block.length <= bytes) written += writeSync(fd, block);
  } finally {
    closeSync(fd);
  }
  return written;
}

/**
 * Wall time of one run of the CLI (this process's Node, the pinned one under npm run),
 * stdout to a file; `tmp`: the temporary folder it sees (a new one: its compile cache is empty).
 */
function timeCli(args: string[], out: string, tmp?: string): { seconds: number; code: number | null } {
  const t0 = performance.now();
  const fd = openSync(out, 'w');
  try {
    const r = spawnSync(process.execPath, [CLI, ...args], { stdio: ['ignore', fd, 'inherit'], env: { ...process.env, NODE_COMPILE_CACHE: '', ...(tmp ? { TMPDIR: tmp } : {}) } });
    return { seconds: (performance.now() - t0) / 1000, code: r.status };
  } finally {
    closeSync(fd);
  }
}

/** The best of `n` runs (the least disturbed by whatever else the machine does). */
function bestOf(n: number, run: () => { seconds: number; code: number | null }): number {
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const r = run();
    if (r.code !== 0) throw new Error(`the CLI exited ${r.code}`);
    best = Math.min(best, r.seconds);
  }
  return best;
}

/**
 * The best of `rounds` scans of `file` per thread count, the counts taken in turn in each
 * round: this machine's speed drifts by a quarter and more over a minute, and runs of one
 * count after another's put the drift into their ratio.
 */
function bestPerThreads(rounds: number, threads: readonly number[], file: string, sink: string): Map<number, number> {
  const best = new Map<number, number>();
  for (let r = 0; r < rounds; r++) {
    for (const t of threads) {
      best.set(t, Math.min(best.get(t) ?? Infinity, bestOf(1, () => timeCli(['scan', file, '--format', 'json', '--threads', String(t)], sink))));
    }
  }
  return best;
}

export async function cliEndToEnd(fileMB = 100): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'scan-cli-bench-'));
  const out: string[] = [];
  try {
    const empty = path.join(dir, 'empty.txt');
    writeFileSync(empty, '');
    const sink = path.join(dir, 'out.json');
    // The first run after installing fills the compile cache (main.mjs); every later run reads it.
    const firstHelp = bestOf(3, () => timeCli(['--help'], sink, mkdtempSync(path.join(dir, 'tmp-'))));
    const help = bestOf(5, () => timeCli(['--help'], sink));
    const emptyScan = bestOf(5, () => timeCli(['scan', empty, '--format', 'json'], sink));
    const cores = availableParallelism();
    out.push(`(d) the command line end to end (${process.execPath}, Node ${process.version}, ${cores} cores; best of 5 starts, of 3 scans per thread count taken in turn)`);
    out.push(`  start: compliance --help ${fmt(help * 1000, 0)} ms, a scan of an empty file ${fmt(emptyScan * 1000, 0)} ms (target under 250 ms); the first run, with an empty compile cache, --help ${fmt(firstHelp * 1000, 0)} ms`);
    const file = path.join(dir, 'chat-export.txt');
    const bytes = writeCorpusFile(file, fileMB * MB, CLI_MIX);
    const threads = [...new Set([1, 2, cores])];
    let one = 0;
    const textBest = bestPerThreads(3, threads, file, sink);
    for (const t of threads) {
      const seconds = textBest.get(t)!;
      const rate = bytes / MB / seconds;
      if (t === 1) one = rate;
      out.push(`  scan --format json, ${fmt(bytes / MB, 0)} MB (a fifth of the lines carry identifiers), ${t} thread${t === 1 ? '' : 's'}${t === cores ? ' (every core)' : ''}: ${fmt(seconds, 2)} s = ${fmt(rate)} MB/s, ${fmt(rate / one, 2)}x one core`);
    }
    rmSync(file);
    const csv = path.join(dir, 'chat-export.csv');
    const csvBytes = writeCsvFile(csv, fileMB * MB, CLI_MIX);
    const { csvParts, splittable } = await import('../lib/adapters/sources/file-parts.ts');
    let cut = Infinity;
    let parts = 0;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      parts = (await csvParts(csv, (await splittable(csv, undefined))!))?.length ?? 1;
      cut = Math.min(cut, (performance.now() - t0) / 1000);
    }
    out.push(`  CSV: ${fmt(csvBytes / MB, 0)} MB chat export, cut into ${parts} parts at record ends by one pass of ${fmt(cut * 1000, 0)} ms (${fmt(csvBytes / MB / cut, 0)} MB/s)`);
    const csvBest = bestPerThreads(3, threads, csv, sink);
    for (const t of threads) {
      const seconds = csvBest.get(t)!;
      const rate = csvBytes / MB / seconds;
      if (t === 1) one = rate;
      out.push(`  scan --format json, ${fmt(csvBytes / MB, 0)} MB CSV, ${t} thread${t === 1 ? '' : 's'}${t === cores ? ' (every core)' : ''}: ${fmt(seconds, 2)} s = ${fmt(rate)} MB/s, ${fmt(rate / one, 2)}x one core`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

// ---------------------------------------------------------------------------------

export async function main(): Promise<void> {
  for (const line of await cliEndToEnd(Number(process.env.BENCH_SCAN_CLI_MB ?? 100))) console.log(line);
  console.log();
  console.log('# Data-mapping scan: detectors');
  console.log(precisionTable());
  console.log();
  const size = Number(process.env.BENCH_SCAN_MB ?? 100);
  console.log(`(b) detect() throughput, in chunks of ${CHUNK_CHARS / 1024} Ki characters (as files are read), one core (target >= 80 MB/s; MB = 10^6 bytes of UTF-8)`);
  for (const [label, options] of [
    ['realistic chat (10% of lines carry an item)', REALISTIC],
    ['labelled-corpus mix (85% of lines carry items, 40% of them near misses)', LABELLED_MIX],
    ['sparse (1% of lines carry an item)', SPARSE],
  ] as const) {
    const t = throughput(size, options);
    console.log(
      `  ${label}: ${fmt(t.bytes / MB)} MB (${fmt(t.chars / MiB)} Mi characters) in ${fmt(t.seconds, 2)} s = ${fmt(t.mbPerSecond)} MB/s, ` +
        `${fmt(t.findings / (t.bytes / 1000), 2)} findings per KB`,
    );
  }
  console.log();
  const flags = (process.env.BENCH_SCAN_NODE_FLAGS ?? '--max-semi-space-size=4').split(/\s+/).filter(Boolean);
  for (const line of await peakMemory(Number(process.env.BENCH_SCAN_FILE_MB ?? 1024), flags, process.env.BENCH_SCAN_VARIANTS === '1')) console.log(line);
}

if (import.meta.main) {
  if (process.argv[2] === '--scan-child') await scanChild(process.argv[3]!);
  else await main();
}
