// Behaviour monitoring against DynamoDB Local, through the real ASL file and handlers:
// re-importing adds no event and no alert; a run reads only what arrived after its
// watermark, late events included, and nothing an ingest is still writing; alerts are
// mailed once to the group's owner and the security contact in their language; times to
// acknowledge and resolve come out right with the clock given.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { openAuditLogFile } from '../lib/adapters/events/audit-log-files.ts';
import { executeWorkflow, type ExecuteOptions } from '../lib/adapters/local/workflow-runner.ts';
import { buildSourceEntry, DataMap, diffDataMaps, failedSource } from '../lib/domain/datamap/datamap.ts';
import { groupHash } from '../lib/domain/detect/mask.ts';
import { OrgFile } from '../lib/domain/org/org.ts';
import type { Runtime } from '../lib/runtime.ts';
import { acknowledgeAlert, listAlerts, quarterStats, resolveAlert } from '../lib/usecases/monitoring/alerts.ts';
import { importAuditLog } from '../lib/usecases/monitoring/import-events.ts';
import type { MonitorSummary } from '../lib/usecases/monitoring/run.ts';
import { formatMonitor } from '../lib/cli/monitoring-output.ts';
import { importOrganisationFile } from '../lib/usecases/org/import.ts';
import { runRequest } from '../lib/workflows/declarations.ts';
import { RecordingMailer, testRuntime } from './support/local-store.ts';
import { scanTable } from './support/api.ts';
import { tempDir } from './support/temp-dir.ts';

const KEY = 'test-hash-key-0123456789';
const ORG = 'kowloon-co';

/** The organisation; `auditLog`, a file its DingTalk declares for the monitoring run to import. */
const orgFile = (auditLog?: string) =>
  OrgFile.parse({
    organisation: { id: ORG, name: 'Kowloon Co', complianceContact: 'carol', securityContact: 'sec', logRetentionDays: 400, monitoring: { learningDays: 0 } },
    people: [
      { id: 'carol', name: 'Carol Lam', email: 'carol@kowloon.example' },
      { id: 'sec', name: '張保安 Cheung Po On', email: 'sec@kowloon.example', language: 'zh-Hant' },
      { id: 'owen', name: 'Owen Ho', email: 'owen@kowloon.example', role: 'finance' },
      { id: 'ada', name: 'Ada Chan', email: 'ada@kowloon.example', role: 'finance' },
    ],
    platforms: [{ id: 'dingtalk', name: 'DingTalk', storage: { region: 'cn-hongkong', provider: 'alibaba' }, e2ee: 'none', auditLog: 'export', externalSharing: 'restricted', ...(auditLog ? { auditLogs: [{ path: auditLog }] } : {}) }],
    sources: [{ id: 'dt-finance', name: 'DingTalk finance', platform: 'dingtalk', kind: 'chat-table', path: '/nonexistent/finance.csv' }],
    groups: [{ source: 'dt-finance', name: 'Payroll', owner: 'owen', members: ['owen', 'ada'] }],
    controls: [
      { id: 'A.8.15', owner: 'sec' },
      { id: 'A.8.16', owner: 'sec' },
      { id: 'A.5.14', owner: 'owen' },
      { id: 'A.5.15', owner: 'carol' },
    ],
  });

/** A data map in which Payroll is rated red (and, held in the mainland with no transfer basis, tiered red) and Lunch green. */
async function putDataMap(rt: Runtime): Promise<void> {
  const entry = buildSourceEntry({
    id: 'dt-finance',
    platform: 'dingtalk',
    storage: { region: 'cn-hangzhou' },
    groups: [
      { group: 'Payroll', groupHash: groupHash(KEY, 'Payroll'), counts: { hk_id: 3 } },
      { group: 'Lunch', groupHash: groupHash(KEY, 'Lunch'), counts: {} },
    ],
    people: [{ type: 'hk_id', count: 3 }],
    coverage: { bytesRead: 10, bytesTotal: 10, truncated: false },
  });
  const map = DataMap.parse({ orgId: ORG, scanId: 'data-mapping-scan-kowloon-co-2026-11', scannedAt: '2026-11-01T02:00:00Z', sources: [entry] });
  await rt.dataMaps.putSource(ORG, map.scanId, entry);
  await rt.dataMaps.put(map, diffDataMaps(undefined, map), '2026-11-01T02:00:00Z');
}

const dir = tempDir('audit-logs-');
let fileNo = 0;
function csv(rows: string[][]): string {
  const file = path.join(dir, `log-${++fileNo}.csv`);
  writeFileSync(file, ['time,user,action,object,group,target,ip', ...rows.map((r) => r.join(','))].join('\n'));
  return file;
}

/** `n` downloads by `user` from `group`, `step` seconds apart from `hkt` (Hong Kong time). */
function downloads(user: string, group: string, hkt: string, n: number, step = 20, tag = ''): string[][] {
  const start = Date.parse(`${hkt}+08:00`);
  return Array.from({ length: n }, (_, i) => [new Date(start + i * step * 1000).toISOString(), user, 'download', `file-${tag}${hkt}-${i}.pdf`, group, '', '203.0.113.7']);
}

async function importCsv(rt: Runtime, file: string, now = '2026-11-30T09:00:00Z') {
  return importAuditLog(rt, { orgId: ORG, platform: 'dingtalk', file: await openAuditLogFile(file), actor: 'test', now: new Date(now) });
}

async function monitor(rt: Runtime, now: string, options: ExecuteOptions = {}): Promise<MonitorSummary> {
  const { input } = runRequest('behaviour-monitoring', ORG, new Date(now), { onDemand: true });
  return (await executeWorkflow(rt, 'behaviour-monitoring', input, options)) as MonitorSummary;
}

/**
 * DynamoDB stops answering (as when DynamoDB Local is killed, or a step is cut off mid-way)
 * once `when` has seen a command through; `back()` brings it back.
 */
function dynamoDiesAfter(rt: Runtime, when: (input: string) => boolean): { back(): void } {
  let down = false;
  let dead = false;
  rt.store.doc.middlewareStack.add(
    (next) => async (args) => {
      if (down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { name: 'Error', code: 'ECONNREFUSED' });
      const result = await next(args);
      if (!dead && when(JSON.stringify(args.input))) down = dead = true;
      return result;
    },
    { step: 'initialize', name: 'dynamoDies' },
  );
  return { back: () => void (down = false) };
}

const items = (rt: Runtime, type: string) => scanTable(rt, type);

describe('behaviour monitoring against DynamoDB Local', () => {
  let rt: Runtime;
  let mailer: RecordingMailer;
  beforeEach(async () => {
    mailer = new RecordingMailer();
    rt = await testRuntime(mailer);
    await importOrganisationFile(rt, orgFile(), 'import:test', '2026-11-01T00:00:00Z');
    await putDataMap(rt);
  });

  it('raises each alert once, mails the group owner and the security contact once in their language, and adds nothing when the file or an overlapping export comes again', async () => {
    const stranger = [['2026-11-20T02:00:00Z', 'auditor@partner.example', 'view', 'payslips.xlsx', 'Payroll', '', '']];
    const file = csv([...downloads('ada@kowloon.example', 'Payroll', '2026-11-24T14:00:00', 50), ...stranger]);
    const first = await importCsv(rt, file);
    expect(first).toMatchObject({ status: 'imported', layout: 'project', rows: 51, events: 51, problemCount: 0 });
    const run = await monitor(rt, '2026-11-30T09:00:00Z');
    expect(run.status).toBe('succeeded');
    expect(run.events).toBe(51);
    const alerts = await listAlerts(rt, ORG);
    expect(alerts.map((a) => [a.rule, a.user, a.group, a.tier, a.recipients]).sort()).toEqual([
      ['strangers', 'a***@partner.example', 'Payroll', 'red', ['owen', 'sec']],
      ['volume', 'ada', 'Payroll', 'red', ['owen', 'sec']],
    ]);
    expect(mailer.sent.map((m) => m.to.email).sort()).toEqual(['owen@kowloon.example', 'sec@kowloon.example']);
    const zh = mailer.sent.find((m) => m.to.email === 'sec@kowloon.example')!;
    expect(zh.subject).toBe('[Kowloon Co] 行為監察：2 項警報');
    expect(zh.text).toContain('大量下載');
    const en = mailer.sent.find((m) => m.to.email === 'owen@kowloon.example')!;
    // The whole burst, not only its first 41 that crossed the floor: all 50, 20 s apart from 14:00.
    expect(en.text).toContain('50 downloads and exports in 60 minutes (threshold 40; own baseline 0)');
    expect(en.text).toContain('2026-11-24 14:00 – 14:16 (Asia/Hong_Kong)');
    // Nothing raw at rest: no address as written, in any event or alert.
    const stored = JSON.stringify([...(await items(rt, 'event')), ...(await items(rt, 'alert'))]);
    expect(stored).not.toContain('ada@kowloon.example');
    expect(stored).not.toContain('auditor@partner.example');
    expect(stored).not.toContain('203.0.113.7');

    // The same file again: nothing written, nothing raised, nothing mailed.
    expect((await importCsv(rt, file)).status).toBe('already-imported');
    // An export overlapping it: only what is new is new, written, examined and counted.
    const overlap = csv([...downloads('ada@kowloon.example', 'Payroll', '2026-11-24T14:00:00', 50), ['2026-11-25T03:00:00Z', 'owen@kowloon.example', 'view', 'memo.docx', 'Lunch', '', '']]);
    expect(await importCsv(rt, overlap)).toMatchObject({ status: 'imported', events: 1, redelivered: 50 });
    expect(await items(rt, 'event')).toHaveLength(52);
    const again = await monitor(rt, '2026-11-30T10:00:00Z');
    expect(again.events).toBe(1); // the 50 delivered again were examined once, before
    expect(again.alertsRaised).toEqual([]);
    expect(await items(rt, 'alert')).toHaveLength(2);
    expect(mailer.sent).toHaveLength(2);
    // A run with nothing new reads nothing.
    expect((await monitor(rt, '2026-11-30T10:15:00Z')).events).toBe(0);
  });

  it('reads only what arrived after its watermark, examines a late event with the events held around it, and counts it late', async () => {
    await importCsv(rt, csv(downloads('ada@kowloon.example', 'Payroll', '2026-11-24T11:00:00', 40, 30)));
    const run1 = await monitor(rt, '2026-11-24T12:00:00Z');
    expect(run1.events).toBe(40);
    expect(run1.alertsRaised).toEqual([]); // 40 is the red tier's floor: not above it
    // One more download at 11:10, exported late.
    await importCsv(rt, csv([['2026-11-24T03:10:05Z', 'ada@kowloon.example', 'download', 'late.pdf', 'Payroll', '', '']]));
    const run2 = await monitor(rt, '2026-11-24T13:00:00Z');
    expect(run2.events).toBe(1);
    expect(run2.late).toBe(1);
    expect(run2.alertsRaised).toHaveLength(1);
    const [alert] = await listAlerts(rt, ORG);
    expect(alert).toMatchObject({ rule: 'volume', user: 'ada', eventCount: 41 });
    expect((await rt.events.watermark(ORG))?.version).toBe(2);
  });

  it('reads nothing an ingest is still writing, and all of it once the ingest is done', async () => {
    const started = new Date(Date.now() - 1000).toISOString();
    await rt.events.beginIngest(ORG, 'still-writing', started, new Date(Date.now() + 600_000).toISOString());
    await importCsv(rt, csv(downloads('ada@kowloon.example', 'Lunch', '2026-11-24T11:00:00', 3)));
    expect((await monitor(rt, '2026-11-24T12:00:00Z')).events).toBe(0);
    await rt.events.endIngest(ORG, 'still-writing');
    expect((await monitor(rt, '2026-11-24T12:15:00Z')).events).toBe(3);
  });

  it('leaves every event of a run that died mid-import for the next run, which raises what a clean run raises, once', async () => {
    // More than one chunk of 500 events, the stranger last: the run dies before writing it.
    const rows = [...downloads('ada@kowloon.example', 'Payroll', '2026-11-24T14:00:00', 600, 4), ['2026-11-26T02:00:00Z', 'auditor@partner.example', 'view', 'payslips.xlsx', 'Payroll', '', '']];
    const file = csv(rows);
    await importOrganisationFile(rt, orgFile(file), 'import:test', '2026-11-01T00:00:00Z');
    // DynamoDB goes away after the import's second batch of events: the import cannot end its mark, no step after it can write.
    let batches = 0;
    const dynamo = dynamoDiesAfter(rt, (input) => input.includes('"RequestItems"') && input.includes('"type":"event"') && ++batches === 2);
    const failed: [string, string][] = [];
    await expect(monitor(rt, '2026-11-30T09:00:00Z', { onTaskError: (state, error) => failed.push([state, String(error)]) })).rejects.toMatchObject({
      name: 'ExecutionError',
      cause: { name: 'MonitoringFailed' },
    });
    // The refused connection failed the run: the import's step lists the file it could not finish
    // as failed, the step after it fails, and recording the failure cannot reach DynamoDB either.
    expect(failed).toEqual([
      ['Detect', 'Error: connect ECONNREFUSED 127.0.0.1:8000'],
      ['RecordFailure', 'Error: connect ECONNREFUSED 127.0.0.1:8000'],
    ]);
    dynamo.back();
    expect(await listAlerts(rt, ORG)).toEqual([]);

    const next = await monitor(rt, '2026-11-30T09:15:00Z');
    // The 50 the dead import wrote are held (received at its start, which no run passed): not written again, examined now.
    expect(next.files).toMatchObject([{ status: 'imported', events: 551, redelivered: 50 }]);
    expect(next.events).toBe(601);
    expect(next.status).toBe('succeeded');
    const raised = (await listAlerts(rt, ORG)).map((a) => [a.rule, a.user, a.group]).sort();
    expect(raised).toEqual([
      ['strangers', 'a***@partner.example', 'Payroll'],
      ['volume', 'ada', 'Payroll'],
    ]);
    expect(mailer.sent.map((m) => m.to.email).sort()).toEqual(['owen@kowloon.example', 'sec@kowloon.example']);

    // What a clean run raises from the same file, on a table of its own.
    const clean = await testRuntime();
    await importOrganisationFile(clean, orgFile(file), 'import:test', '2026-11-01T00:00:00Z');
    await putDataMap(clean);
    expect((await monitor(clean, '2026-11-30T09:15:00Z')).status).toBe('succeeded');
    expect((await listAlerts(clean, ORG)).map((a) => [a.rule, a.user, a.group]).sort()).toEqual(raised);

    // And nothing twice.
    const after = await monitor(rt, '2026-11-30T09:30:00Z');
    expect(after).toMatchObject({ events: 0, alertsRaised: [] });
    expect(await items(rt, 'alert')).toHaveLength(2);
    expect(mailer.sent).toHaveLength(2);
  });

  it('stops an import whose mark another import of the same file took over, before it writes more, and leaves the file to that one', async () => {
    const file = csv(downloads('ada@kowloon.example', 'Lunch', '2026-11-24T11:00:00', 600, 2));
    let taken = false;
    let firstStart: string | undefined;
    let inSecond = false;
    const marks: { startedAt: string }[][] = [];
    rt.store.doc.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const input = JSON.stringify(args.input);
        if (input.includes('"RequestItems"') && input.includes('"type":"event"')) {
          if (!taken) {
            taken = true;
            firstStart = (await rt.events.ingestsUnderWay(ORG, new Date().toISOString()))[0]?.startedAt;
            // The first import's first batch is in: another import of the file starts (the first one's process seemed dead), and finishes.
            inSecond = true;
            expect((await importCsv(rt, file)).status).toBe('imported');
            inSecond = false;
          } else if (inSecond) marks.push(await rt.events.ingestsUnderWay(ORG, new Date().toISOString()));
        }
        return result;
      },
      { step: 'initialize', name: 'takeOver' },
    );
    await expect(importCsv(rt, file)).rejects.toThrow(/another import of the same file took over/);
    // While the second import wrote, its mark alone held runs back, from the first import's start.
    expect(firstStart).toBeDefined();
    expect(marks.length).toBeGreaterThan(0);
    for (const m of marks) expect(m.map((x) => x.startedAt)).toEqual([firstStart]);
    expect(await rt.events.ingestsUnderWay(ORG, new Date().toISOString())).toEqual([]);
    expect(await items(rt, 'audit-log')).toHaveLength(1);
    expect((await monitor(rt, '2026-11-30T09:00:00Z')).events).toBe(600);
  });

  it('names the step that failed and why in plain words, and the next run examines what it did not finish, adding no alert twice', async () => {
    await importCsv(rt, csv([...downloads('ada@kowloon.example', 'Payroll', '2026-11-24T14:00:00', 50), ['2026-11-20T02:00:00Z', 'auditor@partner.example', 'view', 'payslips.xlsx', 'Payroll', '', '']]));
    // The detect step is cut off at its time limit (middy's early timeout) as it moves the watermark, its alerts and notices written.
    let cut = false;
    rt.store.doc.middlewareStack.add(
      (next) => async (args) => {
        if (!cut && JSON.stringify(args.input).includes('#MONITOR_WATERMARK') && 'Item' in (args.input as object)) {
          cut = true;
          throw Object.assign(new Error('[AbortError]: The operation was aborted.'), { name: 'TimeoutError' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'cutOff' },
    );
    const { name, input } = runRequest('behaviour-monitoring', ORG, new Date('2026-11-30T09:00:00Z'), { onDemand: true });
    await expect(executeWorkflow(rt, 'behaviour-monitoring', input)).rejects.toMatchObject({ name: 'ExecutionError' });
    expect((await rt.runs.get({ orgId: ORG, kind: 'behaviour-monitoring', name }))?.error).toBe(
      'step Detect (examining the events received) did not finish: it ran out of time, its time limit passed (TimeoutError: [AbortError]: The operation was aborted.); the events it had not examined wait for the next run',
    );
    expect(mailer.sent).toEqual([]);

    const next = await monitor(rt, '2026-11-30T09:15:00Z');
    expect(next).toMatchObject({ status: 'succeeded', events: 51, alertsRaised: [] });
    expect((await listAlerts(rt, ORG)).map((a) => a.rule).sort()).toEqual(['strangers', 'volume']);
    expect(mailer.sent.map((m) => m.to.email).sort()).toEqual(['owen@kowloon.example', 'sec@kowloon.example']);
    expect((await monitor(rt, '2026-11-30T09:30:00Z')).events).toBe(0);
  });

  it('stores no event older than the log retention, gives each an expiry, and reads none that has expired', async () => {
    const file = csv([
      ['2025-09-01T02:00:00Z', 'ada@kowloon.example', 'view', 'old.pdf', 'Lunch', '', ''],
      ['2026-11-24T02:00:00Z', 'ada@kowloon.example', 'view', 'new.pdf', 'Lunch', '', ''],
    ]);
    expect(await importCsv(rt, file)).toMatchObject({ events: 1, expired: 1 });
    const [event] = await items(rt, 'event');
    expect(event?.expiresAt).toBe(Date.parse('2026-11-24T02:00:00Z') / 1000 + 400 * 86_400);
    // Read a year and more later, the event has expired: DynamoDB Local keeps it, the reads do not.
    expect((await monitor(rt, '2028-01-01T00:00:00Z')).events).toBe(0);
  });

  it("keeps an alert's notice pending when its mail fails, and cancels it, unmailed, once the alert is resolved before the next run", async () => {
    await importCsv(rt, csv([['2026-11-20T02:00:00Z', 'auditor@partner.example', 'view', 'payslips.xlsx', 'Payroll', '', '']]));
    const send = mailer.send.bind(mailer);
    mailer.send = async (mail) => {
      if (mail.to.email === 'owen@kowloon.example') throw Object.assign(new Error('451 try again later'), { name: 'Throttling' });
      return send(mail);
    };
    const first = await monitor(rt, '2026-11-30T09:00:00Z');
    expect(first.status).toBe('failed');
    expect(first.failedRecipients).toEqual([{ recipientId: 'owen', error: 'Throttling: 451 try again later' }]);
    expect(mailer.sent.map((m) => m.to.email)).toEqual(['sec@kowloon.example']);
    const [alert] = await listAlerts(rt, ORG);
    await resolveAlert(rt, { orgId: ORG, id: alert!.id, as: 'sec', disposition: 'benign', now: new Date('2026-11-30T09:30:00Z') });
    mailer.send = send;
    const second = await monitor(rt, '2026-11-30T09:45:00Z');
    expect(second.status).toBe('succeeded');
    expect(mailer.sent.map((m) => m.to.email)).toEqual(['sec@kowloon.example']);
    const notices = (await items(rt, 'notice')).map((n) => `${n.recipientId}:${n.status}:${n.closedReason ?? ''}`).sort();
    expect(notices).toEqual(['owen:cancelled:the alert was resolved before the notice was sent', 'sec:sent:']);
  });

  it('times acknowledgement and resolution from the alert\'s raising, by the clock given, and refuses who may not', async () => {
    await importCsv(rt, csv([
      ...downloads('ada@kowloon.example', 'Payroll', '2026-11-24T14:00:00', 45),
      ['2026-11-20T02:00:00Z', 'auditor@partner.example', 'view', 'payslips.xlsx', 'Payroll', '', ''],
      ['2026-11-21T02:00:00Z', 'temp@partner.example', 'view', 'payslips.xlsx', 'Payroll', '', ''],
    ]));
    await monitor(rt, '2026-11-30T09:00:00Z');
    const [a, b, c] = (await listAlerts(rt, ORG)).sort((x, y) => (x.id < y.id ? -1 : 1));
    const at = (minutes: number) => new Date(Date.parse('2026-11-30T09:00:00Z') + minutes * 60_000);
    // a comment is held with the identifiers in it masked, in the alert and its audit entry
    const acked = await acknowledgeAlert(rt, { orgId: ORG, id: a!.id, as: 'owen', comment: 'called 9123 4567, HKID A123456(3)', now: at(10) });
    expect(acked.comment).toBe('called +852 ****4567, HKID A12****(3)');
    await acknowledgeAlert(rt, { orgId: ORG, id: b!.id, as: 'sec', now: at(42) });
    await resolveAlert(rt, { orgId: ORG, id: a!.id, as: 'owen', disposition: 'true-positive', comment: 'card 4111 1111 1111 1111 blocked', now: at(90) });
    expect((await listAlerts(rt, ORG, 'resolved'))[0]?.comment).toBe('card 4111 **** **** 1111 blocked');
    const trail = JSON.stringify(await rt.audit.read(ORG));
    for (const raw of ['A123456(3)', '4111 1111 1111 1111']) expect(trail).not.toContain(raw);
    // Resolved without an acknowledgement first: acknowledged then.
    await resolveAlert(rt, { orgId: ORG, id: c!.id, as: 'carol', disposition: 'false-positive', now: at(240) });
    await expect(acknowledgeAlert(rt, { orgId: ORG, id: b!.id, as: 'sec', now: at(50) })).rejects.toThrow(/acknowledged already/);
    await expect(acknowledgeAlert(rt, { orgId: ORG, id: b!.id, as: 'ada', now: at(50) })).rejects.toThrow(/may not handle/);
    await expect(resolveAlert(rt, { orgId: ORG, id: b!.id, as: 'sec', disposition: 'benign', now: at(-5) })).rejects.toThrow(/cannot be handled before/);

    const stats = await quarterStats(rt, ORG, '2026-Q4', at(300));
    // A quarter not yet begun where the organisation is has no figures to give: refused, not all zeros.
    await expect(quarterStats(rt, ORG, '2027-Q1', at(300))).rejects.toThrow(/^period: 2027-Q1 has not begun \(it begins 2027-01-01 in Asia\/Hong_Kong\)$/);
    expect(stats.raised).toBe(3);
    expect(stats.byStatus).toEqual({ open: 0, acknowledged: 1, resolved: 2 });
    expect(stats.byDisposition).toMatchObject({ 'true-positive': 1, 'false-positive': 1, benign: 0 });
    expect(stats.byRule).toMatchObject({ volume: 1, strangers: 2 });
    // Acknowledged after 10, 42 and 240 minutes; resolved after 90 and 240.
    expect(stats.toAcknowledge).toEqual({ count: 3, medianMinutes: 42, p90Minutes: 240, meanMinutes: 97.3 });
    expect(stats.toResolve).toEqual({ count: 2, medianMinutes: 165, p90Minutes: 240, meanMinutes: 165 });
    expect(stats.monitoring).toMatchObject({ runs: 1, events: 47, alerts: 3 });
    expect(await listAlerts(rt, ORG, 'resolved')).toHaveLength(2);
    expect((await rt.audit.read(ORG)).filter((e) => e.event.startsWith('alert.')).map((e) => e.event).sort()).toEqual([
      'alert.acknowledged',
      'alert.acknowledged',
      'alert.raised',
      'alert.raised',
      'alert.raised',
      'alert.resolved',
      'alert.resolved',
    ]);
  });

  it('examines nothing before the first data map, moving no watermark, and the first run after the scan raises what the events hold', async () => {
    const fresh = await testRuntime(mailer);
    await importOrganisationFile(fresh, orgFile(), 'import:test', '2026-11-01T00:00:00Z');
    await importCsv(fresh, csv([...downloads('ada@kowloon.example', 'Payroll', '2026-11-24T14:00:00', 50), ['2026-11-20T02:00:00Z', 'auditor@partner.example', 'view', 'payslips.xlsx', 'Payroll', '', '']]));
    const { name, input } = runRequest('behaviour-monitoring', ORG, new Date('2026-11-30T09:00:00Z'), { onDemand: true });
    await expect(executeWorkflow(fresh, 'behaviour-monitoring', input)).rejects.toMatchObject({ name: 'ExecutionError' });
    expect((await fresh.runs.get({ orgId: ORG, kind: 'behaviour-monitoring', name }))?.error).toMatch(/^step Detect \(examining the events received\) did not finish: ConflictError: no data map of "kowloon-co" yet: a data-mapping scan must run first/);
    expect(await fresh.events.watermark(ORG)).toBeUndefined();
    expect(await listAlerts(fresh, ORG)).toEqual([]);
    await putDataMap(fresh);
    const after = await monitor(fresh, '2026-11-30T09:15:00Z');
    expect(after).toMatchObject({ status: 'succeeded', events: 51 });
    expect((await listAlerts(fresh, ORG)).map((a) => [a.rule, a.tier]).sort()).toEqual([['strangers', 'red'], ['volume', 'red']]);
  });

  it("counts a declared group of a source the latest scan could not read as red, never green, and says the tier is assumed", async () => {
    const map = DataMap.parse({ orgId: ORG, scanId: 'data-mapping-scan-kowloon-co-2026-12', scannedAt: '2026-11-29T02:00:00Z', sources: [failedSource('dt-finance', 'dingtalk', 'cannot read its path: no such file')] });
    await rt.dataMaps.put(map, diffDataMaps(undefined, map), '2026-11-29T02:00:00Z');
    await importCsv(rt, csv([['2026-11-27T03:00:00Z', 'ada@kowloon.example', 'forward', 'payslip.pdf', 'Payroll', 'ada.home@gmail.com', '']]));
    await monitor(rt, '2026-11-30T09:00:00Z');
    const [alert, ...rest] = await listAlerts(rt, ORG);
    expect(rest).toEqual([]);
    expect(alert).toMatchObject({ rule: 'flow', tier: 'red', severity: 'critical', detail: { kind: 'personal', tierAssumed: 'source-not-assessed' } });
    expect(mailer.sent.find((m) => m.to.email === 'owen@kowloon.example')?.text).toContain('Payroll (red tier, assumed: its source was not assessed) on dingtalk');
  });

  it('never tells the person an alert is about, nor lets them handle it; with no one else left, the compliance contact is told', async () => {
    // Owen owns Payroll and forwards a payslip to his own Gmail: the alert goes to the security contact only.
    await importCsv(rt, csv([['2026-11-27T03:00:00Z', 'owen@kowloon.example', 'forward', 'payslip.pdf', 'Payroll', 'owen.home@gmail.com', '']]));
    await monitor(rt, '2026-11-30T09:00:00Z');
    const [alert] = await listAlerts(rt, ORG);
    expect(alert).toMatchObject({ rule: 'flow', person: 'owen', severity: 'critical', recipients: ['sec'] });
    expect(mailer.sent.map((m) => m.to.email)).toEqual(['sec@kowloon.example']);
    const now = new Date('2026-11-30T10:00:00Z');
    await expect(acknowledgeAlert(rt, { orgId: ORG, id: alert!.id, as: 'owen', now })).rejects.toMatchObject({ name: 'ForbiddenError', message: expect.stringContaining('it is about their own activity') });
    await expect(resolveAlert(rt, { orgId: ORG, id: alert!.id, as: 'owen', disposition: 'benign', now })).rejects.toMatchObject({ name: 'ForbiddenError' });
    expect((await rt.alerts.get(ORG, alert!.id))?.status).toBe('open');
    expect((await rt.audit.read(ORG)).filter((e) => e.event !== 'alert.raised' && e.event.startsWith('alert.'))).toEqual([]);
    // The security contact's own forward from a group they own: no owner, no contact left but the compliance contact.
    const other = await testRuntime(mailer);
    const file = orgFile();
    await importOrganisationFile(other, { ...file, groups: [{ ...file.groups[0]!, owner: 'sec' }] }, 'import:test', '2026-11-01T00:00:00Z');
    await putDataMap(other);
    await importCsv(other, csv([['2026-11-27T03:00:00Z', 'sec@kowloon.example', 'forward', 'payslip.pdf', 'Payroll', 'po.on@gmail.com', '']]));
    await monitor(other, '2026-11-30T09:00:00Z');
    expect((await listAlerts(other, ORG)).map((a) => [a.person, a.recipients])).toEqual([['sec', ['carol']]]);
    await expect(acknowledgeAlert(other, { orgId: ORG, id: (await listAlerts(other, ORG))[0]!.id, as: 'sec', now })).rejects.toMatchObject({ name: 'ForbiddenError' });
  });

  it('refuses an event dated after the import by more than the clock skew allowed, by its line, and reads one within it', async () => {
    const file = csv([
      ['2026-12-03T02:00:00Z', 'auditor@partner.example', 'view', 'payslips.xlsx', 'Payroll', '', ''],
      ['2026-11-30T09:05:00Z', 'temp@partner.example', 'view', 'payslips.xlsx', 'Payroll', '', ''],
      ['2029-11-30T09:00:00Z', 'ada@kowloon.example', 'forward', 'payslip.pdf', 'Payroll', 'ada.home@gmail.com', ''],
    ]);
    const s = await importCsv(rt, file, '2026-11-30T09:00:00Z');
    expect(s).toMatchObject({ rows: 3, events: 1, problemCount: 2 });
    expect(s.problems).toEqual([
      { at: 'line 2', reason: 'time: 2026-12-03T02:00:00.000Z is after the time of the import (2026-11-30T09:00:00.000Z) by more than 10 minutes: an event that has not happened yet' },
      { at: 'line 4', reason: 'time: 2029-11-30T09:00:00.000Z is after the time of the import (2026-11-30T09:00:00.000Z) by more than 10 minutes: an event that has not happened yet' },
    ]);
    await monitor(rt, '2026-11-30T09:15:00Z');
    expect((await listAlerts(rt, ORG)).map((a) => [a.rule, a.day])).toEqual([['strangers', '2026-11-30']]);
    // Not recorded as imported: the same file, imported once that day has come, reads the row dated then.
    const later = await importCsv(rt, file, '2026-12-03T03:00:00Z');
    // The row read before is held: not written, nor examined, again.
    expect(later).toMatchObject({ status: 'imported', rows: 3, events: 1, redelivered: 1, problemCount: 1 });
    expect(later.problems.map((p) => p.at)).toEqual(['line 4']);
  });

  it('names a declared audit log it cannot read by its platform, with the reason and without its path', async () => {
    const missing = path.join(dir, 'ada-chan-personal-export.csv');
    await importOrganisationFile(rt, orgFile(missing), 'import:test', '2026-11-01T00:00:00Z');
    const run = await monitor(rt, '2026-11-30T09:00:00Z');
    expect(run.files).toEqual([{ platform: 'dingtalk', name: 'declared audit log 1', status: 'failed', events: 0, problems: 0, ignored: 0, error: 'cannot read its path: no such file' }]);
    const stored = JSON.stringify([await rt.runs.get({ orgId: ORG, kind: 'behaviour-monitoring', name: run.runName }), await rt.audit.read(ORG)]);
    expect(stored).not.toContain('ada-chan-personal-export');
    expect(stored).not.toContain(dir);
    expect((await rt.runs.get({ orgId: ORG, kind: 'behaviour-monitoring', name: run.runName }))?.error).toBe('1 audit-log file could not be read: dingtalk declared audit log 1: cannot read its path: no such file');
  });

  it('lists the rows of a declared log it could not read by line (masked), in the run and in what it prints', async () => {
    const file = csv([['not a time', 'ada@kowloon.example', 'view', 'x.pdf', 'Payroll', '', ''], ['2026-11-27T03:00:00Z', 'ada@kowloon.example', 'teleport', 'y.pdf', 'Payroll', '', ''], ['2026-11-27T03:05:00Z', 'ada@kowloon.example', 'view', 'z.pdf', 'Payroll', '', '']]);
    await importOrganisationFile(rt, orgFile(file), 'import:test', '2026-11-01T00:00:00Z');
    const run = await monitor(rt, '2026-11-30T09:00:00Z');
    expect(run.files).toMatchObject([{ status: 'imported', events: 1, problems: 2, problemsListed: [{ at: 'line 2', reason: 'time: "not a time" is not a date and time' }, { at: 'line 3', reason: expect.stringMatching(/^action: "teleport" is not one of/) }] }]);
    const printed = formatMonitor({ status: 'completed', name: run.runName, output: run }, await rt.organisations.load(ORG), []);
    expect(printed).toContain(`Rows not read:\n  dingtalk ${path.basename(file)} line 2: time: "not a time" is not a date and time\n  dingtalk ${path.basename(file)} line 3: action: "teleport"`);
  });

  it("attaches the quarter's monitoring record to the review's A.8.15, A.8.16 and A.5.14 tasks", async () => {
    const open = async (now: string) => {
      const { input } = runRequest('quarterly-review', ORG, new Date(now), { timeZone: 'Asia/Hong_Kong' });
      await executeWorkflow(rt, 'quarterly-review', input);
      return rt.reviews.tasks(ORG, '2026-Q4');
    };
    await importCsv(rt, csv(downloads('ada@kowloon.example', 'Lunch', '2026-11-24T11:00:00', 3)));
    await monitor(rt, '2026-11-30T08:00:00Z');
    const tasks = await open('2026-11-30T09:00:00Z');
    const attached = tasks.map((t) => [t.control, t.evidence.filter((e) => e.origin === 'system').map((e) => e.id)]).sort();
    expect(attached).toEqual([
      ['A.5.14', ['monitoring:2026-Q4']],
      ['A.5.15', []],
      ['A.8.15', ['monitoring:2026-Q4']],
      ['A.8.16', ['monitoring:2026-Q4']],
    ]);
    expect(tasks.find((t) => t.control === 'A.8.15')?.evidence[0]).toMatchObject({
      title: 'Behaviour monitoring record 2026-Q4 so far: 1 run, 3 audit-log events examined, 0 alerts (compliance alerts stats --period 2026-Q4)',
      location: 'compliance://kowloon-co/monitoring/2026-Q4',
    });
  });
});
