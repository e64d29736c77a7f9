// Step 2 of a sweep, once per recipient: claim the recipient's pending notices,
// send one mail listing them all, and record each as sent with the message id.
// A failed send puts the notices back to pending for the next sweep.
import { daysBetween, today as dayOf } from '../dates.ts';
import { renderNoticeMail } from '../mail/notice-mail.ts';
import type { Runtime } from '../runtime.ts';
import { mapLimit } from '../store/batch.ts';
import { claimNotice, closeNotice, currentValidity, pendingNoticesFor, releaseNotice, type StoredNotice } from '../store/notice-store.ts';
import { stageRank } from './lapse-policy.ts';
import type { Recipient, SweepInput } from './plan.ts';

export interface SendInput extends SweepInput {
  recipient: Recipient;
  organisationName: string;
}

export interface SendResult {
  recipientId: string;
  mailed: boolean;
  sent: number;
  failed: number;
  superseded: number;
  cancelled: number;
  messageId?: string;
  error?: string;
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

export async function sendToRecipient(rt: Runtime, input: SendInput): Promise<SendResult> {
  const person = input.recipient;
  const result: SendResult = { recipientId: person.id, mailed: false, sent: 0, failed: 0, superseded: 0, cancelled: 0 };
  const at = () => rt.clock().toISOString();
  const pending = await pendingNoticesFor(rt.store, input.orgId, person.id);
  if (pending.length === 0) return result;

  // Notices left from earlier sweeps may be out of date: the item renewed or retired since.
  const earlier = pending.filter((n) => n.recordedBy !== input.runName);
  const validity = earlier.length > 0 ? await currentValidity(rt.store, input.orgId, earlier.map((n) => n.evidenceId)) : new Map<string, string | undefined>();
  const stale = earlier.filter((n) => validity.get(n.evidenceId) !== n.validUntil);
  const fresh = pending.filter((n) => !stale.includes(n));
  const { keep, superseded } = latestPerItem(fresh);

  const setAside = async (n: StoredNotice, status: 'cancelled' | 'superseded', reason: string) => {
    try {
      await closeNotice(rt.store, n, input.runName, { status, reason }, at());
      result[status]++;
    } catch (error) {
      if ((error as Error).name !== 'TransactionCanceledException') throw error; // another sweep closed it first
    }
  };
  await mapLimit(stale, 8, (n) => setAside(n, 'cancelled', 'evidence renewed or retired before the notice was sent'));
  await mapLimit(superseded, 8, (n) => setAside(n, 'superseded', 'a later notice for the same evidence replaces it'));

  const wallNow = rt.clock();
  const leaseUntil = new Date(wallNow.getTime() + LEASE_MS).toISOString();
  const claims = await mapLimit(keep, 8, (n) => claimNotice(rt.store, n, input.runName, wallNow.toISOString(), leaseUntil));
  const claimed = keep.filter((_, i) => claims[i]);
  if (claimed.length === 0) return result;

  const today = dayOf(new Date(input.now));
  const mail = renderNoticeMail({
    recipient: { name: person.name, email: person.email, language: person.language },
    organisationName: input.organisationName,
    asOf: today,
    lines: claimed.map((n) => ({
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
    await mapLimit(claimed, 8, (n) => releaseNotice(rt.store, n, input.runName, reason, at()));
    return { ...result, failed: claimed.length, error: reason };
  }
  await mapLimit(claimed, 8, (n) => closeNotice(rt.store, n, input.runName, { status: 'sent', messageId }, at()));
  return { ...result, mailed: true, sent: claimed.length, messageId };
}
