// What behaviour monitoring keeps beside events and alerts: how far the runs have read
// (the watermark), the audit-log files imported, and what each day's runs examined and
// raised (a quarter's monitoring record is its days). Pure.
import { z } from 'zod';
import { Rule } from './policy.ts';

/** Per shard of the received-events index, the last key a run read; `upTo` the time it read up to. */
export const Watermark = z.object({
  positions: z.record(z.string(), z.string()),
  upTo: z.string(),
  movedBy: z.string(),
  movedAt: z.string(),
  version: z.int().nonnegative(),
});
export type Watermark = z.infer<typeof Watermark>;

/** An audit-log file imported for a platform, by the SHA-256 of its content: the same file again writes nothing. */
export const AuditLogRecord = z.object({
  platform: z.string(),
  sha256: z.string(),
  /** The file's name, redacted. */
  name: z.string(),
  layout: z.string(),
  rows: z.int().nonnegative(),
  events: z.int().nonnegative(),
  problems: z.int().nonnegative(),
  ignored: z.int().nonnegative(),
  expired: z.int().nonnegative(),
  importedAt: z.string(),
  importedBy: z.string(),
});
export type AuditLogRecord = z.infer<typeof AuditLogRecord>;

/** What one run examined and raised, added to its day's record once. */
export const RunFigures = z.object({
  events: z.int().nonnegative(),
  /** Events whose time was before the previous run's watermark time when they arrived (they came late). */
  late: z.int().nonnegative(),
  alerts: z.int().nonnegative(),
  byRule: z.partialRecord(Rule, z.int().nonnegative()),
});
export type RunFigures = z.infer<typeof RunFigures>;

export const MonitoringDay = z.object({
  day: z.string(),
  runs: z.int().nonnegative(),
  events: z.int().nonnegative(),
  late: z.int().nonnegative(),
  alerts: z.int().nonnegative(),
  byRule: z.partialRecord(Rule, z.int().nonnegative()),
  /** The last run's time and the watermark it left. */
  lastRunAt: z.string(),
  upTo: z.string().optional(),
});
export type MonitoringDay = z.infer<typeof MonitoringDay>;
