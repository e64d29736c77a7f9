// Step 3 of a sweep: add up what each recipient's send did and record the run.
import { sealAfterRun } from '../audit/trail.ts';
import { caughtErrorText } from '../caught-error.ts';
import type { Ports } from '../ports.ts';
import type { FailedBatch, ReportInput, SendResult } from './events.ts';
import { SWEEP_KIND } from './plan.ts';

export interface SweepSummary {
  runName: string;
  status: 'succeeded' | 'failed';
  evidenceRead: number;
  tasksRead: number;
  reviewsClosed: string[];
  noticesRecorded: number;
  mailsSent: number;
  noticesSent: number;
  noticesFailed: number;
  noticesSuperseded: number;
  noticesCancelled: number;
  failedRecipients: { recipientId: string; error: string }[];
  mails: { recipientId: string; notices: number; kinds?: SendResult['kinds']; messageId: string }[];
  error?: string;
}

/** A failed batch counts as a failure for each of its recipients (their notices stay pending). */
function flatten(batches: (SendResult[] | FailedBatch)[]): SendResult[] {
  return batches.flatMap((b) =>
    Array.isArray(b) ? b : b.recipientIds.map((recipientId) => ({ recipientId, mailed: false, sent: 0, failed: 0, superseded: 0, cancelled: 0, error: b.error })),
  );
}

export function summarise(input: ReportInput): SweepSummary {
  const sends = flatten(input.sends ?? []);
  const sum = (f: (s: SendResult) => number) => sends.reduce((total, s) => total + f(s), 0);
  return {
    runName: input.runName,
    status: input.error || sends.some((s) => s.failed > 0 || s.error) ? 'failed' : 'succeeded',
    evidenceRead: input.plan?.evidenceRead ?? 0,
    tasksRead: input.plan?.tasksRead ?? 0,
    reviewsClosed: input.plan?.reviewsClosed ?? [],
    noticesRecorded: input.plan?.recorded ?? 0,
    mailsSent: sends.filter((s) => s.mailed).length,
    noticesSent: sum((s) => s.sent),
    noticesFailed: sum((s) => s.failed),
    noticesSuperseded: sum((s) => s.superseded),
    noticesCancelled: sum((s) => s.cancelled),
    failedRecipients: sends.filter((s) => s.error).map((s) => ({ recipientId: s.recipientId, error: s.error as string })),
    mails: sends.filter((s) => s.mailed).map((s) => ({ recipientId: s.recipientId, notices: s.sent, ...(s.kinds ? { kinds: s.kinds } : {}), messageId: s.messageId as string })),
    ...(input.error ? { error: caughtErrorText(input.error) } : {}),
  };
}

export async function reportSweep(rt: Ports, input: ReportInput): Promise<SweepSummary> {
  const summary = summarise(input);
  const { runName, status, error, ...figures } = summary;
  const run = { orgId: input.orgId, kind: SWEEP_KIND, name: input.runName };
  const at = rt.clock().toISOString();
  if (status === 'failed') await rt.runs.finish(run, { status: 'failed', error: error ?? 'unknown error', summary: figures }, at);
  else await rt.runs.finish(run, { status: 'succeeded', summary: figures }, at);
  await sealAfterRun(rt, run);
  return summary;
}
