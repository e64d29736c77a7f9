// Which notice an evidence item needs today. Pure: no clock, no store.
//
// Stages for one validity period (validUntil fixed):
//   due-soon      0..dueSoonDays days before the end, once, to the owner
//   lapsed        the day after the end, to the owner
//   reminder-N    every reminderEveryDays after that, to the owner, until renewed
//   escalated     escalateAfterDays after the end, once, to the owner's manager
// A notice's key holds the validity end, so renewing the item (a new validUntil)
// starts a fresh cycle and no notice of the old cycle is sent again.
import { z } from 'zod';
import { daysBetween } from '../dates.ts';
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

/** The owner's notice stage today, or undefined when the owner needs nothing. */
export function ownerStage(daysOverdue: number, policy: SweepPolicy): NoticeStage | undefined {
  if (daysOverdue <= 0) return -daysOverdue <= policy.dueSoonDays ? 'due-soon' : undefined;
  const cycle = Math.floor((daysOverdue - 1) / policy.reminderEveryDays);
  return cycle === 0 ? 'lapsed' : `reminder-${cycle}`;
}

export interface NoticeNeed {
  stage: NoticeStage;
  to: 'owner' | 'escalation';
}

/** Every notice an item needs today (at most one to the owner, one escalation). */
export function noticesNeeded(validUntil: string | undefined, today: string, policy: SweepPolicy): NoticeNeed[] {
  if (!validUntil) return [];
  const daysOverdue = daysBetween(validUntil, today);
  const needs: NoticeNeed[] = [];
  const stage = ownerStage(daysOverdue, policy);
  if (stage) needs.push({ stage, to: 'owner' });
  if (daysOverdue >= policy.escalateAfterDays) needs.push({ stage: 'escalated', to: 'escalation' });
  return needs;
}

/** Orders stages so a later one supersedes an earlier pending one of the same cycle. */
export function stageRank(stage: NoticeStage): number {
  if (stage === 'due-soon') return 0;
  if (stage === 'lapsed') return 1;
  if (stage === 'escalated') return Number.MAX_SAFE_INTEGER;
  return 1 + Number(stage.slice('reminder-'.length));
}
