// What the quarterly review's steps take and give, as the workflow passes it
// between them: one schema each, checked at the Lambda edge.
import { z } from 'zod';
import { Quarter, Task } from '../../domain/review/review.ts';
import { CaughtError } from '../caught-error.ts';
import { RunInput } from '../run-input.ts';
import { PlanResult, SendResult, FailedBatch } from '../sweep/events.ts';

export const OpeningPlan = z.object({
  quarter: Quarter,
  due: z.string(),
  organisationName: z.string(),
  /** 'created' by this run, or there already ('exists'), or 'closed' already (nothing to create). */
  review: z.enum(['created', 'exists', 'closed']),
  /** Earlier reviews this opening closed first (their deadline had passed), so their nonconformities carry. */
  closedFirst: z.array(Quarter),
  /** The tasks, whole, in batches: a batch step writes them and reads nothing. */
  batches: z.array(z.object({ tasks: z.array(Task) })),
});
export type OpeningPlan = z.infer<typeof OpeningPlan>;

export const TaskBatchEvent = RunInput.extend({ tasks: z.array(Task).min(1) });
export type TaskBatchEvent = z.infer<typeof TaskBatchEvent>;
export const TaskBatchResult = z.object({ created: z.number(), existed: z.number() });
export type TaskBatchResult = z.infer<typeof TaskBatchResult>;

export const NotifyEvent = RunInput.extend({ plan: OpeningPlan });
export type NotifyInput = z.infer<typeof NotifyEvent>;
/** The send step's plan: the sweep's own shape, so the same step sends both. */
export const NotifyResult = PlanResult;

export const OpeningReportEvent = RunInput.extend({
  plan: OpeningPlan.optional(),
  created: z.array(TaskBatchResult).optional(),
  notify: PlanResult.optional(),
  sends: z.array(z.union([z.array(SendResult), FailedBatch])).optional(),
  error: CaughtError.optional(),
});
export type OpeningReportInput = z.infer<typeof OpeningReportEvent>;
