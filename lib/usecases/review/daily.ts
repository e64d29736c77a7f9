// The review's share of the daily run: reviews past their deadline (or answered
// and accepted throughout) are closed, then the open tasks due within the reminder
// window are read from their index (never the rest) and turned into digests: a
// reminder to whoever answers, an escalation to the reviewer once the due date has passed.
import type { LoadedOrganisation } from '../../domain/org/org.ts';
import type { ReviewNotice } from '../../domain/notice/notice.ts';
import { localDate } from '../../domain/review/quarter.ts';
import { digestsDue, remindUpTo } from '../../domain/review/reminders.ts';
import type { Ports } from '../ports.ts';
import type { RunInput } from '../run-input.ts';
import { closeDueReviews } from './close.ts';

export async function reviewDay(rt: Ports, input: RunInput, org: LoadedOrganisation): Promise<{ notices: ReviewNotice[]; closed: string[]; tasksRead: number }> {
  const today = localDate(new Date(input.now), org.organisation.timeZone);
  const closed = await closeDueReviews(rt, input.orgId, today, input.runName, input.now);
  const policy = org.organisation.review;
  const open = await rt.reviews.openTasksDueBy(input.orgId, remindUpTo(today, policy));
  const at = rt.clock().toISOString();
  const notices = digestsDue(open, today, policy).map(
    (need): ReviewNotice => ({
      kind: 'review',
      orgId: input.orgId,
      recipientId: need.recipientId,
      quarter: need.quarter,
      due: need.due,
      stage: need.stage,
      tasks: need.tasks.map((t) => ({ id: t.id, control: t.control, controlTitle: t.controlTitle, ownerName: org.people.get(t.owner)?.name ?? t.owner })),
      status: 'pending',
      recordedBy: input.runName,
      recordedAt: at,
      attempts: 0,
    }),
  );
  return { notices, closed, tasksRead: open.length };
}
