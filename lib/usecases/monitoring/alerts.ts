// Handling alerts: list them, acknowledge one, resolve one with its disposition, and
// the figures of a quarter (how fast alerts were acknowledged and resolved, counts by
// rule and disposition) with the quarter's monitoring record (runs, events examined),
// which the quarterly review attaches as evidence to A.8.15, A.8.16 and A.5.14.
import type { Alert, AlertStatus, Disposition } from '../../domain/monitoring/alert.ts';
import type { MonitoringDay } from '../../domain/monitoring/records.ts';
import { alertStats, type AlertStats } from '../../domain/monitoring/stats.ts';
import { redact } from '../../domain/detect/redact.ts';
import { localMoment } from '../../domain/local-time.ts';
import { firstDayOf, lastDayOf, localDate, notBegun, quarterAt, type Quarter } from '../../domain/review/quarter.ts';
import { ConflictError, ForbiddenError, InputError, NotFoundError } from '../../errors.ts';
import type { Organisation } from '../../domain/org/org.ts';
import type { Ports } from '../ports.ts';

/** Unresolved alerts (open and acknowledged), or those of one status; newest first. */
export async function listAlerts(rt: Pick<Ports, 'alerts'>, orgId: string, status?: AlertStatus): Promise<Alert[]> {
  const alerts = status === 'resolved' ? await rt.alerts.ofDays(orgId, '0000-01-01', '9999-12-31') : await rt.alerts.unresolved(orgId);
  return alerts.filter((a) => !status || a.status === status).sort((a, b) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1));
}

/**
 * Who handles an alert: its recipients (the group's owner and the security contact it
 * was mailed to) and the organisation's security and compliance contacts, who answer for
 * every alert; never its subject (the person whose action it is), whoever they are, who
 * could otherwise close an alert about themselves. The one rule for both seeing an alert
 * as an owner and acknowledging or resolving it, so no one can act on an alert their
 * list does not show.
 */
export function handlesAlert(org: Pick<Organisation, 'securityContact' | 'complianceContact'>, alert: Pick<Alert, 'recipients' | 'person'>, person: string): boolean {
  if (alert.person === person) return false;
  return alert.recipients.includes(person) || person === org.securityContact || person === org.complianceContact;
}

/** The alerts of `listAlerts` that `person` handles (handlesAlert). */
export async function alertsHandledBy(rt: Pick<Ports, 'alerts' | 'organisations'>, orgId: string, person: string, status?: AlertStatus): Promise<Alert[]> {
  const [alerts, org] = await Promise.all([listAlerts(rt, orgId, status), rt.organisations.settings(orgId)]);
  if (!org) throw new NotFoundError(`organisation "${orgId}" has not been imported`);
  return alerts.filter((a) => handlesAlert(org, a, person));
}

export interface AlertDecision {
  orgId: string;
  id: string;
  /** Who acknowledges or resolves it: one of its recipients, the security contact or the compliance contact. */
  as: string;
  now: Date;
  comment?: string;
}

/**
 * No alert of that id. The message points to where the alerts are listed: the command
 * line's `compliance alerts list` unless told otherwise (the HTTP API names its route).
 */
export class NoSuchAlert extends NotFoundError {
  readonly id: string;
  readonly orgId: string;
  constructor(id: string, orgId: string, listedAt = 'compliance alerts list') {
    super(`no alert "${id}" in ${orgId}: see ${listedAt}`);
    this.id = id;
    this.orgId = orgId;
  }
}

/** The alert `d` may decide, and the organisation's time zone, in which its refusals give times. */
async function decidable(rt: Pick<Ports, 'alerts' | 'organisations'>, d: AlertDecision): Promise<{ alert: Alert; when: (iso: string | undefined) => string }> {
  const [alert, loaded] = await Promise.all([rt.alerts.get(d.orgId, d.id), rt.organisations.load(d.orgId)]);
  if (!loaded) throw new NotFoundError(`organisation "${d.orgId}" has not been imported`);
  if (!alert) throw new NoSuchAlert(d.id, d.orgId);
  if (!loaded.people.has(d.as)) throw new InputError(`--as: "${d.as}" is not one of ${d.orgId}'s people`);
  if (alert.person === d.as) throw new ForbiddenError(`${d.as} may not handle alert ${d.id}: it is about their own activity; its recipients, the security contact or the compliance contact handle it`);
  if (!handlesAlert(loaded.organisation, alert, d.as)) throw new ForbiddenError(`${d.as} may not handle alert ${d.id}: its recipients, the security contact and the compliance contact may`);
  const when = (iso: string | undefined) => localMoment(iso, loaded.organisation.timeZone);
  if (d.now.toISOString() < alert.at) throw new InputError(`alert ${d.id} was raised at ${when(alert.at)}: it cannot be handled before (${when(d.now.toISOString())})`);
  return { alert, when };
}

/** A comment is held with the identifiers in it masked, as every text a person types. */
const masked = <T extends { comment?: string }>(d: T): T => (d.comment !== undefined ? { ...d, comment: redact(d.comment) } : d);

export async function acknowledgeAlert(rt: Pick<Ports, 'alerts' | 'organisations'>, given: AlertDecision): Promise<Alert> {
  const d = masked(given);
  const { alert, when } = await decidable(rt, d);
  if (alert.status !== 'open') throw new ConflictError(`alert ${d.id} is ${alert.status} already (by ${alert.status === 'resolved' ? alert.resolvedBy : alert.acknowledgedBy} at ${when(alert.status === 'resolved' ? alert.resolvedAt : alert.acknowledgedAt)})`);
  const at = d.now.toISOString();
  const next: Alert = { ...alert, status: 'acknowledged', acknowledgedAt: at, acknowledgedBy: d.as, ...(d.comment !== undefined ? { comment: d.comment } : {}) };
  await rt.alerts.change(next, 'open', { orgId: d.orgId, at, event: 'alert.acknowledged', subject: `ALERT#${d.id}`, actor: d.as, ...(d.comment ? { detail: { comment: d.comment } } : {}) });
  return next;
}

export async function resolveAlert(rt: Pick<Ports, 'alerts' | 'organisations'>, given: AlertDecision & { disposition: Disposition }): Promise<Alert> {
  const d = masked(given);
  const { alert, when } = await decidable(rt, d);
  if (alert.status === 'resolved') throw new ConflictError(`alert ${d.id} was resolved already, as ${alert.disposition}, by ${alert.resolvedBy} at ${when(alert.resolvedAt)}`);
  const at = d.now.toISOString();
  // Resolved without an acknowledgement: it was acknowledged when it was resolved.
  const next: Alert = {
    ...alert,
    status: 'resolved',
    acknowledgedAt: alert.acknowledgedAt ?? at,
    acknowledgedBy: alert.acknowledgedBy ?? d.as,
    resolvedAt: at,
    resolvedBy: d.as,
    disposition: d.disposition,
    ...(d.comment !== undefined ? { comment: d.comment } : {}),
  };
  await rt.alerts.change(next, alert.status, { orgId: d.orgId, at, event: 'alert.resolved', subject: `ALERT#${d.id}`, actor: d.as, detail: { disposition: d.disposition, ...(d.comment ? { comment: d.comment } : {}) } });
  return next;
}

/** A quarter's monitoring record: what its runs examined and raised, day by day added up. */
export interface MonitoringRecord {
  quarter: string;
  days: number;
  runs: number;
  events: number;
  late: number;
  alerts: number;
  byRule: Record<string, number>;
  firstRunAt?: string;
  lastRunAt?: string;
}

export function recordOf(quarter: string, days: readonly MonitoringDay[]): MonitoringRecord {
  const byRule: Record<string, number> = {};
  for (const d of days) for (const [rule, n] of Object.entries(d.byRule)) byRule[rule] = (byRule[rule] ?? 0) + (n ?? 0);
  const sum = (f: (d: MonitoringDay) => number) => days.reduce((n, d) => n + f(d), 0);
  const times = days.map((d) => d.lastRunAt).sort();
  return {
    quarter,
    days: days.length,
    runs: sum((d) => d.runs),
    events: sum((d) => d.events),
    late: sum((d) => d.late),
    alerts: sum((d) => d.alerts),
    byRule,
    ...(times.length ? { firstRunAt: times[0], lastRunAt: times.at(-1) } : {}),
  };
}

export async function monitoringRecord(rt: Pick<Ports, 'events'>, orgId: string, quarter: Quarter): Promise<MonitoringRecord> {
  return recordOf(quarter, await rt.events.days(orgId, firstDayOf(quarter), lastDayOf(quarter)));
}

export type QuarterStats = AlertStats & { monitoring: MonitoringRecord };

/** How the quarter's alerts were handled (the one under way when none is named), and what monitoring did in it; refused for a quarter not yet begun, whose figures would all be nothing. */
export async function quarterStats(rt: Pick<Ports, 'alerts' | 'events' | 'organisations'>, orgId: string, named: Quarter | undefined, now: Date): Promise<QuarterStats> {
  const org = await rt.organisations.settings(orgId);
  if (!org) throw new NotFoundError(`organisation "${orgId}" has not been imported`);
  // None named: the quarter under way in the organisation's time zone (the command line's --period and the API's ?period= alike).
  const quarter = named ?? quarterAt(now, org.timeZone);
  const early = notBegun(quarter, localDate(now, org.timeZone), org.timeZone);
  if (early) throw new InputError(`period: ${early}`);
  const from = firstDayOf(quarter);
  const to = lastDayOf(quarter);
  const [alerts, monitoring] = await Promise.all([rt.alerts.ofDays(orgId, from, to), monitoringRecord(rt, orgId, quarter)]);
  return { ...alertStats(quarter, from, to, alerts), monitoring };
}
