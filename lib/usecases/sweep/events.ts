// What the sweep's steps take and give, as the workflow passes it between them:
// one schema each, checked at the Lambda edge, and the types from the schemas.
import { z } from 'zod';
import { Person, TimeZone } from '../../domain/org/org.ts';
import { CaughtError } from '../caught-error.ts';
import { RunInput } from '../run-input.ts';

/** Who a mail goes to; handed to the send step so it reads nothing but the notices. */
export const Recipient = Person.pick({ id: true, name: true, email: true, language: true });
export type Recipient = z.infer<typeof Recipient>;

export const PlanResult = z.object({
  organisationName: z.string(),
  /** The organisation's time zone: the send step writes its dates (and counts days) in it. */
  timeZone: TimeZone.optional(),
  /** Everyone with a notice pending after this step, this sweep's or an earlier one's, sorted by id, in batches. */
  batches: z.array(z.object({ recipients: z.array(Recipient) })),
  /** Recipients no longer in the organisation whose waiting notices were cancelled. */
  unknownRecipients: z.array(z.string()),
  evidenceRead: z.number(),
  /** Open review tasks read from the due-date index. */
  tasksRead: z.number().default(0),
  /** Reviews this run closed (deadline passed, or every answer accepted). */
  reviewsClosed: z.array(z.string()).default([]),
  recorded: z.number(),
  alreadyRecorded: z.number(),
});
export type PlanResult = z.infer<typeof PlanResult>;

export const SendEvent = RunInput.extend({
  recipients: z.array(Recipient).min(1),
  organisationName: z.string().min(1),
  /** The organisation's time zone, for the mail's date and day counts; UTC without one. */
  timeZone: TimeZone.optional(),
});
export type SendBatchInput = z.infer<typeof SendEvent>;

const Kinds = z.object({
  escalated: z.number(),
  lapsed: z.number(),
  'due-soon': z.number(),
  /** Review digests: one notice each, listing `tasks` tasks between them. */
  digests: z.number().optional(),
  tasks: z.number().default(0),
  alerts: z.number().optional(),
});

export const SendResult = z.object({
  recipientId: z.string(),
  mailed: z.boolean(),
  sent: z.number(),
  failed: z.number(),
  superseded: z.number(),
  cancelled: z.number(),
  /** Notices in the mail by kind: evidence escalated, lapsed (with reminders), due-soon; review digests (and the tasks they list); behaviour alerts. */
  kinds: Kinds.optional(),
  messageId: z.string().optional(),
  error: z.string().optional(),
});
export type SendResult = z.infer<typeof SendResult>;

/** What the workflow's Catch records when a whole batch's step failed. */
export const FailedBatch = z.object({ failedBatch: z.literal(true), recipientIds: z.array(z.string()), error: z.string(), cause: z.string().optional() });
export type FailedBatch = z.infer<typeof FailedBatch>;

export const ReportEvent = RunInput.extend({
  plan: PlanResult.optional(),
  /** One entry per batch: its recipients' results, or the Catch's record of a failed batch. */
  sends: z.array(z.union([z.array(SendResult), FailedBatch])).optional(),
  /** Set by the workflow's Catch when a step failed for good. */
  error: CaughtError.optional(),
});
export type ReportInput = z.infer<typeof ReportEvent>;
