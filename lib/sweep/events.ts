// The events the sweep's Lambda functions accept, checked at the edge.
import { z } from 'zod';

const isoInstant = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time' });

export const SweepEvent = z.object({
  orgId: z.string().min(1),
  runName: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'must be 1-80 letters, digits, "_" or "-"'),
  now: isoInstant,
});

const Recipient = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  email: z.email(),
  language: z.enum(['en', 'zh-Hant']),
});

export const SendEvent = SweepEvent.extend({ recipient: Recipient, organisationName: z.string().min(1) });

const SendOutcome = z.object({
  recipientId: z.string(),
  mailed: z.boolean(),
  sent: z.number(),
  failed: z.number(),
  superseded: z.number().default(0),
  cancelled: z.number().default(0),
  messageId: z.string().optional(),
  error: z.string().optional(),
  cause: z.string().optional(),
});

export const ReportEvent = SweepEvent.extend({
  plan: z
    .object({
      organisationName: z.string(),
      recipients: z.array(Recipient),
      unknownRecipients: z.array(z.string()),
      evidenceRead: z.number(),
      recorded: z.number(),
      alreadyRecorded: z.number(),
    })
    .optional(),
  sends: z.array(SendOutcome).optional(),
  error: z.object({ Error: z.string(), Cause: z.string().optional() }).optional(),
});
