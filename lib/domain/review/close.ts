// What closing a review decides. Pure: a result per control (an open task is
// `unanswered`), a nonconformity opened for each `not-effective` control, and each
// `unanswered` one whose task's due date has passed, that has none open, closed by a
// later `effective` or `not-applicable` answer (a `partially-effective` one carries it
// on), and the summary auditors read. An owner whose task is not yet due has failed
// nothing: a review closed early (by hand, or over a task once written due after its
// deadline) leaves that task unanswered without a nonconformity.
import type { AuditEvent } from '../audit/audit.ts';
import { requirement } from '../catalogues/catalogues.ts';
import { nonconformityId, type Nonconformity, type Review, type ReviewSummary, type Task, type TaskResult } from './review.ts';

export type ControlResult = TaskResult | 'unanswered';

export interface Closing {
  review: Review;
  /** Every task, closed; the ones still open marked unanswered. */
  tasks: Task[];
  opened: Nonconformity[];
  closed: Nonconformity[];
  audit: AuditEvent[];
}

export const resultOf = (t: Task): ControlResult => (t.status === 'answered' && t.result ? t.result : 'unanswered');

const CLOSES: ReadonlySet<ControlResult> = new Set(['effective', 'not-applicable']);
const OPENS: ReadonlySet<ControlResult> = new Set(['not-effective', 'unanswered']);

/** Tasks counted by result and by Annex A theme (`result` names each task's: its result, `unanswered`, `open`). */
export function tally(tasks: readonly Task[], result: (t: Task) => string): Pick<ReviewSummary, 'byResult' | 'byTheme'> {
  const byResult: Record<string, number> = {};
  const byTheme: Record<string, Record<string, number>> = {};
  for (const t of tasks) {
    const r = result(t);
    byResult[r] = (byResult[r] ?? 0) + 1;
    const theme = requirement({ framework: 'iso27001', id: t.control })?.theme ?? 'Other';
    byTheme[theme] = { ...byTheme[theme], [r]: (byTheme[theme]?.[r] ?? 0) + 1 };
  }
  return { byResult, byTheme };
}

/** `today`: the date the review closes on in the organisation's time zone (`at` is the moment, in UTC). */
export function closeReview(review: Review, tasks: readonly Task[], openNonconformities: readonly Nonconformity[], at: string, actor: string, today: string): Closing {
  const quarter = review.id;
  const openByControl = new Map(openNonconformities.filter((nc) => nc.status === 'open').map((nc) => [nc.control, nc]));
  const closedTasks: Task[] = [];
  const opened: Nonconformity[] = [];
  const closed: Nonconformity[] = [];
  const overdue = new Set<string>();
  for (const t of tasks) {
    const result = resultOf(t);
    closedTasks.push({ ...t, status: t.status === 'answered' ? 'answered' : 'unanswered', closedAt: at });
    // Overdue: no answer when the review closed after the due date, or an answer given after it.
    const pastDue = today > t.due;
    if ((result === 'unanswered' && pastDue) || (t.answeredAt && t.answeredAt.slice(0, 10) > t.due)) overdue.add(t.owner);
    const open = openByControl.get(t.control);
    if (open && CLOSES.has(result)) closed.push({ ...open, status: 'closed', closedIn: quarter });
    if (!open && OPENS.has(result) && (result !== 'unanswered' || pastDue)) opened.push({ id: nonconformityId(quarter, t.control), control: t.control, openedIn: quarter, reason: result as Nonconformity['reason'], status: 'open' });
  }
  const { byResult, byTheme } = tally(tasks, resultOf);
  const summary: ReviewSummary = {
    tasks: tasks.length,
    byResult,
    byTheme,
    overdueOwners: [...overdue].sort(),
    nonconformitiesOpened: opened.map((nc) => nc.id),
    nonconformitiesClosed: closed.map((nc) => nc.id),
  };
  const subject = (kind: string, id: string) => `${kind}#${id}`;
  const audit: AuditEvent[] = [
    ...opened.map((nc) => ({ orgId: review.orgId, at, event: 'nonconformity.opened', subject: subject('NC', nc.id), actor, detail: { control: nc.control, reason: nc.reason } })),
    ...closed.map((nc) => ({ orgId: review.orgId, at, event: 'nonconformity.closed', subject: subject('NC', nc.id), actor, detail: { control: nc.control, closedIn: quarter } })),
    { orgId: review.orgId, at, event: 'review.closed', subject: subject('REVIEW', quarter), actor, detail: { byResult, nonconformitiesOpened: opened.length } },
  ];
  return { review: { ...review, status: 'closed', closedAt: at, summary }, tasks: closedTasks, opened, closed, audit };
}
