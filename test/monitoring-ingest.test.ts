// Behaviour monitoring's ingest against DynamoDB Local, through the real ASL file and
// handlers: a declared folder (or S3 prefix) with one file that cannot be opened is read
// whole but for that file, which is named by its platform and place (never its path), not
// recorded as imported, and read by a later run once fixed; an event delivered again by
// another export is neither written nor examined nor counted again, in the import, the
// run, what the CLI prints and the quarter's figures.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { auditLogReaders, openAuditLogFile } from '../lib/adapters/events/audit-log-files.ts';
import { executeWorkflow } from '../lib/adapters/local/workflow-runner.ts';
import { ReadError } from '../lib/adapters/sources/read-error.ts';
import { formatEventImport, formatMonitor, formatStats } from '../lib/cli/monitoring-output.ts';
import { buildSourceEntry, DataMap, diffDataMaps } from '../lib/domain/datamap/datamap.ts';
import { groupHash } from '../lib/domain/detect/mask.ts';
import { OrgFile } from '../lib/domain/org/org.ts';
import type { Runtime } from '../lib/runtime.ts';
import { listAlerts, quarterStats } from '../lib/usecases/monitoring/alerts.ts';
import { importAuditLog } from '../lib/usecases/monitoring/import-events.ts';
import type { MonitorSummary } from '../lib/usecases/monitoring/run.ts';
import { importOrganisationFile } from '../lib/usecases/org/import.ts';
import { runRequest } from '../lib/workflows/declarations.ts';
import { FakeS3 } from './support/fake-s3.ts';
import { testRuntime } from './support/local-store.ts';
import { scanTable } from './support/api.ts';
import { tempDir } from './support/temp-dir.ts';

const KEY = 'test-hash-key-0123456789';
const ORG = 'kowloon-co';
const HEADER = 'time,user,action,object,group,target,ip';

type Declared = { path: string } | { bucket: string; prefix: string };

const orgFile = (auditLogs: Declared[] = []) =>
  OrgFile.parse({
    organisation: { id: ORG, name: 'Kowloon Co', complianceContact: 'carol', securityContact: 'sec', monitoring: { learningDays: 0 } },
    people: [
      { id: 'carol', name: 'Carol Lam', email: 'carol@kowloon.example' },
      { id: 'sec', name: 'Sam Ho', email: 'sec@kowloon.example' },
      { id: 'owen', name: 'Owen Ho', email: 'owen@kowloon.example' },
      { id: 'ada', name: 'Ada Chan', email: 'ada@kowloon.example' },
    ],
    platforms: [{ id: 'dingtalk', name: 'DingTalk', storage: { region: 'cn-hongkong', provider: 'alibaba' }, e2ee: 'none', auditLog: 'export', externalSharing: 'restricted', ...(auditLogs.length ? { auditLogs } : {}) }],
    sources: [{ id: 'dt-finance', name: 'DingTalk finance', platform: 'dingtalk', kind: 'chat-table', path: '/nonexistent/finance.csv' }],
    groups: [{ source: 'dt-finance', name: 'Payroll', owner: 'owen', members: ['owen', 'ada'] }],
    controls: [{ id: 'A.8.16', owner: 'sec' }],
  });

/** A data map in which Payroll is rated red. */
async function putDataMap(rt: Runtime): Promise<void> {
  const entry = buildSourceEntry({
    id: 'dt-finance',
    platform: 'dingtalk',
    storage: { region: 'cn-hangzhou' },
    groups: [{ group: 'Payroll', groupHash: groupHash(KEY, 'Payroll'), counts: { hk_id: 3 } }],
    people: [{ type: 'hk_id', count: 3 }],
    coverage: { bytesRead: 10, bytesTotal: 10, truncated: false },
  });
  const map = DataMap.parse({ orgId: ORG, scanId: 'data-mapping-scan-kowloon-co-2026-11', scannedAt: '2026-11-01T02:00:00Z', sources: [entry] });
  await rt.dataMaps.putSource(ORG, map.scanId, entry);
  await rt.dataMaps.put(map, diffDataMaps(undefined, map), '2026-11-01T02:00:00Z');
}

const table = (rows: string[][]) => [HEADER, ...rows.map((r) => r.join(','))].join('\n');
/** A stranger's view in Payroll (a `strangers` alert), at `utc`. */
const strangerView = (who: string, utc: string) => [utc, who, 'view', `payslips-${utc.slice(0, 10)}.xlsx`, 'Payroll', '', ''];
/** `n` views by ada in Payroll, a minute apart from `utc`. */
const views = (utc: string, n: number, tag = '') => Array.from({ length: n }, (_, i) => [new Date(Date.parse(utc) + i * 60_000).toISOString(), 'ada@kowloon.example', 'view', `memo-${tag}${i}.pdf`, 'Payroll', '', '']);

async function monitor(rt: Runtime, now: string): Promise<MonitorSummary> {
  const { input } = runRequest('behaviour-monitoring', ORG, new Date(now), { onDemand: true });
  return (await executeWorkflow(rt, 'behaviour-monitoring', input)) as MonitorSummary;
}

const items = (rt: Runtime, type: string) => scanTable(rt, type);

describe('behaviour monitoring ingest against DynamoDB Local', () => {
  let rt: Runtime;
  beforeEach(async () => {
    rt = await testRuntime();
    await importOrganisationFile(rt, orgFile(), 'import:test', '2026-11-01T00:00:00Z');
    await putDataMap(rt);
  });

  it('reads every other file of a declared folder when one cannot be opened, names that one by platform and place, and reads it once it is fixed', async () => {
    const folder = path.join(tempDir('audit-folder-'), 'ada-chan-exports');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'a-2026-11-20.csv'), table([strangerView('auditor@partner.example', '2026-11-20T02:00:00Z'), ...views('2026-11-20T03:00:00Z', 2)]));
    // Second in the folder's order: a .json that is not JSON, named after a person.
    const broken = path.join(folder, 'b-ada@kowloon.example.json');
    writeFileSync(broken, '[{"date_create": 1795500300, "action": }]');
    // After it: a file the old reader never reached, holding the run's other alert.
    writeFileSync(path.join(folder, 'c-2026-11-22.csv'), table([strangerView('temp@partner.example', '2026-11-22T02:00:00Z')]));
    // And one the reader refuses to open at all: a symbolic link.
    symlinkSync(path.join(folder, 'c-2026-11-22.csv'), path.join(folder, 'd-link.csv'));
    await importOrganisationFile(rt, orgFile([{ path: folder }]), 'import:test', '2026-11-01T00:00:00Z');

    const run = await monitor(rt, '2026-11-30T09:00:00Z');
    expect(run.files).toEqual([
      { platform: 'dingtalk', name: 'a-2026-11-20.csv', status: 'imported', layout: 'project', events: 3, problems: 0, ignored: 0 },
      { platform: 'dingtalk', name: 'c-2026-11-22.csv', status: 'imported', layout: 'project', events: 1, problems: 0, ignored: 0 },
      { platform: 'dingtalk', name: 'b***@kowloon.example.json (declared audit log 1, file 2)', status: 'failed', events: 0, problems: 0, ignored: 0, error: 'cannot read it: not valid JSON: line 1, column 40: expected a value' },
      { platform: 'dingtalk', name: 'd-link.csv (declared audit log 1, file 4)', status: 'failed', events: 0, problems: 0, ignored: 0, error: 'cannot read it: a symbolic link: not followed' },
    ]);
    expect(run.events).toBe(4);
    expect((await listAlerts(rt, ORG)).map((a) => [a.rule, a.user]).sort()).toEqual([
      ['strangers', 'a***@partner.example'],
      ['strangers', 't***@partner.example'],
    ]);
    // Failed, as a run with a declared file it cannot read is, saying which, without the folder's path or the person's address.
    expect(run.status).toBe('failed');
    const record = await rt.runs.get({ orgId: ORG, kind: 'behaviour-monitoring', name: run.runName });
    expect(record?.error).toBe('2 audit-log files could not be read: dingtalk b***@kowloon.example.json (declared audit log 1, file 2): cannot read it: not valid JSON: line 1, column 40: expected a value; dingtalk d-link.csv (declared audit log 1, file 4): cannot read it: a symbolic link: not followed');
    const printed = formatMonitor({ status: 'completed', name: run.runName, output: run }, await rt.organisations.load(ORG), []);
    expect(printed).toContain('2 audit-log files imported (4 events)');
    expect(printed).toContain('  FAILED dingtalk b***@kowloon.example.json (declared audit log 1, file 2): cannot read it: not valid JSON: line 1, column 40: expected a value');
    const stored = JSON.stringify([record, await rt.audit.read(ORG), await items(rt, 'audit-log')]);
    expect(stored).not.toContain(folder);
    expect(stored).not.toContain('ada-chan-exports');
    expect(stored).not.toContain('ada@kowloon.example');
    // Only the files read are recorded as imported.
    expect((await items(rt, 'audit-log')).map((r) => r.name).sort()).toEqual(['a-2026-11-20.csv', 'c-2026-11-22.csv']);

    // Fixed (and the link gone): the next run imports it, and examines its events (received after the watermark, though dated before).
    rmSync(path.join(folder, 'd-link.csv'));
    writeFileSync(broken, JSON.stringify([{ date_create: Date.parse('2026-11-21T02:00:00Z') / 1000, action: 'file_downloaded', actor: { user: { email: 'visitor@partner.example' } }, entity: { file: { name: 'payslips.xlsx' } }, details: { channel_name: 'Payroll' } }]));
    const fixed = await monitor(rt, '2026-11-30T09:15:00Z');
    expect(fixed.files.map((f) => [f.name, f.status, f.events])).toEqual([
      ['a-2026-11-20.csv', 'already-imported', 0],
      ['b***@kowloon.example.json', 'imported', 1],
      ['c-2026-11-22.csv', 'already-imported', 0],
    ]);
    expect(fixed).toMatchObject({ status: 'succeeded', events: 1, late: 1 });
    expect((await listAlerts(rt, ORG)).map((a) => a.user).sort()).toEqual(['a***@partner.example', 't***@partner.example', 'v***@partner.example']);
  });

  it('reads every other object under a declared prefix when one cannot be fetched or opened, naming each without S3 error text', async () => {
    const s3 = new FakeS3(
      {
        'dingtalk/2026-11-20.csv': Buffer.from(table([strangerView('auditor@partner.example', '2026-11-20T02:00:00Z')])),
        'dingtalk/2026-11-21.csv': Buffer.from('PK\u0003\u0004 not a table'),
        'dingtalk/2026-11-22.csv': Buffer.from(table([strangerView('guest@partner.example', '2026-11-22T02:00:00Z')])),
        'dingtalk/2026-11-23.csv': Buffer.from(table([strangerView('temp@partner.example', '2026-11-23T02:00:00Z')])),
      },
      { denied: ['dingtalk/2026-11-22.csv'] },
    );
    rt.auditLogs = auditLogReaders({ s3 });
    await importOrganisationFile(rt, orgFile([{ bucket: 'kowloon-logs', prefix: 'dingtalk/' }]), 'import:test', '2026-11-01T00:00:00Z');
    const run = await monitor(rt, '2026-11-30T09:00:00Z');
    expect(run.files.map((f) => [f.name, f.status, f.events, f.error])).toEqual([
      ['s3://kowloon-logs/dingtalk/2026-11-20.csv', 'imported', 1, undefined],
      ['s3://kowloon-logs/dingtalk/2026-11-23.csv', 'imported', 1, undefined],
      ['s3://kowloon-logs/dingtalk/2026-11-21.csv (declared audit log 1, file 2)', 'failed', 0, 'cannot read it: a ZIP archive (perhaps an .xlsx workbook), not a .csv file: give it its own extension'],
      ['s3://kowloon-logs/dingtalk/2026-11-22.csv (declared audit log 1, file 3)', 'failed', 0, 'cannot read it: the object could not be fetched (AccessDenied)'],
    ]);
    expect(run).toMatchObject({ status: 'failed', events: 2 });
    expect((await rt.runs.get({ orgId: ORG, kind: 'behaviour-monitoring', name: run.runName }))?.error).toMatch(/^2 audit-log files could not be read: dingtalk s3:\/\/kowloon-logs\/dingtalk\/2026-11-21\.csv \(declared audit log 1, file 2\): .*; dingtalk s3:\/\/kowloon-logs\/dingtalk\/2026-11-22\.csv \(declared audit log 1, file 3\): cannot read it: the object could not be fetched \(AccessDenied\)$/);
    expect(JSON.stringify(run)).not.toContain('arn:aws');
  });

  it('gives a file that fails while it is read its reason alone, never the path the reader could not read', async () => {
    const folder = tempDir('audit-vanishing-');
    const file = path.join(folder, 'ada@kowloon.example-log.csv');
    writeFileSync(file, table(views('2026-11-20T03:00:00Z', 1)));
    const opened = await openAuditLogFile(file);
    // The file goes (or its permission does) between its opening and its reading.
    const records = async function* () {
      yield* [];
      throw new ReadError(file, 'EACCES', 'permission denied');
    };
    rt.auditLogs = { declared: async function* () { yield { ...opened, records }; } };
    await importOrganisationFile(rt, orgFile([{ path: folder }]), 'import:test', '2026-11-01T00:00:00Z');
    const run = await monitor(rt, '2026-11-30T09:00:00Z');
    expect(run.files).toEqual([{ platform: 'dingtalk', name: 'a***@kowloon.example-log.csv', status: 'failed', events: 0, problems: 0, ignored: 0, error: 'cannot read it: permission denied' }]);
    expect(JSON.stringify(await rt.runs.get({ orgId: ORG, kind: 'behaviour-monitoring', name: run.runName }))).not.toContain(folder);
  });

  it('writes, and examines, a later copy of an event that says more (the target filled in): it is not taken for the same delivery again', async () => {
    await putDataMap(rt);
    const dir = tempDir('audit-fuller-');
    // An export without the target column's values, then the full one: a share of a payslip outside.
    const share = (target: string) => ['2026-11-20T03:00:00Z', 'ada@kowloon.example', 'share-external', 'payslips-2026-11.xlsx', 'Payroll', target, ''];
    const bare = path.join(dir, 'bare.csv');
    writeFileSync(bare, table([share('')]));
    const full = path.join(dir, 'full.csv');
    writeFileSync(full, table([share('someone@gmail.com')]));
    expect(await importAuditLog(rt, { orgId: ORG, platform: 'dingtalk', file: await openAuditLogFile(bare), actor: 'test', now: new Date('2026-11-30T09:00:00Z') })).toMatchObject({ events: 1, redelivered: 0 });
    await monitor(rt, '2026-11-30T09:00:00Z');
    const again = await importAuditLog(rt, { orgId: ORG, platform: 'dingtalk', file: await openAuditLogFile(full), actor: 'test', now: new Date('2026-11-30T09:10:00Z') });
    expect(again).toMatchObject({ events: 1, redelivered: 0 });
    const [held] = await items(rt, 'event');
    expect(held?.target).toMatchObject({ kind: 'address', domain: 'gmail.com' });
    const run = await monitor(rt, '2026-11-30T09:15:00Z');
    expect(run.events).toBe(1);
    expect((await listAlerts(rt, ORG)).map((a) => a.rule)).toContain('exposure');
  });

  it('neither writes nor examines nor counts again an event another export delivered before, in the import, the run, what is printed and the quarter', async () => {
    const dir = tempDir('audit-overlap-');
    const first = path.join(dir, 'week-47.csv');
    writeFileSync(first, table([strangerView('auditor@partner.example', '2026-11-20T02:00:00Z'), ...views('2026-11-20T03:00:00Z', 30)]));
    const a = await importAuditLog(rt, { orgId: ORG, platform: 'dingtalk', file: await openAuditLogFile(first), actor: 'test', now: new Date('2026-11-30T09:00:00Z') });
    expect(a).toMatchObject({ status: 'imported', events: 31, redelivered: 0 });
    expect(await monitor(rt, '2026-11-30T09:00:00Z')).toMatchObject({ status: 'succeeded', events: 31 });
    const received = new Map((await items(rt, 'event')).map((e) => [e.id, e.receivedAt]));

    // A later export overlapping it: the same 30 views (and the stranger's), and 2 views new.
    const overlap = path.join(dir, 'week-47-48.csv');
    writeFileSync(overlap, table([strangerView('auditor@partner.example', '2026-11-20T02:00:00Z'), ...views('2026-11-20T03:00:00Z', 32)]));
    const b = await importAuditLog(rt, { orgId: ORG, platform: 'dingtalk', file: await openAuditLogFile(overlap), actor: 'test', now: new Date('2026-11-30T09:10:00Z') });
    expect(b).toMatchObject({ status: 'imported', rows: 33, events: 2, redelivered: 31, duplicates: 0 });
    expect(formatEventImport(b, 'Asia/Hong_Kong')).toBe('Imported week-47-48.csv for dingtalk (project layout): 33 rows read, 2 events stored, 31 events held already (delivered before) not stored or examined again.');
    // The events held keep the time they were received: no run reads them again.
    const after = await items(rt, 'event');
    expect(after).toHaveLength(33);
    for (const e of after) if (received.has(e.id)) expect(e.receivedAt).toBe(received.get(e.id));

    const run = await monitor(rt, '2026-11-30T09:15:00Z');
    expect(run).toMatchObject({ status: 'succeeded', events: 2, late: 2, alertsRaised: [] });
    const stats = await quarterStats(rt, ORG, '2026-Q4', new Date('2026-11-30T10:00:00Z'));
    expect(stats.monitoring).toMatchObject({ runs: 2, events: 33 });
    expect(formatStats(stats)).toContain('2 runs on 1 day, 33 events examined (2 late).');

    // Declared and read by a run's ingest: the run's summary and what is printed say so.
    const third = path.join(dir, 'week-48.csv');
    writeFileSync(third, table([...views('2026-11-20T03:00:00Z', 33), strangerView('guest@partner.example', '2026-11-27T02:00:00Z')]));
    await importOrganisationFile(rt, orgFile([{ path: third }]), 'import:test', '2026-11-01T00:00:00Z');
    const declared = await monitor(rt, '2026-11-30T09:30:00Z');
    expect(declared.files).toEqual([{ platform: 'dingtalk', name: 'week-48.csv', status: 'imported', layout: 'project', events: 2, redelivered: 32, problems: 0, ignored: 0 }]);
    expect(declared).toMatchObject({ status: 'succeeded', events: 2 });
    const printed = formatMonitor({ status: 'completed', name: declared.runName, output: declared }, await rt.organisations.load(ORG), []);
    expect(printed).toContain(`Behaviour monitoring ${declared.runName}: 1 audit-log file imported (2 events; 32 events held already, not examined again); 2 events received since the last run examined (2 late), in 1 pass.`);
    expect((await quarterStats(rt, ORG, '2026-Q4', new Date('2026-11-30T10:00:00Z'))).monitoring).toMatchObject({ runs: 3, events: 35 });
  });
});
