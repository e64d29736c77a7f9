// Closing reviews: by a person (`compliance review close`), by the daily run once
// every task is answered and accepted or the quarter's deadline has passed, and
// by the next quarter's opening for any still open from before.
import { closeReview as decideClosing, type Closing } from '../../domain/review/close.ts';
import { localDate } from '../../domain/review/quarter.ts';
import type { Review, Task } from '../../domain/review/review.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { Ports } from '../ports.ts';

export async function closeQuarter(rt: Ports, orgId: string, quarter: string, actor: string, at: string): Promise<Closing> {
  const [review, org] = await Promise.all([rt.reviews.get(orgId, quarter), rt.organisations.settings(orgId)]);
  if (!review) throw new NotFoundError(`no review of ${quarter} has been opened for "${orgId}"`);
  if (review.status === 'closed') throw new ConflictError(`the ${quarter} review was closed on ${review.closedAt?.slice(0, 10)}`);
  // Whether a task's due date has passed is a question of the organisation's calendar, not UTC's.
  return closeOpen(rt, review, actor, at, localDate(new Date(at), org?.timeZone ?? 'Asia/Hong_Kong'));
}

/** Closes an open review on the local date `today`; its tasks are read here unless the caller has just read them. */
async function closeOpen(rt: Ports, review: Review, actor: string, at: string, today: string, read?: readonly Task[]): Promise<Closing> {
  const [tasks, nonconformities] = await Promise.all([read ?? rt.reviews.tasks(review.orgId, review.id), rt.reviews.nonconformities(review.orgId)]);
  const closing = decideClosing(review, tasks, nonconformities.filter((nc) => nc.status === 'open' && nc.openedIn < review.id), at, actor, today);
  await rt.reviews.close(closing.review, closing.tasks, [...closing.opened, ...closing.closed], closing.audit);
  return closing;
}

/**
 * Closes every open review whose deadline (its quarter's last day) is before
 * `today`, or whose tasks are all answered and accepted; the quarters closed.
 */
export async function closeDueReviews(rt: Ports, orgId: string, today: string, actor: string, at: string): Promise<string[]> {
  const open = (await rt.reviews.list(orgId)).filter((r) => r.status === 'open').sort((a, b) => a.id.localeCompare(b.id));
  const closed: string[] = [];
  for (const review of open) {
    if (review.deadline < today) await closeOpen(rt, review, actor, at, today);
    else {
      const tasks = await rt.reviews.tasks(review.orgId, review.id);
      const allAccepted = tasks.length > 0 && tasks.every((t) => t.status === 'answered' && t.reviewDecision === 'accepted');
      if (!allAccepted) continue;
      await closeOpen(rt, review, actor, at, today, tasks);
    }
    closed.push(review.id);
  }
  return closed;
}
