// A notice as recorded in the table: one evidence item, one validity cycle, one
// stage, one recipient. Recorded pending before any mail goes out.
import { z } from 'zod';
import type { NoticeStage } from '../evidence/lapse-policy.ts';

export const NoticeStatus = z.enum(['pending', 'sending', 'sent', 'superseded', 'cancelled']);
export type NoticeStatus = z.infer<typeof NoticeStatus>;

const Stage = z.custom<NoticeStage>((v) => typeof v === 'string' && /^(?:due-soon|lapsed|escalated|reminder-[1-9]\d*)$/.test(v), {
  message: 'must be due-soon, lapsed, reminder-N or escalated',
});

export const Notice = z.object({
  orgId: z.string(),
  evidenceId: z.string(),
  evidenceTitle: z.string(),
  evidenceLocation: z.string(),
  controlId: z.string(),
  controlTitle: z.string(),
  /** The validity end of the cycle this notice belongs to (YYYY-MM-DD). */
  validUntil: z.string(),
  stage: Stage,
  recipientId: z.string(),
  /** The evidence owner; differs from the recipient on escalations. */
  ownerId: z.string(),
  ownerName: z.string(),
  status: NoticeStatus,
  /** The run that recorded it, and when (ISO-8601 UTC). */
  recordedBy: z.string(),
  recordedAt: z.string(),
  attempts: z.number().int().nonnegative(),
  lastError: z.string().optional(),
  claimedBy: z.string().optional(),
  leaseUntil: z.string().optional(),
  messageId: z.string().optional(),
  sentAt: z.string().optional(),
  closedAt: z.string().optional(),
  closedReason: z.string().optional(),
});
export type Notice = z.infer<typeof Notice>;

/**
 * A waiting notice as the store hands it out: for whom it waits, and the store's
 * own handle on it (opaque to the use cases, given back to claim it).
 */
export interface WaitingNotice {
  recipientId: string;
  handle: string;
}

/** What one line of a notice mail needs; days are computed on the day of sending. */
export interface NoticeLine {
  stage: NoticeStage;
  controlId: string;
  controlTitle: string;
  evidenceId: string;
  evidenceTitle: string;
  evidenceLocation: string;
  validUntil: string;
  /** Positive: days past the end; zero or negative: days left (0 = ends today). */
  daysOverdue: number;
  ownerName: string;
}
