// Benchmark: the hostile shapes (test/support/hostile-files.ts), each at its limit (see
// "Limits" in the README), each scanned in a child process of its own so that the peak
// RSS printed is that scan's alone. Target: each under 10 s and under 256 MB; the
// outcome column says what the scan made of the file (scanned, or failed with why).
// Then linearity(): the shapes that once cost quadratic time, each timed at n and 4n
// (test/hostile-files.test.ts counts their work; their time is measured here).
//
// `node bench/hostile-shapes.ts` runs main(); bench/run.ts imports and calls it
// (BENCH_ONLY=hostile-linear: linearity() alone).
// The child: `node bench/hostile-shapes.ts --child scan|datamap PATH`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { guessColumns, readChatTable } from '../lib/adapters/sources/chat-table.ts';
import { readCsvRecords, uniqueHeaderNames } from '../lib/adapters/sources/csv-reader.ts';
import { JSON_POINTERS_MAX_BYTES } from '../lib/adapters/sources/local-files.ts';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { DEFAULT_XLSX_ZIP_LIMITS } from '../lib/adapters/sources/xlsx-zip.ts';
import { detectRecords } from '../lib/domain/detect/records.ts';
import { JsonStrings } from '../lib/domain/text/json-strings.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import * as shapes from '../test/support/hostile-files.ts';

const THIS_FILE = fileURLToPath(import.meta.url);
const MB = 1e6;
const MiB = 1 << 20;
/** The flags the CLI runs with (lib/cli/main.mjs). */
const NODE_FLAGS = ['--max-semi-space-size=4'];
const TARGET_SECONDS = 10;
const TARGET_RSS = 256 * MB;

interface ChildReport {
  outcome: string;
  findings: number;
  seconds: number;
  maxRssKB: number;
}

interface Shape {
  name: string;
  /** The limit it meets, as README "Limits" names it. */
  limit: string;
  file: string;
  /** Writes the file; returns its size in bytes. */
  make: (file: string) => number;
  mode?: 'scan' | 'datamap';
}

const put = (file: string, content: string | Buffer) => {
  writeFileSync(file, content);
  return Buffer.byteLength(content);
};

/** The largest n (in steps of 100) for which size(n) stays under `bytes`. */
function largestUnder(bytes: number, size: (n: number) => number): number {
  const per = (size(2000) - size(1000)) / 1000;
  let n = Math.floor((bytes - size(0)) / per);
  while (size(n) > bytes) n -= 100;
  return n;
}
const XLSX_XML_LIMIT = DEFAULT_XLSX_ZIP_LIMITS.maxUncompressedBytes;
/** Rows of xlsxRows() whose parts stay just under the limit (the other parts take about 4 KB). */
const xlsxRowsAtLimit = () => largestUnder(XLSX_XML_LIMIT - 4096, shapes.xlsxRowsXmlBytes);
const jsonObjectsAtLimit = () => largestUnder(JSON_POINTERS_MAX_BYTES, (n) => Buffer.byteLength(shapes.longJson(n)));

function shapeList(): Shape[] {
  return [
    { name: 'xlsx bomb, sizes declared (4.4 GB from 4 MB)', limit: 'xlsx: ratio 100, 12 MiB of XML declared', file: 'bomb.xlsx', make: (f) => put(f, shapes.xlsxBomb(4.4e9)) },
    {
      name: 'xlsx bomb, sizes understated (4.4 GB declared as 11 MiB)',
      limit: 'xlsx: inflation capped at each part\'s declared size',
      file: 'liar.xlsx',
      make: (f) => put(f, shapes.xlsxBomb(4.4e9, { lie: true, declaredBytes: 11 * MiB })),
    },
    { name: 'xlsx of 2,000 entries', limit: 'xlsx: 1,000 entries', file: 'entries.xlsx', make: (f) => put(f, shapes.xlsxManyEntries(2000)) },
    { name: `xlsx at the limit (${xlsxRowsAtLimit().toLocaleString('en')} rows, just under 12 MiB of XML)`, limit: 'xlsx: 12 MiB of XML declared', file: 'largest.xlsx', make: (f) => put(f, shapes.xlsxRows(xlsxRowsAtLimit())) },
    { name: 'JSON nested 1,000 deep', limit: 'JSON: 1,000 levels', file: 'deep-1000.json', make: (f) => put(f, shapes.deepJsonWithStrings(1000)) },
    { name: 'JSON nested 1,000,000 deep', limit: 'JSON: 1,000 levels', file: 'deep-1m.json', make: (f) => put(f, shapes.deepJson(1_000_000)) },
    {
      name: `JSON of ${jsonObjectsAtLimit().toLocaleString('en')} objects (8 strings each), just under 16 MiB`,
      limit: 'JSON: strings and pointers up to 16 MiB',
      file: 'long.json',
      make: (f) => put(f, shapes.longJson(jsonObjectsAtLimit())),
    },
    { name: 'JSON of 1,000,000 objects (79 MB)', limit: 'JSON: as text beyond 16 MiB', file: 'longer.json', make: (f) => put(f, shapes.longJson(1_000_000)) },
    { name: 'JSON string of 16 MiB', limit: 'JSON: strings in 1 MiB pieces', file: 'long-string.json', make: (f) => put(f, shapes.longStringJson(16 * MiB - 64)) },
    { name: 'CSV of 1,000,000 columns', limit: 'CSV: 1 MiB record, 16,384 cells', file: 'wide.csv', make: (f) => put(f, shapes.wideCsv(1_000_000)) },
    { name: 'CSV header repeating one name 16,384 times', limit: 'CSV: 16,384 cells', file: 'repeated.csv', make: (f) => put(f, shapes.repeatedHeaderCsv(16_384)) },
    { name: 'CSV quoted cell just under 1 MiB', limit: 'CSV: 1 MiB record', file: 'quoted.csv', make: (f) => put(f, shapes.longQuotedCellCsv(MiB - 64, { oneLine: true })) },
    { name: 'CSV quoted cell of 64 MiB, never closed', limit: 'CSV: 1 MiB record', file: 'unclosed.csv', make: (f) => put(f, shapes.longQuotedCellCsv(64 * MiB, { closed: false, oneLine: true })) },
    {
      name: 'chat table, time cells of 100,000 spaces (10 MB)',
      limit: 'linear date/time reading',
      file: 'dates.csv',
      make: (f) => put(f, shapes.slowDateChatTable(100_000, 100)),
      mode: 'datamap',
    },
    { name: 'chat table of 200,000 groups', limit: 'data map: 10,000 groups per source', file: 'groups.csv', make: (f) => put(f, shapes.manyGroupsChatTable(200_000)), mode: 'datamap' },
    {
      name: 'a FIFO among files',
      limit: 'only regular files are opened',
      file: 'fifo-folder',
      make: (f) => {
        shapes.folderWithFifo(f);
        return 0;
      },
    },
  ];
}

function fmt(n: number, digits = 1): string {
  return n.toFixed(digits);
}

async function inChild(mode: string, file: string): Promise<ChildReport & { wall: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [...NODE_FLAGS, THIS_FILE, '--child', mode, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => (out += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  clearTimeout(timer);
  const last = out.trim().split('\n').pop() ?? '';
  if (code !== 0 || !last.startsWith('{')) return { outcome: `child exited ${code}`, findings: 0, seconds: NaN, maxRssKB: NaN, wall: (performance.now() - t0) / 1000 };
  return { ...(JSON.parse(last) as ChildReport), wall: (performance.now() - t0) / 1000 };
}

/** The child: one scan, one JSON line. */
async function child(mode: string, file: string): Promise<void> {
  const t0 = performance.now();
  let outcome: string;
  let findings = 0;
  if (mode === 'datamap') {
    const { scanSource } = await import('../lib/usecases/datamap/scan-source.ts');
    const { sourceReaders } = await import('../lib/adapters/sources/source-reader.ts');
    const { Source } = await import('../lib/domain/org/source.ts');
    const source = Source.parse({ id: 'bench', name: 'bench', platform: 'DingTalk', kind: 'chat-table', path: file, storage: { country: 'HK' } });
    try {
      const entry = await scanSource(source, 'bench-hash-key-0123456789', sourceReaders());
      findings = Object.values(entry.counts).reduce((a, b) => a + (b ?? 0), 0);
      outcome = `scanned, ${entry.groups.length.toLocaleString('en')} group entries`;
    } catch (error) {
      outcome = `failed: ${(error as Error).message}`;
    }
  } else {
    const { scanPathsTo } = await import('../lib/usecases/scan/scan-files.ts');
    const { readFileRecords, readPathRecords } = await import('../lib/adapters/sources/local-files.ts');
    const summary = await scanPathsTo({ file: readFileRecords, paths: readPathRecords }, [file], {}, () => findings++);
    outcome = summary.files
      .map((f) => (f.status === 'scanned' ? `scanned${f.problems?.length ? ` (${f.problems[0]!.message})` : ''}` : `${f.status}: ${f.reason}`))
      .join('; ');
  }
  const report: ChildReport = { outcome, findings, seconds: (performance.now() - t0) / 1000, maxRssKB: process.resourceUsage().maxRSS };
  console.log(JSON.stringify(report));
}

export async function main(): Promise<void> {
  console.log(`# Hostile shapes, each at its limit, each in a child process (${NODE_FLAGS.join(' ')}); target under ${TARGET_SECONDS} s and ${TARGET_RSS / MB} MB`);
  const dir = mkdtempSync(path.join(tmpdir(), 'hostile-bench-'));
  let over = 0;
  try {
    for (const shape of shapeList()) {
      const file = path.join(dir, shape.file);
      const bytes = shape.make(file);
      const r = await inChild(shape.mode ?? 'scan', file);
      rmSync(file, { recursive: true, force: true });
      const rss = (r.maxRssKB * 1024) / MB;
      const ok = r.seconds < TARGET_SECONDS && rss < TARGET_RSS / MB;
      if (!ok) over++;
      const outcome = r.outcome.length > 150 ? `${r.outcome.slice(0, 147)}...` : r.outcome;
      console.log(
        `  ${shape.name}${bytes ? ` [${fmt(bytes / MB, bytes < MB ? 3 : 1)} MB]` : ''}: ${fmt(r.seconds, 2)} s, peak RSS ${fmt(rss, 0)} MB${ok ? '' : ' — OVER TARGET'}\n` +
          `      limit: ${shape.limit}; ${outcome}${r.findings ? `; ${r.findings.toLocaleString('en')} findings` : ''}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(over === 0 ? '  every shape within the target' : `  ${over} shape(s) over the target`);
  await linearity();
}

const drain = async (records: AsyncIterable<unknown>) => {
  for await (const _ of records) void _;
};

/** Each shape that once cost quadratic time: `make(n)` prepares an input of size n and returns its work. */
function linearShapes(dir: string): { name: string; n: number; make: (n: number) => () => unknown }[] {
  const file = (name: string, content: string) => {
    const f = path.join(dir, name);
    writeFileSync(f, content);
    return f;
  };
  return [
    { name: 'CSV header naming one name n times', n: 16_384, make: (n) => ((names) => () => uniqueHeaderNames(names))(Array.from({ length: n }, () => 'email')) },
    { name: 'column guessing from n header names', n: 50_000, make: (n) => ((names) => () => guessColumns(names))(Array.from({ length: n }, (_, i) => `Column ${i}`)) },
    { name: 'chat table, time cells of n spaces (20 rows)', n: 100_000, make: (n) => ((f) => () => drain(readChatTable(f)))(file(`dates-${n}.csv`, shapes.slowDateChatTable(n, 20))) },
    { name: 'CSV rows of n cells beyond a header of one (20 rows)', n: 4000, make: (n) => ((f) => () => drain(readCsvRecords(f)))(file(`beyond-${n}.csv`, `only\n${`${'x,'.repeat(n - 1)}x\n`.repeat(20)}`)) },
    {
      name: 'JSON nested n deep, a string at each level, with pointers',
      n: 20_000,
      make: (n) => {
        const text = shapes.deepJsonWithStrings(n);
        return () => {
          const strings = new JsonStrings({ maxDepth: Infinity });
          let chars = 0;
          const emit = (s: { pointer: string }) => (chars += s.pointer.length);
          for (let i = 0; i < text.length; i += 64 * 1024) strings.push(text.slice(i, i + 64 * 1024), emit);
          strings.end(emit);
        };
      },
    },
    { name: 'JSON of n lines scanned, bad at its end', n: 10_000, make: (n) => ((f) => () => scanPaths(sourceReaders(), [f]))(file(`long-${n}.json`, `${shapes.longJson(n)}x`)) },
    {
      // each record's quoted cell ends, a line later, at a quote with text after it (an
      // Excel-for-Mac export read with the wrong line ends): csv-parse read on to the end
      // of its input for every one
      name: 'CSV of n records, each with a stray quote',
      n: 2000,
      make: (n) =>
        ((f) => () => drain(readCsvRecords(f)))(
          file(`stray-${n}.csv`, `name,mobile,note\n${Array.from({ length: n }, (_, i) => `Chan ${i},9123 4567,"note ${i}\nmore" x,Ho ${i},6123 4567\n`).join('')}`),
        ),
    },
    {
      // every line leaves a quote open that the next line's quote ends with text after
      // it: each record begun was read on to the end of the file, for every line
      name: 'CSV of n lines, each leaving a quote open',
      n: 2000,
      make: (n) => ((f) => () => drain(readCsvRecords(f)))(file(`open-${n}.csv`, shapes.openQuoteLinesCsv(n, 'closed'))),
    },
    {
      name: 'a record of n lines, a finding on each, placed by line',
      n: 20_000,
      make: (n) => {
        const text = 'call 9123 4567 please\n'.repeat(n);
        return () =>
          detectRecords(
            (async function* () {
              yield { group: 'g', sender: '', text, at: { file: 'f', line: 1 } };
            })(),
            () => {},
          );
      },
    },
  ];
}

async function timed(work: () => unknown): Promise<number> {
  const t0 = performance.now();
  await work();
  return performance.now() - t0;
}

/**
 * The time of each shape at n and at 4n (best of 5, after a run to warm the JIT), and
 * their ratio: about 4 when linear, 16 when quadratic.
 */
export async function linearity(): Promise<void> {
  console.log('# Linear time: each shape that once cost quadratic time at n and 4n (best of 5); ratio about 4 linear, 16 quadratic');
  const dir = mkdtempSync(path.join(tmpdir(), 'hostile-linear-'));
  try {
    for (const shape of linearShapes(dir)) {
      const once = shape.make(shape.n);
      const fourTimes = shape.make(4 * shape.n);
      await once();
      await fourTimes();
      // in turn, so that other work on the machine slows both alike
      let a = Infinity;
      let b = Infinity;
      for (let i = 0; i < 5; i++) {
        a = Math.min(a, await timed(once));
        b = Math.min(b, await timed(fourTimes));
      }
      console.log(`  ${shape.name}: n = ${shape.n.toLocaleString('en')} ${fmt(a, 1)} ms, 4n ${fmt(b, 1)} ms, ratio ${fmt(b / a, 1)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  if (process.argv[2] === '--child') await child(process.argv[3]!, process.argv[4]!);
  else await main();
}
