// Hostile files stay bounded (README "Limits"): each shape meets its limit, is reported
// as that file's failure (or problem) while the rest goes on, and finishes within the
// test's timeout. The shapes that once cost quadratic time are shown linear by the work
// they do, counted, not timed: quadrupling the input multiplies the calls made to the
// built-ins that do it by well under the 16 of a quadratic step. Their time is measured
// by `npm run bench` (BENCH_ONLY=hostile-linear: bench/hostile-shapes.ts), which prints it.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChatTable } from '../lib/adapters/sources/chat-table.ts';
import { guessColumns } from '../lib/adapters/sources/chat-table.ts';
import { readCsvRecords, uniqueHeaderNames } from '../lib/adapters/sources/csv-reader.ts';
import { JSON_POINTERS_MAX_BYTES } from '../lib/adapters/sources/local-files.ts';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { readXlsxRows } from '../lib/adapters/sources/xlsx-reader.ts';
import { DEFAULT_XLSX_ZIP_LIMITS } from '../lib/adapters/sources/xlsx-zip.ts';
import { detectRecords } from '../lib/domain/detect/records.ts';
import { Source } from '../lib/domain/org/source.ts';
import { JsonStrings } from '../lib/domain/text/json-strings.ts';
import { MAX_GROUPS_PER_SOURCE, scanSource } from '../lib/usecases/datamap/scan-source.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import * as shapes from './support/hostile-files.ts';
import { rawIn } from './support/planted.ts';
import { tempDir } from './support/temp-dir.ts';

const MiB = 1 << 20;
const dir = tempDir('hostile-');
const put = (name: string, content: string | Buffer): string => {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
};
const scan = (...paths: string[]) => scanPaths(sourceReaders(), paths);
const KEY = 'hostile-test-key-0123456789';

describe('.xlsx: the archive is checked before anything is inflated, and inflation stops at what was declared', () => {
  let declared: string;
  let understated: string;
  beforeAll(() => {
    declared = put('bomb.xlsx', shapes.xlsxBomb(4.4e9));
    understated = put('liar.xlsx', shapes.xlsxBomb(4.4e9, { lie: true, declaredBytes: 11 * MiB }));
  });

  it('a 4 MB bomb declaring 4.4 GB is refused from its central directory', { timeout: 2000 }, async () => {
    const { files } = await scan(declared);
    expect(files[0]).toMatchObject({ status: 'failed', reason: expect.stringMatching(/more than 100 times its size; refused before inflating/) });
  });

  it('a bomb whose headers understate it (4.4 GB as 11 MiB) stops inflating at 11 MiB', { timeout: 2000 }, async () => {
    const { files } = await scan(understated);
    expect(files[0]).toMatchObject({ status: 'failed', reason: expect.stringMatching(/inflates to more than the 11534336 bytes it declares; inflating stopped there/) });
  });

  it('more entries than the limit (1,000) are refused; so are XML parts declaring more than the limit in all', { timeout: 5000 }, async () => {
    const entries = put('entries.xlsx', shapes.xlsxManyEntries(DEFAULT_XLSX_ZIP_LIMITS.maxEntries + 1));
    expect((await scan(entries)).files[0]?.reason).toMatch(/has 1001 entries, more than the limit of 1000; refused before inflating/);
    const rows = put('rows.xlsx', shapes.xlsxRows(200));
    const small = { ...DEFAULT_XLSX_ZIP_LIMITS, maxUncompressedBytes: 20_000 };
    await expect(readXlsxRows(rows, { zipLimits: small }).next()).rejects.toThrow(/declare more than the limit of 20000 bytes uncompressed; refused before inflating/);
  });

  it('a workbook within the limits reads as before', { timeout: 5000 }, async () => {
    const result = await scan(put('ok.xlsx', shapes.xlsxRows(50)));
    expect(result.files[0]).toMatchObject({ status: 'scanned', format: 'xlsx', findings: 150 });
    expect(result.counts).toEqual({ hk_id: 50, email: 50, health: 50 });
  });
});

describe('JSON: streamed, nesting bounded, errors say where and never what', () => {
  it('nests up to 1,000 levels; deeper fails with the line and column; a million levels fail at once', { timeout: 5000 }, async () => {
    const ok = await scan(put('deep-1000.json', shapes.deepJson(1000)));
    expect(ok.findings).toEqual([expect.objectContaining({ type: 'hk_id', pointer: '/0'.repeat(1000) })]);
    const over = await scan(put('deep-1001.json', shapes.deepJson(1001)), put('deep-1m.json', shapes.deepJson(1_000_000, 'object')));
    expect(over.files.map((f) => f.reason)).toEqual([
      'not valid JSON: line 1, column 1001: nested deeper than 1000 levels (the limit) (read up to there: the findings before it are reported)',
      'not valid JSON: line 1, column 5001: nested deeper than 1000 levels (the limit) (read up to there: the findings before it are reported)',
    ]);
  });

  it('a string of 3 MiB comes in pieces, and an identifier across a cut is found once', { timeout: 5000 }, async () => {
    const before = `${'x'.repeat(MiB - 6)} `; // the 1 MiB cut falls inside the HKID
    const result = await scan(put('long-string.json', `{"note":"${before}A123456(3) ${'y'.repeat(2 * MiB)}"}`));
    expect(result.findings).toEqual([expect.objectContaining({ type: 'hk_id', pointer: '/note', masked: 'A12****(3)' })]);
  });

  it(`a document over ${JSON_POINTERS_MAX_BYTES / MiB} MiB is scanned as text, by line`, { timeout: 20_000 }, async () => {
    const file = put('large.json', shapes.longJson(230_000));
    const result = await scan(file);
    expect(result.files[0]).toMatchObject({ status: 'scanned', format: 'text' });
    expect(result.findings[0]).toMatchObject({ type: 'hk_phone', line: 2 });
  });

  it('bad JSON fails with its line and column, quoting nothing, and keeps the findings before the error', { timeout: 5000 }, async () => {
    const file = put('bad.json', '{\n  "ok": "fine",\n  "A123456(3)": "ada.chan@example.hk" "4111 1111 1111 1111"\n}');
    const { files, findings } = await scan(file);
    expect(files[0]).toMatchObject({
      status: 'failed',
      format: 'json',
      truncated: true,
      reason: "not valid JSON: line 3, column 39: expected ',' or '}' (read up to there: the findings before it are reported)",
      findings: 2,
    });
    // the key and the string before the error, the card after it not read
    expect(findings.map((f) => [f.type, f.pointer, f.masked])).toEqual([
      ['hk_id', '/A12****(3)', 'A12****(3)'],
      ['email', '/A12****(3)', 'a***@example.hk'],
    ]);
    expect(rawIn(JSON.stringify({ files, findings }))).toEqual([]);
  });
});

describe('CSV: records and headers bounded', () => {
  it('a header of a million columns is a problem of its line, and the scan finishes', { timeout: 10_000 }, async () => {
    const { files } = await scan(put('wide.csv', shapes.wideCsv(1_000_000)));
    expect(files[0]).toMatchObject({ status: 'scanned', problems: [expect.objectContaining({ line: 1 }), expect.objectContaining({ line: 2 })] });
  });

  it('more cells than the limit (16,384) are reported and not read; a repeated header name is numbered', { timeout: 10_000 }, async () => {
    let header: string[] = [];
    let problems: { line: number; message: string }[] = [];
    const rows = [];
    for await (const r of readCsvRecords(put('repeated.csv', shapes.repeatedHeaderCsv(20_000)), { report: (r) => ({ header, problems } = r) })) rows.push(r);
    expect(header).toHaveLength(16_384);
    expect(header.slice(0, 3)).toEqual(['email', 'email_2', 'email_3']);
    expect(header.at(-1)).toBe('email_16384');
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [1, 'record of 20000 cells, more than the limit of 16384: the cells beyond it are not read'],
      [2, 'record of 20000 cells, more than the limit of 16384: the cells beyond it are not read'],
    ]);
    expect(Object.keys(rows[0]!.cells)).toHaveLength(16_384);
  });

  it('a quoted cell longer than a record may be (1 MiB), never closed, is a problem; its line is scanned as text; the rows after it are read', { timeout: 10_000 }, async () => {
    const result = await scan(put('unclosed.csv', shapes.longQuotedCellCsv(8 * MiB, { closed: false, oneLine: true })));
    expect(result.files[0]?.problems).toEqual([{ line: 2, message: expect.stringMatching(/record longer than about 1048576 bytes/) }]);
    // the line's text, in 1 MiB pieces: each `sick leave` in it, no row, no column
    const inLine = result.findings.filter((f) => f.line === 2);
    expect(inLine).toHaveLength(Math.floor((8 * MiB) / 'lorem ipsum dolor sit amet sick leave '.length));
    expect(new Set(inLine.map((f) => `${f.type} ${f.row} ${f.column}`))).toEqual(new Set(['health undefined undefined']));
    expect(result.findings.filter((f) => f.line !== 2)).toEqual([expect.objectContaining({ type: 'hk_id', line: 3, row: 1 })]);
    const ok = await scan(put('quoted.csv', shapes.longQuotedCellCsv(MiB - 64, { oneLine: true })));
    expect(ok.files[0]?.problems).toBeUndefined();
    expect(ok.counts.hk_id).toBe(1);
  });
});

describe('chat tables', () => {
  it('a time cell of 200 KB of spaces (26 s before) is read at once', { timeout: 2000 }, async () => {
    const messages = [];
    for await (const m of readChatTable(put('dates.csv', shapes.slowDateChatTable(200_000)))) messages.push(m);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.time).toMatch(/^2026-11-03 +\nx\ny$/);
  });

  it(`a source of more than ${MAX_GROUPS_PER_SOURCE} groups keeps that many and counts the rest together`, { timeout: 20_000 }, async () => {
    const file = put('groups.csv', shapes.manyGroupsChatTable(MAX_GROUPS_PER_SOURCE + 50));
    const source = Source.parse({ id: 'groups', name: 'Groups', platform: 'DingTalk', kind: 'chat-table', path: file, storage: { country: 'HK' } });
    const entry = await scanSource(source, KEY, sourceReaders());
    expect(entry.groups).toHaveLength(MAX_GROUPS_PER_SOURCE + 1);
    expect(entry.groups.at(-1)).toMatchObject({ group: `(50 more groups, beyond the first ${MAX_GROUPS_PER_SOURCE})`, counts: { hk_id: 50 } });
    expect(entry.groups.slice(0, -1).every((g) => /^[0-9a-f]{64}$/.test(g.groupHash ?? ''))).toBe(true);
    expect(entry.counts.hk_id).toBe(MAX_GROUPS_PER_SOURCE + 50);
    expect(rawIn(JSON.stringify(entry.groups.slice(0, 10)))).toEqual([]);
  });
});

describe('only regular files are opened; a folder that cannot be read fails alone', () => {
  let server: net.Server | undefined;
  afterAll(() => server?.close());

  it('a FIFO, given or found in a folder, is refused before it is opened (opening it would wait for ever)', { timeout: 5000 }, async () => {
    const folder = path.join(dir, 'with-fifo');
    shapes.folderWithFifo(folder);
    const given = await scan(path.join(folder, 'b-pipe.txt'));
    expect(given.files[0]).toMatchObject({ status: 'failed', reason: expect.stringMatching(/a FIFO \(named pipe\), not a regular file: not opened$/) });
    const listed = await scan(folder);
    expect(listed.files.map((f) => [path.basename(f.file), f.status, f.reason])).toEqual([
      ['a.txt', 'scanned', undefined],
      ['b-pipe.txt', 'failed', 'a FIFO (named pipe), not a regular file: not opened'],
    ]);
  });

  it('a socket, a device and a symbolic link are refused too, each with what it is', { timeout: 5000 }, async () => {
    const folder = path.join(dir, 'specials');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'a.txt'), 'call 9123 4567\n');
    symlinkSync('/etc/hostname', path.join(folder, 'link.txt'));
    server = net.createServer();
    await new Promise<void>((resolve) => server!.listen(path.join(folder, 'sock.txt'), resolve));
    const result = await scan(folder, '/dev/zero');
    expect(result.files.map((f) => [path.basename(f.file), f.reason ?? 'scanned'])).toEqual([
      ['a.txt', 'scanned'],
      ['link.txt', 'a symbolic link: not followed'],
      ['sock.txt', 'a socket, not a regular file: not opened'],
      ['zero', 'cannot read /dev/zero: a device, not a regular file: not opened'],
    ]);
  });

  it('an unreadable sub-folder fails alone; the files beside it are scanned (checked as nobody when run as root)', { timeout: 20_000 }, async () => {
    const root = path.join(dir, 'share');
    mkdirSync(path.join(root, 'locked'), { recursive: true });
    writeFileSync(path.join(root, 'open.txt'), 'HKID A123456(3)\n');
    writeFileSync(path.join(root, 'locked', 'secret.txt'), 'HKID A123456(3)\n');
    chmodSync(path.join(root, 'locked'), 0o000);
    const check = async () => {
      const result = await scan(root);
      return result.files.map((f) => [path.relative(root, f.file), f.status, f.reason ?? '']);
    };
    const expected = [
      ['locked', 'failed', 'folder not read: permission denied'],
      ['open.txt', 'scanned', ''],
    ];
    if (process.getuid?.() !== 0) {
      expect(await check()).toEqual(expected);
      return;
    }
    // Root reads anything, so run the scan as nobody (65534) in a child process.
    for (let d = root; d !== path.dirname(d); d = path.dirname(d)) if (d.startsWith(dir)) chmodSync(d, 0o755);
    chmodSync(dir, 0o755);
    const lib = (p: string) => JSON.stringify(new URL(`../lib/${p}`, import.meta.url).pathname);
    const script = `
      import { scanPaths } from ${lib('usecases/scan/scan-files.ts')};
      import { sourceReaders } from ${lib('adapters/sources/source-reader.ts')};
      const result = await scanPaths(sourceReaders(), [${JSON.stringify(root)}]);
      console.log(JSON.stringify(result.files.map((f) => [f.file.slice(${JSON.stringify(root)}.length + 1), f.status, f.reason ?? ''])));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { uid: 65534, gid: 65534 });
    expect(JSON.parse(stdout)).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------------

/** The built-ins whose calls count as work: lookups, searches, copies and matches. */
const WORK: readonly [object, string][] = [
  [Set.prototype, 'has'],
  [Map.prototype, 'get'],
  [Map.prototype, 'has'],
  [String.prototype, 'indexOf'],
  [String.prototype, 'slice'],
  [String.prototype, 'toLowerCase'],
  [Array.prototype, 'includes'],
  [Array.prototype, 'join'],
  [Array.prototype, 'map'],
  [Array.prototype, 'push'],
  [RegExp.prototype, 'exec'],
];

/**
 * The calls `fn` makes to `methods` (its awaits included). Past `budget` calls it stops
 * with an error, so that quadratic work fails at once instead of running on for minutes.
 */
async function callsOf(fn: () => unknown, { methods = WORK, budget = Infinity } = {}): Promise<number> {
  let calls = 0;
  const over = new Error(`more than ${budget} calls`);
  const saved = methods.map(([proto, name]) => {
    const own = proto as Record<string, (...args: unknown[]) => unknown>;
    const original = own[name]!;
    own[name] = function (this: unknown, ...args: unknown[]) {
      if (++calls > budget) throw over;
      return original.apply(this, args);
    };
    return original;
  });
  try {
    await fn();
  } catch (error) {
    if (calls <= budget) throw error;
  } finally {
    methods.forEach(([proto, name], i) => ((proto as Record<string, unknown>)[name] = saved[i]));
  }
  expect(calls, 'calls, within the budget').toBeLessThanOrEqual(budget);
  return calls;
}

/**
 * Quadrupling `n` at most about quadruples the work of `work(n)`, counted as calls to the
 * built-ins that do it: linear work gives 4, quadratic 16; the bound sits between them,
 * allowing for the fixed work of a file and for chunks that fall differently. The work is
 * counted, not timed, so that a busy machine cannot fail it (the bench prints the times).
 * `n` itself costs at most 256 calls an item (the most any of these makes is about 70).
 */
async function expectLinear(work: (n: number) => () => unknown, n: number, methods = WORK): Promise<void> {
  const once = await callsOf(work(n), { methods, budget: 256 * n });
  expect(once, 'the work of each item of the input is counted').toBeGreaterThanOrEqual(n);
  await callsOf(work(4 * n), { methods, budget: 8 * once });
}

const drain = async (records: AsyncIterable<unknown>) => {
  for await (const _ of records) void _;
};

describe('linear work: quadrupling the input at most about quadruples the calls made (under 8 times; quadratic is 16)', { timeout: 90_000 }, () => {
  it('CSV header names repeated n times are numbered with linear work', async () => {
    await expectLinear((n) => {
      const names = Array.from({ length: n }, () => 'email');
      return () => expect(uniqueHeaderNames(names)).toEqual(['email', ...Array.from({ length: n - 1 }, (_, i) => `email_${i + 2}`)]);
    }, 16_384);
  });

  it('columns are guessed from n header names with linear work, each header normalised once', async () => {
    const n = 50_000;
    const names = Array.from({ length: n }, (_, i) => `Column ${i}`);
    await expectLinear((n) => {
      const names = Array.from({ length: n }, (_, i) => `Column ${i}`);
      return () => expect(guessColumns(names)).toBeUndefined();
    }, n);
    // a header each, and the forms of the known names looked up: not the headers again for each known name
    const lowered = await callsOf(() => expect(guessColumns([...names, 'Sent At', 'Message'])).toEqual({ content: 'Message', time: 'Sent At' }), {
      methods: [[String.prototype, 'toLowerCase']],
    });
    expect(lowered).toBeLessThanOrEqual(n + 2 + 64);
  });

  it('a chat table whose time cells hold n spaces is read, each time kept as written (its time is in the bench)', async () => {
    // A regular expression's steps cannot be counted: this shows the outcome at a size where a
    // quadratic match would not end; bench/hostile-shapes.ts prints the time of n and 4n.
    for (const n of [100_000, 400_000]) {
      const messages: { text: string; sender: string; time?: string }[] = [];
      for await (const m of readChatTable(put(`dates-${n}.csv`, shapes.slowDateChatTable(n, 20)))) messages.push(m);
      expect(messages).toHaveLength(20);
      for (const m of messages) expect(m).toMatchObject({ text: 'call 9123 4567', sender: 'Ada', time: `2026-11-03${' '.repeat(n)}\nx\ny` });
    }
  });

  it('rows with n cells beyond their header are named with linear work', async () => {
    await expectLinear((n) => {
      // a header of three names (one name over rows of one width would be a title above a
      // table, its first row the header: table-layout.ts)
      const file = put(`beyond-${n}.csv`, `only,two,three\n${`${'x,'.repeat(n - 1)}x\n`.repeat(20)}`);
      return async () => {
        let rows = 0;
        for await (const r of readCsvRecords(file)) {
          const names = Object.keys(r.cells);
          expect([names.length, names[0], names[3], names.at(-1)]).toEqual([n, 'only', 'column_4', `column_${n}`]);
          rows++;
        }
        expect(rows).toBe(20);
      };
    }, 4000);
  });

  it('JSON nested n levels deep, a string at each level, is walked with linear work (pointers included)', async () => {
    await expectLinear((n) => {
      const text = shapes.deepJsonWithStrings(n);
      return () => {
        const strings = new JsonStrings({ maxDepth: Infinity });
        const seen: { text: string; pointer: string }[] = [];
        const emit = (s: { text: string; pointer: string }) => void seen.push(s);
        for (let i = 0; i < text.length; i += 64 * 1024) strings.push(text.slice(i, i + 64 * 1024), emit);
        strings.end(emit);
        const values = seen.filter((s) => s.text !== 'note' && s.text !== 'k');
        expect(values).toHaveLength(n + 1);
        expect(values[n - 1]).toEqual({ text: 'call 9123 4567', pointer: `${'/k'.repeat(n - 1)}/note` });
        expect(values[n]).toEqual({ text: 'A123456(3)', pointer: '/k'.repeat(n) });
      };
    }, 20_000);
  });

  it('a JSON document of n lines is scanned, and its lines counted for an error at its end, with linear work', async () => {
    await expectLinear((n) => {
      const file = put(`long-${n}.json`, `${shapes.longJson(n)}x`);
      return async () => {
        const { files } = await scan(file);
        expect(files[0]?.reason).toMatch(new RegExp(`^not valid JSON: line ${n + 3}, column 1: `));
      };
    }, 10_000);
  });

  it('a record of n lines with a finding on each is placed line by line with linear work', async () => {
    await expectLinear((n) => {
      const text = 'call 9123 4567 please\n'.repeat(n);
      return async () => {
        const lines: number[] = [];
        await detectRecords(
          (async function* () {
            yield { group: 'g', sender: '', text, at: { file: 'f', line: 1 } };
          })(),
          (_r, _d, line) => void lines.push(line ?? 0),
        );
        expect(lines).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      };
    }, 20_000);
  });

  it('a CSV row of n cells, each on a line of its own (quoted) with a finding, gives each its line with linear work', async () => {
    await expectLinear((n) => {
      const header = Array.from({ length: n }, (_, i) => `c${i}`).join(',');
      const row = Array.from({ length: n }, () => '"x\nchan@example.com"').join(',');
      return async () => {
        const lines: number[] = [];
        const table = { starts: [] as number[], names: header.split(','), rowStarts: [0], rows: [1], lines: [2] };
        let text = '';
        for (const cell of row.split(',')) {
          table.starts.push(text.length);
          text += `${cell.slice(1, -1)}\n`;
        }
        await detectRecords(
          (async function* () {
            yield { group: 'g', sender: '', text: text.slice(0, -1), at: { file: 'f', line: 2, row: 1 }, table };
          })(),
          (_r, _d, line) => void lines.push(line ?? 0),
        );
        expect(lines).toEqual(Array.from({ length: n }, (_, i) => 3 + i)); // each cell one line on from the one before
      };
    }, 4000);
  });
});
