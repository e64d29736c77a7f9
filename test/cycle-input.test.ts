// What the scheduled cycle takes from outside before it writes or sends anything: a
// file of review answers (checked whole, each problem with its line), the mail sender,
// the SMTP relay's URL and the clock from the environment.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { readConfig } from '../lib/config.ts';
import { InputError } from '../lib/errors.ts';
import { cleanEnv, runCli as runCliFor } from './support/cli.ts';
import { closedEndpoint } from './support/closed-port.ts';
import { tempDir } from './support/temp-dir.ts';

const SAMPLE = 'examples/acme-hk/org.yaml';
let CLOSED = '';
beforeAll(async () => {
  // a port nothing listens on: a command that opened a store session would fail
  CLOSED = await closedEndpoint();
});
/** Long enough for a whole cycle of the sample on a busy machine. */
const runCli = (args: string[], env = cleanEnv()) => runCliFor(args, env, 280_000);

describe('the environment: a bad value names its variable, exit 2', () => {
  it('MAIL_FROM must be a mailbox (addr@domain or Name <addr@domain>)', () => {
    for (const from of ['nobody', 'Compliance', 'a@b, c@d', 'Name <nobody>', 'Name addr@example.hk', '<a@b', 'a@b>', 'a b@c.example']) {
      expect(() => readConfig({ MAIL_FROM: from }), from).toThrow(InputError);
      expect(() => readConfig({ MAIL_FROM: from }), from).toThrow(/^environment MAIL_FROM: /);
    }
    for (const from of ['compliance@localhost', 'Compliance <compliance@localhost>', '"Harbour Ledger, Compliance" <compliance@harbourledger.example>', '合規部 Compliance <c.o+x@mail.harbourledger.example>', 'Harbour Ledger Ltd. <a@b.example>', '<a@b.example>']) {
      expect(readConfig({ MAIL_FROM: from }).MAIL_FROM, from).toBe(from);
    }
  });

  it('SMTP_URL must be an smtp:// or smtps:// URL', () => {
    for (const url of ['notaurl', 'http://mail.example.com', 'smtp//mail.example.com', 'smtp://']) {
      expect(() => readConfig({ MAIL_TRANSPORT: 'smtp', SMTP_URL: url }), url).toThrow(/^environment SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/);
    }
    expect(readConfig({ MAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtps://user:pass@mail.example.com:465' }).SMTP_URL).toBe('smtps://user:pass@mail.example.com:465');
    expect(readConfig({ MAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtp://relay.example' }).SMTP_URL).toBe('smtp://relay.example');
  });

  it('COMPLIANCE_NOW must be a real ISO-8601 date or date-time', () => {
    expect(() => readConfig({ COMPLIANCE_NOW: '2026-13-01' })).toThrow('environment COMPLIANCE_NOW: "2026-13-01" is not an ISO-8601 date (2026-11-30) or date-time with offset (2026-11-30T09:00:00Z)');
    expect(readConfig({ COMPLIANCE_NOW: '2026-11-30T10:00:00+08:00' }).COMPLIANCE_NOW).toBe('2026-11-30T10:00:00+08:00');
  });

  describe.concurrent('the command line', () => {
    it('MAIL_FROM=nobody compliance import: exit 2, naming MAIL_FROM, before any store is opened', async ({ expect }) => {
      const r = await runCli(['--endpoint', CLOSED, 'import', SAMPLE], cleanEnv({ MAIL_FROM: 'nobody' }));
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('environment MAIL_FROM: must be a mailbox: addr@domain or "Name <addr@domain>"\n');
    });

    it('MAIL_TRANSPORT=smtp SMTP_URL=notaurl compliance import: exit 2, naming SMTP_URL', async ({ expect }) => {
      const r = await runCli(['--endpoint', CLOSED, 'import', SAMPLE], cleanEnv({ MAIL_TRANSPORT: 'smtp', SMTP_URL: 'notaurl' }));
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('environment SMTP_URL: must be an smtp:// or smtps:// URL, e.g. smtps://mail.example.com:465\n');
    });

    it('COMPLIANCE_NOW=2026-13-01 is named as COMPLIANCE_NOW; a bad --now as --now, whatever COMPLIANCE_NOW says', async ({ expect }) => {
      const [fromEnv, fromFlag] = await Promise.all([
        runCli(['--endpoint', CLOSED, 'import', SAMPLE], cleanEnv({ COMPLIANCE_NOW: '2026-13-01' })),
        runCli(['--endpoint', CLOSED, 'import', SAMPLE, '--now', '2026-13-01'], cleanEnv({ COMPLIANCE_NOW: '2026-11-30' })),
      ]);
      expect(fromEnv.code).toBe(2);
      expect(fromEnv.stderr).toBe('environment COMPLIANCE_NOW: "2026-13-01" is not an ISO-8601 date (2026-11-30) or date-time with offset (2026-11-30T09:00:00Z)\n');
      expect(fromFlag.code).toBe(2);
      expect(fromFlag.stderr).toBe('--now: "2026-13-01" is not an ISO-8601 date (2026-11-30) or date-time with offset (2026-11-30T09:00:00Z)\n');
    });
  });
});

// Each test runs the sample's whole cycle (a scan of its sources among it) in a child process.
describe('compliance run --answers: the file is checked whole, then applied', { timeout: 300_000 }, () => {
  const table = `test-cycle-${randomUUID()}`;
  const global = ['--endpoint', inject('dynamoEndpoint'), '--table', table, '--outbox', tempDir('cycle-outbox-'), '--data-dir', tempDir('cycle-data-')];
  const cli = (...args: string[]) => runCli([...global, ...args]);
  const dir = tempDir('cycle-answers-');
  mkdirSync(path.join(dir, 'evidence'));
  writeFileSync(path.join(dir, 'evidence', 'supplier-terms.txt'), 'Supplier agreements reviewed, 2026-Q4\n');
  const answersFile = (name: string, lines: string[]) => {
    const file = path.join(dir, name);
    writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  };
  const FIRST = [
    'answers:', //                                    1
    '  - task: A.5.20', //                            2
    '    as: ada-chan', //                            3
    '    result: partially-effective', //             4
    '    comment: Two supplier agreements lack security terms', // 5
  ];
  const tasks = async () => {
    const r = await cli('task', 'list', '--now', '2026-11-30', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    return new Map((JSON.parse(r.stdout) as { id: string; status: string }[]).map((t) => [t.id, t.status]));
  };

  it('an evidence file that cannot be read: refused with the answers file\'s line and field before anything is imported', async () => {
    const file = answersFile('missing-evidence.yaml', [
      ...FIRST,
      '  - task: A.5.19', //                            6
      '    as: ada-chan', //                            7
      '    result: effective', //                       8
      '    evidence: evidence/missing.txt', //          9
    ]);
    const r = await cli('run', SAMPLE, '--now', '2026-11-30', '--answers', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${file}:9: answers[1].evidence: ${path.join(dir, 'evidence', 'missing.txt')}: cannot be read (ENOENT)\n`);
    expect(r.stdout).toBe('');
    // Nothing was written: no organisation imported.
    const list = await cli('task', 'list', '--now', '2026-11-30');
    expect(list.code).toBe(2);
    expect(list.stderr).toContain('no organisation imported yet');
  });

  it('an answer by someone who is not the owner, a task that does not exist, a reviewer who is not the task\'s: every problem with its line, no answer written, the rest of the cycle runs, exit 2', async () => {
    const file = answersFile('not-owner.yaml', [
      ...FIRST,
      '  - task: A.5.9', //                             6
      '    as: raymond-wong', //                        7
      '    result: effective', //                       8
      '  - task: 2026-Q3/A.5.19', //                    9
      '    as: ada-chan', //                            10
      '    result: effective', //                       11
      '  - task: A.5.19', //                            12
      '    as: ada-chan', //                            13
      '    result: effective', //                       14
      '    evidence: evidence/supplier-terms.txt', //   15
      '    review: { as: jason-tsang, decision: accept }', // 16
      '  - task: 2026-Q4/A.5.20', //                    17
      '    as: ada-chan', //                            18
      '    result: effective', //                       19
      '  - task: A.5.18', //                            20
      '    as: wong-siu-ming', //                       21
      '    result: effective', //                       22
    ]);
    const r = await cli('run', SAMPLE, '--now', '2026-11-30', '--answers', file);
    expect(r.code, r.stdout).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.slice(0, 4)).toEqual([
      `${file}:7: answers[1].as: task 2026-Q4/A.5.9 is wong-siu-ming's: raymond-wong cannot answer it`,
      `${file}:9: answers[2].task: no task "2026-Q3/A.5.19" in harbour-ledger's review`,
      `${file}:16: answers[3].review.as: task 2026-Q4/A.5.19 is reviewed by michelle-leung: jason-tsang cannot accept or return its answer`,
      `${file}:17: answers[4].task: answers[0] answers task 2026-Q4/A.5.20 already (one entry a task)`,
    ]);
    // Effective over lapsed evidence, with no new file: the answer's own rule, at its result.
    const lapsed = `${file}:22: answers[5].result: task 2026-Q4/A.5.18: control A.5.18 cannot be answered effective: its evidence has lapsed (`;
    expect(lines[4]?.slice(0, lapsed.length)).toBe(lapsed);
    expect(lines).toHaveLength(5);
    // The cycle went on to the sweep, and says the answers were refused.
    expect(r.stdout).toContain('Evidence sweep');
    expect(r.stdout).toContain('Answers to 2026-Q4: refused, none given (the problems follow).');
    const status = await tasks();
    expect(status.get('2026-Q4/A.5.20')).toBe('open');
    expect(status.get('2026-Q4/A.5.19')).toBe('open');
  });

  it('the file put right: every answer given, and given again changes nothing', async () => {
    const file = answersFile('right.yaml', [...FIRST, '  - task: A.5.19', '    as: ada-chan', '    result: effective', '    evidence: evidence/supplier-terms.txt', '    review: { as: michelle-leung, decision: accept }']);
    const first = await cli('run', SAMPLE, '--now', '2026-11-30', '--answers', file);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Answers to 2026-Q4: 2 given now, 0 given before; 1 reviewed now.');
    // The tasks as the first run left them, read while the same file is given again: that run changes nothing.
    const [status, again] = await Promise.all([tasks(), cli('run', SAMPLE, '--now', '2026-11-30', '--answers', file)]);
    expect(status.get('2026-Q4/A.5.20')).toBe('answered');
    expect(status.get('2026-Q4/A.5.19')).toBe('answered');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Answers to 2026-Q4: 0 given now, 2 given before; 0 reviewed now.');
  });
});
