// Closing reviews: by a person (`compliance review close`), by the daily run once
// every task is answered and accepted or the quarter's deadline has passed, and
// by the next quarter's opening for any still open from before.
import { closeReview as decideClosing, type Closing } from '../../domain/review/close.ts';
import type { Review } from '../../domain/review/review.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import type { Ports } from '../ports.ts';

export async function closeQuarter(rt: Ports, orgId: string, quarter: string, actor: string, at: string): Promise<Closing> {
  const review = await rt.reviews.get(orgId, quarter);
  if (!review) throw new NotFoundError(`no review of ${quarter} has been opened for "${orgId}"`);
  if (review.status === 'closed') throw new ConflictError(`the ${quarter} review was closed on ${review.closedAt?.slice(0, 10)}`);
  return closeOpen(rt, review, actor, at);
}

async function closeOpen(rt: Ports, review: Review, actor: string, at: string): Promise<Closing> {
  const [tasks, nonconformities] = await Promise.all([rt.reviews.tasks(review.orgId, review.id), rt.reviews.nonconformities(review.orgId)]);
  const closing = decideClosing(review, tasks, nonconformities.filter((nc) => nc.status === 'open' && nc.openedIn < review.id), at, actor);
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
    const due = review.deadline < today || (await allAccepted(rt, review));
    if (!due) continue;
    await closeOpen(rt, review, actor, at);
    closed.push(review.id);
  }
  return closed;
}

async function allAccepted(rt: Ports, review: Review): Promise<boolean> {
  const tasks = await rt.reviews.tasks(review.orgId, review.id);
  return tasks.length > 0 && tasks.every((t) => t.status === 'answered' && t.reviewDecision === 'accepted');
}
