// Step 2 of a sweep (and of a review's opening, and of a monitoring run), once per batch
// of recipients: claim each recipient's pending notices, evidence, review digests and
// behaviour alerts alike, send one mail
// per recipient listing them all, and record each notice as sent with the message id. A failed send puts the notices back to pending
// for the next sweep.
import pMap from 'p-map';
import { daysBetween } from '../../domain/dates.ts';
import { stageRank } from '../../domain/evidence/lapse-policy.ts';
import { noticeControlTitles, type AlertNotice, type EvidenceNotice, type ReviewNotice, type TaskLine, type WaitingNotice } from '../../domain/notice/notice.ts';
import { renderNoticeMail } from '../../domain/notice/notice-mail.ts';
import { dateIn } from '../../workflows/declarations.ts';
import type { ClaimedNotice, NoticeClosing, Ports } from '../ports.ts';
import type { Recipient, SendBatchInput, SendResult } from './events.ts';

type Kinds = NonNullable<SendResult['kinds']>;
type ClaimedEvidenceNotice = EvidenceNotice & { handle: string };
type ClaimedReviewNotice = ReviewNotice & { handle: string };
type ClaimedAlertNotice = AlertNotice & { handle: string };

/** Each notice mailed counts once (a review digest as one, however many tasks it lists), so the kinds add up to the notices sent. */
function kindsOf(evidence: ClaimedEvidenceNotice[], digests: number, tasks: TaskLine[], alerts: number): Kinds {
  const kinds: Kinds = { escalated: 0, lapsed: 0, 'due-soon': 0, digests, tasks: tasks.length, ...(alerts > 0 ? { alerts } : {}) };
  for (const n of evidence) kinds[n.stage === 'escalated' || n.stage === 'due-soon' ? n.stage : 'lapsed']++;
  return kinds;
}

/** A claim outlives any send; a sweep that dies mid-send frees its notices after this. */
const LEASE_MS = 10 * 60_000;

/** Of several pending notices for one item and cycle, only the latest stage is still news. */
export function latestPerItem(notices: ClaimedEvidenceNotice[]): { keep: ClaimedEvidenceNotice[]; superseded: ClaimedEvidenceNotice[] } {
  const best = new Map<string, ClaimedEvidenceNotice>();
  for (const n of notices) {
    const group = `${n.evidenceId}#${n.validUntil}#${n.stage === 'escalated' ? 'escalated' : 'owner'}`;
    const current = best.get(group);
    if (!current || stageRank(n.stage) > stageRank(current.stage)) best.set(group, n);
  }
  const keep = new Set(best.values());
  return { keep: [...keep], superseded: notices.filter((n) => !keep.has(n)) };
}

const REVIEW_STAGE_RANK: Record<ReviewNotice['stage'], number> = { assigned: 0, reminder: 1, escalated: 2 };

/**
 * The task lines of a recipient's review digests: each task once, at its latest
 * stage (an escalation is listed apart: it is about someone else's task), and only
 * while it still waits for an answer. A digest none of whose tasks still waits is stale.
 */
export function taskLinesOf(notices: ClaimedReviewNotice[], stillOpen: (taskId: string) => boolean, today: string): { lines: TaskLine[]; stale: ClaimedReviewNotice[] } {
  const best = new Map<string, TaskLine>();
  const stale: ClaimedReviewNotice[] = [];
  for (const n of notices) {
    const open = n.tasks.filter((t) => stillOpen(t.id));
    if (open.length === 0) stale.push(n);
    for (const t of open) {
      const key = `${t.id}#${n.stage === 'escalated' ? 'escalated' : 'owner'}`;
      const current = best.get(key);
      if (current && REVIEW_STAGE_RANK[current.stage] >= REVIEW_STAGE_RANK[n.stage]) continue;
      best.set(key, { stage: n.stage, quarter: n.quarter, taskId: t.id, controlId: t.control, controlTitle: t.controlTitle, ownerName: t.ownerName, due: n.due, daysOverdue: daysBetween(n.due, today) });
    }
  }
  return { lines: [...best.values()], stale };
}

/** Which of these review digests' tasks still wait for an answer: one query per quarter. */
async function openTaskIds(rt: Ports, orgId: string, notices: ClaimedReviewNotice[]): Promise<Set<string>> {
  const quarters = [...new Set(notices.map((n) => n.quarter))];
  const tasks = (await Promise.all(quarters.map((q) => rt.reviews.tasks(orgId, q)))).flat();
  return new Set(tasks.filter((t) => t.status === 'open' && !t.closedAt).map((t) => t.id));
}

/** Which of these alerts (notices recorded by earlier runs) are resolved by now: nobody needs telling of them. */
async function resolvedAlerts(rt: Ports, orgId: string, notices: ClaimedAlertNotice[]): Promise<Set<string>> {
  const statuses = await rt.alerts.statuses(orgId, notices.map((n) => n.alertId));
  return new Set([...statuses].filter(([, status]) => status === 'resolved').map(([id]) => id));
}

/**
 * One query for the whole batch's waiting notices, then one mail per recipient.
 * A recipient that fails is reported and never stops the others: their mails may
 * already be out, and failing the batch would leave them unrecorded.
 */
export async function sendBatch(rt: Ports, input: SendBatchInput): Promise<SendResult[]> {
  const waiting = await rt.notices.waitingFor(input.orgId, input.recipients.map((r) => r.id));
  return pMap(input.recipients, async (recipient): Promise<SendResult> => {
    const mine = waiting.filter((k) => k.recipientId === recipient.id);
    try {
      return await sendToRecipient(rt, input, recipient, mine);
    } catch (error) {
      // Notices this sweep claimed stay claimed until the lease ends, then the next sweep takes them.
      const e = error as Error;
      return { recipientId: recipient.id, mailed: false, sent: 0, failed: mine.length, superseded: 0, cancelled: 0, error: `${e.name}: ${e.message}` };
    }
  }, { concurrency: 4 });
}

async function sendToRecipient(rt: Ports, input: SendBatchInput, person: Recipient, waiting: WaitingNotice[]): Promise<SendResult> {
  const result: SendResult = { recipientId: person.id, mailed: false, sent: 0, failed: 0, superseded: 0, cancelled: 0 };
  const at = () => rt.clock().toISOString();
  const wallNow = rt.clock();
  const leaseUntil = new Date(wallNow.getTime() + LEASE_MS).toISOString();
  // Claiming returns the notice: the claim is the read.
  const each = <T>(notices: T[], fn: (n: T) => Promise<unknown>) => pMap(notices, fn, { concurrency: 8 });
  const close = (notices: ClaimedNotice[], outcome: NoticeClosing) => each(notices, (n) => rt.notices.close(n, input.runName, outcome, at()));
  const claimed = (await pMap(waiting, (w) => rt.notices.claim(input.orgId, w, input.runName, wallNow.toISOString(), leaseUntil), { concurrency: 8 })).filter(
    (n): n is ClaimedNotice => n !== undefined,
  );
  if (claimed.length === 0) return result;

  // A notice that carries a message id was mailed by a sweep that died before closing it: close it, never mail it again.
  const mailedBefore = claimed.filter((n) => n.messageId);
  await each(mailedBefore, (n) => rt.notices.close(n, input.runName, { status: 'sent', messageId: n.messageId as string }, at()));
  const unsent = claimed.filter((n) => !n.messageId);
  if (unsent.length === 0) return result;

  // Notices left from earlier sweeps may be out of date: the item renewed or retired since, the task answered.
  const evidence = unsent.filter((n): n is ClaimedEvidenceNotice => n.kind === 'evidence');
  const reviews = unsent.filter((n): n is ClaimedReviewNotice => n.kind === 'review');
  const alertNotices = unsent.filter((n): n is ClaimedAlertNotice => n.kind === 'alert');
  const earlierAlerts = alertNotices.filter((n) => n.recordedBy !== input.runName);
  const resolved = earlierAlerts.length > 0 ? await resolvedAlerts(rt, input.orgId, earlierAlerts) : new Set<string>();
  const settled = alertNotices.filter((n) => resolved.has(n.alertId));
  const alerts = alertNotices.filter((n) => !resolved.has(n.alertId));
  const earlier = evidence.filter((n) => n.recordedBy !== input.runName);
  const validity = earlier.length > 0 ? await rt.organisations.currentValidity(input.orgId, earlier.map((n) => n.evidenceId)) : new Map<string, string | undefined>();
  const stale = earlier.filter((n) => validity.get(n.evidenceId) !== n.validUntil);
  const { keep, superseded } = latestPerItem(evidence.filter((n) => !stale.includes(n)));
  // The organisation's date, as the plan counted it (UTC when the step is not told the time zone).
  const today = dateIn(new Date(input.now), input.timeZone);
  // A digest this run recorded was made from tasks it read open; only earlier ones are read again.
  const earlierDigests = reviews.filter((n) => n.recordedBy !== input.runName);
  const open = earlierDigests.length > 0 ? await openTaskIds(rt, input.orgId, earlierDigests) : new Set<string>();
  const fresh = new Set(reviews.filter((n) => n.recordedBy === input.runName).flatMap((n) => n.tasks.map((t) => t.id)));
  const tasks = taskLinesOf(reviews, (id) => fresh.has(id) || open.has(id), today);
  await close(stale, { status: 'cancelled', reason: 'evidence renewed or retired before the notice was sent' });
  await close(tasks.stale, { status: 'cancelled', reason: 'every task in it was answered or closed before the notice was sent' });
  await close(superseded, { status: 'superseded', reason: 'a later notice for the same evidence replaces it' });
  await close(settled, { status: 'cancelled', reason: 'the alert was resolved before the notice was sent' });
  result.cancelled = stale.length + tasks.stale.length + settled.length;
  result.superseded = superseded.length;
  const digests = reviews.filter((n) => !tasks.stale.includes(n));
  const mailed = [...alerts, ...keep, ...digests];
  if (mailed.length === 0) return result;

  const mail = renderNoticeMail({
    recipient: { name: person.name, email: person.email, language: person.language },
    organisationName: input.organisationName,
    asOf: today,
    lines: keep.map((n) => ({
      stage: n.stage,
      controlId: n.controlId,
      // Named again from the catalogue: a notice recorded before the catalogue's title was
      // stored holds the file's title as controlTitle, and is named like the rest.
      ...noticeControlTitles(n.controlId, n.controlTitleInOrganisationFile ?? n.controlTitle),
      evidenceId: n.evidenceId,
      evidenceTitle: n.evidenceTitle,
      evidenceLocation: n.evidenceLocation,
      validUntil: n.validUntil,
      daysOverdue: daysBetween(n.validUntil, today),
      ownerName: n.ownerName,
    })),
    tasks: tasks.lines,
    ...(rt.webBaseUrl ? { tasksUrl: `${rt.webBaseUrl.replace(/\/$/, '')}/tasks` } : {}),
    alerts: alerts.map((n) => ({ alertId: n.alertId, rule: n.rule, pattern: n.pattern, severity: n.severity, tier: n.tier, who: n.who, group: n.group, platform: n.platform, eventCount: n.eventCount, when: n.when, detail: n.detail })),
  });

  let messageId: string;
  try {
    ({ messageId } = await rt.mailer.send({
      to: { name: person.name, email: person.email },
      ...mail,
      headers: { 'X-Compliance-Run': input.runName, 'X-Compliance-Organisation': input.orgId },
    }));
  } catch (error) {
    const reason = `${(error as Error).name}: ${(error as Error).message}`;
    await each(mailed, (n) => rt.notices.release(n, input.runName, reason, at()));
    return { ...result, failed: mailed.length, error: reason };
  }
  const sent = { ...result, mailed: true, sent: mailed.length, kinds: kindsOf(keep, digests.length, tasks.lines, alerts.length), messageId };
  try {
    await each(mailed, (n) => rt.notices.noteMessageId(n, input.runName, messageId));
    await close(mailed, { status: 'sent', messageId });
  } catch (error) {
    // The mail is out; what is not yet recorded as sent is closed, not re-mailed, by a later sweep once the lease ends.
    return { ...sent, error: `mailed, but not every notice is recorded as sent yet: ${(error as Error).name}: ${(error as Error).message}` };
  }
  return sent;
}
