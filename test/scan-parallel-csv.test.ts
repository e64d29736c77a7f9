// A large CSV/TSV file scanned on several threads gives what one thread gives: it is cut
// only after record ends (never inside a quoted cell, however many lines the cell
// holds), each part reads the header first so its cells keep their column names, lines
// and rows are the whole file's, and a file whose quoting the cutting pass cannot be
// sure of (or in UTF-16) is read whole.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCsvRecords, type CsvRecord } from '../lib/adapters/sources/csv-reader.ts';
import { csvParts, PART_BYTES, splitFile, splittable } from '../lib/adapters/sources/file-parts.ts';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { FindingJson } from '../lib/cli/scan-json.ts';
import { scanPathsParallel, type PartFound } from '../lib/cli/scan-pool.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { labelledLines } from './support/labelled-corpus.ts';
import { tempDir } from './support/temp-dir.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KEY = 'parallel-csv-test-key';

const quoted = (s: string) => `"${s.replaceAll('"', '""')}"`;
const cell = (s: string, d: string) => (/["\r\n]/.test(s) || s.includes(d) ? quoted(s) : s);

/**
 * A CSV (or TSV) of `rows` records: labelled-corpus text (identifiers, near misses,
 * mixed scripts) in cells quoted over several lines, with embedded delimiters and
 * doubled quotes; empty lines now and then; `eol` between records.
 */
function tableText(rows: number, seed: number, d = ',', eol = '\n'): string {
  const lines = labelledLines(rows * 2, { seed, itemLineShare: 0.5 }).map((l) => l.text);
  const out = [['id', 'name', 'notes', `phone${d} mobile`, 'email', ''].map((h) => cell(h, d)).join(d)];
  for (let i = 0; i < rows; i++) {
    const a = lines[2 * i]!;
    const b = lines[2 * i + 1]!;
    const notes =
      i % 4 === 0 ? quoted(`${a}\n${b}`) : i % 4 === 1 ? quoted(`${a}${d} "so" ${d}${b}\r\n${a}`) : i % 4 === 2 ? cell(a, d) : quoted(`\n\n${b}\n`);
    if (i % 97 === 5) out.push(i % 2 ? '' : '\r');
    out.push([`P${i}`, quoted(`Chan${d} Tai Man ${i}`), notes, i % 3 ? `+852 9123 ${String(1000 + (i % 9000))}` : '""', `p${i}@example.hk`, i % 7 ? '' : b.slice(0, 30)].map((c, k) => (k === 2 || k === 1 || k === 3 ? c : cell(c, d))).join(d));
  }
  return out.join(eol) + eol;
}

let made: string | undefined;

/**
 * The folder of test tables, written once for the file: every test only reads it (splits,
 * reads and scans its files), so sharing it keeps the tests independent of their order.
 */
function folder(): string {
  made ??= writeFolder();
  return made;
}

function writeFolder(): string {
  const dir = tempDir('scan-parallel-csv-');
  writeFileSync(path.join(dir, 'contacts.csv'), tableText(3000, 1));
  writeFileSync(path.join(dir, 'crlf.tsv'), tableText(2000, 2, '\t', '\r\n'));
  writeFileSync(path.join(dir, 'bom.csv'), `\uFEFF\n\n${tableText(1500, 3)}`); // empty lines before the header
  writeFileSync(path.join(dir, 'no-final-newline.csv'), tableText(1500, 4).slice(0, -1));
  writeFileSync(path.join(dir, 'utf16.csv'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(tableText(1500, 5), 'utf16le')]));
  // csv-parse reads these leniently (a quote inside an unquoted cell, text after a closing quote)
  writeFileSync(path.join(dir, 'loose-quote.csv'), tableText(1500, 6).replace('\nP700,', '\nP7"00\nx",'));
  writeFileSync(path.join(dir, 'after-quote.csv'), tableText(1500, 7).replace('"Chan, Tai Man 700"', '"Chan, Tai Man 700"x'));
  writeFileSync(path.join(dir, 'unclosed.csv'), `${tableText(1500, 8)}P9,"never closed,\n`);
  return dir;
}

/** Every record of a file read whole, and of its parts read one by one. */
async function recordsOf(file: string, partBytes: number): Promise<{ whole: CsvRecord[]; parts: CsvRecord[][] }> {
  const whole: CsvRecord[] = [];
  for await (const r of readCsvRecords(file)) whole.push(r);
  const parts: CsvRecord[][] = [];
  for (const part of (await splitFile(file, undefined, partBytes)) ?? []) {
    const records: CsvRecord[] = [];
    for await (const r of readCsvRecords(file, { part: { ...part, csv: part.csv! } })) records.push(r);
    parts.push(records);
  }
  return { whole, parts };
}

describe('splitting a large CSV/TSV file', () => {
  it('cuts only after record ends, and its parts read (header first) the records the whole file holds, lines and rows included', async () => {
    const dir = folder();
    for (const name of ['contacts.csv', 'crlf.tsv', 'bom.csv', 'no-final-newline.csv']) {
      const file = path.join(dir, name);
      const { whole, parts } = await recordsOf(file, 16 * 1024);
      expect(parts.length, name).toBeGreaterThan(10);
      expect(parts.flat(), name).toEqual(whole);
      expect(whole.length).toBeGreaterThan(1400);
      expect(Object.keys(whole.at(-1)!.cells)).toContain('phone, mobile'.replace(', ', name.endsWith('.tsv') ? '\t ' : ', '));
    }
    const file = path.join(dir, 'contacts.csv');
    const bytes = readFileSync(file); // tableText(3000, 1), as folder() wrote it
    const split = (await splitFile(file, undefined, 16 * 1024))!;
    expect(split[0]!.start).toBe(0);
    expect(split.at(-1)!.end).toBe(bytes.length);
    for (const [i, p] of split.entries()) {
      if (i > 0) expect(p.start).toBe(split[i - 1]!.end);
      expect(bytes[p.start - 1] ?? 0x0a).toBe(0x0a);
      expect(p.line).toBe(bytes.subarray(0, p.start).toString('latin1').split('\n').length);
      expect(p.csv!.header).toEqual({ start: 0, end: bytes.indexOf(0x0a) + 1 });
    }
  });

  it('cuts the same wherever the windows the pass reads end (a quote and what follows it read across two)', async () => {
    const dir = folder();
    for (const name of ['contacts.csv', 'crlf.tsv', 'bom.csv']) {
      const file = path.join(dir, name);
      const split = (await splittable(file, undefined, 16 * 1024))!;
      const parts = await csvParts(file, split, 16 * 1024);
      expect(parts!.length).toBeGreaterThan(10);
      for (const windowBytes of name === 'bom.csv' ? [4, 5, 64, 1000] : [64, 1000]) expect(await csvParts(file, split, 16 * 1024, windowBytes), `${name} ${windowBytes}`).toEqual(parts);
    }
    const loose = path.join(dir, 'loose-quote.csv');
    const split = (await splittable(loose, undefined, 16 * 1024))!;
    for (const windowBytes of [64, 1000]) expect(await csvParts(loose, split, 16 * 1024, windowBytes)).toBeUndefined();
  });

  it('reads whole what it cannot cut safely: UTF-16, quotes csv-parse reads leniently, a quote never closed, a byte budget, a small file', async () => {
    const dir = folder();
    for (const name of ['utf16.csv', 'loose-quote.csv', 'after-quote.csv', 'unclosed.csv']) expect(await splitFile(path.join(dir, name), undefined, 16 * 1024), name).toBeUndefined();
    expect(await splitFile(path.join(dir, 'contacts.csv'), 10_000_000, 16 * 1024)).toBeUndefined();
    expect(await splitFile(path.join(dir, 'contacts.csv'), undefined)).toBeUndefined();
  });
});

describe('a CSV/TSV scan on several threads', () => {
  it("gives the one-thread scan's findings (as its JSON text), files (problems included) and counts, in order", async () => {
    const dir = folder();
    const one = await scanPaths(sourceReaders(), [dir], { hashKey: KEY });
    const parts: PartFound[] = [];
    const summary = await scanPathsParallel([dir], { hashKey: KEY }, (p) => parts.push(p), { threads: 3, partBytes: 16 * 1024, mode: 'json' });
    const writer = new FindingJson();
    expect(Buffer.concat(parts.flatMap((p) => p.json)).toString()).toBe(one.findings.map((f) => `,\n    ${writer.text(f)}`).join(''));
    expect(JSON.stringify(summary.files)).toBe(JSON.stringify(one.files));
    expect(summary.counts).toEqual(one.counts);
    expect(one.findings.filter((f) => f.row !== undefined && f.row > 2000).length).toBeGreaterThan(100);
    expect(one.files.find((f) => f.file.endsWith('unclosed.csv'))!.problems).toHaveLength(1);
    // the split files came back in many parts
    expect(parts.filter((p) => p.file.endsWith('contacts.csv')).length).toBeGreaterThan(10);
  });

  it("reports the header row's findings once, from the part that starts the file (every part reads the header)", async () => {
    const dir = tempDir('scan-parallel-csv-header-');
    const file = path.join(dir, 'no-header.csv');
    // the first record holds data, as in a file without a header row
    writeFileSync(file, `P0,A123456(3),chan@example.hk\n${tableText(1500, 10).split('\n').slice(1).join('\n')}`);
    const one = await scanPaths(sourceReaders(), [file], { hashKey: KEY });
    const parts: PartFound[] = [];
    const summary = await scanPathsParallel([file], { hashKey: KEY }, (p) => parts.push(p), { threads: 3, partBytes: 16 * 1024, mode: 'json' });
    expect(parts.length).toBeGreaterThan(10);
    const writer = new FindingJson();
    expect(Buffer.concat(parts.flatMap((p) => p.json)).toString()).toBe(one.findings.map((f) => `,\n    ${writer.text(f)}`).join(''));
    expect(summary.counts).toEqual(one.counts);
    expect(one.findings.filter((f) => f.row === 0).map((f) => `${f.line}:${f.type}:${f.masked}`)).toEqual(['1:hk_id:A12****(3)', '1:email:c***@example.hk']);
  });
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['lib/cli/main.mjs', ...args], { cwd: ROOT, maxBuffer: 256 * 1024 * 1024, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

describe('compliance scan FILE.csv --format json', () => {
  it('prints the same JSON, byte for byte, on 1 thread and on 4 (a 20 MB CSV cut into parts)', async () => {
    const dir = tempDir('scan-csv-cli-');
    const file = path.join(dir, 'export.csv');
    const block = tableText(6000, 9).split('\n').slice(1).join('\n'); // records, no header
    const header = tableText(1, 9).split('\n')[0]!;
    const size = Buffer.byteLength(block);
    writeFileSync(file, `${header}\n${block.repeat(Math.ceil((20 * 1024 * 1024) / size))}`);
    expect((await splitFile(file, undefined, PART_BYTES))?.length).toBeGreaterThanOrEqual(2);
    const [one, four] = await Promise.all([cli(['scan', file, '--format', 'json', '--threads', '1']), cli(['scan', file, '--format', 'json', '--threads', '4'])]);
    expect(one.code).toBe(0);
    expect(four.code).toBe(0);
    expect(four.stdout).toBe(one.stdout);
    const parsed = JSON.parse(one.stdout) as { findings: { row?: number; line?: number }[]; files: { problems?: unknown }[] };
    expect(parsed.findings.length).toBeGreaterThan(50_000);
    expect(parsed.files[0]!.problems).toBeUndefined();
  }, 120_000);
});
