// A notice as recorded in the table: one evidence item, one validity cycle, one
// stage, one recipient. Recorded pending before any mail goes out.
import type { NoticeStage } from '../evidence/lapse-policy.ts';

export type NoticeStatus = 'pending' | 'sending' | 'sent' | 'superseded' | 'cancelled';

export interface Notice {
  orgId: string;
  evidenceId: string;
  evidenceTitle: string;
  evidenceLocation: string;
  controlId: string;
  controlTitle: string;
  /** The validity end of the cycle this notice belongs to (YYYY-MM-DD). */
  validUntil: string;
  stage: NoticeStage;
  recipientId: string;
  /** The evidence owner; differs from the recipient on escalations. */
  ownerId: string;
  ownerName: string;
  status: NoticeStatus;
  /** The run that recorded it, and when (ISO-8601 UTC). */
  recordedBy: string;
  recordedAt: string;
  attempts: number;
  lastError?: string;
  claimedBy?: string;
  leaseUntil?: string;
  messageId?: string;
  sentAt?: string;
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
