// tasksAsOf: a review task as it stood at a period's end, for the package's Statement of
// Applicability; what reviewResults then makes of it.
import { describe, expect, it } from 'vitest';
import { tasksAsOf } from '../lib/domain/export/package.ts';
import type { Task } from '../lib/domain/review/review.ts';
import { reviewResults } from '../lib/domain/review/soa.ts';

const END = '2026-09-30T16:00:00.000Z'; // the end of 2026-Q3 in Hong Kong
const task = (control: string, fields: Partial<Task>): Task => ({
  id: `2026-Q3/${control}`,
  quarter: '2026-Q3',
  control,
  controlTitle: control,
  owner: 'o',
  reviewer: 'r',
  due: '2026-09-30',
  status: 'open',
  evidenceStatusAtOpening: 'current',
  evidence: [],
  version: 1,
  ...fields,
});
const answered = (result: Task['result'], at: string): Partial<Task> => ({ status: 'answered', result, answeredBy: 'o', answeredAt: at, comment: 'c' });
const results = (tasks: Task[], history: Parameters<typeof tasksAsOf>[2] = []) => Object.fromEntries(reviewResults(tasksAsOf(tasks, END, history)));

describe('tasksAsOf', () => {
  it('keeps what was stamped before the end, and takes off a decision or a closing since', () => {
    expect(
      results([
        task('A.5.1', { ...answered('effective', '2026-09-01T00:00:00Z'), reviewDecision: 'accepted', reviewedAt: '2026-09-02T00:00:00Z', closedAt: '2026-09-30T15:59:59Z' }),
        task('A.5.2', { ...answered('effective', '2026-09-01T00:00:00Z'), reviewDecision: 'accepted', reviewedAt: END }),
        task('A.5.3', { ...answered('not-effective', '2026-09-29T00:00:00Z'), closedAt: '2026-10-01T01:00:00Z' }),
        task('A.5.4', { closedAt: '2026-10-01T01:00:00Z' }),
        task('A.5.5', { closedAt: '2026-09-20T01:00:00Z' }),
      ]),
    ).toEqual({
      'A.5.1': { lastResult: 'effective' },
      // Accepted at the very end's instant: after it, so still awaiting.
      'A.5.2': { unreviewedAnswer: { task: '2026-Q3/A.5.2', result: 'effective', reviewClosed: false } },
      // The review closed on 1 October: on 30 September the answer still awaited review.
      'A.5.3': { unreviewedAnswer: { task: '2026-Q3/A.5.3', result: 'not-effective', reviewClosed: false } },
      // Closed unanswered after the end: then it was only an open task, which says nothing.
      'A.5.5': { lastResult: 'unanswered' },
    });
  });

  it('an answer given since the end: what the trail of the period says stood before it, else nothing', () => {
    const since = answered('effective', '2026-10-01T00:30:00Z');
    const tasks = [task('A.6.1', since), task('A.6.2', since), task('A.6.3', since), task('A.6.4', since)];
    const e = (control: string, event: string, at: string, result?: string) => ({ at, event, subject: `TASK#2026-Q3/${control}`, ...(result ? { detail: { result } } : {}) });
    const history = [
      e('A.6.1', 'task.answered', '2026-09-10T00:00:00Z', 'not-effective'),
      e('A.6.2', 'task.answered', '2026-09-10T00:00:00Z', 'partially-effective'),
      e('A.6.2', 'task.returned', '2026-09-11T00:00:00Z'),
      e('A.6.3', 'task.answered', '2026-10-01T00:30:00Z', 'effective'),
      e('A.6.4', 'task.answered', '2026-09-10T00:00:00Z', 'effective'),
      e('A.6.4', 'task.accepted', '2026-09-12T00:00:00Z'),
    ];
    expect(results(tasks, history)).toEqual({
      'A.6.1': { unreviewedAnswer: { task: '2026-Q3/A.6.1', result: 'not-effective', reviewClosed: false } },
      'A.6.4': { lastResult: 'effective' },
    });
    const stood = tasksAsOf(tasks, END, history);
    expect(stood[2]).toMatchObject({ status: 'open' });
    expect(stood[2]).not.toHaveProperty('result');
    expect(stood[2]).not.toHaveProperty('comment');
  });
});
