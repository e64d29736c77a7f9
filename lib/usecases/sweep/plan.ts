// Step 1 of the daily sweep: read the evidence whose validity ends inside the window
// and the review tasks due inside the reminder window (never the rest), close the
// reviews past their deadline, and record every notice due today, pending, exactly once.
import pMap from 'p-map';
import { addDays } from '../../domain/dates.ts';
import type { LoadedOrganisation, Person } from '../../domain/org/org.ts';
import { noticesNeeded, type NoticeNeed } from '../../domain/evidence/lapse-policy.ts';
import { noticeControlTitles, type Notice } from '../../domain/notice/notice.ts';
import { localDate } from '../../domain/review/quarter.ts';
import { NotFoundError } from '../../errors.ts';
import type { WorkflowName } from '../../workflows/declarations.ts';
import type { Ports, RecordOutcome } from '../ports.ts';
import type { RunInput } from '../run-input.ts';
import type { PlanResult, Recipient } from './events.ts';
import { reviewDay } from '../review/daily.ts';

/** Runs of the sweep are recorded under its workflow's name. */
export const SWEEP_KIND: WorkflowName = 'evidence-sweep';

/** Recipients per send step: one query reads a whole batch's waiting notices. */
export const RECIPIENTS_PER_BATCH = 25;

/** Who gets a notice: the owner, or for an escalation the owner's manager (else the compliance contact). */
export function recipientFor(need: NoticeNeed, owner: Person | undefined, org: LoadedOrganisation): string {
  const contact = org.organisation.complianceContact;
  if (!owner) return contact;
  if (need.to === 'owner') return owner.id;
  return owner.manager && org.people.has(owner.manager) ? owner.manager : contact;
}

/** The send steps' batches of the people named (sorted ids), and who is no longer in the organisation. */
export function recipientBatches(org: LoadedOrganisation, ids: readonly string[]): Pick<PlanResult, 'organisationName' | 'timeZone' | 'batches' | 'unknownRecipients'> {
  const recipients = ids.flatMap((id): Recipient[] => {
    const p = org.people.get(id);
    return p ? [{ id, name: p.name, email: p.email, language: p.language }] : [];
  });
  const batches: PlanResult['batches'] = [];
  for (let i = 0; i < recipients.length; i += RECIPIENTS_PER_BATCH) batches.push({ recipients: recipients.slice(i, i + RECIPIENTS_PER_BATCH) });
  return { organisationName: org.organisation.name, timeZone: org.organisation.timeZone, batches, unknownRecipients: ids.filter((id) => !org.people.has(id)) };
}

/**
 * Notices still waiting for someone who has left the organisation are cancelled:
 * nobody can read them, and the item's next notice goes to its current owner.
 */
async function cancelForLeavers(rt: Ports, input: RunInput, leavers: string[]): Promise<void> {
  if (leavers.length === 0) return;
  const now = rt.clock();
  const lease = new Date(now.getTime() + 60_000).toISOString();
  const waiting = await rt.notices.waitingFor(input.orgId, leavers);
  await pMap(
    waiting,
    async (w) => {
      const notice = await rt.notices.claim(input.orgId, w, input.runName, now.toISOString(), lease);
      if (notice) await rt.notices.close(notice, input.runName, { status: 'cancelled', reason: `recipient "${w.recipientId}" is no longer in the organisation` }, rt.clock().toISOString());
    },
    { concurrency: 8 },
  );
}

export async function planSweep(rt: Ports, input: RunInput): Promise<PlanResult> {
  // The run is on record before anything can fail, so a failure is recorded against it.
  await rt.runs.begin({ orgId: input.orgId, kind: SWEEP_KIND, name: input.runName, asOf: input.now, startedBy: input.startedBy }, rt.clock().toISOString());
  const org = await rt.organisations.load(input.orgId);
  if (!org) throw new NotFoundError(`organisation "${input.orgId}" has not been imported`);
  // Days are the organisation's: 01:00 in Hong Kong is already the next day there.
  const today = localDate(new Date(input.now), org.organisation.timeZone);
  const policy = org.organisation.sweep;
  // Leftovers from earlier sweeps (a failed send): read before recording, while the
  // pending index holds only them, so this sweep's own notices are not read twice.
  const leftovers = await rt.notices.waitingRecipients(input.orgId);
  const evidence = await rt.organisations.evidenceEndingBy(input.orgId, addDays(today, policy.dueSoonDays));

  const notices: Notice[] = [];
  for (const e of evidence) {
    // What this validity period has had; a renewal (a new validUntil) starts afresh.
    const history = e.noticeCycle === e.validUntil ? { noticed: e.noticed ?? [], ownerNoticedOn: e.ownerNoticedOn } : { noticed: [] };
    for (const need of noticesNeeded(e.validUntil, today, policy, history)) {
      const owner = org.people.get(e.owner);
      notices.push({
        kind: 'evidence',
        orgId: input.orgId,
        evidenceId: e.id,
        evidenceTitle: e.title,
        evidenceLocation: e.location,
        controlId: e.control,
        ...noticeControlTitles(e.control, org.controls.get(e.control)?.title),
        validUntil: e.validUntil as string,
        stage: need.stage,
        recordedOn: today,
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
  const reviews = await reviewDay(rt, input, org);
  notices.push(...reviews.notices);
  const outcomes = await pMap(notices, (n): Promise<RecordOutcome> => rt.notices.record(n, n.recordedAt), { concurrency: 8 });
  const ids = [...new Set([...leftovers, ...notices.filter((_, i) => outcomes[i] === 'recorded').map((n) => n.recipientId)])].sort();
  await cancelForLeavers(rt, input, ids.filter((id) => !org.people.has(id)));
  return {
    ...recipientBatches(org, ids),
    evidenceRead: evidence.length,
    tasksRead: reviews.tasksRead,
    reviewsClosed: reviews.closed,
    recorded: outcomes.filter((o) => o === 'recorded').length,
    alreadyRecorded: outcomes.filter((o) => o === 'exists').length,
  };
}
