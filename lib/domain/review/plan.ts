// Which controls a quarter's review tasks, and the tasks. Pure.
// - reviewEvery quarter: every quarter; half-year: Q2 and Q4, or the quarter
//   `reviewIn` names and the one two after it; year: Q4, or `reviewIn`;
// - a control with an open nonconformity is tasked whatever its rhythm, carrying it;
// - due: the opening date (in the organisation's time zone) plus `dueDays`, but never
//   after the quarter's last day, when the review closes: a task due later would turn
//   into a nonconformity before its owner was late;
// - titled as the catalogue titles the control, whatever the organisation file calls it.
import { addDays } from '../dates.ts';
import type { Control } from '../org/org.ts';
import type { ControlEvidenceStatus, Nonconformity, ReviewPolicy, Task } from './review.ts';
import { lastDayOf, quarterNumber, type Quarter } from './quarter.ts';
import { taskId } from './review.ts';
import { controlTitles } from './soa.ts';

/** An applicable control as the organisation file declares it, with the owner it must have. */
export type ReviewedControl = Pick<Control, 'id' | 'title' | 'reviewer' | 'reviewEvery' | 'reviewIn'> & { owner: string };

export function dueInQuarter(control: Pick<ReviewedControl, 'reviewEvery' | 'reviewIn'>, quarter: Quarter): boolean {
  const n = quarterNumber(quarter);
  const named = control.reviewIn ? Number(control.reviewIn.slice(1)) : undefined;
  switch (control.reviewEvery) {
    case 'quarter':
      return true;
    case 'half-year': {
      const first = named ?? 2;
      return n === first || n === ((first + 1) % 4) + 1;
    }
    case 'year':
      return n === (named ?? 4);
  }
}

/** The due date of a quarter's tasks opened on `openingDate`: `dueDays` on, capped at the review's deadline (the quarter's last day). */
export function taskDue(quarter: Quarter, openingDate: string, policy: Pick<ReviewPolicy, 'dueDays'>): string {
  return capAtDeadline(quarter, addDays(openingDate, policy.dueDays));
}

/** `due`, or the review's deadline (the quarter's last day) when that is earlier. */
export function capAtDeadline(quarter: Quarter, due: string): string {
  const deadline = lastDayOf(quarter);
  return due > deadline ? deadline : due;
}

export interface PlanInput {
  quarter: Quarter;
  /** The local date the review opens. */
  openingDate: string;
  policy: ReviewPolicy;
  /** Applicable controls with an owner. */
  controls: readonly ReviewedControl[];
  evidenceStatus: ReadonlyMap<string, ControlEvidenceStatus>;
  openNonconformities: readonly Pick<Nonconformity, 'id' | 'control'>[];
  /** Who reviews when a control names no reviewer. */
  complianceContact: string;
}

export function planTasks(input: PlanInput): Task[] {
  const carried = new Map(input.openNonconformities.map((nc) => [nc.control, nc.id]));
  const due = taskDue(input.quarter, input.openingDate, input.policy);
  return input.controls
    .filter((c) => dueInQuarter(c, input.quarter) || carried.has(c.id))
    .map((c) => ({
      id: taskId(input.quarter, c.id),
      quarter: input.quarter,
      control: c.id,
      // the catalogue's title, as the SoA names it (the file's wording may name another control)
      controlTitle: controlTitles(c.id, c.title).title,
      owner: c.owner,
      reviewer: c.reviewer ?? input.complianceContact,
      due,
      status: 'open' as const,
      evidenceStatusAtOpening: input.evidenceStatus.get(c.id) ?? 'none',
      evidence: [],
      version: 0,
      ...(carried.has(c.id) ? { carries: carried.get(c.id)! } : {}),
    }));
}
