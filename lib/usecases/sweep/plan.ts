// Step 1 of a sweep: read the evidence whose validity ends inside the window
// (never the rest), and record every notice due today, pending, exactly once.
import { addDays, today as dayOf } from '../../domain/dates.ts';
import type { Person } from '../../domain/org/org.ts';
import type { Runtime } from '../../runtime.ts';
import { mapLimit, queryAll } from '../../adapters/dynamodb/batch.ts';
import { INDEX, keys } from '../../adapters/dynamodb/keys.ts';
import { claimNotice, closeNotice, pendingKeysFor, pendingRecipients, recordNotice, type RecordOutcome } from '../../adapters/dynamodb/notice-store.ts';
import { loadOrganisation, type LoadedOrganisation, type StoredEvidence } from '../../adapters/dynamodb/org-store.ts';
import { beginRun } from '../../adapters/dynamodb/run-store.ts';
import { noticesNeeded, type NoticeNeed } from '../../domain/evidence/lapse-policy.ts';
import type { Notice } from '../../domain/notice/notice.ts';

export interface SweepInput {
  orgId: string;
  runName: string;
  /** The sweep's date and time (ISO-8601); date rules use its UTC date. */
  now: string;
}

/** Who a mail goes to; handed to the send step so it reads nothing but the notices. */
export type Recipient = Pick<Person, 'id' | 'name' | 'email' | 'language'>;

/** Recipients per send step: one query reads a whole batch's waiting notices. */
export const RECIPIENTS_PER_BATCH = 25;

export interface PlanResult {
  organisationName: string;
  /** Everyone with a notice pending after this step, this sweep's or an earlier one's, sorted by id, in batches. */
  batches: { recipients: Recipient[] }[];
  /** Recipients no longer in the organisation whose waiting notices were cancelled. */
  unknownRecipients: string[];
  evidenceRead: number;
  recorded: number;
  alreadyRecorded: number;
}

export class UnknownOrganisationError extends Error {
  override name = 'UnknownOrganisationError';
}

/** Evidence whose validity ends on or before `lastDay`, from the end-date index. */
export async function evidenceEndingBy(rt: Runtime, orgId: string, lastDay: string): Promise<StoredEvidence[]> {
  return queryAll<StoredEvidence>(rt.store, {
    IndexName: INDEX.byDate,
    KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK < :after',
    ExpressionAttributeValues: { ':pk': keys.evidenceEndPartition(orgId), ':after': `${lastDay}$` },
  });
}

/** Who gets a notice: the owner, or for an escalation the owner's manager (else the compliance contact). */
export function recipientFor(need: NoticeNeed, owner: Person | undefined, org: LoadedOrganisation): string {
  const contact = org.organisation.complianceContact;
  if (!owner) return contact;
  if (need.to === 'owner') return owner.id;
  return owner.manager && org.people.has(owner.manager) ? owner.manager : contact;
}

/**
 * Notices still waiting for someone who has left the organisation are cancelled:
 * nobody can read them, and the item's next notice goes to its current owner.
 */
async function cancelForLeavers(rt: Runtime, input: SweepInput, leavers: string[]): Promise<void> {
  if (leavers.length === 0) return;
  const now = rt.clock();
  const lease = new Date(now.getTime() + 60_000).toISOString();
  const waiting = await pendingKeysFor(rt.store, input.orgId, leavers);
  await mapLimit(waiting, 8, async (key) => {
    const notice = await claimNotice(rt.store, key, input.runName, now.toISOString(), lease);
    if (notice) await closeNotice(rt.store, notice, input.runName, { status: 'cancelled', reason: `recipient "${key.recipientId}" is no longer in the organisation` }, rt.clock().toISOString());
  });
}

export async function planSweep(rt: Runtime, input: SweepInput): Promise<PlanResult> {
  // The run is on record before anything can fail, so a failure is recorded against it.
  await beginRun(rt.store, { orgId: input.orgId, kind: 'evidence-sweep', name: input.runName, asOf: input.now }, rt.clock().toISOString());
  const org = await loadOrganisation(rt.store, input.orgId);
  if (!org) throw new UnknownOrganisationError(`organisation "${input.orgId}" has not been imported`);
  const today = dayOf(new Date(input.now));
  const policy = org.organisation.sweep;
  // Leftovers from earlier sweeps (a failed send): read before recording, while the
  // pending index holds only them, so this sweep's own notices are not read twice.
  const leftovers = await pendingRecipients(rt.store, input.orgId);
  const evidence = await evidenceEndingBy(rt, input.orgId, addDays(today, policy.dueSoonDays));

  const notices: Notice[] = [];
  for (const e of evidence) {
    const done = e.noticeCycle === e.validUntil ? new Set(e.noticed ?? []) : new Set<string>();
    for (const need of noticesNeeded(e.validUntil, today, policy)) {
      if (done.has(need.stage)) continue;
      const owner = org.people.get(e.owner);
      notices.push({
        orgId: input.orgId,
        evidenceId: e.id,
        evidenceTitle: e.title,
        evidenceLocation: e.location,
        controlId: e.control,
        controlTitle: org.controls.get(e.control)?.title ?? e.control,
        validUntil: e.validUntil as string,
        stage: need.stage,
        recipientId: recipientFor(need, owner, org),
        ownerId: e.owner,
        ownerName: owner?.name ?? e.owner,
        status: 'pending',
        recordedBy: input.runName,
        recordedAt: rt.clock().toISOString(),
        attempts: 0,
      });
    }
  }
  const outcomes = await mapLimit(notices, 8, (n): Promise<RecordOutcome> => recordNotice(rt.store, n, n.recordedAt));
  const ids = [...new Set([...leftovers, ...notices.filter((_, i) => outcomes[i] === 'recorded').map((n) => n.recipientId)])].sort();
  const recipients = ids.flatMap((id): Recipient[] => {
    const p = org.people.get(id);
    return p ? [{ id, name: p.name, email: p.email, language: p.language }] : [];
  });
  await cancelForLeavers(rt, input, ids.filter((id) => !org.people.has(id)));
  const batches: PlanResult['batches'] = [];
  for (let i = 0; i < recipients.length; i += RECIPIENTS_PER_BATCH) batches.push({ recipients: recipients.slice(i, i + RECIPIENTS_PER_BATCH) });
  return {
    organisationName: org.organisation.name,
    batches,
    unknownRecipients: ids.filter((id) => !org.people.has(id)),
    evidenceRead: evidence.length,
    recorded: outcomes.filter((o) => o === 'recorded').length,
    alreadyRecorded: outcomes.filter((o) => o === 'exists').length,
  };
}
