// Runs a person or a program starts now (the CLI's workflow commands, POST /v1/runs):
// what can be known before a run starts is refused there, exit 2 or a 4xx naming the
// field, with nothing started or recorded; and what the CLI says of a run that already
// happened, with its times where the organisation is.
import { randomUUID } from 'node:crypto';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readOrgFile } from '../lib/adapters/files/org-file-reader.ts';
import { createStore } from '../lib/adapters/dynamodb/client.ts';
import { executeWorkflow, type LocalRunResult } from '../lib/adapters/local/workflow-runner.ts';
import { runRequest } from '../lib/workflows/declarations.ts';
import type { Runtime } from '../lib/runtime.ts';
import { importOrganisationFile } from '../lib/usecases/org/import.ts';
import type { LoadedOrganisation } from '../lib/domain/org/org.ts';
import type { RunRecord } from '../lib/domain/runs/run.ts';
import { formatDataMap, formatSweep } from '../lib/cli/output.ts';
import { formatOpening } from '../lib/cli/review-output.ts';
import { formatEventImport, formatMonitor } from '../lib/cli/monitoring-output.ts';
import { WORKFLOW_CLI } from '../lib/cli/presenters.ts';
import type { Session } from '../lib/cli/session.ts';
import { call, servedSample, tableItems, type ApiFixture, type ServedSample } from './support/api.ts';
import { RecordingMailer, testRuntime } from './support/local-store.ts';
import { cleanEnv, runCli as runCliFor } from './support/cli.ts';
import { tempDir } from './support/temp-dir.ts';

const SAMPLE = 'examples/acme-hk/org.yaml';
const ORG = 'harbour-ledger';
const runCli = (args: string[]) => runCliFor(args, cleanEnv(), 120_000);

const HK = 'Asia/Hong_Kong';
/** A time as the CLI shows it: the organisation's date and time, the zone named, never UTC's ISO form. */
const LOCAL_FINISH = /finished \d{4}-\d{2}-\d{2} \d{2}:\d{2} Asia\/Hong_Kong/;

describe('the CLI refuses a run it can tell would fail, before anything runs or is recorded', () => {
  const endpoint = inject('dynamoEndpoint');
  const table = `test-refusals-${randomUUID()}`;
  const outbox = tempDir('refusals-outbox-');
  const NOW = '2026-12-01T03:50:12Z';
  // one data folder: it holds the hash key the organisation's sealed paths open with
  const dataDir = tempDir('refusals-data-');
  const cli = (...args: string[]) => runCli(['--endpoint', endpoint, '--table', table, '--outbox', outbox, '--data-dir', dataDir, ...args]);

  async function scanTable(): Promise<string[]> {
    const store = createStore({ tableName: table, endpoint });
    try {
      return await tableItems({ store });
    } finally {
      store.doc.destroy();
    }
  }

  beforeAll(async () => {
    const imported = await cli('--now', NOW, 'import', SAMPLE);
    expect(imported.code, imported.stderr).toBe(0);
  }, 120_000);

  it('gaps with no data map yet: exit 2 naming the missing data map, no run recorded', async () => {
    const before = await scanTable();
    const r = await cli('--now', NOW, 'gaps');
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^gaps: no data map of "harbour-ledger" yet: a data-mapping scan must run first \(compliance datamap/);
    expect(r.stdout).toBe('');
    expect(await scanTable()).toEqual(before);
  });

  it('monitor with no data map yet: exit 2 naming the missing data map, no run recorded, no event read; events import holds its events for the first run after the scan', async () => {
    const before = await scanTable();
    const r = await cli('--now', NOW, 'monitor');
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^monitor: no data map of "harbour-ledger" yet: a data-mapping scan must run first \(compliance datamap/);
    expect(r.stdout).toBe('');
    expect(await scanTable()).toEqual(before);
    const log = path.join(outbox, '..', `refusals-log-${randomUUID()}.csv`);
    writeFileSync(log, 'time,user,action,object,group,target,ip\n2026-11-27T10:00:00+08:00,guest@elsewhere.example,view,payment-batch-1.xlsx,付款審批,,\n');
    const imported = await cli('--now', NOW, 'events', 'import', log, '--platform', 'dingtalk-standard');
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('1 row read, 1 event stored.');
    expect(imported.stdout).toContain('No monitoring run now: no data map of "harbour-ledger" yet: a data-mapping scan must run first');
    expect(imported.stdout).not.toContain('Behaviour monitoring behaviour-monitoring');
    rmSync(log);
  });

  it('review open for a quarter that ended, or has not begun where the organisation is: exit 2 naming the quarter, no run, no mail', async () => {
    const before = await scanTable();
    // The three at once: each is refused before it writes, which the table after all three shows.
    const [ended, ahead, overThere] = await Promise.all([
      cli('--now', NOW, 'review', 'open', '2020-Q1'),
      cli('--now', NOW, 'review', 'open', '2031-Q1'),
      // 2026-12-31T16:30Z is already 1 January 2027 in Hong Kong: 2026-Q4 has ended there.
      cli('--now', '2026-12-31T16:30:00Z', 'review', 'open', '2026-Q4'),
    ]);
    expect(ended.code, ended.stderr).toBe(2);
    expect(ended.stderr).toBe('quarter: 2020-Q1 ended on 2020-03-31 (in Asia/Hong_Kong): a review opens for the quarter under way\n');
    expect(ahead.code, ahead.stderr).toBe(2);
    expect(ahead.stderr).toBe('quarter: 2031-Q1 has not begun (it begins 2031-01-01 in Asia/Hong_Kong): a review opens for the quarter under way\n');
    expect(overThere.code, overThere.stderr).toBe(2);
    expect(overThere.stderr).toMatch(/^quarter: 2026-Q4 ended on 2026-12-31 \(in Asia\/Hong_Kong\)/);
    expect(await scanTable()).toEqual(before);
    expect(readdirSync(outbox)).toEqual([]);
  });

  it('a run that already happened says so, with its time where the organisation is; gaps no longer reports an analysis it did not make', async () => {
    const scanned = await cli('--now', NOW, 'datamap');
    expect(scanned.code, scanned.stderr).toBe(0);
    const again = await cli('--now', NOW, 'datamap');
    expect(again.stdout).toMatch(/^Data-mapping scan data-mapping-scan-harbour-ledger-2026-12-01T035012 already ran \(/);
    expect(again.stdout).toMatch(LOCAL_FINISH);
    // The scan started its own analysis under its name's period; a person's `gaps` a minute later is a run of its own.
    const later = '2026-12-01T03:51:00Z';
    const first = await cli('--now', later, 'gaps');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^Gap analysis gap-analysis-harbour-ledger-2026-12-01T035100 of data map .*; this analysis: \d+ opened/);
    const second = await cli('--now', later, 'gaps');
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/^Gap analysis gap-analysis-harbour-ledger-2026-12-01T035100 already ran \(finished \d{4}-\d{2}-\d{2} \d{2}:\d{2} Asia\/Hong_Kong; it opened \d+, closed \d+ and reopened \d+ then\)\. Nothing analysed now\./);
    expect(second.stdout).not.toContain('this analysis:');
    // The gaps as they stand are still listed.
    expect(second.stdout).toContain('Requirements met: ');
    expect(second.stdout).toContain(`OPENED (${HK})`);
  }, 180_000);

  it("compliance run says which day it is as of where the organisation is: 17:00 UTC is the next day in Hong Kong", async () => {
    const r = await cli('--now', '2026-12-01T17:00:00Z', 'run');
    expect(r.code, `${r.stdout}${r.stderr}`).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('As of 2026-12-02.');
  }, 300_000);
});

describe('what the CLI prints of a run that already ran', () => {
  const run = (kind: string, summary: Record<string, unknown> = {}): LocalRunResult => ({
    status: 'already-ran',
    name: `${kind}-${ORG}-2026-12-01`,
    run: { orgId: ORG, kind, name: `${kind}-${ORG}-2026-12-01`, status: 'succeeded', finishedAt: '2026-12-01T11:50:12.345Z', attempts: 1, summary } satisfies RunRecord,
  });
  const org = { organisation: { id: ORG, timeZone: HK }, people: new Map() } as unknown as LoadedOrganisation;
  // 11:50 UTC is 19:50 in Hong Kong.
  const local = 'finished 2026-12-01 19:50 Asia/Hong_Kong';

  it('gives the time it finished in the organisation\'s time zone, for every workflow', () => {
    expect(formatDataMap(run('data-mapping-scan'), HK)).toContain(local);
    expect(formatSweep(run('evidence-sweep', { mailsSent: 2 }), org)).toContain(`${local}; it sent 2 mails then`);
    expect(formatOpening(run('quarterly-review'), HK)).toContain(local);
    expect(formatMonitor(run('behaviour-monitoring', { events: 5, alertsRaised: [] }), org, [])).toContain(local);
    for (const text of [formatDataMap(run('data-mapping-scan'), HK), formatOpening(run('quarterly-review'), HK)]) expect(text).not.toContain('11:50');
  });

  it('gives the time an audit-log file was imported before in the organisation\'s time zone', () => {
    const summary = { orgId: ORG, platform: 'dingtalk', file: 'admin-log.csv', sha256: 'a'.repeat(64), status: 'already-imported' as const, layout: 'dingtalk', rows: 0, events: 0, duplicates: 0, expired: 0, problemCount: 0, problems: [], ignoredCount: 0, ignored: {}, importedAt: '2026-12-01T12:03:29.000Z' };
    expect(formatEventImport(summary, HK)).toBe('admin-log.csv was imported for dingtalk before (2026-12-01 20:03 Asia/Hong_Kong, dingtalk layout): the same content, so nothing was written.');
  });

  it('the gap analysis says it already ran, with what it did then, not the latest analysis\'s changes as if made now', async () => {
    const analysis = {
      id: 'gap-analysis-harbour-ledger-2026-12-01T090000',
      asOf: '2026-12-01T09:00:00.000Z',
      dataMap: 'data-mapping-scan-harbour-ledger-2026-12',
      changes: { opened: 26, closed: 0, reopened: 0, expired: 0, accepted: 1 },
      counts: { open: 26, accepted: 1, closed: 0 },
      scores: { pdpo: { applicable: 7, met: 0, score: 0 }, gdpr: { applicable: 6, met: 1, score: 1 / 6 }, iso27001: { applicable: 33, met: 21, score: 21 / 33 } },
    };
    const session = {
      now: new Date('2026-12-01T03:50:12Z'),
      rt: {
        gaps: { latestAnalysis: async () => analysis, all: async () => [] },
        organisations: { settings: async () => ({ id: ORG, timeZone: HK }) },
      },
    } as unknown as Session;
    const ran = run('gap-analysis', { dataMap: analysis.dataMap, counts: analysis.counts, changes: { opened: 26, closed: 0, reopened: 0, expired: 0, accepted: 1 } });
    const presented = await WORKFLOW_CLI['gap-analysis'].present(session, ORG, ran, { brief: true });
    expect(presented.human.split('\n')[0]).toBe(`Gap analysis ${ran.name} already ran (${local}; it opened 26, closed 0 and reopened 0 then). Nothing analysed now.`);
    expect(presented.human).not.toContain('this analysis:');
    expect(presented.human).toContain('Requirements met: PDPO 0% (0 of 7)');
  });
});

describe('the quarterly review workflow, started some other way (Step Functions directly)', () => {
  it('refuses a quarter that has not begun where the organisation is: the run fails saying so, no review, no mail', async () => {
    const mailer = new RecordingMailer();
    const rt = await testRuntime(mailer);
    await importOrganisationFile(rt, readOrgFile(SAMPLE), `import:${SAMPLE}`, '2026-11-29T00:00:00.000Z');
    const { name, input } = runRequest('quarterly-review', ORG, new Date('2026-12-01T03:50:00Z'), { period: '2031-Q1' });
    await expect(executeWorkflow(rt, 'quarterly-review', input)).rejects.toThrow(/could not be opened/);
    expect(await rt.runs.get({ orgId: ORG, kind: 'quarterly-review', name })).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('2031-Q1 has not begun (it begins 2031-01-01 in Asia/Hong_Kong)'),
    });
    expect(await rt.reviews.get(ORG, '2031-Q1')).toBeUndefined();
    expect(mailer.sent).toEqual([]);
  });
});

describe('POST /v1/runs refuses a run it can tell would fail, naming the field, and starts nothing', () => {
  let rt: Runtime;
  let served: ServedSample;
  let token: string;
  let now = new Date('2026-12-01T03:50:00Z');
  const api = () => served as unknown as ApiFixture;
  const post = (body: Record<string, unknown>) => call(api(), 'POST', '/v1/runs', { token, body: JSON.stringify(body) });

  beforeAll(async () => {
    served = await servedSample(() => new Date(now));
    rt = served.rt;
    token = await served.token('scheduler');
  }, 120_000);
  afterAll(async () => {
    await served?.close();
  });

  it('a gap analysis with no data map: 409 naming body.workflow; a review of a quarter that ended or has not begun: 400 naming body.period', async () => {
    const before = await tableItems(rt);
    for (const body of [{ workflow: 'gap-analysis' }, { workflow: 'gap-analysis', period: '2026-12' }]) {
      expect(await post(body), JSON.stringify(body)).toMatchObject({ status: 409, body: { message: expect.stringMatching(/^body\.workflow: no data map of "harbour-ledger" yet/) } });
    }
    expect(await post({ workflow: 'quarterly-review', period: '2020-Q1' })).toMatchObject({
      status: 400,
      body: { message: 'body.period: 2020-Q1 ended on 2020-03-31 (in Asia/Hong_Kong): a review opens for the quarter under way' },
    });
    expect(await post({ workflow: 'quarterly-review', period: '2031-Q1' })).toMatchObject({
      status: 400,
      body: { message: 'body.period: 2031-Q1 has not begun (it begins 2031-01-01 in Asia/Hong_Kong): a review opens for the quarter under way' },
    });
    // 15:30Z on 31 December is still 2026 in Hong Kong (23:30): 2027-Q1 has not begun there.
    now = new Date('2026-12-31T15:30:00Z');
    expect(await post({ workflow: 'quarterly-review', period: '2027-Q1' })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^body\.period: 2027-Q1 has not begun/) } });
    // 16:30Z is 1 January 2027 there: 2026-Q4 has ended.
    now = new Date('2026-12-31T16:30:00Z');
    expect(await post({ workflow: 'quarterly-review', period: '2026-Q4' })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^body\.period: 2026-Q4 ended on 2026-12-31/) } });
    expect(await post({ workflow: 'quarterly-review', period: '2026-Q5' })).toMatchObject({ status: 400, body: { message: 'body.period: a quarterly-review run is for a quarter, written like 2026-Q4' } });
    expect(await call(api(), 'GET', '/v1/runs', { token })).toMatchObject({ status: 200, body: { items: [] } });
    expect(await tableItems(rt)).toEqual(before);
  });

  it('a scan, analysis, sweep or monitoring pass for a period that has not begun in UTC, as their runs are named: 400 naming body.period, nothing started', async () => {
    const before = await tableItems(rt);
    // 20:00Z on 30 November is already 1 December in Hong Kong, but the UTC-named periods of 1 December have not begun.
    now = new Date('2026-11-30T20:00:00Z');
    const refused = (period: string, kind: string, current: string, workflow: string) =>
      `body.period: ${period} has not begun (the ${kind} under way is ${current} in UTC, on whose calendar ${workflow} runs are named): a run is for a ${kind} that has begun`;
    for (const [workflow, period, kind, current] of [
      ['evidence-sweep', '2026-12-01', 'day', '2026-11-30'],
      ['data-mapping-scan', '2026-12', 'month', '2026-11'],
      // before the 409 of a missing data map: the period alone refuses it
      ['gap-analysis', '2027-01', 'month', '2026-11'],
      ['behaviour-monitoring', '2026-11-30T2015', 'quarter-hour', '2026-11-30T2000'],
    ] as const) {
      expect(await post({ workflow, period }), `${workflow} ${period}`).toMatchObject({ status: 400, body: { code: expect.any(String), message: refused(period, kind, current, workflow) } });
    }
    expect(await call(api(), 'GET', '/v1/runs', { token })).toMatchObject({ status: 200, body: { items: [] } });
    expect(await tableItems(rt)).toEqual(before);
  });

  it('an on-demand review is the quarter under way where the organisation is, not in UTC', async () => {
    // 17:30Z on 31 December 2026 is 01:30 on 1 January 2027 in Hong Kong.
    now = new Date('2026-12-31T17:30:00Z');
    const started = await post({ workflow: 'quarterly-review' });
    expect(started).toMatchObject({ status: 202, body: { name: `quarterly-review-${ORG}-2027-Q1`, status: 'started' } });
    let state: { run?: { status: string }; execution?: { status: string } } = {};
    for (let i = 0; i < 600 && state.execution?.status !== 'SUCCEEDED' && state.execution?.status !== 'FAILED'; i++) {
      state = (await call(api(), 'GET', `/v1/runs/quarterly-review-${ORG}-2027-Q1`, { token })).body as typeof state;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(state).toMatchObject({ run: { status: 'succeeded' }, execution: { status: 'SUCCEEDED' } });
  }, 120_000);
});
