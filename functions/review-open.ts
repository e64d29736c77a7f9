import { lambdaHandler } from '../lib/lambda/handler.ts';
import { runInputOf } from '../lib/usecases/run-input.ts';
import { NotifyEvent, OpeningReportEvent, TaskBatchEvent } from '../lib/usecases/review/events.ts';
import { createTaskBatch, notifyAssignees, planOpening, reportOpening } from '../lib/usecases/review/open.ts';

/** The quarterly review's steps (workflows/quarterly-review.asl.json). */
export const plan = lambdaHandler(runInputOf('quarterly-review'), planOpening);
export const tasks = lambdaHandler(TaskBatchEvent, createTaskBatch);
export const notify = lambdaHandler(NotifyEvent, notifyAssignees);
/** Its last step, and its RecordFailure step. */
export const report = lambdaHandler(OpeningReportEvent, reportOpening);
