// csv-reader.ts reads well-formed records itself (csv-fast-records.ts) and leaves every
// other record to csv-parse: what it gives must be exactly what csv-parse alone gives
// (the internal option `fastPath: false`), batch by batch: records (row, line, cells),
// the report (rows, header, header line, problems) and the problems as they are found,
// whatever the chunk size, the byte budget or the part of the file read.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsvBatches, readCsvRecords, type CsvProblem, type CsvReadOptions, type CsvRecord, type CsvReport } from '../lib/adapters/sources/csv-reader.ts';
import { splitFile } from '../lib/adapters/sources/file-parts.ts';
import { mulberry32 } from '../lib/domain/text/seeded-random.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'csv-fast-path-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
function fixture(text: string | Buffer, ext = '.csv'): string {
  const file = path.join(dir, `f${++fileCount}${ext}`);
  writeFileSync(file, text);
  return file;
}

interface Read {
  batches: CsvRecord[][];
  report: CsvReport | undefined;
  found: CsvProblem[];
}

async function read(file: string, options: CsvReadOptions): Promise<Read> {
  const batches: CsvRecord[][] = [];
  const found: CsvProblem[] = [];
  let report: CsvReport | undefined;
  for await (const batch of readCsvBatches(file, { ...options, onProblem: (p) => found.push(p), report: (r) => (report = r) })) batches.push(batch);
  return { batches, report, found };
}

/** Read `file` with the fast path and with csv-parse alone, and expect the same. */
async function same(file: string, options: CsvReadOptions = {}, label = ''): Promise<Read> {
  const fast = await read(file, options);
  const slow = await read(file, { ...options, fastPath: false });
  expect(fast, `${label} ${JSON.stringify(options)}`).toEqual(slow);
  expect(fast.batches.every((b) => b.length > 0)).toBe(true);
  return fast;
}

async function records(file: string, options: CsvReadOptions = {}): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const r of readCsvRecords(file, options)) out.push(r);
  return out;
}

const WORDS = ['alpha', 'Chan Tai Man', '陳大文', '员工姓名', 'café', '😀 ok', '9123 4567', 'staff1@example.hk', '1,5', 'x', '   ', ''];

/**
 * A CSV/TSV text of the shapes seen in exports, and of the unusual ones csv-parse reads
 * leniently or rejects. `clean`: only shapes whose records a cutting pass can follow
 * (no stray quotes, no unclosed quote, no very long record).
 */
function generate(seed: number, d: string, clean = false, records = 60 + (seed % 5) * 40): string {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const eol = rand() < 0.3 ? '\r\n' : '\n';
  const quoted = (s: string) => `"${s.replaceAll('"', '""')}"`;
  const cell = (): string => {
    const r = rand();
    if (r < 0.45) return pick(WORDS).replaceAll(d, ' ').replaceAll('"', '');
    if (r < 0.6) return quoted(`${pick(WORDS)}${d} ${pick(WORDS)}`);
    if (r < 0.7) return quoted(`she said "${pick(WORDS)}"`);
    if (r < 0.8) return quoted(`${pick(WORDS)}\n${pick(WORDS)}${rand() < 0.5 ? '\r\n' : '\n\n'}${pick(WORDS)}`);
    if (r < 0.85) return quoted('');
    if (r < 0.9) return `${pick(WORDS)}\r${pick(WORDS)}`.replaceAll(d, ' '); // a lone CR
    if (r < 0.95) return '中文'.repeat(1 + Math.floor(rand() * 40));
    return '';
  };
  const width = 3 + Math.floor(rand() * 4);
  const lines: string[] = [Array.from({ length: width }, (_, i) => (i === 2 ? '' : i === 3 ? 'name' : rand() < 0.2 ? quoted(`col${d}${i}`) : `name`)).join(d)];
  for (let i = 0; i < records; i++) {
    const r = rand();
    const n = r < 0.1 ? width + 1 + Math.floor(rand() * 3) : r < 0.2 ? 1 + Math.floor(rand() * width) : width;
    const cells = Array.from({ length: n }, cell);
    const u = rand();
    if (u < 0.05) lines.push('');
    else if (u < 0.08) lines.push('   ');
    else if (u < 0.1) lines.push('""');
    else if (!clean && u < 0.14) cells[Math.floor(rand() * n)] = `5'2" tall`; // a quote inside an unquoted cell
    else if (!clean && u < 0.17) cells[Math.floor(rand() * n)] = `"closed"${pick(['x', ' ', '"', 'tail "q"'])}`; // text after a closing quote
    else if (!clean && u < 0.19) cells[Math.floor(rand() * n)] = quoted('long '.repeat(300 + Math.floor(rand() * 600))); // over a small maxRecordBytes
    else if (!clean && u < 0.2) cells[Math.floor(rand() * n)] = `"never closed ${pick(WORDS)}`; // swallows what follows, up to the next quote
    lines.push(cells.join(d));
  }
  let text = lines.join(eol);
  const end = rand();
  if (end < 0.5) text += eol;
  else if (end < 0.6) text += eol + eol + eol;
  else if (!clean && end < 0.75) text += `${eol}1${d}"unclosed at the end${eol}more`;
  return text;
}

describe('the fast CSV path reads what csv-parse reads', () => {
  it('generated files: every chunk size, CSV and TSV, small limits', async () => {
    for (let seed = 1; seed <= 48; seed++) {
      const tsv = seed % 4 === 0;
      const file = fixture(generate(seed, tsv ? '\t' : ','), tsv ? '.tsv' : '.csv');
      for (const maxChunkChars of [256, 300, 4096, undefined]) {
        const options: CsvReadOptions = maxChunkChars === undefined ? {} : { maxChunkChars };
        await same(file, options, `seed ${seed}`);
        if (seed % 3 === 0) await same(file, { ...options, maxRecordBytes: 1500 + seed * 37 }, `seed ${seed}`);
        if (seed % 5 === 0) await same(file, { ...options, maxColumns: 4, maxProblems: 3 }, `seed ${seed}`);
      }
      expect(await records(file, { maxChunkChars: 300 })).toEqual(await records(file, { maxChunkChars: 300, fastPath: false }));
    }
  });

  it('text made of quotes, delimiters and line ends at random: quotes left open line after line, ended with text after, escaped', async () => {
    // the shapes whose records run on over many lines, and whose later lines' records the
    // reader tells from the record rejected before them (csv-reader.ts: rejectedRun)
    const pieces = ['a', 'b', ',', ',', '"', '"', '""', '\n', '\n', ' ', 'x"', '"y', ',"', '",'];
    const rand = mulberry32(7);
    for (let t = 0; t < 200; t++) {
      let text = 'h1,h2,h3\n';
      for (let i = 5 + Math.floor(rand() * 900); i > 0; i--) text += pieces[Math.floor(rand() * pieces.length)];
      const file = fixture(text);
      await same(file, {}, JSON.stringify(text));
      await same(file, { maxChunkChars: 256 }, JSON.stringify(text));
    }
  });

  it('with a byte budget, the records before the cut and the truncated report', async () => {
    for (let seed = 101; seed <= 112; seed++) {
      const text = generate(seed, ',');
      const file = fixture(text);
      const size = Buffer.byteLength(text);
      for (const fraction of [0.1, 0.37, 0.5, 0.93]) {
        const budgetBytes = Math.max(1, Math.floor(size * fraction));
        for (const maxChunkChars of [256, 4096, undefined]) {
          const r = await same(file, { budgetBytes, ...(maxChunkChars ? { maxChunkChars } : {}) }, `seed ${seed} budget ${budgetBytes}`);
          expect(r.report?.truncated).toBe(true);
        }
      }
    }
  });

  it('the parts of a large file, header read first, give the same records', async () => {
    for (const [seed, d] of [
      [201, ','],
      [202, '\t'],
      [203, ','],
    ] as const) {
      const file = fixture(generate(seed, d, true, 3000), d === '\t' ? '.tsv' : '.csv');
      const parts = await splitFile(file, undefined, 16 * 1024);
      expect(parts?.length ?? 0, `seed ${seed}`).toBeGreaterThan(4);
      const whole = (await same(file)).batches.flat();
      const fromParts: CsvRecord[] = [];
      for (const part of parts!) {
        for (const maxChunkChars of [256, 4096, undefined]) {
          const r = await same(file, { part: { ...part, csv: part.csv! }, ...(maxChunkChars ? { maxChunkChars } : {}) }, `seed ${seed} part ${part.start}`);
          if (maxChunkChars === undefined) fromParts.push(...r.batches.flat());
        }
      }
      expect(fromParts).toEqual(whole);
    }
  });

  it('stops early as csv-parse would: the report after the first record', async () => {
    for (let seed = 301; seed <= 306; seed++) {
      const file = fixture(generate(seed, ','));
      for (const maxChunkChars of [256, undefined]) {
        const reports: (CsvReport | undefined)[] = [];
        for (const fastPath of [true, false]) {
          let report: CsvReport | undefined;
          for await (const _ of readCsvRecords(file, { fastPath, report: (r) => (report = r), ...(maxChunkChars ? { maxChunkChars } : {}) })) break;
          reports.push(report);
        }
        expect(reports[0]).toEqual(reports[1]);
      }
    }
  });

  it('a record of each unusual shape, read as csv-parse reads it', async () => {
    const text = [
      'id,name,note',
      '1,plain,cell',
      '2,"quoted, with a comma","she said ""hi"""',
      '3,"two\nlines",x',
      '4,ab"c,stray quote in an unquoted cell',
      '5,"closed"after,text after a closing quote',
      '6,"closed" ,a space after a closing quote',
      '',
      '   ',
      '""',
      '7,a,b,c,d,wider than the header',
      '8,"再见\r\n世界",CJK and CRLF in a quote',
      '9,"never closed,until',
      'this line",ok',
      '10,last,"unclosed at the end',
      'still open',
    ].join('\n');
    const file = fixture(text);
    const r = await same(file);
    for (const maxChunkChars of [256, 300]) await same(file, { maxChunkChars });
    const rows = r.batches.flat();
    expect(rows.map((x) => [x.line, x.cells['id']])).toEqual([
      [2, '1'],
      [3, '2'],
      [4, '3'],
      [6, '4'],
      [7, '5'],
      [8, '6'],
      [10, '   '],
      [11, ''],
      [12, '7'],
      [13, '8'],
      [15, '9'],
      [18, 'still open'], // the line after a rejected record's first line is read again
    ]);
    expect(rows[1]!.cells).toEqual({ id: '2', name: 'quoted, with a comma', note: 'she said "hi"' });
    expect(rows[2]!.cells['name']).toBe('two\nlines');
    expect(rows[3]!.cells['name']).toBe('ab"c');
    expect(rows[8]!.cells).toEqual({ id: '7', name: 'a', note: 'b', column_4: 'c', column_5: 'd', column_6: 'wider than the header' });
    expect(rows[9]!.cells['name']).toBe('再见\n世界');
    expect(rows[10]!.cells).toEqual({ id: '9', name: 'never closed,until\nthis line', note: 'ok' });
    expect(r.report!.problems.map((p) => [p.line, p.code])).toEqual([[17, 'CSV_QUOTE_NOT_CLOSED']]);
  });

  it('long records: over the limit (rejected, reading resumes at the next line) and over what the fast path reads', async () => {
    const long = 'x'.repeat(70_000);
    const file = fixture(`a,b\n1,"${long}"\n2,${long}\n3,"${'中'.repeat(30_000)}\n${long}"\n4,ok\n5,"${'y'.repeat(2_000_000)}"\n6,"after"\n`);
    for (const maxChunkChars of [256, 4096, undefined]) {
      const r = await same(file, maxChunkChars ? { maxChunkChars } : {});
      expect(r.batches.flat().map((x) => x.cells['a'])).toEqual(['1', '2', '3', '4', '6']);
      expect(r.report!.problems.map((p) => [p.line, p.code])).toEqual([[7, 'CSV_MAX_RECORD_SIZE']]);
      await same(file, { maxRecordBytes: 100_000, ...(maxChunkChars ? { maxChunkChars } : {}) });
    }
  });

  it('a file of unusual records only, and a delimiter the fast path does not read', async () => {
    const text = 'a,b\n' + Array.from({ length: 3000 }, (_, i) => `${i},it"s ${i}`).join('\n') + '\n';
    const file = fixture(text);
    for (const maxChunkChars of [256, 4096, undefined]) await same(file, maxChunkChars ? { maxChunkChars } : {});
    const semicolons = fixture('a;b\n1;"x;y"\n2;3\n');
    const r = await same(semicolons, { delimiter: ';' });
    expect(r.batches.flat().map((x) => x.cells)).toEqual([
      { a: '1', b: 'x;y' },
      { a: '2', b: '3' },
    ]);
    await same(semicolons, { delimiter: '；' });
    await same(semicolons, { delimiter: ';;' });
  });
});
