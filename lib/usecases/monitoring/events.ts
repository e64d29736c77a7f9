// What the steps of workflows/behaviour-monitoring.asl.json take and give: one schema
// each, checked at the Lambda edge, and the types from the schemas.
import { z } from 'zod';
import { CaughtError } from '../caught-error.ts';
import { RunInput } from '../run-input.ts';
import { FailedBatch, Recipient, SendResult } from '../sweep/events.ts';

/** How one audit-log file went in the ingest step: only counts, so the state stays small. */
export const IngestedFile = z.object({
  platform: z.string(),
  /** The file's name, redacted. */
  name: z.string(),
  status: z.enum(['imported', 'already-imported', 'failed']),
  layout: z.string().optional(),
  /** Events written: new ones (those held already are `redelivered`). */
  events: z.number().int().nonnegative().default(0),
  /** Events held already, delivered before by another file or export: not written or examined again (given when there are some). */
  redelivered: z.number().int().nonnegative().optional(),
  problems: z.number().int().nonnegative().default(0),
  ignored: z.number().int().nonnegative().default(0),
  error: z.string().optional(),
  /** Where the rows not read are and why (masked), the first PROBLEMS_LISTED of the run over all its files. */
  problemsListed: z.array(z.object({ at: z.string(), reason: z.string() })).optional(),
});
export type IngestedFile = z.infer<typeof IngestedFile>;

export const IngestResult = z.object({ files: z.array(IngestedFile) });
export type IngestResult = z.infer<typeof IngestResult>;

/** A run's figures over its passes so far. */
export const PassTotals = z.object({
  events: z.number().int().nonnegative(),
  late: z.number().int().nonnegative(),
  /** The ids of the alerts raised (the first 1,000). */
  alertsRaised: z.array(z.string()),
  recorded: z.number().int().nonnegative(),
});

export const DetectResult = z.object({
  /** 1 for the run's first pass over what was received; each pass reads at most `monitoring.passEvents`. */
  pass: z.number().int().positive(),
  total: PassTotals,
  more: z.boolean(),
  /** What this pass read: events received since the watermark, those among them that came late, the events around them it read again. */
  events: z.number().int().nonnegative(),
  late: z.number().int().nonnegative(),
  context: z.number().int().nonnegative(),
  upTo: z.string().optional(),
  /** Another run moved the watermark first: this pass's alerts stand, its watermark was not kept. */
  raced: z.boolean().default(false),
  alertsRaised: z.array(z.string()),
  alertsExisting: z.number().int().nonnegative(),
  byRule: z.record(z.string(), z.number().int().nonnegative()),
  /** Notices recorded now; everyone with a notice waiting, in the send step's batches. */
  recorded: z.number().int().nonnegative(),
  alreadyRecorded: z.number().int().nonnegative(),
  organisationName: z.string(),
  /** The organisation's time zone, handed to the send step for the mail's dates. */
  timeZone: z.string().optional(),
  batches: z.array(z.object({ recipients: z.array(Recipient) })),
  unknownRecipients: z.array(z.string()),
});
export type DetectResult = z.infer<typeof DetectResult>;

/** The detect step's input: the run, and the previous pass (the workflow starts with pass 0). */
export const DetectEvent = RunInput.extend({ detect: z.object({ pass: z.number().int().nonnegative(), total: PassTotals.optional() }).optional() });
export type DetectEvent = z.infer<typeof DetectEvent>;

export const MonitorReportEvent = RunInput.extend({
  ingest: IngestResult.optional(),
  detect: DetectResult.partial().optional(),
  sends: z.array(z.union([z.array(SendResult), FailedBatch])).optional(),
  error: CaughtError.optional(),
  /** The step whose failure `error` is (the workflow's <Step>Failed states name it). */
  failedStep: z.enum(['Ingest', 'Detect', 'SendMails', 'Report']).optional(),
});
export type MonitorReportInput = z.infer<typeof MonitorReportEvent>;
