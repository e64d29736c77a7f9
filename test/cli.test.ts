// The `compliance` command as a user runs it: a child process per command,
// against the shared DynamoDB Local (--endpoint, so no DynamoDB Local is started
// per command), a table of its own and a temporary outbox.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { simpleParser } from 'mailparser';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { readOrgFile } from '../lib/adapters/files/org-file-reader.ts';
import { createStore } from '../lib/adapters/dynamodb/client.ts';
import { cleanEnv, CLI, NODE, ROOT, runCli, type CliResult } from './support/cli.ts';
import { closedEndpoint } from './support/closed-port.ts';
import { tempDir } from './support/temp-dir.ts';

// For commands that must fail before they open a store: one that tried would find nothing there.
const CLOSED = await closedEndpoint();
const SAMPLE = 'examples/acme-hk/org.yaml';
// Fill the compile cache once before the concurrent tests start several CLIs at a time;
// the test of --help asserts on this same run.
let help: CliResult;
beforeAll(async () => {
  help = await runCli(['--help']);
});

/** The CLI with its output read until the first chunk and then closed, as `| head -c N` does. */
function runCliClosingOutput(args: string[], env: NodeJS.ProcessEnv = cleanEnv()): Promise<CliResult & { read: string }> {
  return new Promise((resolve) => {
    const child = spawn(NODE, [CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let read = '';
    let stderr = '';
    child.stdout.once('data', (chunk: Buffer) => {
      read = chunk.toString();
      child.stdout.destroy();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? -1 : 0), stdout: '', stderr, read });
    });
  });
}

const noStackTrace = (r: CliResult) => expect(`${r.stdout}${r.stderr}`).not.toMatch(/^\s{4}at /m);

describe.concurrent('usage (no table needed)', () => {
  it('--help exits 0 and lists the commands', async ({ expect }) => {
    const r = help;
    expect(r.code).toBe(0);
    for (const command of ['import', 'sweep', 'run', 'evidence']) expect(r.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    expect(r.stdout).toContain('--endpoint <url>');
    expect(r.stdout).toContain('--now <date>');
  });

  it('starts --help and a scan without loading zod or the AWS SDK: the commands that check input or reach AWS load them', async ({ expect }) => {
    const dir = tempDir('cli-modules-');
    const empty = path.join(dir, 'empty.txt');
    writeFileSync(empty, '');
    const log = path.join(dir, 'modules.json');
    // a module hook that records every module the CLI loads
    const hook = `data:text/javascript,${encodeURIComponent(
      "import { registerHooks } from 'node:module'; import { writeFileSync } from 'node:fs'; const seen = [];" +
        'registerHooks({ load(url, context, next) { seen.push(url); return next(url, context); } });' +
        "process.on('exit', () => writeFileSync(process.env.MODULES_LOG, JSON.stringify(seen)));",
    )}`;
    const env = cleanEnv({ NODE_OPTIONS: `--import=${hook}`, MODULES_LOG: log, COMPLIANCE_HASH_KEY: '' });
    const help = await runCli(['--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('scan');
    const helpModules = JSON.parse(readFileSync(log, 'utf8')) as string[];
    const scan = await runCli(['scan', empty, '--format', 'json'], env);
    expect(scan.code).toBe(0);
    expect(JSON.parse(scan.stdout)).toMatchObject({ findings: [], files: [{ status: 'scanned' }] });
    const scanModules = JSON.parse(readFileSync(log, 'utf8')) as string[];
    for (const loaded of [helpModules, scanModules]) {
      expect(loaded.filter((url) => url.includes('/node_modules/commander/')).length).toBeGreaterThan(0); // the hook saw the CLI's modules
      expect(loaded.filter((url) => /\/node_modules\/(zod|@aws-sdk|@smithy)\//.test(url))).toEqual([]);
    }
    expect(scanModules.filter((url) => url.endsWith('/lib/domain/detect/detect.ts'))).toHaveLength(1);
  });

  it('evidence list --help shows the --status choices', async ({ expect }) => {
    const r = await runCli(['evidence', 'list', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--status <status>');
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('(choices: "current", "due-soon", "lapsed", "escalated")');
  });

  it('no command shows the help and exits 2', async ({ expect }) => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: compliance');
  });

  it('--control that is not an Annex A control exits 2 before touching any store', async ({ expect }) => {
    const r = await runCli(['--endpoint', CLOSED, 'evidence', 'list', '--control', 'A.5.38']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--control: "A.5.38" is not an ISO/IEC 27001:2022 Annex A control');
  });

  it('evidence list --control: a 2013 id with several 2022 counterparts, or none, exits 2 before touching any store', async ({ expect }) => {
    const [several, none] = await Promise.all([
      runCli(['--endpoint', CLOSED, 'evidence', 'list', '--control', 'A.18.2.3']),
      runCli(['--endpoint', CLOSED, 'evidence', 'list', '--control', 'A.12.4.9']),
    ]);
    expect(several.code).toBe(2);
    expect(several.stderr).toContain('--control: A.18.2.3 (2013) maps to several 2022 controls (A.5.36, A.8.8): write one of them');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--control: "A.12.4.9" is not an ISO/IEC 27001 Annex A control');
  });

  // --endpoint names a closed port: a command that opened a store session would fail.
  it('catalogue iso27001 --format json: the 93 controls as [{ id, title, theme }], no store needed', async ({ expect }) => {
    const r = await runCli(['--endpoint', CLOSED, 'catalogue', 'iso27001', '--format', 'json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { id: string; title: string; theme: string }[];
    expect(rows).toHaveLength(93);
    for (const row of rows) expect(Object.keys(row)).toEqual(['id', 'title', 'theme']);
    expect(rows.filter((row) => row.theme === 'technological')).toHaveLength(34);
    expect(rows.find((row) => row.id === 'A.8.24')?.theme).toBe('technological');
  });

  it('catalogue iso27001-2013 --format json: the 114 controls as [{ id, title, mapsTo }]', async ({ expect }) => {
    const r = await runCli(['catalogue', 'iso27001-2013', '--format', 'json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { id: string; title: string; mapsTo: string[] }[];
    expect(rows).toHaveLength(114);
    for (const row of rows) expect(Object.keys(row)).toEqual(['id', 'title', 'mapsTo']);
    expect(rows.find((row) => row.id === 'A.12.4.1')?.mapsTo).toEqual(['A.8.15']);
  });

  it('catalogue pdpo and gdpr --format json: ids and titles; section 33 marked not in force', async ({ expect }) => {
    const [pdpo, gdpr] = await Promise.all([runCli(['catalogue', 'pdpo', '--format', 'json']), runCli(['--format', 'json', 'catalogue', 'gdpr'])]);
    expect([pdpo.code, gdpr.code]).toEqual([0, 0]);
    const pdpoRows = JSON.parse(pdpo.stdout) as { id: string; status?: string }[];
    expect(pdpoRows.map((row) => row.id)).toEqual(expect.arrayContaining(['DPP1', 'DPP6', 'PCPD-XB-GUIDANCE', 'PCPD-XB-MODEL-CLAUSES']));
    expect(pdpoRows.find((row) => row.id === 's.33')?.status).toBe('not-in-force');
    expect((JSON.parse(gdpr.stdout) as { id: string }[]).map((row) => row.id)).toEqual(expect.arrayContaining(['Art.5', 'Art.32', 'Art.44', 'Art.49']));
  });

  it('catalogue iso27001, human output: a table with the catalogue named', async ({ expect }) => {
    const r = await runCli(['catalogue', 'iso27001']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('ISO/IEC 27001:2022 Annex A: 93 entries');
    expect(lines[2]).toMatch(/^ID\s+THEME\s+TITLE$/);
    expect(lines).toHaveLength(3 + 93);
    expect(r.stdout).toMatch(/^A\.8\.24\s+technological\s+Cryptography$/m);
  });

  it('catalogue iso27001-clauses: the management-system clauses gaps cite, clause 6.1.3 among them', async ({ expect }) => {
    const [human, json] = await Promise.all([runCli(['catalogue', 'iso27001-clauses']), runCli(['catalogue', 'iso27001-clauses', '--format', 'json'])]);
    expect([human.code, json.code]).toEqual([0, 0]);
    expect(human.stdout.split('\n')[0]).toBe('ISO/IEC 27001:2022 clauses (4 to 10) that gaps cite: 1 entry');
    expect(human.stdout).toMatch(/^6\.1\.3\s+Information security risk treatment$/m);
    expect(JSON.parse(json.stdout)).toEqual([{ id: '6.1.3', title: 'Information security risk treatment' }]);
  });

  it('catalogue with an unknown name exits 2 listing the valid ones', async ({ expect }) => {
    const r = await runCli(['catalogue', 'nist']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Allowed choices are pdpo, gdpr, iso27001, iso27001-2013, iso27001-clauses.');
    noStackTrace(r);
  });

  it('an unknown command exits 2', async ({ expect }) => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });

  it('an unknown option exits 2', async ({ expect }) => {
    const r = await runCli(['--colour', 'import', SAMPLE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--colour'");
  });

  it('a bad choice exits 2: evidence list --status bogus, --format xml', async ({ expect }) => {
    const [status, format] = await Promise.all([runCli(['evidence', 'list', '--status', 'bogus']), runCli(['--format', 'xml', 'evidence', 'list'])]);
    expect(status.code).toBe(2);
    expect(status.stderr).toContain("argument 'bogus' is invalid. Allowed choices are current, due-soon, lapsed, escalated.");
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("argument 'xml' is invalid");
  });

  it("commander's own messages quote what was typed redacted: an unknown option, a bad choice", async ({ expect }) => {
    const [option, choice] = await Promise.all([runCli(['scan', SAMPLE, '--x=A123456(3)']), runCli(['--format', 'A123456(3)', 'scan', SAMPLE])]);
    expect([option.code, choice.code]).toEqual([2, 2]);
    expect(option.stderr).toContain("unknown option '--x=A12****(3)'");
    expect(choice.stderr).toContain("argument 'A12****(3)' is invalid");
    for (const r of [option, choice]) expect(r.stderr).not.toContain('A123456');
  });

  it('a missing argument exits 2', async ({ expect }) => {
    const r = await runCli(['import']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("missing required argument 'file'");
  });

  it('--now not-a-date exits 2 with a message naming --now', async ({ expect }) => {
    const r = await runCli(['--endpoint', inject('dynamoEndpoint'), '--table', `test-cli-${randomUUID()}`, 'evidence', 'list', '--now', 'not-a-date']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('--now: "not-a-date" is not an ISO-8601 date (2026-11-30) or date-time with offset (2026-11-30T09:00:00Z)\n');
    expect(r.stdout).toBe('');
    noStackTrace(r);
  });

  it('scan --threads abc, --budget-bytes 0: exit 2, naming the option', async ({ expect }) => {
    const [threads, budget] = await Promise.all([runCli(['scan', SAMPLE, '--threads', 'abc']), runCli(['scan', SAMPLE, '--budget-bytes', '0'])]);
    expect([threads.code, budget.code]).toEqual([2, 2]);
    expect(threads.stderr).toBe('--threads: "abc" is not a positive whole number\n');
    expect(budget.stderr).toBe('--budget-bytes: "0" is not a positive whole number\n');
    // digits only, though Number() reads these
    const others = await Promise.all(['0x2', '1e1', '+2'].map((n) => runCli(['scan', SAMPLE, '--threads', n])));
    expect(others.map((r) => [r.code, r.stderr])).toEqual(['0x2', '1e1', '+2'].map((n) => [2, `--threads: "${n}" is not a positive whole number\n`]));
  });

  it('import of a file that does not exist: exit 2, "no such file", before touching any store', async ({ expect }) => {
    const missing = path.join(tempDir('cli-missing-'), 'org.yaml');
    const r = await runCli(['--endpoint', CLOSED, 'import', missing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${missing}: cannot read: no such file\n`);
  });

  it('scan --format json | head: the reader closing the pipe ends the scan quietly, exit 0', async ({ expect }) => {
    const file = path.join(tempDir('cli-epipe-'), 'chat.txt');
    writeFileSync(file, '客戶身份證A123456(3)已核實，請致電9123 4567\n'.repeat(200_000));
    const r = await runCliClosingOutput(['scan', file, '--format', 'json', '--threads', '1']);
    expect(r.read.startsWith('{')).toBe(true);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  /**
   * A store command run with `java` on its PATH being `script` (a shell script answering as
   * a Java would; none: no Java at all), on a new data directory: its result, its stderr's
   * lines and that directory.
   */
  async function storeCommandWithJava(script: string | undefined) {
    const bin = tempDir('cli-java-bin-');
    symlinkSync(NODE, path.join(bin, 'node'));
    if (script !== undefined) writeFileSync(path.join(bin, 'java'), `#!/bin/sh\n${script}`, { mode: 0o755 });
    const scratch = tempDir('cli-java-');
    const dataDir = path.join(scratch, 'dynamodb');
    const args = ['--data-dir', dataDir, '--outbox', path.join(scratch, 'outbox'), ...(script === undefined ? ['import', SAMPLE] : ['evidence', 'list'])];
    const r = await runCli(args, cleanEnv({ PATH: script === undefined ? bin : `${bin}:/usr/bin:/bin` }));
    noStackTrace(r);
    return { r, lines: r.stderr.split('\n').filter((l) => l !== ''), dataDir };
  }
  /** A `java` script answering `-version` as Java `version` does, and failing on the jar with `output`. */
  const javaScript = (version: string, output: string) => `if [ "$1" = "-version" ]; then echo 'openjdk version "${version}"' >&2; exit 0; fi\nprintf '%s\\n' '${output}' >&2; exit 1\n`;

  it('without Java and without --endpoint: exit 1, one line naming Java 17 and --endpoint', async ({ expect }) => {
    const { r, lines, dataDir } = await storeCommandWithJava(undefined);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Java 17');
    expect(lines[0]).toContain('--endpoint');
    expect(r.stderr.endsWith('\n')).toBe(true);
    // A start without Java leaves nothing on disk.
    expect(existsSync(dataDir)).toBe(false);
  });

  it('with a Java older than 17: exit 1, one line naming the version found and --endpoint, nothing left on disk', async ({ expect }) => {
    // Java 11 fails on classes compiled for 17: the command is told from how DynamoDB Local failed to start.
    const { r, lines, dataDir } = await storeCommandWithJava(javaScript('11.0.20', 'Error: LinkageError occurred while loading main class: java.lang.UnsupportedClassVersionError: class file version 61.0'));
    expect(r.code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Java 17 or later, found 11');
    expect(lines[0]).toContain('--endpoint');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('DynamoDB Local failing for another reason: exit 1, one line with its exception (no Java stack), the new data directory kept', async ({ expect }) => {
    // A Java 17 whose DynamoDB Local cannot bind its port: not a Java problem, so the
    // directory made for it stays (another command may be starting on it).
    const trace = [
      'Initializing DynamoDB Local',
      'Exception in thread "main" java.io.IOException: Failed to bind to 0.0.0.0/0.0.0.0:8000',
      '\tat org.eclipse.jetty.server.ServerConnector.openAcceptChannel(ServerConnector.java:344)',
      'Caused by: java.net.BindException: Address already in use',
    ].join("' '");
    const { r, lines, dataDir } = await storeCommandWithJava(javaScript('17.0.15', trace));
    expect(r.code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('DynamoDB Local exited with code 1');
    expect(lines[0]).toContain('Failed to bind');
    expect(existsSync(dataDir)).toBe(true);
  });
});

describe('signals', () => {
  /** Whether a process is still running. */
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const until = async (what: () => boolean, ms: number) => {
    for (const end = Date.now() + ms; Date.now() < end && !what(); ) await new Promise((r) => setTimeout(r, 100));
    return what();
  };
  /**
   * The CLI starting DynamoDB Local on a data directory of its own. It leads a process
   * group of its own, which its java child joins: `killAll` ends both whatever happened,
   * even a java that outlived the CLI.
   */
  function startingDynamoLocal() {
    const child = spawn(NODE, [CLI, '--data-dir', path.join(tempDir('cli-signal-'), 'db'), 'evidence', 'list'], { cwd: ROOT, env: cleanEnv(), stdio: 'ignore', detached: true });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    return { child, exited };
  }
  /** The pid of the CLI's DynamoDB Local once it has one (the jar, not a `java -version` check). */
  async function javaOf(child: ChildProcess): Promise<number | undefined> {
    let java: number | undefined;
    await until(() => {
      const found = spawnSync('pgrep', ['-P', String(child.pid), '-f', 'DynamoDBLocal.jar'], { encoding: 'utf8' }).stdout.trim();
      if (found) java = Number(found.split('\n')[0]);
      return java !== undefined;
    }, 30_000);
    return java;
  }
  const killAll = (child: ChildProcess | undefined) => {
    if (child?.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // the group is gone: the CLI and its java have exited
    }
  };

  // The signals sent, and the exit code the CLI must end with.
  const cases = [
    { title: 'SIGTERM: stops the DynamoDB Local it started, then exits 143', signals: ['SIGTERM'], code: 143 },
    { title: 'SIGHUP: stops the DynamoDB Local it started, then exits 129', signals: ['SIGHUP'], code: 129 },
    { title: 'a second SIGINT exits at once, killing DynamoDB Local', signals: ['SIGINT', 'SIGINT'], code: 130 },
  ] as const;
  for (const { title, signals, code } of cases) {
    it(title, async () => {
      let child: ChildProcess | undefined;
      try {
        const started = startingDynamoLocal();
        child = started.child;
        const java = await javaOf(child);
        expect(java, 'a java child').toBeDefined();
        for (const signal of signals) child.kill(signal);
        expect(await started.exited).toEqual({ code, signal: null });
        expect(await until(() => !alive(java as number), 5000), 'java stopped').toBe(true);
      } finally {
        killAll(child);
      }
    });
  }
});

describe('against DynamoDB Local, one table, in order', () => {
  const endpoint = inject('dynamoEndpoint');
  const table = `test-cli-${randomUUID()}`;
  const outbox = tempDir('cli-outbox-');
  const global = ['--endpoint', endpoint, '--table', table, '--outbox', outbox, '--data-dir', tempDir('cli-data-')];
  const cli = (...args: string[]) => runCli([...global, ...args]);
  const org = readOrgFile(path.join(ROOT, SAMPLE));
  const live = org.evidence.filter((e) => !e.retired);
  const emls = () => readdirSync(outbox).filter((f) => f.endsWith('.eml')).sort();

  /** Every item in the table, in a canonical form, sorted. */
  async function scanTable(): Promise<string[]> {
    const store = createStore({ tableName: table, endpoint });
    const canonical = (value: unknown): unknown => {
      if (value instanceof Set) return { $set: [...value].map(canonical).map((v) => JSON.stringify(v)).sort() };
      if (Array.isArray(value)) return value.map(canonical);
      if (value && typeof value === 'object') {
        return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
      }
      return value;
    };
    try {
      const items: string[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await store.doc.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }));
        for (const item of out.Items ?? []) items.push(JSON.stringify(canonical(item)));
        start = out.LastEvaluatedKey;
      } while (start);
      return items.sort();
    } finally {
      store.doc.destroy();
    }
  }

  beforeAll(() => {
    expect(live).toHaveLength(58);
  });

  it('import --format json: parseable JSON, everything added', async () => {
    const r = await cli('--format', 'json', 'import', SAMPLE);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({
      orgId: 'harbour-ledger',
      people: { added: 12, changed: 0, removed: 0, unchanged: 0 },
      controls: { added: 32, changed: 0, removed: 0, unchanged: 0 },
      evidence: { added: 60, changed: 0, removed: 0, unchanged: 0 },
    });
  });

  it('import again, human output: names the organisation and the counts', async () => {
    const r = await cli('import', SAMPLE);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Imported harbour-ledger from ${SAMPLE}: people 12 unchanged; controls 32 unchanged; evidence 60 unchanged; sources 7 unchanged; platforms 6 unchanged; groups 3 unchanged; acceptances 1 unchanged.\n`);
  });

  it('refuses bad organisation files with exit 2, file:line: field:, no stack trace, and leaves the table as it was', async () => {
    const sample = readFileSync(path.join(ROOT, SAMPLE), 'utf8').split('\n');
    const dir = tempDir('cli-bad-');
    /** The sample with the first line equal to `from` replaced by `to`; returns the file and the 1-based line. */
    const variant = (name: string, from: string, to: string[]): { file: string; line: number } => {
      const index = sample.indexOf(from);
      expect(index, `"${from}" in the sample`).toBeGreaterThanOrEqual(0);
      const file = path.join(dir, name);
      writeFileSync(file, [...sample.slice(0, index), ...to, ...sample.slice(index + 1)].join('\n'));
      return { file, line: index + 1 };
    };
    const wrongType = variant('wrong-type.yaml', '    language: zh-Hant', ['    language: fr']);
    const unknownOwner = variant('unknown-owner.yaml', '  - { id: A.5.7, title: Threat intelligence, owner: cheung-chi-keung, implementation: planned }', ['  - { id: A.5.7, title: Threat intelligence, owner: nobody }']);
    const duplicate = variant('duplicate-id.yaml', '  - id: ev-002', ['  - id: ev-001']);
    const badDate = variant('bad-date.yaml', '    collected: 2026-10-05', ['    collected: 2026-02-30']);
    const badYaml = variant('bad-yaml.yaml', '  complianceContact: michelle-leung', ['  complianceContact: michelle-leung', '  tags: [isms, iso27001']);
    expect(sample[badYaml.line], 'the line after the unclosed [').toBe('  sweep:');
    // The sample as it is, imported on a day before its latest item was collected.
    const early = variant('early.yaml', '    collected: 2026-11-06', ['    collected: 2026-11-06']);
    const latest = org.evidence.findIndex((e) => e.collected === '2026-11-06');

    const cases: { args: string[]; file: string; expected: RegExp }[] = [
      { args: ['import', wrongType.file], file: wrongType.file, expected: new RegExp(`^${esc(wrongType.file)}:${wrongType.line}: people\\[0\\]\\.language: `) },
      { args: ['import', unknownOwner.file], file: unknownOwner.file, expected: new RegExp(`^${esc(unknownOwner.file)}:${unknownOwner.line}: controls\\[1\\]\\.owner: unknown person "nobody"$`) },
      { args: ['import', duplicate.file], file: duplicate.file, expected: new RegExp(`^${esc(duplicate.file)}:${duplicate.line}: evidence\\[1\\]\\.id: duplicate evidence id "ev-001"$`) },
      { args: ['import', badDate.file], file: badDate.file, expected: new RegExp(`^${esc(badDate.file)}:${badDate.line}: evidence\\[2\\]\\.collected: must be a real date written YYYY-MM-DD$`) },
      // The `[` opened on the inserted line is found unclosed at the next line (`  sweep:`,
      // not indented into it): the line where the YAML parser found the error.
      { args: ['import', badYaml.file], file: badYaml.file, expected: new RegExp(`^${esc(badYaml.file)}:${badYaml.line + 2}: YAML: Flow sequence in block collection must be sufficiently indented and end with a \\]$`) },
      { args: ['import', early.file, '--now', '2026-11-05T12:00:00Z'], file: early.file, expected: new RegExp(`^${esc(early.file)}:${early.line}: evidence\\[${latest}\\]\\.collected: 2026-11-06 is after today \\(2026-11-05 in Asia/Hong_Kong\\)$`) },
      // `run` checks the file before it imports or sweeps anything.
      { args: ['run', badDate.file, '--now', '2026-11-30'], file: badDate.file, expected: new RegExp(`^${esc(badDate.file)}:${badDate.line}: evidence\\[2\\]\\.collected: `) },
    ];

    const before = await scanTable();
    expect(before.length).toBeGreaterThan(102); // organisation, 12 people, 32 controls, 60 evidence, audit
    const results = await Promise.all(cases.map((c) => cli(...c.args)));
    results.forEach((r, i) => {
      const c = cases[i] as (typeof cases)[number];
      expect(r.code, `${c.args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines[0]).toMatch(c.expected);
      for (const l of lines) expect(l.startsWith(`${c.file}:`), l).toBe(true);
      noStackTrace(r);
    });
    expect(await scanTable()).toEqual(before);
    expect(emls()).toEqual([]);
  });

  it('an --org that has not been imported: every command exits 2 at once, naming --org, and records nothing', async () => {
    const before = await scanTable();
    const commands = [['datamap'], ['gaps'], ['sweep'], ['soa'], ['risk'], ['evidence', 'list'], ['review', 'open'], ['report', '--out', '-']];
    // The id given is quoted redacted, as every message is (hkid).
    const [hkid, ...results] = await Promise.all([cli('evidence', 'list', '--org', 'A1234563'), ...commands.map((c) => cli(...c, '--org', 'no-such-org', '--now', '2026-11-15'))]);
    results.forEach((r, i) => {
      expect(r.code, `${commands[i]?.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toBe('--org: organisation "no-such-org" has not been imported (compliance import ORG.yaml first)\n');
      expect(r.stdout).toBe('');
    });
    expect(hkid.code).toBe(2);
    expect(hkid.stderr).toMatch(/^--org: organisation "A12\*{4}\(3\)" has not been imported/);
    expect(await scanTable()).toEqual(before);
  });

  it('gaps before any scan: exit 2, says there is no data map yet, lists nothing (refused before it runs: test/run-refusals.test.ts)', async () => {
    const r = await cli('gaps', '--now', '2026-11-15');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^gaps: no data map of "harbour-ledger" yet: a data-mapping scan must run first/);
    expect(r.stdout).toBe('');
    noStackTrace(r);
  });

  it('evidence list --now 2026-11-30 --format json: 58 rows, status as the policy computes it', async () => {
    // Worked out by hand from the sample (not by the code under test): the last valid day
    // is validUntil, or collected + validFor - 1 day (2026-10-05 + P3M ends 2027-01-04);
    // d = 2026-11-30 - that day; the sample's policy (dueSoonDays 14, escalateAfterDays 7)
    // makes d >= 7 escalated, 1..6 lapsed, -14..0 due soon, else current. ev-005 and
    // ev-014 are retired. The sample's header says the same: 32 current, 10 due soon,
    // 8 lapsed, 8 escalated.
    const byStatus: Record<string, string[]> = {
      'due-soon': ['ev-011', 'ev-012', 'ev-018', 'ev-022', 'ev-033', 'ev-036', 'ev-042', 'ev-046', 'ev-047', 'ev-058'],
      lapsed: ['ev-007', 'ev-009', 'ev-016', 'ev-025', 'ev-030', 'ev-040', 'ev-050', 'ev-054'],
      escalated: ['ev-013', 'ev-019', 'ev-028', 'ev-034', 'ev-043', 'ev-051', 'ev-053', 'ev-056'],
    };
    const notCurrent = new Set(Object.values(byStatus).flat());
    byStatus.current = Array.from({ length: 60 }, (_, i) => `ev-${String(i + 1).padStart(3, '0')}`).filter((id) => !['ev-005', 'ev-014'].includes(id) && !notCurrent.has(id));
    expect(byStatus.current).toHaveLength(32);
    const expected = new Map(Object.entries(byStatus).flatMap(([status, ids]) => ids.map((id) => [id, status] as const)).sort(([a], [b]) => a.localeCompare(b)));

    const [all, lapsed, backup, human] = await Promise.all([
      cli('evidence', 'list', '--now', '2026-11-30', '--format', 'json'),
      cli('evidence', 'list', '--now', '2026-11-30', '--format', 'json', '--status', 'lapsed'),
      cli('evidence', 'list', '--now', '2026-11-30', '--format', 'json', '--control', 'A.8.13'),
      cli('evidence', 'list', '--now', '2026-11-30'),
    ]);
    for (const r of [all, lapsed, backup, human]) expect(r.code, r.stderr).toBe(0);

    const rows = JSON.parse(all.stdout) as { id: string; control: string; status: string; owner: string; daysOverdue?: number }[];
    expect(rows).toHaveLength(58);
    expect(new Map(rows.map((r) => [r.id, r.status]))).toEqual(expected);
    expect(rows.some((r) => r.id === 'ev-005' || r.id === 'ev-014')).toBe(false); // retired
    expect(rows.find((r) => r.id === 'ev-013')).toMatchObject({ status: 'escalated', daysOverdue: 7, owner: 'wong-siu-ming' }); // the control's owner
    expect(rows.find((r) => r.id === 'ev-016')).toMatchObject({ status: 'lapsed', owner: 'mak-po-yee' }); // its own owner

    const lapsedRows = JSON.parse(lapsed.stdout) as { id: string; status: string }[];
    expect(lapsedRows.map((r) => r.id).sort()).toEqual(byStatus.lapsed);
    expect(lapsedRows.every((r) => r.status === 'lapsed')).toBe(true);

    const backupRows = JSON.parse(backup.stdout) as { id: string; control: string }[];
    expect(backupRows.map((r) => r.id)).toEqual(live.filter((e) => e.control === 'A.8.13').map((e) => e.id));
    expect(backupRows.map((r) => r.id)).toEqual(['ev-055', 'ev-056']);

    const lines = human.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+CONTROL\s+STATUS\s+VALID UNTIL\s+DAYS\s+OWNER\s+TITLE$/);
    expect(lines).toHaveLength(59);
    expect(lines.find((l) => l.startsWith('ev-013 '))).toMatch(/^ev-013\s+A\.5\.18\s+escalated\s+2026-11-23\s+\+7\s+wong-siu-ming\s+Quarterly access review/);
  });

  let digests = 0;
  let sent = 0;
  let alertMails = 0;

  it('run --now 2026-11-30 sends N mails into the outbox: one review digest per task owner, one sweep mail per person with notices', async () => {
    const r = await cli('run', SAMPLE, '--now', '2026-11-30');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('As of 2026-11-30.');
    // The scan starts its gap analysis itself: the cycle says so, not that it "already ran".
    expect(r.stdout).toMatch(/^Gap analysis gap-analysis-harbour-ledger-2026-11, started by the data-mapping scan: it opened [1-9]\d*, closed 0 and reopened 0\.$/m);
    expect(r.stdout).not.toContain('Nothing analysed now');
    const match = /Sent (\d+) mails/.exec(r.stdout.slice(r.stdout.indexOf('Evidence sweep')));
    expect(match, r.stdout).not.toBeNull();
    sent = Number(match?.[1]);
    expect(sent).toBeGreaterThan(0);
    const opened = /Review 2026-Q4 opened: (\d+) tasks due 2026-12-30 \(\1 written now\); (\d+) digests recorded, \2 mails sent\./.exec(r.stdout);
    expect(opened, r.stdout).not.toBeNull();
    digests = Number(opened?.[2]);
    // Behaviour monitoring's alerts: the seven incidents planted in the sample's audit logs, one mail per recipient.
    const monitoring = r.stdout.slice(r.stdout.indexOf('Behaviour monitoring'), r.stdout.indexOf('Review 2026-Q4 opened'));
    expect(monitoring).toContain('7 alerts raised');
    alertMails = Number(/Sent (\d+) mails/.exec(monitoring)?.[1]);
    expect(alertMails).toBeGreaterThan(0);
    expect(emls()).toHaveLength(sent + digests + alertMails);
    expect(readdirSync(outbox).filter((f) => !f.endsWith('.eml'))).toEqual([]); // no .tmp left
    expect(r.stdout).toContain(`Mails are in ${outbox}`);
    const mails = await Promise.all(emls().map(async (f) => simpleParser(readFileSync(path.join(outbox, f)))));
    const to = (m: (typeof mails)[number]) => (m.to as { value: { address: string }[] }).value[0]?.address;
    const isDigest = (m: (typeof mails)[number]) => /ISO\/IEC 27001 (?:review )?2026-Q4/.test(m.subject ?? '');
    const isAlert = (m: (typeof mails)[number]) => /Behaviour monitoring: |行為監察：/.test(m.subject ?? '');
    expect(new Set(mails.filter(isAlert).map(to)).size).toBe(alertMails);
    // The sweep: one mail per person listed in the output, each to that person.
    const swept = mails.filter((m) => !isDigest(m) && !isAlert(m)).map(to);
    for (const address of swept) expect(r.stdout).toContain(`<${address}>`);
    expect(new Set(swept).size).toBe(sent);
    // The review: one digest per person with tasks, never two.
    expect(new Set(mails.filter(isDigest).map(to)).size).toBe(digests);
  });

  it('the same run again: exit 0, "already ran", "Nothing sent now", the outbox unchanged', async () => {
    const before = emls();
    const r = await cli('run', SAMPLE, '--now', '2026-11-30');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('already ran');
    expect(r.stdout).toMatch(/^Gap analysis gap-analysis-harbour-ledger-2026-11 already ran \(finished [^)]*; it opened [1-9]\d*, closed 0 and reopened 0 then\)\. Nothing analysed now\.$/m);
    expect(r.stdout).toContain('Nothing sent now');
    expect(r.stdout).toContain(`it sent ${sent} mails then`);
    expect(emls()).toEqual(before);
    expect(emls()).toHaveLength(sent + digests + alertMails);
  });

  it('gaps --format json: the analysis the scan started, and open gaps with rule, subject, requirements, owner and remedy', async () => {
    const r = await cli('gaps', '--format', 'json', '--now', '2026-11-30T10:00:00Z');
    expect(r.code, r.stderr).toBe(0);
    const { analysis, gaps } = JSON.parse(r.stdout);
    // A person's command runs now, under its own name.
    expect(analysis).toMatchObject({ id: 'gap-analysis-harbour-ledger-2026-11-30T100000', dataMap: 'data-mapping-scan-harbour-ledger-2026-11' });
    expect(analysis.scores.pdpo.applicable).toBeGreaterThan(0);
    expect(gaps.length).toBe(analysis.counts.open);
    expect(gaps.every((g: { status: string }) => g.status === 'open')).toBe(true);
    const hr = gaps.find((g: { id: string }) => g.id === 'cross-border-without-basis:source:dingtalk-hr');
    expect(hr).toMatchObject({ rule: 'cross-border-without-basis', subject: { kind: 'source', id: 'dingtalk-hr' }, severity: 'high', owner: 'karen-chan' });
    expect(hr.requirements).toContainEqual({ framework: 'pdpo', id: 'DPP3' });
    // The WhatsApp platform's missing audit log is accepted until March.
    const accepted = JSON.parse((await cli('gaps', '--format', 'json', '--status', 'accepted', '--now', '2026-11-30T10:00:00Z')).stdout).gaps;
    expect(accepted.map((g: { id: string }) => g.id)).toEqual(['no-audit-log:platform:whatsapp']);
  });

  it('gaps --severity and --framework filter; --format csv opens in Excel with Chinese intact and local times', async () => {
    // evidence list only reads, and prints no csv (exit 2): it runs beside the first gaps
    const [filtered, wrong] = await Promise.all([cli('gaps', '--format', 'json', '--severity', 'low', '--framework', 'iso27001', '--now', '2026-11-30T10:01:00Z'), cli('evidence', 'list', '--format', 'csv')]);
    const json = JSON.parse(filtered.stdout);
    expect(json.gaps.length).toBeGreaterThan(0);
    expect(json.gaps.every((g: { severity: string; requirements: { framework: string }[] }) => g.severity === 'low' && g.requirements.some((q) => q.framework === 'iso27001'))).toBe(true);
    const csv = await cli('gaps', '--format', 'csv', '--now', '2026-11-30T10:02:00Z');
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout.startsWith('\ufeffid,rule,subject kind,subject,status,severity,requirements,owner,remedy,opened (Asia/Hong_Kong),closed (Asia/Hong_Kong)')).toBe(true);
    expect(csv.stdout).toContain('薪酬组');
    expect(csv.stdout).toMatch(/,2026-11-30 17:00,/); // 09:00 UTC in Hong Kong
    expect(wrong.code).toBe(2);
  });

  it('risk --format json: every source with its tier, factors and recommendation; red data never green', async () => {
    const r = await cli('risk', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const risk = JSON.parse(r.stdout);
    expect(risk.sources).toHaveLength(7);
    const hr = risk.sources.find((s: { id: string }) => s.id === 'dingtalk-hr');
    expect(hr).toMatchObject({ tier: 'red', factors: { sensitivity: { level: 'high' }, role: { level: 'high' }, mobility: { level: 'high' } } });
    expect(hr.recommendation).toMatch(/^move DingTalk HR groups .* to DingTalk Exclusive Cloud, Hong Kong$/);
    const roster = risk.sources.find((s: { id: string }) => s.id === 'dingtalk-frontline-roster');
    expect(roster.recommendation).toBe('keep DingTalk frontline rostering groups on DingTalk Exclusive Cloud, Hong Kong');
    expect(risk.groups.map((g: { name: string }) => g.name).sort()).toEqual(['Kwun Tong frontline roster', '付款審批', '薪酬组']);
    for (const s of risk.sources) expect(Object.keys(s.factors).sort()).toEqual(['mobility', 'role', 'sensitivity']);
  });

  it('sweep --now 2026-12-07 sends the first reminders, 7 days after the lapse notices the run of 2026-11-30 sent', async () => {
    const before = new Set(emls());
    const r = await cli('sweep', '--now', '2026-12-07');
    expect(r.code, r.stderr).toBe(0);
    const added = emls().filter((f) => !before.has(f));
    expect(added.length).toBeGreaterThan(0);
    expect(r.stdout).toContain(`Sent ${added.length} mail`);

    // Which evidence each new mail lists as "Reminder 1" (English) or "第 1 次提醒" (Chinese).
    const reminded = new Set<string>();
    for (const f of added) {
      const mail = await simpleParser(readFileSync(path.join(outbox, f)));
      for (const block of (mail.text ?? '').split(/\n- /)) {
        const id = /[(（](ev-\d+)[)）]/.exec(block)?.[1];
        if (id && /(?:Reminder 1|第 1 次提醒)\n/.test(block)) reminded.add(id);
      }
    }
    // By hand from the sample's policy (reminderEveryDays 7): the run of 2026-11-30 sent
    // each item past its last valid day its first notice after it (lapsed), the 8 lapsed
    // and 8 escalated items of the test above; a reminder comes 7 days after the last
    // owner notice, so on 2026-12-07 all 16 get reminder 1. The items that ended on
    // 2026-11-30..12-06 (ev-012, ev-022, ev-042, ev-046, ev-047, ev-058) get their lapse
    // notice now.
    expect([...reminded].sort()).toEqual([
      'ev-007', 'ev-009', 'ev-013', 'ev-016', 'ev-019', 'ev-025', 'ev-028', 'ev-030',
      'ev-034', 'ev-040', 'ev-043', 'ev-050', 'ev-051', 'ev-053', 'ev-054', 'ev-056',
    ]);
  });

  it('soa --format json: all 93 controls as [{ id, title, applicable, justification?, owner?, lastResult?, evidenceStatus }]; csv with a byte-order mark', async () => {
    // soa only reads: its three forms run at once
    const [r, csv, table] = await Promise.all([cli('soa', '--format', 'json', '--now', '2026-12-07'), cli('soa', '--format', 'csv'), cli('soa')]);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as { id: string; applicable: boolean | null; justification?: string; owner?: string; evidenceStatus: string }[];
    expect(rows).toHaveLength(93);
    expect(rows.filter((x) => x.applicable === true)).toHaveLength(30);
    expect(rows.filter((x) => x.applicable === false).map((x) => x.id)).toEqual(['A.7.5', 'A.7.12']);
    expect(rows.filter((x) => x.applicable === null)).toHaveLength(61);
    expect(rows.find((x) => x.id === 'A.8.15')).toMatchObject({ title: 'Logging', applicable: true, owner: 'jason-tsang', justification: 'Logs of DingTalk and AWS feed the SOC', evidenceStatus: 'current' });
    expect(rows.find((x) => x.id === 'A.7.5')?.justification).toMatch(/^No premises of our own/);
    // whether each applicable control is implemented, as the file states it (6.1.3 d)); not stated: no field
    expect(rows.find((x) => x.id === 'A.8.24')).toMatchObject({ implementation: 'partial' });
    expect(rows.filter((x) => x.applicable === true && !('implementation' in x)).map((x) => x.id)).toEqual(['A.6.6', 'A.7.4']);
    expect(rows.filter((x) => x.applicable !== true && 'implementation' in x)).toEqual([]);
    // the first eight columns as they always were, then whether each decision is justified, an answer awaiting review, the file's own title and the implementation
    expect(csv.stdout.startsWith('\ufeffcontrol,title,theme,applicable,justification,owner,last result,evidence status,justified,answer awaiting review,title in organisation file,implementation\n')).toBe(true);
    const a815 = csv.stdout.split('\n').find((line) => line.startsWith('A.8.15,'));
    expect(a815).toMatch(/,yes,[^,]*,[^,]*,implemented$/); // justified, implemented
    expect(table.stdout).toContain('Of the applicable: 23 implemented, 3 partial, 2 planned, 2 not stated.\n2 applicable controls do not say whether they are implemented (ISO/IEC 27001 6.1.3 d) asks)');
    expect(table.stdout).toMatch(/^A\.7\.4\s+yes\s+\(not stated\)\s+ho-wai-kit\s/m);
    expect(table.stdout).toMatch(/^A\.7\.5\s+no\s+none\s/m);
  });

  it('task answer and task review: the owner answers, the reviewer accepts; someone else, an unknown result or a bad quarter exit 2 and change nothing', async () => {
    const before = await cli('review', 'show', '2026-Q4', '--format', 'json');
    const refusals = await Promise.all([
      cli('task', 'answer', '2026-Q4/A.8.15', '--as', 'wong-siu-ming', '--result', 'effective', '--now', '2026-12-07'),
      cli('task', 'answer', '2026-Q4/A.8.15', '--as', 'jason-tsang', '--result', 'great'),
      cli('task', 'answer', '2026-Q4/A.8.99', '--as', 'jason-tsang', '--result', 'effective'),
      cli('task', 'answer', '2026-Q4/A.8.15', '--as', 'jason-tsang', '--result', 'effective', '--evidence', '/no/such/file.pdf'),
      cli('review', 'show', '2026Q4'),
    ]);
    for (const r of refusals) {
      expect(r.code, r.stderr).toBe(2);
      noStackTrace(r);
    }
    expect(refusals.map((r) => r.stderr.split('\n')[0])).toEqual([
      "task 2026-Q4/A.8.15 is jason-tsang's: wong-siu-ming cannot answer it",
      expect.stringContaining("argument 'great' is invalid"),
      expect.stringMatching(/^no task "2026-Q4\/A\.8\.99"/),
      '--evidence /no/such/file.pdf: cannot be read (ENOENT)',
      'quarter "2026Q4" must be a quarter written YYYY-Qn, such as 2026-Q4',
    ]);
    expect((await cli('review', 'show', '2026-Q4', '--format', 'json')).stdout).toBe(before.stdout);

    const answered = await cli('task', 'answer', '2026-Q4/A.8.15', '--as', 'jason-tsang', '--result', 'effective', '--comment', 'SOC reviews weekly', '--now', '2026-12-07');
    expect(answered.code, answered.stderr).toBe(0);
    expect(answered.stdout).toBe('Answered 2026-Q4/A.8.15 as jason-tsang: effective. michelle-leung reviews it.\n');
    const accepted = await cli('task', 'review', '2026-Q4/A.8.15', '--as', 'michelle-leung', '--accept', '--now', '2026-12-07');
    expect(accepted.code, accepted.stderr).toBe(0);
    const mine = JSON.parse((await cli('task', 'list', '--owner', 'jason-tsang', '--quarter', '2026-Q4', '--format', 'json')).stdout) as { id: string; status: string }[];
    expect(mine.map((t) => t.id)).toEqual(['2026-Q4/A.5.23', '2026-Q4/A.8.13', '2026-Q4/A.8.15', '2026-Q4/A.8.24']);
    expect(mine.find((t) => t.id === '2026-Q4/A.8.15')).toMatchObject({ status: 'answered', result: 'effective', comment: 'SOC reviews weekly', reviewDecision: 'accepted' });
  });

  it('review close, then review show --format json: { review, tasks, nonconformities }; a closed review takes no answer (exit 2)', async () => {
    const closed = await cli('review', 'close', '2026-Q4', '--now', '2026-12-31T10:00:00+08:00');
    expect(closed.code, closed.stderr).toBe(0);
    expect(closed.stdout).toMatch(/^Review 2026-Q4 \(closed 2026-12-31\): 28 tasks: 1 effective, 27 unanswered\./);
    // the closed review shown, and an answer it refuses, at once
    const [shown, late] = await Promise.all([
      cli('review', 'show', '--format', 'json', '--now', '2027-01-02'),
      cli('task', 'answer', '2026-Q4/A.5.9', '--as', 'wong-siu-ming', '--result', 'effective', '--now', '2027-01-02'),
    ]);
    const { review, tasks, nonconformities } = JSON.parse(shown.stdout);
    expect(review).toMatchObject({ id: '2026-Q4', status: 'closed', due: '2026-12-30', closedAt: '2026-12-31T02:00:00.000Z', summary: { tasks: 28, byResult: { effective: 1, unanswered: 27 } } });
    expect(review.openedAt).toMatch(/^2026-11-30T/);
    expect(tasks).toHaveLength(28);
    expect(tasks[0]).toMatchObject({ id: '2026-Q4/A.5.1', control: 'A.5.1', owner: 'michelle-leung', reviewer: 'raymond-wong', due: '2026-12-30', status: 'unanswered', evidence: [] });
    expect(tasks.find((t: { control: string }) => t.control === 'A.5.12').evidence).toEqual([expect.objectContaining({ id: 'datamap:data-mapping-scan-harbour-ledger-2026-11', origin: 'system' })]);
    expect(nonconformities).toHaveLength(27);
    expect(nonconformities[0]).toEqual({ id: 'NC-2026-Q4-A.5.1', control: 'A.5.1', openedIn: '2026-Q4', status: 'open', reason: 'unanswered' });
    expect(late.code).toBe(2);
    expect(late.stderr).toBe('the 2026-Q4 review is closed: task 2026-Q4/A.5.9 takes no more answers or decisions\n');
  });
});

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
