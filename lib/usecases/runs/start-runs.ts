// Starts scheduled runs. A schedule may deliver a tick twice, so each execution's
// name comes from the workflow, organisation and period: a second start of the
// same name is the same run ("already started"), not an error.
import { runRequest, type WorkflowName } from '../../workflows/declarations.ts';
import type { ExecutionStarter, OrganisationRepository } from '../ports.ts';

export interface StartRequest {
  workflow: WorkflowName;
  /** One organisation, or every imported organisation when absent. */
  orgId?: string;
  now: Date;
}

export interface Started {
  orgId: string;
  name: string;
  status: 'started' | 'already-started';
  executionArn?: string;
}

export async function startRuns(rt: { organisations: OrganisationRepository }, start: ExecutionStarter, request: StartRequest): Promise<Started[]> {
  const orgIds = request.orgId ? [request.orgId] : await rt.organisations.ids();
  const started: Started[] = [];
  for (const orgId of orgIds) {
    const { name, input } = runRequest(request.workflow, orgId, request.now);
    const result = await start(request.workflow, name, JSON.stringify(input));
    started.push(result === 'exists' ? { orgId, name, status: 'already-started' } : { orgId, name, status: 'started', ...result });
  }
  return started;
}
