// Opening a quarter's review, in the steps of workflows/quarterly-review.asl.json:
// plan (the run on record, earlier reviews past their deadline closed so their
// nonconformities carry, the review item, the tasks whole in batches), one step per
// batch writing its tasks by conditional put, then one digest per person listing
// their tasks, sent by the sweep's own send step, then the run's report. Every
// write is keyed by organisation, quarter and control, so a retried step, a second
// schedule tick and two openings at once give one review and one task per control.
import type { LoadedOrganisation } from '../../domain/org/org.ts';
import { lastDayOf, localDate, notUnderWay, previousQuarter, isQuarter, QUARTER_RULE, type Quarter } from '../../domain/review/quarter.ts';
import { monitoringRecord } from '../monitoring/alerts.ts';
import { capAtDeadline, planTasks, taskDue } from '../../domain/review/plan.ts';
import { answererOf } from '../../domain/review/reminders.ts';
import type { Review, Task, TaskEvidence } from '../../domain/review/review.ts';
import { evidenceStatusByControl } from '../../domain/review/soa.ts';
import type { ReviewNotice } from '../../domain/notice/notice.ts';
import { InputError, NotFoundError } from '../../errors.ts';
import { periodOfRun, type WorkflowName } from '../../workflows/declarations.ts';
import { sealAfterRun } from '../audit/trail.ts';
import { caughtErrorText } from '../caught-error.ts';
import type { Ports } from '../ports.ts';
import type { RunInput } from '../run-input.ts';
import type { PlanResult } from '../sweep/events.ts';
import { recipientBatches } from '../sweep/plan.ts';
import { summarise } from '../sweep/report.ts';
import { closeDueReviews } from './close.ts';
import type { NotifyInput, OpeningPlan, OpeningReportInput, TaskBatchEvent, TaskBatchResult } from './events.ts';

export const REVIEW_KIND: WorkflowName = 'quarterly-review';

/** Tasks per batch step: small enough that a retried step redoes little. */
export const TASKS_PER_BATCH = 25;

/** The quarter a run is for: its name ends with it (`quarterly-review-acme-2026-Q4`). */
export function quarterOfRun(input: RunInput): Quarter {
  const period = periodOfRun(REVIEW_KIND, input.orgId, input.runName);
  if (!isQuarter(period)) throw new InputError(`run "${input.runName}": "${period}" ${QUARTER_RULE}`);
  return period;
}

/**
 * What the product knows, attached to the controls it evidences: the latest data map, the
 * latest gap analysis, and behaviour monitoring's record of the quarter before and of this
 * one so far (logs kept and watched: A.8.15, A.8.16, A.5.14), each when there is one.
 */
async function systemEvidence(rt: Ports, orgId: string, quarter: Quarter): Promise<Map<string, TaskEvidence[]>> {
  const [map, analysis, monitored] = await Promise.all([
    rt.dataMaps.latest(orgId),
    rt.gaps.latestAnalysis(orgId),
    Promise.all([previousQuarter(quarter), quarter].map((q) => monitoringRecord(rt, orgId, q))),
  ]);
  const out = new Map<string, TaskEvidence[]>();
  const attach = (controls: string[], e: TaskEvidence) => controls.forEach((c) => out.set(c, [...(out.get(c) ?? []), e]));
  if (map) {
    attach(['A.5.12', 'A.5.34'], { id: `datamap:${map.scanId}`, origin: 'system', title: `Data map of scan ${map.scanId} (${map.scannedAt.slice(0, 10)})`, location: `compliance://${orgId}/datamaps/${map.scanId}` });
  }
  if (analysis) {
    attach(['A.5.31', 'A.5.36'], { id: `analysis:${analysis.id}`, origin: 'system', title: `Gap analysis ${analysis.id} (${analysis.asOf.slice(0, 10)})`, location: `compliance://${orgId}/analyses/${analysis.id}` });
  }
  for (const record of monitored.filter((r) => r.runs > 0)) {
    const so = record.quarter === quarter ? ' so far' : '';
    attach(['A.8.15', 'A.8.16', 'A.5.14'], {
      id: `monitoring:${record.quarter}`,
      origin: 'system',
      title: `Behaviour monitoring record ${record.quarter}${so}: ${plural(record.runs, 'run')}, ${plural(record.events, 'audit-log event')} examined, ${plural(record.alerts, 'alert')} (compliance alerts stats --period ${record.quarter})`,
      location: `compliance://${orgId}/monitoring/${record.quarter}`,
    });
  }
  return out;
}

const plural = (n: number, word: string) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;

async function loadOrg(rt: Ports, orgId: string): Promise<LoadedOrganisation> {
  const org = await rt.organisations.load(orgId);
  if (!org) throw new NotFoundError(`organisation "${orgId}" has not been imported`);
  return org;
}

export async function planOpening(rt: Ports, input: RunInput): Promise<OpeningPlan> {
  await rt.runs.begin({ orgId: input.orgId, kind: REVIEW_KIND, name: input.runName, asOf: input.now, startedBy: input.startedBy }, rt.clock().toISOString());
  const quarter = quarterOfRun(input);
  const org = await loadOrg(rt, input.orgId);
  const today = localDate(new Date(input.now), org.organisation.timeZone);
  // The CLI and the API refuse these before a run starts (usecases/runs/start-checks.ts); a run started another way is refused here.
  const refused = notUnderWay(quarter, today, org.organisation.timeZone);
  if (refused) throw new InputError(refused);
  const closedFirst = await closeDueReviews(rt, input.orgId, today, input.runName, input.now);

  const existing = await rt.reviews.get(input.orgId, quarter);
  const base = { quarter, organisationName: org.organisation.name, closedFirst };
  if (existing?.status === 'closed') return { ...base, due: existing.due, review: 'closed', batches: [] };

  const openingDate = today; // the quarter is under way (refused above otherwise)
  const [evidence, nonconformities, attached] = await Promise.all([rt.organisations.evidence(input.orgId), rt.reviews.nonconformities(input.orgId), systemEvidence(rt, input.orgId, quarter)]);
  const controls = [...org.controls.values()].filter((c) => c.applicable && c.owner);
  let tasks = planTasks({
    quarter,
    openingDate,
    policy: org.organisation.review,
    controls: controls.map((c) => ({ id: c.id, title: c.title, owner: c.owner as string, reviewer: c.reviewer, reviewEvery: c.reviewEvery, reviewIn: c.reviewIn })),
    evidenceStatus: evidenceStatusByControl(evidence, today, org.organisation.sweep),
    openNonconformities: nonconformities.filter((nc) => nc.status === 'open' && nc.openedIn < quarter),
    complianceContact: org.organisation.complianceContact,
  }).map((t): Task => ({ ...t, evidence: attached.get(t.control) ?? [] }));
  // A review opened before keeps its due date: a second opening only fills in what is
  // missing. Capped at the deadline too, should the review have been written with a later one.
  const due = existing ? capAtDeadline(quarter, existing.due) : taskDue(quarter, openingDate, org.organisation.review);
  tasks = tasks.map((t) => ({ ...t, due }));
  const review: Review = { id: quarter, orgId: input.orgId, status: 'open', openedAt: input.now, openedBy: input.runName, due, deadline: lastDayOf(quarter), tasks: tasks.length };
  const outcome = existing ? 'exists' : await rt.reviews.create(review, rt.clock().toISOString());
  const batches: OpeningPlan['batches'] = [];
  for (let i = 0; i < tasks.length; i += TASKS_PER_BATCH) batches.push({ tasks: tasks.slice(i, i + TASKS_PER_BATCH) });
  return { ...base, due, review: outcome, batches };
}

/** One batch step: conditional puts, nothing read. */
export async function createTaskBatch(rt: Ports, event: TaskBatchEvent): Promise<TaskBatchResult> {
  return rt.reviews.createTasks(event.orgId, event.tasks);
}

/**
 * One digest per person who answers tasks this quarter, recorded pending (once:
 * its key is the quarter, person, due date and stage), then handed to the send step.
 */
export async function notifyAssignees(rt: Ports, input: NotifyInput): Promise<PlanResult> {
  const org = await loadOrg(rt, input.orgId);
  const quarter = input.plan.quarter;
  const tasks = (await rt.reviews.tasks(input.orgId, quarter)).filter((t) => t.status === 'open' && !t.closedAt);
  const byAnswerer = new Map<string, Task[]>();
  for (const t of tasks) byAnswerer.set(answererOf(t), [...(byAnswerer.get(answererOf(t)) ?? []), t]);
  const at = rt.clock().toISOString();
  const notices = [...byAnswerer].map(([recipientId, mine]) => assignedDigest(input, org, recipientId, mine, at));
  const outcomes = await Promise.all(notices.map((n) => rt.notices.record(n, at)));
  return {
    // Everyone with a digest this quarter, recorded now or by an earlier try that may not have sent it.
    ...recipientBatches(org, [...byAnswerer.keys()].sort()),
    evidenceRead: 0,
    tasksRead: tasks.length,
    reviewsClosed: [],
    recorded: outcomes.filter((o) => o === 'recorded').length,
    alreadyRecorded: outcomes.filter((o) => o === 'exists').length,
  };
}

export function assignedDigest(input: RunInput, org: LoadedOrganisation, recipientId: string, tasks: readonly Task[], at: string, about?: string): ReviewNotice {
  const first = tasks[0] as Task;
  return {
    kind: 'review',
    orgId: input.orgId,
    recipientId,
    quarter: first.quarter,
    due: first.due,
    stage: 'assigned',
    ...(about ? { about } : {}),
    tasks: tasks.map((t) => ({ id: t.id, control: t.control, controlTitle: t.controlTitle, ownerName: org.people.get(t.owner)?.name ?? t.owner })),
    status: 'pending',
    recordedBy: input.runName,
    recordedAt: at,
    attempts: 0,
  };
}

export interface OpeningSummary {
  runName: string;
  status: 'succeeded' | 'failed';
  quarter?: string;
  review?: OpeningPlan['review'];
  due?: string;
  tasks: number;
  tasksCreated: number;
  closedFirst: string[];
  digestsRecorded: number;
  mailsSent: number;
  failedRecipients: { recipientId: string; error: string }[];
  error?: string;
}

export async function reportOpening(rt: Ports, input: OpeningReportInput): Promise<OpeningSummary> {
  const sends = summarise({ orgId: input.orgId, runName: input.runName, now: input.now, ...(input.notify ? { plan: input.notify } : {}), ...(input.sends ? { sends: input.sends } : {}) });
  const error = input.error ? caughtErrorText(input.error) : undefined;
  const summary: OpeningSummary = {
    runName: input.runName,
    status: error || sends.status === 'failed' ? 'failed' : 'succeeded',
    ...(input.plan ? { quarter: input.plan.quarter, review: input.plan.review, due: input.plan.due } : {}),
    tasks: input.plan?.batches.reduce((n, b) => n + b.tasks.length, 0) ?? 0,
    tasksCreated: input.created?.reduce((n, c) => n + c.created, 0) ?? 0,
    closedFirst: input.plan?.closedFirst ?? [],
    digestsRecorded: input.notify?.recorded ?? 0,
    mailsSent: sends.mailsSent,
    failedRecipients: sends.failedRecipients,
    ...(error ? { error } : {}),
  };
  const { runName, status, error: _e, ...figures } = summary;
  const run = { orgId: input.orgId, kind: REVIEW_KIND, name: runName };
  const at = rt.clock().toISOString();
  if (status === 'failed') await rt.runs.finish(run, { status: 'failed', error: error ?? 'a digest could not be sent (it stays pending for the next daily run)', summary: figures }, at);
  else await rt.runs.finish(run, { status: 'succeeded', summary: figures }, at);
  await sealAfterRun(rt, run);
  return summary;
}
