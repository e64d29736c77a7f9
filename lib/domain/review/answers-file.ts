// A file of answers to a quarter's review tasks, as owners give them in one go
// (the sample organisation's people answer part of its review this way):
//
//   answers:
//     - task: A.8.15                 # a control (the review being answered) or a task id
//       as: jason-tsang
//       result: effective
//       comment: Log review done weekly
//       evidence: evidence/log-review.txt   # relative to this file
//       review: { as: michelle-leung, decision: accept }
import { z } from 'zod';
import { Period, PersonId } from '../org/org.ts';
import { text } from '../org/limits.ts';
import { TaskResult } from './review.ts';

export const AnswerEntry = z.strictObject({
  task: z.string().regex(/^(?:\d{4}-Q[1-4]\/)?A\.[5-8]\.\d{1,2}$/, 'must be a control such as A.8.15, or a task such as 2026-Q4/A.8.15'),
  as: PersonId,
  result: TaskResult,
  comment: text(2000).optional(),
  evidence: text(1024).optional(),
  validFor: Period.optional(),
  review: z.strictObject({ as: PersonId, decision: z.enum(['accept', 'return']), comment: text(2000).optional() }).optional(),
});
export type AnswerEntry = z.infer<typeof AnswerEntry>;

export const AnswersFile = z.strictObject({ answers: z.array(AnswerEntry).max(1000) });
export type AnswersFile = z.infer<typeof AnswersFile>;

/** Where a field of the file is, for a problem found once the file is read: `answers.yaml:7: answers[1].as`. */
export type Locate = (path: readonly (string | number)[]) => string;

/** The task an entry answers: its own id, or the control's task in `quarter`. */
export const taskOfEntry = (entry: AnswerEntry, quarter: string): string => (entry.task.includes('/') ? entry.task : `${quarter}/${entry.task}`);
