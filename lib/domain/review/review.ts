// A quarterly review of ISO/IEC 27001 Annex A controls: one review per organisation
// and quarter, one task per control due that quarter (id `<quarter>/<control>`), the
// owners' answers with evidence, the reviewer's acceptance, and the nonconformities
// a `not-effective` or `unanswered` control leaves, carried into the next quarter's
// task until a later answer closes them.
import { z } from 'zod';
import { EvidenceStatusName } from '../evidence/lapse-policy.ts';
import { EvidenceOrigin } from '../evidence/origin.ts';
import { isQuarter, QUARTER_RULE } from './quarter.ts';
import { TASK_RESULTS } from '../vocabulary.ts';

/** A quarter (quarter.ts) where a schema takes one. */
export const Quarter = z.string().refine(isQuarter, QUARTER_RULE);
export type Quarter = z.infer<typeof Quarter>;

export const TaskResult = z.enum(TASK_RESULTS, { error: `must be one of ${TASK_RESULTS.join(', ')}` });
export type TaskResult = z.infer<typeof TaskResult>;

/** What a control's evidence says: its status, or that it has none. */
export const ControlEvidenceStatus = z.union([EvidenceStatusName, z.literal('none')]);
export type ControlEvidenceStatus = z.infer<typeof ControlEvidenceStatus>;

export const ReviewEvery = z.enum(['quarter', 'half-year', 'year']);
export type ReviewEvery = z.infer<typeof ReviewEvery>;

export const ReviewPolicy = z.strictObject({
  /** Days from the review's opening to its tasks' due date; the due date is never after the quarter's last day (plan.ts taskDue). */
  dueDays: z.int().min(1).max(180).default(30),
  /** Days before the due date the owner is reminded. */
  remindBeforeDays: z.int().min(0).max(90).default(7),
});
export type ReviewPolicy = z.infer<typeof ReviewPolicy>;

export const TaskEvidence = z.object({
  /** The evidence register's id, or for the product's own the record it points at (`datamap:<scan>`, `analysis:<run>`). */
  id: z.string(),
  origin: EvidenceOrigin,
  title: z.string(),
  location: z.string(),
  sha256: z.string().optional(),
});
export type TaskEvidence = z.infer<typeof TaskEvidence>;

export const Task = z.object({
  /** `<quarter>/<control>`, e.g. 2026-Q4/A.8.15. */
  id: z.string(),
  quarter: Quarter,
  control: z.string(),
  controlTitle: z.string(),
  owner: z.string(),
  /** Whom the owner handed the task to, if anyone: they answer it. */
  delegate: z.string().optional(),
  reviewer: z.string(),
  due: z.string(),
  status: z.enum(['open', 'answered', 'unanswered']),
  /** The control's evidence when the review opened. */
  evidenceStatusAtOpening: ControlEvidenceStatus,
  /** Evidence attached to the task: the product's own at opening (data map, gap analysis), then what answers registered. */
  evidence: z.array(TaskEvidence),
  /** An open nonconformity of this control, carried into this task. */
  carries: z.string().optional(),
  result: TaskResult.optional(),
  comment: z.string().optional(),
  answeredBy: z.string().optional(),
  answeredAt: z.string().optional(),
  /** The reviewer's decision on the answer. */
  reviewDecision: z.enum(['accepted', 'returned']).optional(),
  reviewComment: z.string().optional(),
  reviewedAt: z.string().optional(),
  /** Set when the review closed: the task takes no more answers. */
  closedAt: z.string().optional(),
  /** Bumped by every change after creation: a change is written only over the version it read. */
  version: z.int().nonnegative().default(0),
});
export type Task = z.infer<typeof Task>;

export const ReviewSummary = z.object({
  tasks: z.number(),
  byResult: z.record(z.string(), z.number()),
  byTheme: z.record(z.string(), z.record(z.string(), z.number())),
  overdueOwners: z.array(z.string()),
  nonconformitiesOpened: z.array(z.string()),
  nonconformitiesClosed: z.array(z.string()),
});
export type ReviewSummary = z.infer<typeof ReviewSummary>;

export const Review = z.object({
  /** The quarter: one review per organisation and quarter. */
  id: Quarter,
  orgId: z.string(),
  status: z.enum(['open', 'closed']),
  openedAt: z.string(),
  openedBy: z.string(),
  due: z.string(),
  /** The quarter's last day: a review still open after it is closed, what is left marked unanswered. */
  deadline: z.string(),
  tasks: z.number(),
  closedAt: z.string().optional(),
  summary: ReviewSummary.optional(),
});
export type Review = z.infer<typeof Review>;

export const Nonconformity = z.object({
  /** `NC-<quarter>-<control>`: the quarter it was opened in. */
  id: z.string(),
  control: z.string(),
  openedIn: Quarter,
  /** Why: the control's result that quarter. */
  reason: z.enum(['not-effective', 'unanswered']),
  status: z.enum(['open', 'closed']),
  closedIn: Quarter.optional(),
});
export type Nonconformity = z.infer<typeof Nonconformity>;

export const taskId = (quarter: Quarter, control: string) => `${quarter}/${control}`;
export const nonconformityId = (quarter: Quarter, control: string) => `NC-${quarter}-${control}`;
