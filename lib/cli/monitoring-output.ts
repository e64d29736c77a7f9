// What the command line prints of behaviour monitoring: a run, an import, the alerts
// and a quarter's figures. Times people read are in the organisation's time zone, and
// say so.
import type { LocalRunResult } from '../adapters/local/workflow-runner.ts';
import { localMoment, localTime } from '../domain/local-time.ts';
import type { Alert } from '../domain/monitoring/alert.ts';
import type { Durations } from '../domain/monitoring/stats.ts';
import type { LoadedOrganisation } from '../domain/org/org.ts';
import { printable } from '../domain/text/printable.ts';
import type { QuarterStats } from '../usecases/monitoring/alerts.ts';
import type { ImportSummary } from '../usecases/monitoring/import-events.ts';
import type { MonitorSummary } from '../usecases/monitoring/run.ts';
import { columns } from './columns.ts';

const plural = (n: number, word: string, many = `${word}s`) => `${n.toLocaleString('en')} ${n === 1 ? word : many}`;

/** `timeZone`: the organisation's, for the time a file was imported before. */
export function formatEventImport(s: ImportSummary, timeZone: string): string {
  if (s.status === 'already-imported') return `${s.file} was imported for ${s.platform} before (${localMoment(s.importedAt, timeZone)}, ${s.layout} layout): the same content, so nothing was written.`;
  const lines = [
    `Imported ${s.file} for ${s.platform} (${s.layout} layout): ${plural(s.rows, 'row')} read, ${plural(s.events, 'event')} stored` +
      `${s.duplicates ? `, ${plural(s.duplicates, 'repeat')} of an event in the file skipped` : ''}` +
      `${s.redelivered ? `, ${plural(s.redelivered, 'event')} held already (delivered before) not stored or examined again` : ''}${s.expired ? `, ${plural(s.expired, 'event')} older than the log retention not stored` : ''}.`,
  ];
  if (s.ignoredCount) lines.push(`Not watched, counted only: ${Object.entries(s.ignored).sort((a, b) => b[1] - a[1]).map(([a, n]) => `${printable(a)} ${n}`).join(', ')}.`);
  if (s.problemCount) {
    lines.push(`${plural(s.problemCount, 'row')} could not be read${s.problemCount > s.problems.length ? ` (the first ${s.problems.length} listed)` : ''}:`);
    for (const p of s.problems) lines.push(`  ${p.at}: ${printable(p.reason)}`);
  }
  return lines.join('\n');
}

function alertRows(alerts: readonly Alert[], timeZone: string): string[][] {
  return alerts.map((a) => [a.id, a.severity, a.rule === 'departure' ? `departure (${a.pattern})` : a.rule, printable(a.user), printable(a.group ?? '-'), a.tier, localTime(a.firstEventAt, timeZone), String(a.eventCount), a.status]);
}

const ALERT_HEADER = ['alert', 'severity', 'rule', 'user', 'group', 'tier', 'first event', 'events', 'status'];

export function formatAlerts(alerts: readonly Alert[], timeZone: string, what = 'unresolved'): string {
  if (alerts.length === 0) return `No ${what} alerts.`;
  return `${plural(alerts.length, `${what} alert`)} (times in ${timeZone}):\n${columns(ALERT_HEADER, alertRows(alerts, timeZone))}`;
}

export function formatMonitor(result: LocalRunResult, org: LoadedOrganisation | undefined, alerts: readonly Alert[], outboxDir?: string): string {
  const timeZone = org?.organisation.timeZone ?? 'UTC';
  if (result.status === 'already-ran') {
    const s = result.run.summary ?? {};
    return `Behaviour monitoring ${result.name} already ran (finished ${localMoment(result.run.finishedAt, timeZone)}; it examined ${Number(s.events ?? 0)} events and raised ${(s.alertsRaised as string[] | undefined)?.length ?? 0} alerts then). Nothing examined now.`;
  }
  const s = result.output as MonitorSummary;
  const imported = s.files.filter((f) => f.status === 'imported');
  const lines = [
    `Behaviour monitoring ${s.runName}: ${plural(imported.length, 'audit-log file')} imported (${plural(imported.reduce((n, f) => n + f.events, 0), 'event')}` +
      `${imported.some((f) => f.problems) ? `; ${plural(imported.reduce((n, f) => n + f.problems, 0), 'row')} not read` : ''}` +
      `${imported.some((f) => f.redelivered) ? `; ${plural(imported.reduce((n, f) => n + (f.redelivered ?? 0), 0), 'event')} held already, not examined again` : ''})` +
      `${s.files.some((f) => f.status === 'already-imported') ? `, ${s.files.filter((f) => f.status === 'already-imported').length} imported before` : ''}; ` +
      `${plural(s.events, 'event')} received since the last run examined (${s.late} late), in ${plural(s.passes, 'pass', 'passes')}.`,
  ];
  const notRead = imported.reduce((n, f) => n + f.problems, 0);
  const listed = imported.flatMap((f) => (f.problemsListed ?? []).map((p) => `  ${f.platform} ${printable(f.name)} ${p.at}: ${printable(p.reason)}`));
  if (listed.length) lines.push(`Rows not read${notRead > listed.length ? ` (the first ${listed.length} listed)` : ''}:`, ...listed);
  for (const f of s.files.filter((f) => f.status === 'failed')) lines.push(`  FAILED ${f.platform} ${printable(f.name)}: ${printable(f.error ?? '')}`);
  lines.push(alerts.length ? `${plural(alerts.length, 'alert')} raised (times in ${timeZone}):\n${columns(ALERT_HEADER, alertRows(alerts, timeZone))}` : 'No new alert.');
  if (s.mailsSent > 0) {
    lines.push(`Sent ${plural(s.mailsSent, 'mail')} (${plural(s.noticesSent, 'notice')}) to ${[...new Set(alertsRecipients(alerts))].map((r) => org?.people.get(r)?.name ?? r).join(', ') || 'those with notices waiting'}.`);
  }
  for (const f of s.failedRecipients) lines.push(`FAILED to mail ${f.recipientId}: ${f.error} (the notices stay pending for the next run)`);
  if (s.error) lines.push(`The run failed: ${s.error}`);
  if (outboxDir && s.mailsSent > 0) lines.push(`Mails are in ${outboxDir}`);
  return lines.join('\n');
}

const alertsRecipients = (alerts: readonly Alert[]) => alerts.flatMap((a) => a.recipients);

const minutes = (d: Durations) => (d.count === 0 ? 'none yet' : `median ${d.medianMinutes} min, 90th percentile ${d.p90Minutes} min (${plural(d.count, 'alert')})`);

export function formatStats(s: QuarterStats): string {
  const m = s.monitoring;
  const counts = (r: Record<string, number>) => Object.entries(r).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  return [
    `Behaviour monitoring ${s.period} (${s.from} to ${s.to}): ${plural(m.runs, 'run')} on ${plural(m.days, 'day')}, ${plural(m.events, 'event')} examined (${m.late} late).`,
    `Alerts raised: ${s.raised} (open ${s.byStatus.open}, acknowledged ${s.byStatus.acknowledged}, resolved ${s.byStatus.resolved}).`,
    `  by rule: ${counts(s.byRule)}`,
    `  by severity: ${counts(s.bySeverity)}`,
    `  by disposition: ${counts(s.byDisposition)}`,
    `Time to acknowledge: ${minutes(s.toAcknowledge)}.`,
    `Time to resolve: ${minutes(s.toResolve)}.`,
  ].join('\n');
}
