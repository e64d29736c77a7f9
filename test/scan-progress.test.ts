// Progress: a data-mapping scan publishes how far it has got (sources listed, each
// started and done with its bytes, text read in between: counts only, no name or
// content), the command line draws a bar from it on a terminal, and nothing is drawn
// where stderr is not a terminal.
import diagnostics from 'node:diagnostics_channel';
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { sourceReaders } from '../lib/adapters/sources/source-reader.ts';
import { followDataMapScans, progressBar } from '../lib/cli/progress.ts';
import { Source } from '../lib/domain/org/source.ts';
import { SCAN_PROGRESS_CHANNEL, scanProgress, type ScanProgressEvent } from '../lib/usecases/datamap/progress.ts';
import { scanSource } from '../lib/usecases/datamap/scan-source.ts';
import { tempDir } from './support/temp-dir.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The pids of a process's children. */
const childrenOf = (pid: number): number[] =>
  spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);

/** Kills a process and everything below it, the children first (once the parent is gone they would be re-parented). */
function killTree(pid: number): void {
  for (const child of childrenOf(pid)) killTree(child);
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already exited
  }
}

/** A writable that says it is a terminal, keeping what is written. */
function terminal(): Writable & { isTTY: boolean; columns: number; text: () => string; cursorTo: () => boolean; clearLine: () => boolean; moveCursor: () => boolean } {
  let out = '';
  const w = new Writable({
    write(chunk, _enc, done) {
      out += String(chunk);
      done();
    },
  });
  return Object.assign(w, { isTTY: true, columns: 120, text: () => out, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
}

function chatFile(): string {
  const dir = tempDir('scan-progress-');
  const file = path.join(dir, 'chat.txt');
  writeFileSync(file, `${'客戶身份證A123456(3)已核實，請致電9123 4567\n'.repeat(60_000)}`);
  return file;
}

describe('data-mapping scan progress', () => {
  it('publishes the sources listed, each started and done with its bytes, and the text read: counts only', async () => {
    const events: ScanProgressEvent[] = [];
    const listener = (m: unknown) => events.push(m as ScanProgressEvent);
    diagnostics.subscribe(SCAN_PROGRESS_CHANNEL, listener);
    try {
      const file = chatFile();
      scanProgress.listed(1);
      const source = Source.parse({ id: 'chat', name: 'Chat', platform: 'WhatsApp', kind: 'files', path: file, storage: { country: 'HK' } });
      const entry = await scanSource(source, 'progress-key', sourceReaders());
      expect(entry.status).toBe('scanned');
      expect(events[0]).toEqual({ kind: 'listed', sources: 1 });
      expect(events[1]).toEqual({ kind: 'started' });
      expect(events.at(-1)).toEqual({ kind: 'done', bytesRead: entry.status === 'scanned' ? entry.coverage.bytesRead : -1 });
      const read = events.filter((e) => e.kind === 'read');
      expect(read.length).toBeGreaterThan(1);
      expect(read.reduce((n, e) => n + (e.kind === 'read' ? e.chars : 0), 0)).toBe(60_000 * '客戶身份證A123456(3)已核實，請致電9123 4567\n'.length);
      expect(JSON.stringify(events)).not.toMatch(/A123456|9123|chat/);
    } finally {
      diagnostics.unsubscribe(SCAN_PROGRESS_CHANNEL, listener);
    }
  });

  it('draws a bar of sources, MB read, rate and time left on a terminal, and clears it when the last source is done', async () => {
    const tty = terminal();
    const stop = followDataMapScans(tty);
    try {
      scanProgress.listed(2);
      const records = (async function* () {
        yield { group: 'g', sender: '', text: 'x'.repeat(1 << 21), at: { file: 'f' } };
        return { bytesRead: 2_000_000, bytesTotal: 2_000_000, records: 1, truncated: false };
      })();
      for await (const _ of scanProgress.follow(records)) {
        // read through
      }
      // the bar is drawn once cli-progress is loaded (on first use), which a busy machine may take a while to do
      await vi.waitFor(() => expect(tty.text()).toMatch(/1\/2 sources \| \d+\.\d MB read \| \d+\.\d MB\/s \| .* left/), { timeout: 10_000, interval: 20 });
    } finally {
      stop();
    }
    // stopped: the bar cleared and the cursor given back, and another scan's progress draws nothing here
    await vi.waitFor(() => expect(tty.text()).toContain('\u001b[?25h'), { timeout: 5_000, interval: 20 });
    const drawn = tty.text();
    scanProgress.listed(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(tty.text()).toBe(drawn);
  });

  it('draws a file scan\'s bar by bytes', async () => {
    const tty = terminal();
    const bar = await progressBar(tty);
    bar.update({ filesDone: 1, filesTotal: 3, bytesDone: 5e6, bytesTotal: 10e6 });
    bar.stop();
    expect(tty.text()).toMatch(/50% \| 1\/3 files \| 5\.0\/10\.0 MB/);
  });
});

describe('compliance scan where stderr is not a terminal', () => {
  it('writes no progress bar', async () => {
    const file = chatFile();
    const r = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(process.execPath, ['lib/cli/main.mjs', 'scan', file, '--format', 'json'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, stderr }),
      ),
    );
    expect(r).toEqual({ code: 0, stderr: '' });
  });
});

describe('compliance scan on a terminal (script(1) gives it one)', () => {
  it('moves the bar while one thread reads a file, and Ctrl-C gives the cursor and line wrap back before it exits 130', async () => {
    const file = path.join(tempDir('scan-progress-'), 'big.txt');
    writeFileSync(file, '客戶身份證A123456(3)已核實，請致電9123 4567 and a line of plain text after it\n'.repeat(800_000)); // ~80 MB
    const command = `exec ${JSON.stringify(process.execPath)} lib/cli/main.mjs scan ${JSON.stringify(file)} --threads 1 >/dev/null`;
    let script: ChildProcess | undefined;
    try {
      script = spawn('script', ['-qec', command, '/dev/null'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
      const stdout = script.stdout!;
      let out = '';
      const exited = new Promise<number | null>((resolve) => script!.once('exit', (code) => resolve(code)));
      // Some megabytes read while the only file is still under way.
      const moving = /0\/1 files \| ([1-9]\d*\.\d)\/\d+\.\d MB/;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no progress within the file: ${JSON.stringify(out.slice(-300))}`)), 30_000);
        stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (moving.test(out)) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      const node = childrenOf(script.pid!)[0] ?? 0;
      expect(node).toBeGreaterThan(0);
      process.kill(node, 'SIGINT');
      expect(await exited).toBe(130);
      const hidden = out.lastIndexOf('\x1b[?25l');
      expect(hidden).toBeGreaterThanOrEqual(0);
      const after = out.slice(hidden);
      expect(after).toContain('\x1b[?25h'); // cursor shown
      expect(after).toContain('\x1b[?7h'); // line wrap on
    } finally {
      // Whatever happened, no scan of 80 MB is left running.
      if (script?.pid !== undefined) killTree(script.pid);
    }
  });
});
