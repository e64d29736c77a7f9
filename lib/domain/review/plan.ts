// Which controls a quarter's review tasks, and the tasks. Pure.
// - reviewEvery quarter: every quarter; half-year: Q2 and Q4, or the quarter
//   `reviewIn` names and the one two after it; year: Q4, or `reviewIn`;
// - a control with an open nonconformity is tasked whatever its rhythm, carrying it;
// - due: the opening date (in the organisation's time zone) plus `dueDays`.
import { addDays } from '../dates.ts';
import type { Control } from '../org/org.ts';
import type { ControlEvidenceStatus, Nonconformity, ReviewPolicy, Task } from './review.ts';
import { quarterNumber, type Quarter } from './quarter.ts';
import { taskId } from './review.ts';

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
  const due = addDays(input.openingDate, input.policy.dueDays);
  return input.controls
    .filter((c) => dueInQuarter(c, input.quarter) || carried.has(c.id))
    .map((c) => ({
      id: taskId(input.quarter, c.id),
      quarter: input.quarter,
      control: c.id,
      controlTitle: c.title,
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
