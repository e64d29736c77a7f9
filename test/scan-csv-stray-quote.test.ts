// A stray quote in a CSV file (`"Chan Tai Man,91234567,x` with no closing quote of its
// own) used to swallow the rows after it into one cell, up to the next quote in the
// file, silently. A quoted cell that runs over line ends and is then ended by a quote
// with text right after it is rejected as an unbalanced quote at its line, and reading
// resumes at the next line, as for a quote never closed; a quoted cell of several lines
// closed as the format says, and a quote on one line read leniently, are read as before.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_PROBLEMS, endsInQuotes, readCsvBatches, readCsvRows, strayQuotes, type CsvReadOptions, type CsvRejectedLine, type CsvRecord, type CsvReport } from '../lib/adapters/sources/csv-reader.ts';
import { splitFile } from '../lib/adapters/sources/file-parts.ts';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { DEFAULT_MAX_CHUNK_CHARS } from '../lib/adapters/sources/text-chunks.ts';
import { openQuoteLinesCsv } from './support/hostile-files.ts';
import { tempDir } from './support/temp-dir.ts';

/** The line ends before a record's first stray quote (strayQuotes), or -1. */
const strayQuoteLine = (raw: string, delimiter: string): number => strayQuotes(raw, delimiter)[0] ?? -1;

const dir = tempDir('scan-csv-quote-');
let n = 0;
const put = (text: string, ext = '.csv'): string => {
  const file = path.join(dir, `f${++n}${ext}`);
  writeFileSync(file, text);
  return file;
};

async function read(file: string, options: CsvReadOptions = {}): Promise<{ rows: CsvRecord[]; report: CsvReport | undefined }> {
  const rows: CsvRecord[] = [];
  let report: CsvReport | undefined;
  for await (const batch of readCsvBatches(file, { ...options, report: (r) => (report = r) })) rows.push(...batch);
  return { rows, report };
}

/** The fast path and csv-parse alone read the same, at every chunk size. */
async function same(file: string): Promise<{ rows: CsvRecord[]; report: CsvReport | undefined }> {
  const first = await read(file);
  for (const options of [{ fastPath: false }, { maxChunkChars: 256 }, { maxChunkChars: 256, fastPath: false }] as CsvReadOptions[]) expect(await read(file, options)).toEqual(first);
  return first;
}

// QA's file: the quote opened on line 2 is never closed on its line; the next quote in
// the file (before 9876 on line 5) ended it, with text right after it.
const UNCLOSED = 'name,phone,note\n"Chan Tai Man,91234567,x\nLee,61234567,y\nWong,51234567,z\nHo,"9876 5432",w\n';

describe('a stray quote', () => {
  it('is reported at its line, and the rows after it are read and scanned', async () => {
    const file = put(UNCLOSED);
    const { rows, report } = await same(file);
    expect(rows.map((r) => [r.line, r.row, r.cells])).toEqual([
      [3, 1, { name: 'Lee', phone: '61234567', note: 'y' }],
      [4, 2, { name: 'Wong', phone: '51234567', note: 'z' }],
      [5, 3, { name: 'Ho', phone: '9876 5432', note: 'w' }],
    ]);
    expect(report!.problems).toEqual([
      {
        line: 2,
        code: 'CSV_QUOTE_STRAY',
        message: 'unbalanced quote: the record starting on this line opens a quoted cell that runs over line ends to a stray quote on line 5; the lines after this one are read again',
      },
    ]);
    const result = await scanPaths(sourceReaders(), [file]);
    expect(result.findings.map((f) => [f.type, f.line, f.column, f.masked])).toEqual([
      ['hk_phone', 3, 'phone', '+852 ****4567'],
      ['hk_phone', 4, 'phone', '+852 ****4567'],
      ['hk_phone', 5, 'phone', '+852 ****5432'],
    ]);
    expect(result.files[0]).toMatchObject({ status: 'scanned', problems: [{ line: 2, message: expect.stringMatching(/^unbalanced quote/) }] });
  });

  it('in a TSV file, and ended by a quote on its own line: the same', async () => {
    const { rows, report } = await same(put('name\tphone\n"Chan\t91234567\nLee\t61234567\n"Ho"\t98765432\n', '.tsv'));
    expect(rows.map((r) => [r.line, r.cells['name']])).toEqual([
      [3, 'Lee'],
      [4, 'Ho'],
    ]);
    expect(report!.problems.map((p) => [p.line, p.code])).toEqual([[2, 'CSV_QUOTE_STRAY']]);
  });

  it('a quoted cell of several lines with commas in it, closed as the format says, is one cell as before', async () => {
    const { rows, report } = await same(put('name,message,time\nAda,"Hi, all\nthe HKID is A123456(3), call 9123 4567\nthanks, Ada",09:15\nBob,ok,09:16\n'));
    expect(rows.map((r) => [r.line, r.cells['name'], r.cells['message']])).toEqual([
      [2, 'Ada', 'Hi, all\nthe HKID is A123456(3), call 9123 4567\nthanks, Ada'],
      [5, 'Bob', 'ok'],
    ]);
    expect(report!.problems).toEqual([]);
  });

  it('a quoted cell of several lines followed by spaces (or a CR) before the comma or line end is closed as it should be', async () => {
    const { rows, report } = await same(put('name,message,time\nAda,"line one\ncall 9123 4567" ,09:15\r\nBob,"two\nlines" \r\n'));
    // read leniently, as before: the cell keeps its quotes and the space (csv-parse's relaxed quotes)
    expect(rows.map((r) => [r.line, r.cells['name'], r.cells['message']])).toEqual([
      [2, 'Ada', '"line one\ncall 9123 4567" '],
      [4, 'Bob', '"two\nlines" '],
    ]);
    expect(report!.problems).toEqual([]);
    expect(strayQuoteLine('"a\nb" ,c\n', ',')).toBe(-1);
  });

  it('a quote on one line read leniently is read as before: no problem', async () => {
    const { rows, report } = await same(put('name,phone\n"Chan" Tai Man,91234567\nChan "Big" Tai Man,61234567\n'));
    expect(rows.map((r) => r.cells['name'])).toEqual(['"Chan" Tai Man', 'Chan "Big" Tai Man']);
    expect(report!.problems).toEqual([]);
  });

  it('such a file is not cut into parts: it is read whole, by the one reader that reports it', async () => {
    const file = put(`${UNCLOSED}${'Lee,61234567,y\n'.repeat(200)}`);
    expect(await splitFile(file, undefined, 256)).toBeUndefined();
  });

  it('strayQuoteLine follows the quotes as csv-parse does', () => {
    expect(strayQuoteLine('"a,b\nc,d\ne,"f",g\n', ',')).toBe(2); // ended by the quote before f, on the third line
    expect(strayQuoteLine('"a,b\nc",d\n', ',')).toBe(-1); // closed well: a cell of two lines
    expect(strayQuoteLine('"a""b\nc""d",e\n', ',')).toBe(-1); // "" is a quote
    expect(strayQuoteLine('x,"ab"c,d\n', ',')).toBe(-1); // one line: lenient
    expect(strayQuoteLine('x,"ab"c\n"d,e\nf"g\n', ',')).toBe(-1); // csv-parse ends that record at the first line end
    expect(strayQuoteLine('1;;"a\nb"x;;2\n', ';;')).toBe(1);
  });
});

/**
 * The characters `fn` hands csv-parse (Buffer.from of a string: how the reader gives it
 * text). Past `budget` it stops with an error, so that quadratic work fails at once.
 */
async function csvParseChars(fn: () => Promise<unknown>, budget: number): Promise<number> {
  const from = Buffer.from;
  let chars = 0;
  const over = new Error(`more than ${budget} characters handed to csv-parse`);
  Buffer.from = function (this: unknown, ...args: unknown[]) {
    if (typeof args[0] === 'string' && (chars += args[0].length) > budget) throw over;
    return (from as (...a: unknown[]) => Buffer).apply(this, args);
  } as typeof Buffer.from;
  try {
    await fn();
  } finally {
    Buffer.from = from;
  }
  return chars;
}

describe('quotes left open line after line (each record read on to the end, for every line: quadratic before)', () => {
  it('never closed: each line is a problem of its own, and csv-parse reads the text about once', async () => {
    const small = await same(put(openQuoteLinesCsv(200, 'open')));
    expect(small.rows).toEqual([]);
    expect(small.report!.problems.map((p) => [p.line, p.code])).toEqual(Array.from({ length: 200 }, (_, i) => [i + 2, 'CSV_QUOTE_NOT_CLOSED']));

    const text = openQuoteLinesCsv(4000, 'open');
    const file = put(text);
    let result: Awaited<ReturnType<typeof read>> | undefined;
    const chars = await csvParseChars(async () => (result = await read(file)), 3 * text.length);
    expect(chars).toBeGreaterThanOrEqual(text.length - 100); // the first record's run, to the end
    expect(result!.report!.problems).toHaveLength(DEFAULT_MAX_PROBLEMS);
    expect(result!.report!.problemsOmitted).toBe(4000 - DEFAULT_MAX_PROBLEMS);
    expect(result!.report!.problems.every((p) => p.code === 'CSV_QUOTE_NOT_CLOSED')).toBe(true);
  });

  it('closed at last: each line ends at the stray quote on the next, the rows after are read, with linear work', async () => {
    const small = await same(put(openQuoteLinesCsv(200, 'closed')));
    // the last open line's cell is closed well by `end"`: a record of two lines
    expect(small.rows.map((r) => [r.line, r.row, r.cells['name'], r.cells['note']])).toEqual([
      [201, 1, 'tail 199" x', 'head\nend'],
      [203, 2, 'ok', 'fine'],
    ]);
    expect(small.report!.problems.map((p) => p.line)).toEqual(Array.from({ length: 199 }, (_, i) => i + 2));
    for (const p of small.report!.problems) expect(p).toEqual({ line: p.line, code: 'CSV_QUOTE_STRAY', message: expect.stringContaining(`to a stray quote on line ${p.line + 1};`) });

    const text = openQuoteLinesCsv(4000, 'closed');
    const file = put(text);
    let result: Awaited<ReturnType<typeof read>> | undefined;
    await csvParseChars(async () => (result = await read(file)), 3 * text.length);
    expect(result!.rows.map((r) => r.cells['name'])).toEqual(['tail 3999" x', 'ok']);
    expect(result!.report!.problemsOmitted).toBe(3999 - DEFAULT_MAX_PROBLEMS);
  });

  it('longer than a record may be: every line is a problem, with linear work, as csv-parse alone finds them', async () => {
    const text = openQuoteLinesCsv(400, 'open');
    const file = put(text);
    const options: CsvReadOptions = { maxRecordBytes: 2048 };
    let fast: Awaited<ReturnType<typeof read>> | undefined;
    await csvParseChars(async () => (fast = await read(file, options)), 4 * text.length);
    const alone = await read(file, { ...options, fastPath: false });
    // csv-parse alone reads each line's record again, to 2 KiB or the end (never closed
    // there); the fast path tells from the record before that a line's record runs on as
    // far as that one did (at least 1 KiB) and says it is too long
    expect(fast!.rows).toEqual([]);
    expect(fast!.report!.problems.map((p) => p.line)).toEqual(alone.report!.problems.map((p) => p.line));
    expect(fast!.report!.problems.map((p) => p.line)).toEqual(Array.from({ length: 400 }, (_, i) => i + 2));
    for (const p of fast!.report!.problems) expect(['CSV_MAX_RECORD_SIZE', 'CSV_QUOTE_NOT_CLOSED']).toContain(p.code);
    expect(fast!.report!.problems.at(-1)!.code).toBe('CSV_QUOTE_NOT_CLOSED');
  });

  it('one quote never closed in a long file: only its line is a problem, and the rows after it are read as csv-parse alone reads them', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `Lee ${i},6123 ${String(i).padStart(4, '0')},""\n`).join(''); // "" (an empty quoted cell) leaves the quote open
    const file = put(`name,phone,note\n"Chan,9123 4567,x\n${rows}`);
    const { rows: read1, report } = await same(file);
    expect(report!.problems.map((p) => [p.line, p.code])).toEqual([[2, 'CSV_QUOTE_NOT_CLOSED']]);
    expect(read1).toHaveLength(300);
    const small = await read(file, { maxRecordBytes: 1024 });
    expect(small.report!.problems.map((p) => [p.line, p.code])).toEqual([[2, 'CSV_MAX_RECORD_SIZE']]);
    expect(small.rows).toEqual(read1);
  });

  it('endsInQuotes follows one line as csv-parse does', () => {
    expect(endsInQuotes('a,"b\nc"\n', 0, ',', true)).toBe(true);
    expect(endsInQuotes('a,"b""\nc"\n', 0, ',', true)).toBe(true); // "" is a quote
    expect(endsInQuotes('a,"b",c\n', 0, ',', true)).toBe(false);
    expect(endsInQuotes('a,"b"\n', 0, ',', true)).toBe(false);
    expect(endsInQuotes('a,"b"x,"c\n', 0, ',', true)).toBe(true); // text after a closing quote, then a cell left open
    expect(endsInQuotes('a,"b"x "c\n', 0, ',', true)).toBe(false); // ...but a quote inside an unquoted cell is text
    expect(endsInQuotes('a x",b\n', 0, ',', true)).toBe(false);
    expect(endsInQuotes('x\n"a;;b', 2, ';;', true)).toBe(true);
    expect(endsInQuotes('x\n"a;;b', 2, ';;', false)).toBeUndefined(); // the line goes on
  });
});

describe("a rejected record's first line is still scanned, as text at its line", () => {
  it('its identifiers are found, between the rows before and after it, with no row or column', async () => {
    const file = put('name,email,note\nx,a@example.com,y\n"open,bob@example.com,Tel 9123 4567 A123456(3)\nnext,carol@example.com,z\n');
    const { rows, report } = await same(file);
    expect(rows.map((r) => r.line)).toEqual([2, 4]);
    expect(report!.problems.map((p) => [p.line, p.code])).toEqual([[3, 'CSV_QUOTE_NOT_CLOSED']]);
    const result = await scanPaths(sourceReaders(), [file]);
    expect(result.findings.map((f) => [f.line, f.row, f.column, f.type, f.masked])).toEqual([
      [2, 1, 'email', 'email', 'a***@example.com'],
      [3, undefined, undefined, 'email', 'b***@example.com'],
      [3, undefined, undefined, 'hk_phone', '+852 ****4567'],
      [3, undefined, undefined, 'hk_id', 'A12****(3)'],
      [4, 2, 'email', 'email', 'c***@example.com'],
    ]);
  });

  it('so is each line of a file whose every line leaves a quote open (rejected without reading it again)', async () => {
    const text = openQuoteLinesCsv(300, 'open').replaceAll('"head', '"head, ada@example.com');
    const file = put(text);
    for (const options of [{}, { maxChunkChars: 256 }]) {
      const result = await scanPaths(sourceReaders(), [file], options);
      expect(result.findings.map((f) => [f.line, f.row, f.type])).toEqual(Array.from({ length: 300 }, (_, i) => [i + 2, undefined, 'email']));
    }
  });

  it('a rejected line longer than a chunk of text comes in pieces that overlap, as a long text line does: an identifier across a cut is found once', async () => {
    // the e-mail address straddles the first cut (at DEFAULT_MAX_CHUNK_CHARS), the HKID before it is in the text the
    // next piece repeats (so both pieces see it whole), and the phone is in the last piece
    const before = DEFAULT_MAX_CHUNK_CHARS - 20;
    const line = `"open ${'x'.repeat(before - 6)} A123456(3) ada@example.com ${'y '.repeat(50_000)}Tel 9123 4567`;
    const file = put(`name,note\n${line}\nnext,bob@example.com\n`);
    const pieces: CsvRejectedLine[] = [];
    for await (const batch of readCsvRows(file, { maxChunkChars: 4096 })) pieces.push(...batch.rejected);
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.every((p) => p.line === 2 && p.text.length <= DEFAULT_MAX_CHUNK_CHARS)).toBe(true);
    // each piece but the last repeats its end at the start of the next; together they are the line
    let whole = '';
    pieces.forEach((p, i) => {
      if (i < pieces.length - 1) {
        expect(pieces[i + 1]!.text.startsWith(p.text.slice(p.repeatedFrom))).toBe(true);
        whole += p.text.slice(0, p.repeatedFrom);
      } else {
        expect(p.repeatedFrom).toBeUndefined();
        whole += p.text;
      }
    });
    expect(whole).toBe(line);
    for (const maxChunkChars of [4096, undefined]) {
      const result = await scanPaths(sourceReaders(), [file], maxChunkChars ? { maxChunkChars } : {});
      expect(result.findings.map((f) => [f.line, f.row, f.type, f.masked])).toEqual([
        [2, undefined, 'hk_id', 'A12****(3)'],
        [2, undefined, 'email', 'a***@example.com'],
        [2, undefined, 'hk_phone', '+852 ****4567'],
        [3, 1, 'email', 'b***@example.com'],
      ]);
    }
  });

});

describe('rejected lines and the records around them, in the file’s order', () => {
  it('a rejected line among a preamble’s lines comes between them, before the header’s rows (also when the header is decided chunks later)', async () => {
    const text = 'Title A123456(3)\n"bad A123456(3)\nx"y A123456(3)\nname,phone,note\nChan,9123 4567,ok\n';
    for (const [blank, options] of [
      [0, {}],
      [5000, { maxChunkChars: 256 }],
    ] as const) {
      const file = put(text.replace('name,', `${'\n'.repeat(blank)}name,`));
      const result = await scanPaths(sourceReaders(), [file], options);
      expect(result.findings.map((f) => [f.line, f.row, f.masked])).toEqual([
        [1, undefined, 'A12****(3)'],
        [2, undefined, 'A12****(3)'],
        [3, undefined, 'A12****(3)'],
        [5 + blank, 1, '+852 ****4567'],
      ]);
    }
  });

  it('with a delimiter the fast path does not read (`sep=§`), lines left open are rejected with linear work too, as csv-parse alone rejects them', async () => {
    const shape = (n: number) => `sep=§\n${openQuoteLinesCsv(n, 'closed').replaceAll(',', '§')}`;
    const small = await same(put(shape(200)));
    expect(small.report!.problems).toHaveLength(199);
    expect(small.rows.map((r) => r.cells['name'])).toEqual(['tail 199" x', 'ok']);
    const text = shape(4000);
    const file = put(text);
    let result: Awaited<ReturnType<typeof read>> | undefined;
    await csvParseChars(async () => (result = await read(file)), 3 * text.length);
    expect(result!.report!.problemsOmitted).toBe(3999 - DEFAULT_MAX_PROBLEMS);
  });
});
