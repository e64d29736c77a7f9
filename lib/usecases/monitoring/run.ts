// Behaviour monitoring, in the steps of workflows/behaviour-monitoring.asl.json (every
// 15 minutes, on demand with `compliance monitor`, and after `compliance events import`):
//
// 1. ingest: the audit-log files each platform declares (local files, S3 prefixes) that
//    were not imported before; one file that cannot be read (a declared file, or one of a
//    declared folder or prefix) is recorded as failed, not as imported, and the others go
//    on; the run then fails, naming it, as it does for a declared file it cannot read.
// 2. detect, in passes of at most `monitoring.passEvents` (100,000): the events received after the
//    watermark (never a rescan), up to the earliest ingest still under way; with them
//    the events of the same users around them, already held (a late event is seen with
//    its neighbours), the users' baselines, the groups' tiers and ratings and the
//    organisation's people; the detections; each finding an alert under its
//    deterministic id (a re-run raises nothing twice) with a notice to the group's owner
//    and the security contact; the users' baselines; then the watermark, over the one
//    read (a crash before it means the next run looks again, and finds the same alerts).
// 3. the sweep's send step mails everyone with a notice waiting, one mail each.
// 4. report: the run on record, the audit trail sealed.
import pMap from 'p-map';
import type { Alert } from '../../domain/monitoring/alert.ts';
import { detect, identityOf, type Baseline, type DetectionContext, type Finding } from '../../domain/monitoring/detect.ts';
import type { HeldEvent } from '../../domain/monitoring/event.ts';
import { MonitoringPolicy } from '../../domain/monitoring/policy.ts';
import { alertRecipients, groupProfiles, organisationDomains, peopleByHash } from '../../domain/monitoring/profiles.ts';
import type { AlertNotice } from '../../domain/notice/notice.ts';
import type { LoadedOrganisation } from '../../domain/org/org.ts';
import { addDays } from '../../domain/dates.ts';
import { localTime } from '../../domain/local-time.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { dateIn, type WorkflowName } from '../../workflows/declarations.ts';
import { sealAfterRun } from '../audit/trail.ts';
import { caughtErrorText, type CaughtError } from '../caught-error.ts';
import type { Ports } from '../ports.ts';
import type { RunInput } from '../run-input.ts';
import { noDataMapForMonitoring } from '../runs/start-checks.ts';
import { recipientBatches } from '../sweep/plan.ts';
import { summarise } from '../sweep/report.ts';
import type { DetectEvent, DetectResult, IngestedFile, IngestResult, MonitorReportInput } from './events.ts';
import { importAuditLog, PROBLEMS_LISTED } from './import-events.ts';
import { UnreadAuditLogFiles } from './unread-files.ts';

export const MONITOR_KIND: WorkflowName = 'behaviour-monitoring';

/** Passes a run makes at most (the workflow loops while a pass says there is more). */
export const MAX_PASSES = 20;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

async function loadOrg(rt: Ports, orgId: string): Promise<LoadedOrganisation> {
  const org = await rt.organisations.load(orgId);
  if (!org) throw new NotFoundError(`organisation "${orgId}" has not been imported`);
  return org;
}

const errorText = (error: unknown) => `${(error as Error).name}: ${(error as Error).message}`.slice(0, 500);

/**
 * Why a declared audit log could not be read, without its path: the path is held sealed
 * (a file may be named after a person), and this text is printed, kept in the run record
 * and in the audit trail. A read error gives its reason alone (no such file, permission
 * denied, not a regular file); another error's text loses the file or path it begins
 * with (`<path>: <why>`, as the readers write it).
 */
function declaredLogError(error: unknown, what = 'its path'): string {
  const reason = (error as { reason?: unknown }).reason;
  if (typeof reason === 'string') return `cannot read ${what}: ${reason}`.slice(0, 500);
  const message = error instanceof Error ? error.message : String(error);
  const colon = message.indexOf(': ');
  const lead = colon > 0 ? message.slice(0, colon) : '';
  const why = /[/\\.]/.test(lead) ? message.slice(colon + 2) : message;
  return `cannot read it: ${why}`.slice(0, 500);
}

/** Step 1: the run on record, then every declared audit-log file not imported before. */
export async function ingestDeclared(rt: Ports, input: RunInput): Promise<IngestResult> {
  await rt.runs.begin({ orgId: input.orgId, kind: MONITOR_KIND, name: input.runName, asOf: input.now, startedBy: input.startedBy }, rt.clock().toISOString());
  const org = await loadOrg(rt, input.orgId);
  const declared = org.platforms.flatMap((p) => (p.auditLogs ?? []).map((log) => ({ platform: p.id, log })));
  const files: IngestedFile[] = [];
  if (declared.length === 0) return { files };
  const key = await rt.hashKey();
  for (const [i, { platform, log }] of declared.entries()) {
    // Named by its platform and place in the file's list, as a failed scan source is by its id: never by its path.
    const logName = `declared audit log ${declared.slice(0, i + 1).filter((d) => d.platform === platform).length}`;
    try {
      for await (const file of rt.auditLogs.declared(log, key)) {
        try {
          const s = await importAuditLog(rt, { orgId: input.orgId, platform, file, mapping: log.mapping, actor: input.runName, now: new Date(input.now), org });
          // The rows not read, by line, as `events import` lists them: the first PROBLEMS_LISTED of the run.
          const listed = s.problems.slice(0, Math.max(0, PROBLEMS_LISTED - files.reduce((n, f) => n + (f.problemsListed?.length ?? 0), 0)));
          files.push({ platform, name: s.file, status: s.status, ...(s.layout ? { layout: s.layout } : {}), events: s.events, ...(s.redelivered ? { redelivered: s.redelivered } : {}), problems: s.problemCount, ignored: s.ignoredCount, ...(listed.length ? { problemsListed: listed } : {}) });
        } catch (error) {
          // A read error names the path it could not read: its reason alone, as for a declared log.
          const why = typeof (error as { reason?: unknown }).reason === 'string' ? declaredLogError(error, 'it') : errorText(error);
          files.push({ platform, name: file.name, status: 'failed', events: 0, problems: 0, ignored: 0, error: why });
        }
      }
    } catch (error) {
      // Files of a folder that could not be opened, each by its name and place (the reader
      // handed over the rest first); not recorded as imported, so a later run reads them.
      if (error instanceof UnreadAuditLogFiles) {
        for (const u of error.files) files.push({ platform, name: `${u.name} (${logName}, file ${u.position})`, status: 'failed', events: 0, problems: 0, ignored: 0, error: declaredLogError(u.error, 'it') });
      } else files.push({ platform, name: logName, status: 'failed', events: 0, problems: 0, ignored: 0, error: declaredLogError(error) });
    }
  }
  return { files };
}

/** What the detections need to know around the events, from what is held. */
async function detectionContext(rt: Ports, org: LoadedOrganisation, key: string): Promise<Omit<DetectionContext, 'baselines' | 'isNew'>> {
  const orgId = org.organisation.id;
  const [sources, dataMap] = await Promise.all([rt.organisations.sources(orgId), rt.dataMaps.previous(orgId)]);
  // The scheduled runs' own guard (a person's start is refused before it begins, checkRunStart):
  // read before anything moves, so the events wait, held, for the first pass after the scan.
  if (!dataMap) throw new ConflictError(noDataMapForMonitoring(orgId));
  const scanned = (dataMap?.sources ?? []).filter((s) => s.status === 'scanned').map((s) => s.id);
  const entries = await Promise.all(scanned.map(async (id) => [id, dataMap ? await rt.dataMaps.groups(orgId, dataMap.scanId, id) : []] as const));
  return {
    timeZone: org.organisation.timeZone,
    policy: MonitoringPolicy.parse(org.organisation.monitoring ?? {}),
    people: peopleByHash(key, org.people.values()),
    groups: groupProfiles({ sources, groups: org.groups, people: org.people, dataMap, groupEntries: new Map(entries), risk: org.organisation.risk }),
    domains: organisationDomains(org.organisation, org.people.values()),
  };
}

/** The days a baseline keeps: its look-back, and a week's margin for late events. */
function pruned(days: Record<string, readonly [number, number]>, lastDay: string, keep: number): Record<string, readonly [number, number]> {
  const first = addDays(lastDay, -keep);
  return Object.fromEntries(Object.entries(days).filter(([d]) => d >= first).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function alertOf(f: Finding, input: RunInput, org: LoadedOrganisation, recipients: string[]): Alert {
  return {
    id: f.id,
    orgId: input.orgId,
    rule: f.rule,
    ...(f.pattern ? { pattern: f.pattern } : {}),
    user: f.person ?? f.userShown,
    userHash: f.userHash,
    ...(f.person ? { person: f.person } : {}),
    platform: f.platform,
    ...(f.group !== undefined ? { group: f.group } : {}),
    ...(f.groupHash ? { groupHash: f.groupHash } : {}),
    tier: f.tier,
    severity: f.severity,
    events: f.events,
    eventCount: f.eventCount,
    firstEventAt: f.firstEventAt,
    lastEventAt: f.lastEventAt,
    day: f.day,
    detail: f.detail,
    at: input.now,
    raisedBy: input.runName,
    recipients,
    status: 'open',
  };
}

/** `2026-11-24 14:00 – 14:39 (Asia/Hong_Kong)`: when it happened, in the organisation's time. */
export function whenText(first: string, last: string, timeZone: string): string {
  const a = localTime(first, timeZone);
  const b = localTime(last, timeZone);
  const to = a === b ? '' : b.slice(0, 10) === a.slice(0, 10) ? ` – ${b.slice(11)}` : ` – ${b}`;
  return `${a}${to} (${timeZone})`;
}

function noticeOf(alert: Alert, recipientId: string, org: LoadedOrganisation, at: string): AlertNotice {
  return {
    kind: 'alert',
    orgId: alert.orgId,
    recipientId,
    status: 'pending',
    recordedBy: alert.raisedBy,
    recordedAt: at,
    attempts: 0,
    alertId: alert.id,
    rule: alert.rule,
    ...(alert.pattern ? { pattern: alert.pattern } : {}),
    severity: alert.severity,
    tier: alert.tier,
    who: alert.person ? (org.people.get(alert.person)?.name ?? alert.person) : alert.user,
    ...(alert.group !== undefined ? { group: alert.group } : {}),
    platform: alert.platform,
    eventCount: alert.eventCount,
    when: whenText(alert.firstEventAt, alert.lastEventAt, org.organisation.timeZone),
    detail: alert.detail,
  };
}

/** Step 2, one pass: what was received since the watermark, examined with what is held around it. */
export async function detectPass(rt: Ports, input: DetectEvent): Promise<DetectResult> {
  const pass = (input.detect?.pass ?? 0) + 1;
  const org = await loadOrg(rt, input.orgId);
  const orgId = input.orgId;
  const wall = rt.clock();
  const runNow = new Date(input.now);
  const nowEpoch = Math.floor(runNow.getTime() / 1000);
  // No further than the earliest ingest still writing: its events all carry its start.
  const underWay = await rt.events.ingestsUnderWay(orgId, wall.toISOString());
  const upTo = underWay[0] && underWay[0].startedAt <= wall.toISOString() ? new Date(Date.parse(underWay[0].startedAt) - 1).toISOString() : wall.toISOString();
  const watermark = await rt.events.watermark(orgId);
  const key = await rt.hashKey();
  const ctx = await detectionContext(rt, org, key);
  const received = await rt.events.received(orgId, watermark?.positions ?? {}, upTo, ctx.policy.passEvents, nowEpoch);
  const fresh = received.events;

  let context: HeldEvent[] = [];
  const raised: string[] = [];
  let existing = 0;
  const byRule: Record<string, number> = {};
  const notices: AlertNotice[] = [];
  if (fresh.length > 0) {
    // Every hash each user of the new events goes by (a person: their address and their id).
    const identities = new Map<string, Set<string>>();
    const hashesOf = new Map<string, string[]>();
    for (const [hash, person] of ctx.people) hashesOf.set(person.id, [...(hashesOf.get(person.id) ?? []), hash]);
    let tmin = Infinity;
    let tmax = -Infinity;
    for (const e of fresh) {
      const person = ctx.people.get(e.user);
      const id = identityOf(person, e.user);
      const set = identities.get(id) ?? new Set<string>(person ? hashesOf.get(person.id) : []);
      set.add(e.user);
      identities.set(id, set);
      const t = Date.parse(e.time);
      if (t < tmin) tmin = t;
      if (t > tmax) tmax = t;
    }
    // The users' events around the new ones: their whole days, and a window before.
    const windowMs = ctx.policy.windowMinutes * 60_000;
    const from = new Date(tmin - DAY_MS - windowMs).toISOString();
    const to = new Date(tmax + DAY_MS).toISOString();
    const [held, baselines] = await Promise.all([
      rt.events.ofUsers(orgId, [...new Set([...identities.values()].flatMap((s) => [...s]))], from, to, nowEpoch),
      rt.events.baselines(orgId, [...identities.keys()]),
    ]);
    const byId = new Map(held.map((e) => [e.id, e]));
    for (const e of fresh) byId.set(e.id, e);
    context = [...byId.values()];
    const freshIds = new Set(fresh.map((e) => e.id));
    const result = detect(context, { ...ctx, baselines, isNew: (e) => freshIds.has(e.id) });

    const at = rt.clock().toISOString();
    await pMap(
      result.findings,
      async (f) => {
        const profile = f.groupHash ? ctx.groups.get(`${f.platform}#${f.groupHash}`) : undefined;
        const alert = alertOf(f, input, org, alertRecipients(org.organisation, profile?.owner, f.person ? org.people.get(f.person) : undefined));
        const outcome = await rt.alerts.create(alert, { orgId, at, event: 'alert.raised', subject: `ALERT#${alert.id}`, actor: input.runName, detail: { rule: alert.rule, severity: alert.severity, events: alert.eventCount } });
        let current = alert;
        if (outcome === 'created') {
          raised.push(alert.id);
          byRule[alert.rule] = (byRule[alert.rule] ?? 0) + 1;
        } else {
          existing++;
          current = (await rt.alerts.get(orgId, alert.id)) ?? alert;
        }
        // Recorded again after a crash between the alert and its notices: a notice's key refuses a second.
        // Never to the alert's own subject (an alert raised before they were left out may list them).
        if (current.status !== 'resolved') for (const r of current.recipients) if (r !== current.person) notices.push(noticeOf(current, r, org, at));
      },
      { concurrency: 8 },
    );

    // Baselines: each user's days as this pass saw them, over what was held.
    const updated: Baseline[] = [];
    const daysBy = new Map<string, Record<string, readonly [number, number]>>();
    for (const d of result.days) daysBy.set(d.identity, { ...(daysBy.get(d.identity) ?? {}), [d.day]: [d.peak, d.offPeak] });
    for (const [identity, days] of daysBy) {
      const all = { ...(baselines.get(identity)?.days ?? {}), ...days };
      const last = Object.keys(all).sort().at(-1)!;
      updated.push({ identity, firstSeen: result.firstSeen.get(identity), days: pruned(all, last, ctx.policy.baselineDays + 7) });
    }
    await rt.events.putBaselines(orgId, updated);
  }

  const outcomes = await pMap(notices, (n) => rt.notices.record(n, n.recordedAt), { concurrency: 8 });
  // Late: events that happened before the previous run had read up to, but arrived after.
  const late = watermark ? fresh.filter((e) => e.time < watermark.upTo).length : 0;
  const moved = await rt.events.moveWatermark(orgId, watermark, { positions: received.positions, upTo, movedBy: input.runName, movedAt: wall.toISOString() });
  await rt.events.recordRun(orgId, dateIn(runNow, org.organisation.timeZone), `${input.runName}#${pass}`, { events: fresh.length, late, alerts: raised.length, byRule }, rt.clock().toISOString(), upTo);
  const waiting = await rt.notices.waitingRecipients(orgId);
  const before = input.detect?.total;
  const recorded = outcomes.filter((o) => o === 'recorded').length;
  return {
    pass,
    total: {
      events: (before?.events ?? 0) + fresh.length,
      late: (before?.late ?? 0) + late,
      alertsRaised: [...(before?.alertsRaised ?? []), ...raised.sort()].slice(0, 1000),
      recorded: (before?.recorded ?? 0) + recorded,
    },
    more: received.more && moved && pass < MAX_PASSES,
    events: fresh.length,
    late,
    context: context.length,
    upTo,
    raced: !moved,
    alertsRaised: raised.sort(),
    alertsExisting: existing,
    byRule,
    recorded,
    alreadyRecorded: outcomes.filter((o) => o === 'exists').length,
    ...recipientBatches(org, waiting),
  };
}

export interface MonitorSummary {
  runName: string;
  status: 'succeeded' | 'failed';
  files: IngestedFile[];
  passes: number;
  events: number;
  late: number;
  alertsRaised: string[];
  noticesRecorded: number;
  mailsSent: number;
  noticesSent: number;
  failedRecipients: { recipientId: string; error: string }[];
  error?: string;
}

/** Step 4, and the workflow's RecordFailure: the run on record with what it did, the audit trail sealed. */
export async function reportMonitoring(rt: Ports, input: MonitorReportInput): Promise<MonitorSummary> {
  const d = input.detect;
  const plan = d?.organisationName !== undefined ? { organisationName: d.organisationName, batches: d.batches ?? [], unknownRecipients: d.unknownRecipients ?? [], evidenceRead: 0, tasksRead: 0, reviewsClosed: [], recorded: d.recorded ?? 0, alreadyRecorded: d.alreadyRecorded ?? 0 } : undefined;
  const sends = summarise({ orgId: input.orgId, runName: input.runName, now: input.now, ...(plan ? { plan } : {}), ...(input.sends ? { sends: input.sends } : {}) });
  const error = input.error ? failureText(input.error as CaughtError, input.failedStep) : undefined;
  const files = input.ingest?.files ?? [];
  const summary: MonitorSummary = {
    runName: input.runName,
    status: error || sends.status === 'failed' || files.some((f) => f.status === 'failed') ? 'failed' : 'succeeded',
    files,
    passes: d?.pass ?? 0,
    events: 0,
    late: 0,
    alertsRaised: [],
    noticesRecorded: 0,
    mailsSent: sends.mailsSent,
    noticesSent: sends.noticesSent,
    failedRecipients: sends.failedRecipients,
    ...(error ? { error } : {}),
  };
  Object.assign(summary, passTotals(input));
  const { runName, status, error: _e, ...figures } = summary;
  const run = { orgId: input.orgId, kind: MONITOR_KIND, name: runName };
  const at = rt.clock().toISOString();
  const failedFiles = files.filter((f) => f.status === 'failed');
  const why = error ?? (failedFiles.length ? `${failedFiles.length} audit-log file${failedFiles.length === 1 ? '' : 's'} could not be read: ${failedFiles.map((f) => `${f.platform} ${f.name}: ${f.error}`).join('; ')}` : 'a notice could not be sent (it stays pending for the next run)');
  if (status === 'failed') await rt.runs.finish(run, { status: 'failed', error: why.slice(0, 1000), summary: figures }, at);
  else await rt.runs.finish(run, { status: 'succeeded', summary: figures }, at);
  await sealAfterRun(rt, run);
  return summary;
}

/** What each step does, to name it in a failure. */
const STEP_WORK = {
  Ingest: 'importing the audit-log files',
  Detect: 'examining the events received',
  SendMails: 'mailing the alerts',
  Report: 'recording the run',
} as const;

/**
 * A step's failure in plain words: which step, and why (a step cut off at its time
 * limit says so; the error itself follows), and that nothing it left is lost.
 */
function failureText(error: CaughtError, step: keyof typeof STEP_WORK | undefined): string {
  const raw = caughtErrorText(error);
  // Middy's early timeout (a Lambda's time running out) and Step Functions' own.
  const outOfTime = (error.Error === 'TimeoutError' && /AbortError|aborted/i.test(error.Cause ?? '')) || error.Error === 'States.Timeout';
  const why = outOfTime ? `it ran out of time, its time limit passed (${raw})` : raw;
  const which = step ? `step ${step} (${STEP_WORK[step]}) did not finish: ` : '';
  const after = step === 'Ingest' || step === 'Detect' ? '; the events it had not examined wait for the next run' : '';
  return `${which}${why}${after}`;
}

/** The run's figures: each pass carries the sum of the passes before it and its own. */
function passTotals(input: MonitorReportInput): Pick<MonitorSummary, 'events' | 'late' | 'alertsRaised' | 'noticesRecorded'> {
  const t = input.detect?.total;
  return { events: t?.events ?? 0, late: t?.late ?? 0, alertsRaised: t?.alertsRaised ?? [], noticesRecorded: t?.recorded ?? 0 };
}
