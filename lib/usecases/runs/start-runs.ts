// Starts scheduled runs. A schedule may deliver a tick twice, so each execution's
// name comes from the workflow, organisation and period: a second start of the
// same name is the same run ("already started"), not an error.
import { daysIntoPeriod, periodOfRun, runRequest, workflow, workflowOfRun, WORKFLOWS, type WorkflowName } from '../../workflows/declarations.ts';
import type { DataMapRepository, ExecutionStarter, OrganisationRepository } from '../ports.ts';
import type { RunInput } from '../run-input.ts';

export interface StartRequest {
  workflow: WorkflowName;
  /** One organisation, or every imported organisation when absent. */
  orgId?: string;
  now: Date;
}

export interface Started {
  orgId: string;
  name: string;
  /**
   * not-due: the organisation's own period has not turned lately (it started, or will start,
   * on its first days). waiting: a monitoring pass before the organisation's first data map,
   * which would only fail (checkRunStart): its events wait, held, for the first pass after the scan.
   */
  status: 'started' | 'already-started' | 'not-due' | 'waiting';
  executionArn?: string;
}

export async function startRuns(rt: { organisations: OrganisationRepository; dataMaps: Pick<DataMapRepository, 'latest'> }, start: ExecutionStarter, request: StartRequest): Promise<Started[]> {
  const orgIds = request.orgId ? [request.orgId] : await rt.organisations.ids();
  const declared = workflow(request.workflow);
  const started: Started[] = [];
  for (const orgId of orgIds) {
    // A period of the organisation's own begins at its local midnight: an hourly tick starts it once its first day has come.
    const timeZone = declared.localPeriod ? (await rt.organisations.settings(orgId))?.timeZone : undefined;
    const { name, input } = runRequest(request.workflow, orgId, request.now, timeZone ? { timeZone } : {});
    if (declared.localPeriod && daysIntoPeriod(declared.period, request.now, timeZone) >= declared.localPeriod.startWithinDays) {
      started.push({ orgId, name, status: 'not-due' });
      continue;
    }
    // Not a failed run every quarter-hour until the first scan, each raising the failed-run alarm.
    if (request.workflow === 'behaviour-monitoring' && !(await rt.dataMaps.latest(orgId))) {
      started.push({ orgId, name, status: 'waiting' });
      continue;
    }
    const result = await start(request.workflow, name, JSON.stringify(input));
    started.push(result === 'exists' ? { orgId, name, status: 'already-started' } : { orgId, name, status: 'started', ...result });
  }
  return started;
}

/**
 * Starts what follows a run that just ended (`startedAfter` in the declarations),
 * under the same period: the data-mapping scan `...-2026-11` is followed by the gap
 * analysis `gap-analysis-<org>-2026-11`, an on-demand scan by an on-demand analysis.
 * A run a person started passes them on: its followers are theirs too (their startedBy,
 * their run.started), so the trail shows who caused them; a scheduled or CLI run's name no one.
 */
export async function startFollowers(rt: { starter: ExecutionStarter }, ended: RunInput): Promise<Started[]> {
  const from = workflowOfRun(ended.runName, ended.orgId);
  if (!from) throw new Error(`run "${ended.runName}" names no declared workflow of ${ended.orgId}`);
  const period = periodOfRun(from.name, ended.orgId, ended.runName);
  const started: Started[] = [];
  for (const next of WORKFLOWS.filter((w) => (w as { startedAfter?: string }).startedAfter === from.name)) {
    const { name, input } = runRequest(next.name, ended.orgId, new Date(ended.now), { period });
    const result = await rt.starter(next.name, name, JSON.stringify({ ...input, ...(ended.startedBy ? { startedBy: ended.startedBy } : {}) }));
    started.push(result === 'exists' ? { orgId: ended.orgId, name, status: 'already-started' } : { orgId: ended.orgId, name, status: 'started', ...result });
  }
  return started;
}
