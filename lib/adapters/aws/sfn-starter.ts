// Starts workflow runs on AWS. A schedule may deliver a tick twice, so the
// execution name is derived from workflow, organisation and period: Step
// Functions refuses a second execution of the same name, and that refusal
// means "already started", not an error.
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Runtime } from '../../runtime.ts';
import { listOrganisationIds } from '../dynamodb/org-store.ts';
import { runRequest, type WorkflowName } from '../../workflows/catalogue.ts';

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

export type ExecutionStarter = (stateMachineArn: string, name: string, input: string) => Promise<{ executionArn?: string } | 'exists'>;

export function sfnStarter(client = new SFNClient({})): ExecutionStarter {
  return async (stateMachineArn, name, input) => {
    try {
      const result = await client.send(new StartExecutionCommand({ stateMachineArn, name, input }));
      return result.executionArn ? { executionArn: result.executionArn } : {};
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists) return 'exists';
      throw error;
    }
  };
}

export async function startRuns(rt: Runtime, start: ExecutionStarter, stateMachineArn: string, request: StartRequest): Promise<Started[]> {
  const orgIds = request.orgId ? [request.orgId] : await listOrganisationIds(rt.store);
  const started: Started[] = [];
  for (const orgId of orgIds) {
    const { name, input } = runRequest(request.workflow, orgId, request.now);
    const result = await start(stateMachineArn, name, JSON.stringify(input));
    started.push(result === 'exists' ? { orgId, name, status: 'already-started' } : { orgId, name, status: 'started', ...result });
  }
  return started;
}
