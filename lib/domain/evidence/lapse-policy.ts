// Which notice an evidence item needs today. Pure: no clock, no store.
//
// Stages for one validity period (validUntil fixed):
//   due-soon      0..dueSoonDays days before the end, once, to the owner
//   lapsed        the first owner notice after the end, whatever the day
//   reminder-N    reminderEveryDays after the last owner notice recorded, to the
//                 owner, until renewed; N counts the reminders recorded
//   escalated     escalateAfterDays after the end, once, to the owner's manager
// Reminders follow what was recorded, not the calendar: after days without a sweep
// the owner gets the notice due, never a reminder one day after the previous mail.
// A notice's key holds the validity end and the stage, so renewing the item (a new
// validUntil) starts a fresh cycle, and two sweeps on one day that read the same
// history ask for the same stage (the same key: recorded once).
import { z } from 'zod';
import { addDays, daysBetween } from '../dates.ts';
import type { EvidenceRecord, SweepPolicy } from '../org/org.ts';
import { EVIDENCE_STATUSES } from '../vocabulary.ts';

export const EvidenceStatusName = z.enum(EVIDENCE_STATUSES);
export type EvidenceStatusName = z.infer<typeof EvidenceStatusName>;
export type EvidenceStatus = EvidenceStatusName;
export type NoticeStage = 'due-soon' | 'lapsed' | `reminder-${number}` | 'escalated';

export interface StatusOf {
  status: EvidenceStatus;
  /** Days past the end (negative: days left). Undefined when the item has no end. */
  daysOverdue?: number;
}

export function evidenceStatus(validUntil: string | undefined, today: string, policy: SweepPolicy): StatusOf {
  if (!validUntil) return { status: 'current' };
  const daysOverdue = daysBetween(validUntil, today);
  if (daysOverdue >= policy.escalateAfterDays) return { status: 'escalated', daysOverdue };
  if (daysOverdue > 0) return { status: 'lapsed', daysOverdue };
  if (-daysOverdue <= policy.dueSoonDays) return { status: 'due-soon', daysOverdue };
  return { status: 'current', daysOverdue };
}

/**
 * Why a registered item counts as no evidence today: renewed by a later item, retired,
 * or lapsed; undefined while it is current or due soon.
 */
export function whyNotCurrent(e: Pick<EvidenceRecord, 'validUntil' | 'retired' | 'renewedBy'>, today: string, policy: SweepPolicy): string | undefined {
  if (e.renewedBy) return `renewed by ${e.renewedBy}`;
  if (e.retired) return 'retired';
  const { status } = evidenceStatus(e.validUntil, today, policy);
  return status === 'lapsed' || status === 'escalated' ? `${status} (it ended ${e.validUntil})` : undefined;
}

/** What the sweep has recorded for an item's current validity period. */
export interface NoticeHistory {
  /** Stages recorded for this validity period. */
  noticed: readonly string[];
  /** The day (the organisation's date) the latest owner notice of the period was recorded for. */
  ownerNoticedOn?: string;
}

const NOTHING_RECORDED: NoticeHistory = { noticed: [] };

/** The number of a `reminder-N` stage, or undefined for any other stage. */
function reminderNumber(stage: string): number | undefined {
  const m = /^reminder-([1-9]\d*)$/.exec(stage);
  return m ? Number(m[1]) : undefined;
}

/**
 * The day the latest owner notice after the end was recorded for. Items noticed
 * before that day was recorded have none after the end (at most their due-soon
 * day): for them, the first day the former calendar rule gave their latest stage
 * (lapsed: the day after the end, reminder-k: k periods later), never later than
 * the day it was really recorded.
 */
function lastOwnerNoticeDay(validUntil: string, lastReminder: number, history: NoticeHistory, policy: SweepPolicy): string {
  if (history.ownerNoticedOn && history.ownerNoticedOn > validUntil) return history.ownerNoticedOn;
  return addDays(validUntil, 1 + lastReminder * policy.reminderEveryDays);
}

/** The owner's notice due today given what was recorded, or undefined when the owner needs nothing now. */
export function ownerStage(validUntil: string, today: string, policy: SweepPolicy, history: NoticeHistory = NOTHING_RECORDED): NoticeStage | undefined {
  const daysOverdue = daysBetween(validUntil, today);
  if (daysOverdue <= 0) return -daysOverdue <= policy.dueSoonDays && !history.noticed.includes('due-soon') ? 'due-soon' : undefined;
  const reminders = history.noticed.map(reminderNumber).filter((n): n is number => n !== undefined);
  if (!history.noticed.includes('lapsed') && reminders.length === 0) return 'lapsed';
  // The highest number, not the count: an item the calendar rule noticed first as reminder-5 goes on with 6.
  const last = Math.max(0, ...reminders);
  const since = daysBetween(lastOwnerNoticeDay(validUntil, last, history, policy), today);
  return since >= policy.reminderEveryDays ? `reminder-${last + 1}` : undefined;
}

export interface NoticeNeed {
  stage: NoticeStage;
  to: 'owner' | 'escalation';
}

/** Every notice an item needs today and has not had (at most one to the owner, one escalation). */
export function noticesNeeded(validUntil: string | undefined, today: string, policy: SweepPolicy, history: NoticeHistory = NOTHING_RECORDED): NoticeNeed[] {
  if (!validUntil) return [];
  const needs: NoticeNeed[] = [];
  const stage = ownerStage(validUntil, today, policy, history);
  if (stage) needs.push({ stage, to: 'owner' });
  if (daysBetween(validUntil, today) >= policy.escalateAfterDays && !history.noticed.includes('escalated')) needs.push({ stage: 'escalated', to: 'escalation' });
  return needs;
}

/** Orders stages so a later one supersedes an earlier pending one of the same cycle. */
export function stageRank(stage: NoticeStage): number {
  if (stage === 'due-soon') return 0;
  if (stage === 'lapsed') return 1;
  if (stage === 'escalated') return Number.MAX_SAFE_INTEGER;
  return 1 + Number(stage.slice('reminder-'.length));
}
