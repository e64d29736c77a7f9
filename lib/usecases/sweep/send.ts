// Step 2 of a sweep, once per batch of recipients: claim each recipient's pending
// notices, send one mail per recipient listing them all, and record each notice
// as sent with the message id. A failed send puts the notices back to pending
// for the next sweep.
import { daysBetween, today as dayOf } from '../../domain/dates.ts';
import { renderNoticeMail } from '../../domain/notice/notice-mail.ts';
import type { Runtime } from '../../runtime.ts';
import { mapLimit } from '../../adapters/dynamodb/batch.ts';
import { claimNotice, closeNotice, currentValidity, noteMessageId, pendingKeysFor, releaseNotice, type NoticeKey, type StoredNotice } from '../../adapters/dynamodb/notice-store.ts';
import { stageRank } from '../../domain/evidence/lapse-policy.ts';
import type { Recipient, SweepInput } from './plan.ts';

export interface SendBatchInput extends SweepInput {
  recipients: Recipient[];
  organisationName: string;
}

export interface SendResult {
  recipientId: string;
  mailed: boolean;
  sent: number;
  failed: number;
  superseded: number;
  cancelled: number;
  /** Notices in the mail by kind: escalated, lapsed (with reminders), due-soon. */
  kinds?: Record<'escalated' | 'lapsed' | 'due-soon', number>;
  messageId?: string;
  error?: string;
}

function kindsOf(notices: StoredNotice[]): Record<'escalated' | 'lapsed' | 'due-soon', number> {
  const kinds = { escalated: 0, lapsed: 0, 'due-soon': 0 };
  for (const n of notices) kinds[n.stage === 'escalated' || n.stage === 'due-soon' ? n.stage : 'lapsed']++;
  return kinds;
}

/** A claim outlives any send; a sweep that dies mid-send frees its notices after this. */
const LEASE_MS = 10 * 60_000;

/** Of several pending notices for one item and cycle, only the latest stage is still news. */
export function latestPerItem(notices: StoredNotice[]): { keep: StoredNotice[]; superseded: StoredNotice[] } {
  const best = new Map<string, StoredNotice>();
  for (const n of notices) {
    const group = `${n.evidenceId}#${n.validUntil}#${n.stage === 'escalated' ? 'escalated' : 'owner'}`;
    const current = best.get(group);
    if (!current || stageRank(n.stage) > stageRank(current.stage)) best.set(group, n);
  }
  const keep = new Set(best.values());
  return { keep: [...keep], superseded: notices.filter((n) => !keep.has(n)) };
}

/**
 * One query for the whole batch's waiting notices, then one mail per recipient.
 * A recipient that fails is reported and never stops the others: their mails may
 * already be out, and failing the batch would leave them unrecorded.
 */
export async function sendBatch(rt: Runtime, input: SendBatchInput): Promise<SendResult[]> {
  const waiting = await pendingKeysFor(rt.store, input.orgId, input.recipients.map((r) => r.id));
  return mapLimit(input.recipients, 4, async (recipient): Promise<SendResult> => {
    const mine = waiting.filter((k) => k.recipientId === recipient.id);
    try {
      return await sendToRecipient(rt, input, recipient, mine);
    } catch (error) {
      // Notices this sweep claimed stay claimed until the lease ends, then the next sweep takes them.
      const e = error as Error;
      return { recipientId: recipient.id, mailed: false, sent: 0, failed: mine.length, superseded: 0, cancelled: 0, error: `${e.name}: ${e.message}` };
    }
  });
}

async function sendToRecipient(rt: Runtime, input: SendBatchInput, person: Recipient, waiting: NoticeKey[]): Promise<SendResult> {
  const result: SendResult = { recipientId: person.id, mailed: false, sent: 0, failed: 0, superseded: 0, cancelled: 0 };
  const at = () => rt.clock().toISOString();
  const wallNow = rt.clock();
  const leaseUntil = new Date(wallNow.getTime() + LEASE_MS).toISOString();
  // Claiming returns the notice: the claim is the read.
  const claimed = (await mapLimit(waiting, 8, (k) => claimNotice(rt.store, k, input.runName, wallNow.toISOString(), leaseUntil))).filter(
    (n): n is StoredNotice => n !== undefined,
  );
  if (claimed.length === 0) return result;

  // A notice that carries a message id was mailed by a sweep that died before closing it: close it, never mail it again.
  const mailedBefore = claimed.filter((n) => n.messageId);
  await mapLimit(mailedBefore, 8, (n) => closeNotice(rt.store, n, input.runName, { status: 'sent', messageId: n.messageId as string }, at()));
  const unsent = claimed.filter((n) => !n.messageId);
  if (unsent.length === 0) return result;

  // Notices left from earlier sweeps may be out of date: the item renewed or retired since.
  const earlier = unsent.filter((n) => n.recordedBy !== input.runName);
  const validity = earlier.length > 0 ? await currentValidity(rt.store, input.orgId, earlier.map((n) => n.evidenceId)) : new Map<string, string | undefined>();
  const stale = earlier.filter((n) => validity.get(n.evidenceId) !== n.validUntil);
  const { keep, superseded } = latestPerItem(unsent.filter((n) => !stale.includes(n)));
  await mapLimit(stale, 8, (n) => closeNotice(rt.store, n, input.runName, { status: 'cancelled', reason: 'evidence renewed or retired before the notice was sent' }, at()));
  await mapLimit(superseded, 8, (n) => closeNotice(rt.store, n, input.runName, { status: 'superseded', reason: 'a later notice for the same evidence replaces it' }, at()));
  result.cancelled = stale.length;
  result.superseded = superseded.length;
  if (keep.length === 0) return result;

  const today = dayOf(new Date(input.now));
  const mail = renderNoticeMail({
    recipient: { name: person.name, email: person.email, language: person.language },
    organisationName: input.organisationName,
    asOf: today,
    lines: keep.map((n) => ({
      stage: n.stage,
      controlId: n.controlId,
      controlTitle: n.controlTitle,
      evidenceId: n.evidenceId,
      evidenceTitle: n.evidenceTitle,
      evidenceLocation: n.evidenceLocation,
      validUntil: n.validUntil,
      daysOverdue: daysBetween(n.validUntil, today),
      ownerName: n.ownerName,
    })),
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
    await mapLimit(keep, 8, (n) => releaseNotice(rt.store, n, input.runName, reason, at()));
    return { ...result, failed: keep.length, error: reason };
  }
  const sent = { ...result, mailed: true, sent: keep.length, kinds: kindsOf(keep), messageId };
  try {
    await mapLimit(keep, 8, (n) => noteMessageId(rt.store, n, input.runName, messageId));
    await mapLimit(keep, 8, (n) => closeNotice(rt.store, n, input.runName, { status: 'sent', messageId }, at()));
  } catch (error) {
    // The mail is out; what is not yet recorded as sent is closed, not re-mailed, by a later sweep once the lease ends.
    return { ...sent, error: `mailed, but not every notice is recorded as sent yet: ${(error as Error).name}: ${(error as Error).message}` };
  }
  return sent;
}
