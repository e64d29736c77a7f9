// Which review digests the daily run records. Pure. For each open task: from
// `remindBeforeDays` before its due date to the due date, a reminder to whoever
// answers it (the delegate, else the owner); after the due date, an escalation to
// its reviewer. One digest per quarter, recipient, due date and stage, so the
// days of a window record it once between them.
import type { ReviewPolicy, Task } from './review.ts';
import { addDays } from '../dates.ts';

export interface DigestNeed {
  stage: 'reminder' | 'escalated';
  quarter: string;
  due: string;
  recipientId: string;
  tasks: Task[];
}

/** The last due date whose tasks may need something today: the index is read up to it. */
export const remindUpTo = (today: string, policy: ReviewPolicy): string => addDays(today, policy.remindBeforeDays);

export const answererOf = (t: Pick<Task, 'owner' | 'delegate'>): string => t.delegate ?? t.owner;

export function digestsDue(openTasks: readonly Task[], today: string, policy: ReviewPolicy): DigestNeed[] {
  const needs = new Map<string, DigestNeed>();
  for (const t of openTasks) {
    if (t.status !== 'open' || t.closedAt) continue;
    const stage = today > t.due ? 'escalated' : today >= addDays(t.due, -policy.remindBeforeDays) ? 'reminder' : undefined;
    if (!stage) continue;
    const recipientId = stage === 'escalated' ? t.reviewer : answererOf(t);
    const key = `${t.quarter}#${recipientId}#${t.due}#${stage}`;
    const need = needs.get(key) ?? { stage, quarter: t.quarter, due: t.due, recipientId, tasks: [] };
    need.tasks.push(t);
    needs.set(key, need);
  }
  return [...needs.values()];
}
