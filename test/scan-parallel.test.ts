// The scan on every core gives what the one-thread scan gives: the same findings in the
// same order (line numbers of split files included), the same files and counts; large
// text files are split only at line ends and only where that is safe; and the table
// summarises any number of findings (the JSON still lists them all).
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { splitFile } from '../lib/adapters/sources/file-parts.ts';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { scanPathsParallel, type PartFound } from '../lib/cli/scan-pool.ts';
import { FindingJson } from '../lib/cli/scan-json.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { labelledLines } from './support/labelled-corpus.ts';
import { tempDir } from './support/temp-dir.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KEY = 'parallel-test-key';

/** Lines of the labelled corpus (identifiers, near misses, mixed scripts), `n` of them. */
function corpusText(n: number, seed: number): string {
  return `${labelledLines(n, { seed, itemLineShare: 0.5 })
    .map((l) => l.text)
    .join('\n')}\n`;
}

function folder(): string {
  const dir = tempDir('scan-parallel-');
  writeFileSync(path.join(dir, 'big-chat.txt'), corpusText(6000, 1)); // split into parts below
  writeFileSync(path.join(dir, 'crlf.log'), corpusText(3000, 2).replaceAll('\n', '\r\n'));
  writeFileSync(path.join(dir, 'hr.csv'), `name,phone,email\n${Array.from({ length: 300 }, (_, i) => `P${i},+852 9123 ${String(4000 + i)},p${i}@example.hk`).join('\n')}\n`);
  writeFileSync(path.join(dir, 'utf16.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(corpusText(2000, 3), 'utf16le')]));
  writeFileSync(path.join(dir, 'doc.json'), JSON.stringify({ people: [{ phone: '+852 9123 4567', email: 'ann@example.hk' }] }));
  mkdirSync(path.join(dir, 'nested'));
  writeFileSync(path.join(dir, 'nested', 'small.txt'), 'HKID A123456(3), 電話 9123 4567\n');
  writeFileSync(path.join(dir, 'nested', 'no-newline.txt'), corpusText(1500, 4).trimEnd());
  return dir;
}

async function parallel(paths: string[], mode: 'json' | 'table', keep = 0, partBytes = 16 * 1024) {
  const parts: PartFound[] = [];
  const summary = await scanPathsParallel(paths, { hashKey: KEY }, (p) => parts.push(p), { threads: 3, partBytes, mode, keep });
  return { parts, summary };
}

describe('splitting a large text file', () => {
  it('cuts only just after line ends, knows the first line of each part, and covers the file', async () => {
    const dir = folder();
    const file = path.join(dir, 'big-chat.txt');
    const parts = (await splitFile(file, undefined, 16 * 1024))!;
    const text = corpusText(6000, 1);
    const bytes = Buffer.from(text);
    expect(parts.length).toBeGreaterThan(10);
    expect(parts[0]!.start).toBe(0);
    expect(parts.at(-1)!.end).toBe(bytes.length);
    for (const [i, p] of parts.entries()) {
      if (i > 0) expect(p.start).toBe(parts[i - 1]!.end);
      expect(bytes[p.start - 1] ?? 0x0a).toBe(0x0a);
      expect(p.line).toBe(bytes.subarray(0, p.start).toString('latin1').split('\n').length);
    }
  });

  it('leaves whole what is unsafe or not worth splitting: UTF-16, JSON, a byte budget, a small file (CSV: scan-parallel-csv.test.ts)', async () => {
    const dir = folder();
    expect(await splitFile(path.join(dir, 'utf16.txt'), undefined, 16 * 1024)).toBeUndefined();
    expect(await splitFile(path.join(dir, 'hr.csv'), 1_000_000, 1024)).toBeUndefined();
    expect(await splitFile(path.join(dir, 'doc.json'), undefined, 16)).toBeUndefined();
    expect(await splitFile(path.join(dir, 'big-chat.txt'), 1_000_000, 16 * 1024)).toBeUndefined();
    expect(await splitFile(path.join(dir, 'nested', 'small.txt'), undefined)).toBeUndefined();
  });
});

describe('the scan on several threads', () => {
  it('gives the one-thread scan\'s findings (as its JSON text), files and counts, in order', async () => {
    const dir = folder();
    const paths = [dir, path.join(dir, 'missing.txt')];
    const one = await scanPaths(sourceReaders(), paths, { hashKey: KEY });
    const { parts, summary } = await parallel(paths, 'json');
    const writer = new FindingJson();
    expect(Buffer.concat(parts.flatMap((p) => p.json)).toString()).toBe(one.findings.map((f) => `,\n    ${writer.text(f)}`).join(''));
    expect(one.findings.map((f) => writer.text(f))).toEqual(one.findings.map((f) => JSON.stringify(f)));
    expect(summary.files).toEqual(one.files);
    expect(summary.counts).toEqual(one.counts);
    expect(one.findings.length).toBeGreaterThan(3000);
    expect(one.files.map((f) => path.basename(f.file))).toEqual(['big-chat.txt', 'crlf.log', 'doc.json', 'hr.csv', 'no-newline.txt', 'small.txt', 'utf16.txt', 'missing.txt']);
  });

  it('keeps the first findings for a table, in order', async () => {
    const dir = folder();
    const one = await scanPaths(sourceReaders(), [dir], { hashKey: KEY });
    const { parts } = await parallel([dir], 'table', 50);
    // each part keeps its first 50: the first 50 of them all are the first 50 found
    expect(parts.flatMap((p) => p.kept).slice(0, 50)).toEqual(one.findings.slice(0, 50));
    expect(parts.reduce((n, p) => n + Object.values(p.counts).reduce((a, b) => a + b, 0), 0)).toBe(one.findings.length);
  });
});

describe('the scan on several threads when a thread goes wrong', () => {
  it('fails with the reason, rather than waiting for ever, when a worker thread stops without an error', async () => {
    const dir = tempDir('scan-worker-exit-');
    const file = path.join(dir, 'chat.txt');
    const block = corpusText(6000, 5);
    writeFileSync(file, block.repeat(Math.ceil((17 * 1024 * 1024) / Buffer.byteLength(block)))); // past the 16 MiB that go on threads
    // loaded into every thread by --import: each worker thread stops itself soon after it starts
    const stop = path.join(dir, 'stop-workers.mjs');
    writeFileSync(stop, "import { isMainThread } from 'node:worker_threads';\nif (!isMainThread) setTimeout(() => process.exit(3), 100);\n");
    for (const threads of ['2', '3']) {
      const r = await node(['--import', pathToFileURL(stop).href, 'lib/cli/main.mjs', 'scan', file, '--format', 'json', '--threads', threads], 25_000);
      expect({ threads, code: r.code, stderr: r.stderr.trim() }).toEqual({ threads, code: 1, stderr: 'compliance: a scan worker thread stopped (exit code 3) before the scan was done' });
    }
  }, 60_000);

  it('loads on a worker thread of another program without taking over its messages (the thread still ends by itself)', async () => {
    const dir = tempDir('scan-pool-embedded-');
    const program = path.join(dir, 'embed.mjs');
    writeFileSync(
      program,
      [
        "import { Worker, isMainThread } from 'node:worker_threads';",
        'if (isMainThread) {',
        '  const w = new Worker(new URL(import.meta.url));',
        "  const late = setTimeout(() => { console.log('still running'); process.exit(1); }, 10_000);",
        "  w.on('exit', (code) => { clearTimeout(late); console.log(`ended ${code}`); });",
        '} else {',
        `  await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'lib/cli/scan-pool.ts')).href)});`,
        '}',
      ].join('\n'),
    );
    const r = await node([program], 20_000);
    expect({ code: r.code, stdout: r.stdout.trim() }).toEqual({ code: 0, stdout: 'ended 0' });
  }, 30_000);
});

describe('how many threads a scan starts', () => {
  it('starts no more worker threads than four per core, nor than the parts of the files, whatever --threads asks', async () => {
    const dir = tempDir('scan-worker-count-');
    const file = path.join(dir, 'chat.txt');
    const block = corpusText(6000, 6);
    writeFileSync(file, block.repeat(Math.ceil((17 * 1024 * 1024) / Buffer.byteLength(block))));
    const parts = Math.ceil(statSync(file).size / (2 * 1024 * 1024));
    // loaded into every thread by --import: each worker thread leaves a line
    const started = path.join(dir, 'started.txt');
    const count = path.join(dir, 'count-workers.mjs');
    writeFileSync(count, `import { appendFileSync } from 'node:fs';\nimport { isMainThread } from 'node:worker_threads';\nif (!isMainThread) appendFileSync(${JSON.stringify(started)}, 'worker\\n');\n`);
    const r = await node(['--import', pathToFileURL(count).href, 'lib/cli/main.mjs', 'scan', file, '--format', 'json', '--threads', '64'], 60_000);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(r.stdout).files[0].status).toBe('scanned');
    const workers = readFileSync(started, 'utf8').split('\n').filter(Boolean).length;
    expect(workers).toBeGreaterThan(0);
    expect(workers).toBeLessThanOrEqual(Math.min(4 * availableParallelism(), parts) - 1);
  }, 90_000);
});

function node(args: string[], timeout = 120_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: ROOT, maxBuffer: 256 * 1024 * 1024, timeout }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return node(['lib/cli/main.mjs', ...args]);
}

describe('compliance scan with more findings than a table can list', () => {
  it('summarises 130,000 findings per file and type with the first ones listed, and streams all of them as JSON', async () => {
    const dir = tempDir('scan-many-');
    const file = path.join(dir, 'contacts.txt');
    writeFileSync(file, Array.from({ length: 130_000 }, (_, i) => `user${i}@example.hk`).join('\n'));
    const [table, json] = await Promise.all([cli(['scan', file]), cli(['scan', file, '--format', 'json', '--threads', '1'])]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^FILE\s+TYPE\s+FINDINGS$/m);
    expect(table.stdout).toMatch(/contacts\.txt\s+email\s+130000$/m);
    expect(table.stdout).toContain('(the first 200 of 130000 findings; --format json lists them all)');
    expect(table.stdout.split('\n').length).toBeLessThan(300);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { findings: unknown[] }).findings.length).toBe(130_000);
  }, 120_000);
});
