// An alert: one rule matched by one user in one group on one local day. Its id comes
// from what it is about, never from the run that found it, so a re-run, a retried
// step or a re-imported file finds the same alert and adds nothing. Pure.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Rule } from './policy.ts';
import { DISPOSITIONS } from '../vocabulary.ts';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const AlertSeverity = z.enum(SEVERITIES);
export type AlertSeverity = z.infer<typeof AlertSeverity>;

export const AlertStatus = z.enum(['open', 'acknowledged', 'resolved']);
export type AlertStatus = z.infer<typeof AlertStatus>;

export const Disposition = z.enum(DISPOSITIONS, { error: `must be one of ${DISPOSITIONS.join(', ')}` });
export type Disposition = z.infer<typeof Disposition>;

export const TierName = z.enum(['red', 'amber', 'green', 'unknown']);
export type TierName = z.infer<typeof TierName>;

/** `20261124-3f9c2a1b`: the local day of the events, and 8 hex characters of what the alert is about. */
export const AlertId = z.string().regex(/^\d{8}-[0-9a-f]{8}$/, 'must be an alert id such as 20261124-3f9c2a1b');

export const Alert = z.object({
  id: AlertId,
  orgId: z.string(),
  rule: Rule,
  /** For a departure alert: the rule whose pattern the leaver matched. */
  pattern: Rule.optional(),
  /** The person's id, or the user's masked form when not one of the organisation's people. */
  user: z.string(),
  /** Keyed hash of the user as the platform names them. */
  userHash: z.string(),
  /** Set when the user is one of the organisation's people. */
  person: z.string().optional(),
  platform: z.string(),
  /** The group, redacted, with the keyed hash of its name. */
  group: z.string().optional(),
  groupHash: z.string().optional(),
  tier: TierName,
  severity: AlertSeverity,
  /** Ids of the events behind it (at most 50), and how many there were. */
  events: z.array(z.string()),
  eventCount: z.int().nonnegative(),
  firstEventAt: z.string(),
  lastEventAt: z.string(),
  /** The local day it is about (YYYY-MM-DD, the organisation's time zone). */
  day: z.string(),
  /** What the rule measured: counts, thresholds, the baseline, the target's kind. */
  detail: z.record(z.string(), z.unknown()),
  /** When it was raised (the run's time), and by which run. */
  at: z.string(),
  raisedBy: z.string(),
  /** Who was told: the group's owner and the security contact. */
  recipients: z.array(z.string()),
  status: AlertStatus,
  acknowledgedAt: z.string().optional(),
  acknowledgedBy: z.string().optional(),
  resolvedAt: z.string().optional(),
  resolvedBy: z.string().optional(),
  disposition: Disposition.optional(),
  comment: z.string().optional(),
});
export type Alert = z.infer<typeof Alert>;

/** The deterministic id of an alert: its day and a hash of what it is about. */
export function alertId(day: string, ...about: string[]): string {
  const hash = createHash('sha256').update(about.join('\u0000'), 'utf8').digest('hex').slice(0, 8);
  return `${day.replace(/-/g, '')}-${hash}`;
}

/** One step up the severity scale, at most critical. */
export function raised(severity: AlertSeverity, steps = 1): AlertSeverity {
  return SEVERITIES[Math.min(SEVERITIES.length - 1, SEVERITIES.indexOf(severity) + steps)] as AlertSeverity;
}

/** What a rule is, in a few words, for lists and mails. */
export const RULE_TITLES: Readonly<Record<Rule, { en: string; 'zh-Hant': string }>> = {
  volume: { en: 'Bulk downloads far above the user\'s own baseline', 'zh-Hant': '大量下載，遠高於該用戶平常水平' },
  flow: { en: 'Content forwarded the wrong way', 'zh-Hant': '內容被轉發至不應去的地方' },
  strangers: { en: 'Activity in a red group by someone outside the organisation', 'zh-Hant': '機構以外人士在紅色群組中活動' },
  exposure: { en: 'Public or external link on a red group\'s content', 'zh-Hant': '紅色群組內容被建立公開或外部連結' },
  timing: { en: 'Bulk activity outside working hours', 'zh-Hant': '非辦公時間的大量活動' },
  departure: { en: 'Activity of concern by someone in their notice period', 'zh-Hant': '通知期內員工的可疑活動' },
};
