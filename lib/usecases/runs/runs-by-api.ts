// Runs as schedulers see them through the API: start one now (a period's own run,
// or a new on-demand one), list an organisation's runs, and read one with what the
// orchestrator says of its execution.
import { z } from 'zod';
import type { Principal, Role } from '../../domain/access/principal.ts';
import type { RunRecord } from '../../domain/runs/run.ts';
import { isRealDate } from '../../domain/dates.ts';
import { NotFoundError } from '../../errors.ts';
import { runRequest, workflowOfRun, WORKFLOWS, type WorkflowName } from '../../workflows/declarations.ts';
import type { ExecutionState, Ports } from '../ports.ts';
import { checkRunStart } from './start-checks.ts';

export interface StartedRun {
  workflow: WorkflowName;
  name: string;
  /** already-started: the period's run exists (started before, by a schedule or a person). */
  status: 'started' | 'already-started';
}

/**
 * With a period, that period's run (a repeat reports the existing run); without one, a
 * new on-demand run (a quarter's review: the quarter under way where the organisation
 * is). A run that could only fail is refused before it starts (./start-checks.ts). The
 * run is `by`'s: its input names them, and its first step records them as its starter
 * (run.started's actor; the run's startedBy). A period's run that exists keeps its starter.
 */
export async function startRunNow(rt: Ports, by: Principal, name: WorkflowName, period: string | undefined, now: Date): Promise<StartedRun> {
  const { orgId } = by;
  const { timeZone } = await checkRunStart(rt, orgId, name, period, now, { period: 'body.period', workflow: 'body.workflow' });
  const how = { ...(period === undefined ? { onDemand: true } : { period }), ...(timeZone ? { timeZone } : {}) };
  const { name: runName, input } = runRequest(name, orgId, now, how);
  const result = await rt.starter(name, runName, JSON.stringify({ ...input, startedBy: { person: by.person, role: by.role } }));
  return { workflow: name, name: runName, status: result === 'exists' ? 'already-started' : 'started' };
}

/**
 * A run's summary holds what its workflow found (a data map's ratings, alert ids, the
 * sweep's recipients and counts), which a scheduler is refused (403) at the routes that
 * serve it: a scheduler sees a run's status only; the roles that may read those see the summary.
 */
const seesRunSummaries = (role: Role): boolean => role !== 'scheduler';

/** A run as `role` may see it (seesRunSummaries). */
export function runAsSeenBy<R extends { summary?: unknown }>(run: R, role: Role): R {
  if (seesRunSummaries(role) || !('summary' in run)) return run;
  const { summary: _, ...status } = run;
  return status as R;
}

export async function listRunRecords(rt: Ports, orgId: string, filter: { workflow?: WorkflowName; period?: string }): Promise<RunRecord[]> {
  const kinds = filter.workflow ? [filter.workflow] : WORKFLOWS.map((w) => w.name);
  const runs = (await Promise.all(kinds.map((k) => rt.runs.list(orgId, k)))).flat();
  return filter.period ? runs.filter((r) => r.name.startsWith(`${r.kind}-${orgId}-${filter.period}`)) : runs;
}

const PERIOD_FILTER = 'must be a period such as 2026, 2026-11, 2026-Q4 or 2026-11-30';

/** `?period=` of GET /v1/runs: the start of run names' periods, a year, month, quarter or real day. */
export const PeriodFilter = z
  .string()
  .max(20, PERIOD_FILTER)
  .regex(/^\d{4}(-(0[1-9]|1[0-2])(-\d{2})?|-Q[1-4])?$/, PERIOD_FILTER)
  .refine((s) => s.length !== 10 || isRealDate(s), 'must be a real date (a period such as 2026, 2026-11, 2026-Q4 or 2026-11-30)');

export interface RunView {
  run: RunRecord | { name: string; kind: string; status: 'pending' };
  execution?: ExecutionState;
}

/** One run by name: its record and its execution's state (`pending`: started, its first step not yet run), as `role` may see it. */
export async function showRun(rt: Ports, orgId: string, name: string, role: Role): Promise<RunView> {
  const declared = workflowOfRun(name, orgId);
  if (!declared) throw new NotFoundError(`no run "${name}" of ${orgId}: run names are <workflow>-${orgId}-<period>`);
  const [record, described] = await Promise.all([rt.runs.get({ orgId, kind: declared.name, name }), rt.describeExecution(declared.name, name)]);
  // An organisation whose id starts another's (harbour, harbour-ledger) must not see that one's executions.
  const { orgId: whose, ...execution } = described ?? { status: 'RUNNING' as const };
  const own = described !== undefined && whose === orgId;
  if (!record && !own) throw new NotFoundError(`no run "${name}" of ${orgId}`);
  // A failed execution's cause may quote a state's input or output, which holds the summary: the error's name only for a scheduler.
  const { cause: _cause, ...withoutCause } = execution as typeof execution & { cause?: string };
  const shown = seesRunSummaries(role) ? execution : withoutCause;
  return { run: record ? runAsSeenBy(record, role) : { name, kind: declared.name, status: 'pending' }, ...(own ? { execution: shown } : {}) };
}

export const WorkflowParam = z.enum(WORKFLOWS.map((w) => w.name) as [WorkflowName, ...WorkflowName[]], {
  error: `must be one of ${WORKFLOWS.map((w) => w.name).join(', ')}`,
});
