// `compliance scan`'s exit code tells a script or a scheduled job whether everything it
// was asked to scan was read: 0 when every file was scanned or skipped, 2 when a path
// given cannot be read at all (missing, not a regular file or folder), 1 when a file
// failed otherwise (one under a folder given, a workbook or JSON document that cannot be
// read to its end). What it prints is the same whatever the code. And overlapping paths
// (`scan loop loop/sub loop/sub/a.txt`) scan each file once, where it was first named.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { filesUnder } from '../lib/adapters/sources/local-files.ts';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { scanPathsParallel } from '../lib/cli/scan-pool.ts';
import { scanPaths } from '../lib/usecases/scan/scan-files.ts';
import { tempDir } from './support/temp-dir.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['lib/cli/main.mjs', ...args], { cwd: ROOT }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }));
  });
}

function tree(): { dir: string; clean: string; loop: string } {
  const dir = tempDir('scan-exit-');
  const clean = path.join(dir, 'clean');
  mkdirSync(clean);
  writeFileSync(path.join(clean, 'a.txt'), 'HKID A123456(3)\n');
  writeFileSync(path.join(clean, 'photo.png'), 'not read');
  const loop = path.join(dir, 'loop');
  mkdirSync(path.join(loop, 'sub'), { recursive: true });
  writeFileSync(path.join(loop, 'sub', 'a.txt'), 'HKID A123456(3)\n');
  writeFileSync(path.join(loop, 'b.txt'), 'card 4111 1111 1111 1111\n');
  return { dir, clean, loop };
}

describe('compliance scan: the exit code', () => {
  it('0 when every file was scanned or skipped', async () => {
    const { clean } = tree();
    const r = await cli(['scan', clean]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('SKIPPED');
  });

  it('2, and nothing scanned, when --now is not a moment (a scan reads no clock, but the option is checked as by every command)', async () => {
    const { clean } = tree();
    const [bad, good] = await Promise.all([cli(['scan', clean, '--now', '2026-13-01']), cli(['scan', clean, '--now', '2026-12-01', '--format', 'json'])]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--now: "2026-13-01" is not an ISO-8601 date');
    expect(bad.stdout).toBe('');
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout).counts).toEqual({ hk_id: 1 });
  });

  it('2 when a path given does not exist (or is a FIFO): the rest scanned and printed as before', async () => {
    const { dir, clean } = tree();
    const missing = path.join(dir, 'nope.txt');
    const [json, table, alone] = await Promise.all([cli(['scan', clean, missing, '--format', 'json']), cli(['scan', clean, missing]), cli(['scan', missing])]);
    expect([json.code, table.code, alone.code]).toEqual([2, 2, 2]);
    const parsed = JSON.parse(json.stdout) as { findings: unknown[]; files: { file: string; status: string; reason?: string }[] };
    expect(parsed.findings).toHaveLength(1);
    expect(parsed.files.at(-1)).toEqual({ file: missing, status: 'failed', reason: 'no such file or folder', findings: 0 });
    expect(table.stdout).toContain(`FAILED ${missing}: no such file or folder`);
    expect(alone.stdout).toContain('0 findings.');
    const fifo = path.join(dir, 'pipe.txt');
    execFileSync('mkfifo', [fifo]);
    expect((await cli(['scan', fifo])).code).toBe(2);
  });

  it('1 when a file under a folder given fails (a FIFO there; a workbook that cannot be read)', async () => {
    const { dir } = tree();
    const folder = path.join(dir, 'mixed');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'a.txt'), 'HKID A123456(3)\n');
    execFileSync('mkfifo', [path.join(folder, 'b.txt')]);
    const broken = path.join(dir, 'broken');
    mkdirSync(broken);
    writeFileSync(path.join(broken, 'book.xlsx'), 'not a zip');
    const [fifo, xlsx] = await Promise.all([cli(['scan', folder]), cli(['scan', broken, '--format', 'json'])]);
    expect(fifo.code).toBe(1);
    expect(fifo.stdout).toMatch(/FAILED .*b\.txt: a FIFO/);
    expect(xlsx.code).toBe(1);
    expect(JSON.parse(xlsx.stdout).files[0]).toMatchObject({ status: 'failed' });
  });
});

describe('overlapping paths', () => {
  it('scan each file once, in the order first named', async () => {
    const { loop } = tree();
    const sub = path.join(loop, 'sub');
    const a = path.join(sub, 'a.txt');
    const result = await scanPaths(sourceReaders(), [loop, sub, a]);
    expect(result.findings.map((f) => [f.type, f.file])).toEqual([
      ['payment_card', path.join(loop, 'b.txt')],
      ['hk_id', a],
    ]);
    expect(result.files.map((f) => f.file)).toEqual([path.join(loop, 'b.txt'), a]);
    // a file named first keeps its place; the folder after it brings only the rest
    const first = await scanPaths(sourceReaders(), [a, loop]);
    expect(first.files.map((f) => f.file)).toEqual([a, path.join(loop, 'b.txt')]);
  });

  it('by their real path: a link given to a file given too, a folder named twice, a missing path named twice', async () => {
    const { dir, loop } = tree();
    const link = path.join(dir, 'link.txt');
    symlinkSync(path.join(loop, 'sub', 'a.txt'), link);
    const missing = path.join(dir, 'nope.txt');
    const entries = [];
    for await (const e of filesUnder([loop, link, `${loop}/`, path.join(loop, 'sub', '..'), missing, missing])) entries.push([e.path, e.refused ?? 'file']);
    expect(entries).toEqual([
      [path.join(loop, 'b.txt'), 'file'],
      [path.join(loop, 'sub', 'a.txt'), 'file'],
      [missing, 'no such file or folder'],
    ]);
  });

  it('on several threads too, and on the command line', async () => {
    const { loop } = tree();
    const sub = path.join(loop, 'sub');
    const a = path.join(sub, 'a.txt');
    const found: string[] = [];
    const summary = await scanPathsParallel([loop, sub, a], {}, (part) => found.push(part.file), { threads: 2, mode: 'table', keep: 10 });
    expect(summary.files.map((f) => f.file)).toEqual([path.join(loop, 'b.txt'), a]);
    expect(summary.counts).toEqual({ payment_card: 1, hk_id: 1 });
    const r = await cli(['scan', loop, sub, a, '--format', 'json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { counts: unknown }).counts).toEqual({ payment_card: 1, hk_id: 1 });
  });
});
