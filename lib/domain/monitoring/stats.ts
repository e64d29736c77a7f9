// How fast alerts were handled in a period: the median and 90th percentile of the
// time from an alert's raising to its acknowledgement and to its resolution, and
// counts by rule, severity, status and disposition. An alert resolved without an
// acknowledgement counts as acknowledged when it was resolved. Pure.
import { SEVERITIES, type Alert } from './alert.ts';
import { DISPOSITIONS } from '../vocabulary.ts';
import { RULES } from './policy.ts';

export interface Durations {
  /** How many alerts the figures are over. */
  count: number;
  /** Minutes, rounded to one decimal; undefined with no alert. */
  medianMinutes?: number;
  p90Minutes?: number;
  meanMinutes?: number;
}

export interface AlertStats {
  period: string;
  from: string;
  to: string;
  raised: number;
  byRule: Record<string, number>;
  bySeverity: Record<string, number>;
  byStatus: { open: number; acknowledged: number; resolved: number };
  byDisposition: Record<string, number>;
  toAcknowledge: Durations;
  toResolve: Durations;
}

/** The nearest-rank percentile (p in 0..100) of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** The median: the middle value, or the mean of the two middle values. */
export function median(sorted: readonly number[]): number | undefined {
  if (sorted.length === 0) return undefined;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const round = (n: number | undefined) => (n === undefined ? undefined : Math.round(n * 10) / 10);

function durations(minutes: number[]): Durations {
  const sorted = [...minutes].sort((a, b) => a - b);
  const out: Durations = { count: sorted.length };
  if (sorted.length === 0) return out;
  return { ...out, medianMinutes: round(median(sorted)) as number, p90Minutes: round(percentile(sorted, 90)) as number, meanMinutes: round(sorted.reduce((a, b) => a + b, 0) / sorted.length) as number };
}

const minutesBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 60_000;

/** The figures of the alerts raised in a period (the caller picks them: `from` <= day <= `to`). */
export function alertStats(period: string, from: string, to: string, alerts: readonly Alert[]): AlertStats {
  const zero = (names: readonly string[]) => Object.fromEntries(names.map((n) => [n, 0])) as Record<string, number>;
  const byRule = zero(RULES);
  const bySeverity = zero(SEVERITIES);
  const byDisposition = zero(DISPOSITIONS);
  const byStatus = { open: 0, acknowledged: 0, resolved: 0 };
  const ack: number[] = [];
  const resolve: number[] = [];
  for (const a of alerts) {
    byRule[a.rule] = (byRule[a.rule] ?? 0) + 1;
    bySeverity[a.severity] = (bySeverity[a.severity] ?? 0) + 1;
    byStatus[a.status]++;
    if (a.disposition) byDisposition[a.disposition] = (byDisposition[a.disposition] ?? 0) + 1;
    const acknowledged = a.acknowledgedAt ?? a.resolvedAt;
    if (acknowledged) ack.push(minutesBetween(a.at, acknowledged));
    if (a.resolvedAt) resolve.push(minutesBetween(a.at, a.resolvedAt));
  }
  return { period, from, to, raised: alerts.length, byRule, bySeverity, byStatus, byDisposition, toAcknowledge: durations(ack), toResolve: durations(resolve) };
}
