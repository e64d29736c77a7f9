// A notice as recorded in the table, for one recipient, recorded pending before any
// mail goes out: about one evidence item's validity cycle and stage, or a digest of a
// quarter's review tasks, or a behaviour-monitoring alert. All travel the same
// never-lost, never-doubled way.
import { z } from 'zod';
import type { NoticeStage } from '../evidence/lapse-policy.ts';
import { controlTitles } from '../review/soa.ts';

export const NoticeStatus = z.enum(['pending', 'sending', 'sent', 'superseded', 'cancelled']);
export type NoticeStatus = z.infer<typeof NoticeStatus>;

const Stage = z.custom<NoticeStage>((v) => typeof v === 'string' && /^(?:due-soon|lapsed|escalated|reminder-[1-9]\d*)$/.test(v), {
  message: 'must be due-soon, lapsed, reminder-N or escalated',
});

/** What every notice carries: to whom, recorded by which run, and where its delivery stands. */
const NoticeBase = z.object({
  orgId: z.string(),
  recipientId: z.string(),
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

/** One evidence item, one validity cycle, one stage. (Earlier versions stored no `kind`: evidence.) */
export const EvidenceNotice = NoticeBase.extend({
  kind: z.literal('evidence').default('evidence'),
  evidenceId: z.string(),
  evidenceTitle: z.string(),
  evidenceLocation: z.string(),
  controlId: z.string(),
  /** The catalogue's title (notices recorded before this field existed hold the organisation file's). */
  controlTitle: z.string(),
  /** The organisation file's title for the control, where it differs from the catalogue's. */
  controlTitleInOrganisationFile: z.string().optional(),
  /** The validity end of the cycle this notice belongs to (YYYY-MM-DD). */
  validUntil: z.string(),
  stage: Stage,
  /**
   * The day (the organisation's date) of the sweep that recorded it; an owner notice's
   * day is kept on the item, and the next reminder counts from it. Older notices have none.
   */
  recordedOn: z.iso.date().optional(),
  /** The evidence owner; differs from the recipient on escalations. */
  ownerId: z.string(),
  ownerName: z.string(),
});
export type EvidenceNotice = z.infer<typeof EvidenceNotice>;

export const ReviewStage = z.enum(['assigned', 'reminder', 'escalated']);
export type ReviewStage = z.infer<typeof ReviewStage>;

/**
 * One person's digest of a quarter's review tasks at one stage: the tasks given to
 * them (assigned), due soon (reminder), or, for a reviewer, overdue (escalated).
 */
export const ReviewNotice = NoticeBase.extend({
  kind: z.literal('review'),
  quarter: z.string(),
  due: z.string(),
  stage: ReviewStage,
  /** A task handed over on its own (a delegation): its digest is keyed apart from the quarter's. */
  about: z.string().optional(),
  tasks: z.array(z.object({ id: z.string(), control: z.string(), controlTitle: z.string(), ownerName: z.string() })).min(1),
});
export type ReviewNotice = z.infer<typeof ReviewNotice>;

/**
 * One behaviour-monitoring alert for one recipient (the group's owner, the security
 * contact): what was seen, by whom, where and when (local times, written with the
 * time zone when recorded), and the rule's figures for the mail to explain.
 */
export const AlertNotice = NoticeBase.extend({
  kind: z.literal('alert'),
  alertId: z.string(),
  rule: z.string(),
  pattern: z.string().optional(),
  severity: z.enum(['low', 'medium', 'high', 'critical']),
  tier: z.string(),
  /** The person's name, or the user's masked form. */
  who: z.string(),
  group: z.string().optional(),
  platform: z.string(),
  eventCount: z.number().int().nonnegative(),
  /** `2026-11-24 14:00 – 14:39 (Asia/Hong_Kong)`. */
  when: z.string(),
  detail: z.record(z.string(), z.unknown()),
});
export type AlertNotice = z.infer<typeof AlertNotice>;

export const Notice = z.union([ReviewNotice, AlertNotice, EvidenceNotice]);
export type Notice = z.infer<typeof Notice>;

/**
 * A waiting notice as the store hands it out: for whom it waits, and the store's
 * own handle on it (opaque to the use cases, given back to claim it).
 */
export interface WaitingNotice {
  recipientId: string;
  handle: string;
}

/** A review task as a notice mail lists it. */
export interface TaskLine {
  stage: ReviewStage;
  quarter: string;
  taskId: string;
  controlId: string;
  controlTitle: string;
  ownerName: string;
  due: string;
  /** Positive: days past the due date; zero or negative: days left. */
  daysOverdue: number;
}

/** A behaviour alert as a notice mail lists it. */
export type AlertLine = Pick<AlertNotice, 'alertId' | 'rule' | 'pattern' | 'severity' | 'tier' | 'who' | 'group' | 'platform' | 'eventCount' | 'when' | 'detail'>;

/** What one line of a notice mail needs; days are computed on the day of sending. */
export interface NoticeLine {
  stage: NoticeStage;
  controlId: string;
  /** The catalogue's title. */
  controlTitle: string;
  /** The organisation file's title, where it differs: the mail shows it beside the catalogue's. */
  controlTitleInOrganisationFile?: string;
  evidenceId: string;
  evidenceTitle: string;
  evidenceLocation: string;
  validUntil: string;
  /** Positive: days past the end; zero or negative: days left (0 = ends today). */
  daysOverdue: number;
  ownerName: string;
}

/**
 * An evidence notice's control, named as the SoA names it: the catalogue's title, and
 * the organisation file's only where it differs (the field left out otherwise, never
 * stored as undefined).
 */
export function noticeControlTitles(id: string, titleInFile: string | undefined): Pick<NoticeLine, 'controlTitle' | 'controlTitleInOrganisationFile'> {
  const { title, titleInOrganisationFile } = controlTitles(id, titleInFile);
  return { controlTitle: title, ...(titleInOrganisationFile !== undefined ? { controlTitleInOrganisationFile: titleInOrganisationFile } : {}) };
}
