// What people read of reviews: one quarter's review with its tasks and
// nonconformities (`compliance review show`), the tasks waiting for someone
// (`compliance task list`) and the Statement of Applicability (`compliance soa`).
import { lastDayOf, localDate, notBegun, quarterAt, type Quarter } from '../../domain/review/quarter.ts';
import { resultOf, tally } from '../../domain/review/close.ts';
import type { Nonconformity, Review, ReviewSummary, Task, TaskEvidence } from '../../domain/review/review.ts';
import { evidenceStatusByControl, reviewResults, statementOfApplicability, type ControlReview, type SoaRow } from '../../domain/review/soa.ts';
import { compareControlIds } from '../../domain/notice/notice-mail.ts';
import { NotFoundError } from '../../errors.ts';
import type { Ports } from '../ports.ts';

export type TaskView = Pick<
  Task,
  'id' | 'control' | 'controlTitle' | 'owner' | 'delegate' | 'reviewer' | 'due' | 'status' | 'result' | 'comment' | 'reviewDecision' | 'carries' | 'evidenceStatusAtOpening' | 'evidence'
>;

export interface ReviewView {
  review: Pick<Review, 'id' | 'status' | 'openedAt' | 'due' | 'deadline' | 'closedAt'> & { summary: ReviewSummary };
  tasks: TaskView[];
  nonconformities: Pick<Nonconformity, 'id' | 'control' | 'openedIn' | 'status' | 'reason' | 'closedIn'>[];
}

/** A.5.2 before A.5.10, as the Annex lists them. */
const inControlOrder = (tasks: readonly Task[]): Task[] => [...tasks].sort((a, b) => compareControlIds(a.control, b.control));

export function taskView(t: Task): TaskView {
  return {
    id: t.id,
    control: t.control,
    controlTitle: t.controlTitle,
    owner: t.owner,
    ...(t.delegate ? { delegate: t.delegate } : {}),
    reviewer: t.reviewer,
    due: t.due,
    status: t.status,
    ...(t.result ? { result: t.result } : {}),
    ...(t.comment !== undefined ? { comment: t.comment } : {}),
    ...(t.reviewDecision ? { reviewDecision: t.reviewDecision } : {}),
    ...(t.carries ? { carries: t.carries } : {}),
    evidenceStatusAtOpening: t.evidenceStatusAtOpening,
    evidence: t.evidence,
  };
}

/** An open review's summary so far: tasks still open count as `open`, overdue owners are those past the due date. */
function progress(tasks: readonly Task[], today: string): ReviewSummary {
  const overdue = new Set(tasks.filter((t) => t.status === 'open' && today > t.due).map((t) => t.owner));
  return {
    tasks: tasks.length,
    ...tally(tasks, (t) => (t.status === 'open' ? 'open' : resultOf(t))),
    overdueOwners: [...overdue].sort(),
    nonconformitiesOpened: [],
    nonconformitiesClosed: [],
  };
}

/** The quarter named, else the organisation's current one if it has a review, else the latest review's. */
export async function resolveQuarter(rt: Ports, orgId: string, now: Date, named?: Quarter): Promise<Quarter> {
  if (named) return named;
  const org = await rt.organisations.settings(orgId);
  if (!org) throw new NotFoundError(`organisation "${orgId}" has not been imported`);
  const current = quarterAt(now, org.timeZone);
  if (await rt.reviews.get(orgId, current)) return current;
  const latest = (await rt.reviews.list(orgId)).map((r) => r.id).sort().at(-1);
  return latest ?? current;
}

/**
 * Why `quarter` has no review to show, suggesting only what can work: a review opens
 * for the quarter under way only, so an ended quarter's was never held and one not begun
 * cannot be opened yet; for the quarter under way, `opens` says how to open it (each door
 * its own way: `compliance review open 2026-Q4`, or POST /v1/runs).
 */
export function noReview(orgId: string, quarter: Quarter, now: Date, timeZone: string, opens: string): NotFoundError {
  const today = localDate(now, timeZone);
  if (today > lastDayOf(quarter)) {
    return new NotFoundError(`"${orgId}" held no review of ${quarter}: the quarter ended on ${lastDayOf(quarter)} (in ${timeZone}), and a review opens only while its quarter is under way`);
  }
  const early = notBegun(quarter, today, timeZone);
  if (early) return new NotFoundError(`no review of ${quarter} for "${orgId}": ${early}, and a review opens only while its quarter is under way`);
  return new NotFoundError(`no review of ${quarter} has been opened for "${orgId}" yet: ${opens}`);
}

/** How the command line opens the quarter's review (showReview's `opens`). */
export const opensByCommand = (quarter: Quarter) => `open it with compliance review open ${quarter}`;

export async function showReview(rt: Ports, orgId: string, quarter: Quarter, now: Date, opens: (quarter: Quarter) => string = opensByCommand): Promise<ReviewView> {
  const [org, review, tasks, ncs] = await Promise.all([rt.organisations.settings(orgId), rt.reviews.get(orgId, quarter), rt.reviews.tasks(orgId, quarter), rt.reviews.nonconformities(orgId)]);
  if (!review) {
    if (!org) throw new NotFoundError(`organisation "${orgId}" has not been imported`);
    throw noReview(orgId, quarter, now, org.timeZone, opens(quarter));
  }
  return reviewView(quarter, review, tasks, ncs, org?.timeZone, now);
}

/** The view of a quarter's review from what was read of it (its tasks, every nonconformity, the organisation's time zone). */
export function reviewView(quarter: Quarter, review: Review, tasks: readonly Task[], ncs: readonly Nonconformity[], timeZone: string | undefined, now: Date): ReviewView {
  const carried = new Set(tasks.flatMap((t) => (t.carries ? [t.carries] : [])));
  const today = localDate(now, timeZone ?? 'Asia/Hong_Kong');
  return {
    review: {
      id: review.id,
      status: review.status,
      openedAt: review.openedAt,
      due: review.due,
      deadline: review.deadline,
      ...(review.closedAt ? { closedAt: review.closedAt } : {}),
      summary: review.summary ?? progress(tasks, today),
    },
    tasks: inControlOrder(tasks).map(taskView),
    nonconformities: ncs
      .filter((nc) => nc.openedIn === quarter || nc.closedIn === quarter || carried.has(nc.id))
      .map(({ id, control, openedIn, status, reason, closedIn }) => ({ id, control, openedIn, status, reason, ...(closedIn ? { closedIn } : {}) })),
  };
}

export async function listTasks(rt: Ports, orgId: string, quarter: Quarter, owner?: string): Promise<TaskView[]> {
  const tasks = await rt.reviews.tasks(orgId, quarter);
  return inControlOrder(tasks.filter((t) => !owner || t.owner === owner || t.delegate === owner)).map(taskView);
}

/** What the reviews say of each control (soa.ts reviewResults), over the last four quarters' reviews. */
async function lastResults(rt: Ports, orgId: string): Promise<Map<string, ControlReview>> {
  const quarters = (await rt.reviews.list(orgId)).map((r) => r.id).sort().reverse().slice(0, 4);
  return reviewResults((await Promise.all(quarters.map((q) => rt.reviews.tasks(orgId, q)))).flat());
}

export async function soaOf(rt: Ports, orgId: string, now: Date): Promise<SoaRow[]> {
  const org = await rt.organisations.load(orgId);
  if (!org) throw new NotFoundError(`organisation "${orgId}" has not been imported`);
  const [evidence, results] = await Promise.all([rt.organisations.evidence(orgId), lastResults(rt, orgId)]);
  const today = localDate(now, org.organisation.timeZone);
  return statementOfApplicability([...org.controls.values()], results, evidenceStatusByControl(evidence, today, org.organisation.sweep));
}
