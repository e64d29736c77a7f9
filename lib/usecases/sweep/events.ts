// The events the sweep's Lambda functions accept, checked at the edge.
import { z } from 'zod';
import { Person } from '../../domain/org/org.ts';

const isoInstant = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time' });

export const SweepEvent = z.object({
  orgId: z.string().min(1),
  runName: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'must be 1-80 letters, digits, "_" or "-"'),
  now: isoInstant,
});

/** A recipient is a person of the organisation, as the plan hands them to the send step. */
const Recipient = Person.pick({ id: true, name: true, email: true, language: true });

export const SendEvent = SweepEvent.extend({ recipients: z.array(Recipient).min(1), organisationName: z.string().min(1) });

const SendOutcome = z.object({
  recipientId: z.string(),
  mailed: z.boolean(),
  sent: z.number(),
  failed: z.number(),
  superseded: z.number(),
  cancelled: z.number(),
  kinds: z.object({ escalated: z.number(), lapsed: z.number(), 'due-soon': z.number() }).optional(),
  messageId: z.string().optional(),
  error: z.string().optional(),
});

/** What the workflow's Catch records when a whole batch's step failed. */
const FailedBatch = z.object({ failedBatch: z.literal(true), recipientIds: z.array(z.string()), error: z.string(), cause: z.string().optional() });

export const ReportEvent = SweepEvent.extend({
  plan: z
    .object({
      organisationName: z.string(),
      batches: z.array(z.object({ recipients: z.array(Recipient) })),
      unknownRecipients: z.array(z.string()),
      evidenceRead: z.number(),
      recorded: z.number(),
      alreadyRecorded: z.number(),
    })
    .optional(),
  sends: z.array(z.union([z.array(SendOutcome), FailedBatch])).optional(),
  error: z.object({ Error: z.string(), Cause: z.string().optional() }).optional(),
});
