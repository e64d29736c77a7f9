// Names are redacted as names (redactName): a bare Hong Kong number in a JSON key, a
// column's header (a CSV without a header row has its first record there), a sheet's
// name or a file's name is masked wherever the scan shows or keeps it (findings, the
// files' reads, their reasons and error messages, the table, the data map), and only
// the identifier in it: the rest of a pointer or a name stays readable.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import writeXlsxFile from 'write-excel-file/node';
import { readFileRecords } from '../lib/adapters/sources/local-files.ts';
import { ReadError } from '../lib/adapters/sources/read-error.ts';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { Source } from '../lib/domain/org/source.ts';
import { scanSource } from '../lib/usecases/datamap/scan-source.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { runTask } from '../lib/cli/scan-task.ts';
import { tempDir } from './support/temp-dir.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The bare numbers planted in names, as written and compact. */
const RAW = ['91234567', '6123 4567', '61234567', '9123 4567', '51234567', '5123 4567'];
const rawIn = (text: string): string[] => RAW.filter((r) => text.includes(r));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['lib/cli/main.mjs', ...args], { cwd: ROOT }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }));
  });
}

function files(): { dir: string; json: string; csv: string; xlsx: string; named: string } {
  const dir = tempDir('scan-names-');
  const json = path.join(dir, 'contacts.json');
  writeFileSync(json, '{"contacts":{"91234567":{"name":"陳大文","email":"chan@acme.hk"},"6123 4567":{"hkid":"A123456(3)"}}}');
  const csv = path.join(dir, 'noheader.csv');
  writeFileSync(csv, '陳大文,91234567,A123456(3)\n李小明,+852 6123 4567,Z987654(6)\n');
  const xlsx = path.join(dir, 'book.xlsx');
  const named = path.join(dir, 'chat 5123 4567.txt');
  writeFileSync(named, 'HKID A123456(3)\n');
  return { dir, json, csv, xlsx, named };
}

async function workbook(file: string): Promise<void> {
  await writeXlsxFile(
    [
      [{ value: 'phone' }, { value: 'note' }],
      [{ value: '9123 4567' }, { value: 'HKID A123456(3)' }],
    ],
    { sheet: '客戶 9123 4567' },
  ).toFile(file);
}

describe('names in what a scan shows', () => {
  it('a JSON key that is a phone number is masked in pointers, only that key, and still found', async () => {
    const { json } = files();
    const { findings } = await scanPaths(sourceReaders(), [json]);
    expect(findings.map((f) => [f.type, f.pointer])).toEqual([
      ['hk_phone', '/contacts/+852 ****4567'],
      ['email', '/contacts/+852 ****4567/email'],
      ['hk_id', '/contacts/+852 ****4567/hkid'],
    ]);
    expect(rawIn(JSON.stringify(findings))).toEqual([]);
  });

  it('a CSV without a header row: the first record is the header, its phone number masked as a column name', async () => {
    const { csv } = files();
    const { findings } = await scanPaths(sourceReaders(), [csv]);
    expect(findings.map((f) => [f.type, f.row, f.column, f.masked])).toEqual([
      ['hk_id', 0, 'A12****(3)', 'A12****(3)'],
      ['hk_phone', 1, '+852 ****4567', '+852 ****4567'],
      ['hk_id', 1, 'A12****(3)', 'Z98****(6)'],
    ]);
    expect(rawIn(JSON.stringify(findings))).toEqual([]);
  });

  it('a sheet named with a phone number is masked', async () => {
    const { xlsx } = files();
    await workbook(xlsx);
    const { findings } = await scanPaths(sourceReaders(), [xlsx]);
    expect(findings.length).toBeGreaterThan(0);
    expect(new Set(findings.map((f) => f.sheet))).toEqual(new Set(['客戶 +852 ****4567']));
    expect(rawIn(JSON.stringify(findings))).toEqual([]);
  });

  it('a file named with a phone number, found or missing, is masked in findings, reads and reasons', async () => {
    const { dir, named } = files();
    const missing = path.join(dir, 'gone 6123 4567.txt');
    const result = await scanPaths(sourceReaders(), [named, missing]);
    expect(result.findings.map((f) => f.file)).toEqual([path.join(dir, 'chat +852 ****4567.txt')]);
    expect(result.files.map((f) => [f.file, f.status])).toEqual([
      [path.join(dir, 'chat +852 ****4567.txt'), 'scanned'],
      [path.join(dir, 'gone +852 ****4567.txt'), 'failed'],
    ]);
    expect(rawIn(JSON.stringify(result))).toEqual([]);
    // a reader's error names the path masked too (read-error.ts)
    const error = new ReadError(missing, 'ENOENT', 'no such file');
    expect([error.message, error.path]).toEqual([`cannot read ${path.join(dir, 'gone +852 ****4567.txt')}: no such file`, path.join(dir, 'gone +852 ****4567.txt')]);
    const read = readFileRecords(path.join(dir, 'also 9123 4567.xlsx'), 'g');
    const done = await read.next();
    expect(done.done && done.value.reason).toBe(`cannot read ${path.join(dir, 'also +852 ****4567.xlsx')}: no such file`);
  });

  it('a worker task (the scan on several threads) shows the same masked names', async () => {
    const { json } = files();
    const result = await runTask({ id: 1, file: json, group: 'contacts.json', options: {}, mode: 'json', keep: 0 });
    if ('error' in result) throw new Error(result.error);
    const text = Buffer.concat(result.json).toString();
    expect(text).toContain('"pointer":"/contacts/+852 ****4567"');
    expect(rawIn(text)).toEqual([]);
  });

  it('the command line prints none of them, as JSON or as a table', async () => {
    const { dir, json, csv, xlsx, named } = files();
    await workbook(xlsx);
    const paths = [json, csv, xlsx, named, path.join(dir, 'gone 6123 4567.txt')];
    const [out, table] = await Promise.all([cli(['scan', ...paths, '--format', 'json', '--threads', '1']), cli(['scan', ...paths, '--threads', '1'])]);
    for (const text of [out.stdout, out.stderr, table.stdout, table.stderr]) expect(rawIn(text)).toEqual([]);
    expect(table.stdout).toContain('contacts.json#/contacts/+852 ****4567/email');
    expect(table.stdout).toContain('sheet 客戶 +852 ****4567 row 2 [phone]');
  });

  it('the data map of a folder keeps no raw name (group names are file names)', async () => {
    const dir = tempDir('scan-names-map-');
    mkdirSync(path.join(dir, 'chats'));
    writeFileSync(path.join(dir, 'chats', '9123 4567.txt'), 'HKID A123456(3)\n');
    const source = Source.parse({
      id: 'share',
      name: 'Share',
      platform: 'File share',
      kind: 'files',
      path: path.join(dir, 'chats'),
      storage: { region: 'ap-east-1' },
    });
    const entry = await scanSource(source, 'k'.repeat(32), sourceReaders());
    expect(entry.groups?.map((g) => g.group)).toEqual(['+852 ****4567.txt']);
    expect(rawIn(JSON.stringify(entry))).toEqual([]);
  });
});
