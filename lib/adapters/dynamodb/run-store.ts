// Runs (workflow executions) by organisation and kind. A run's name is derived
// from the workflow, organisation and period, never from the delivery, so a
// schedule tick delivered twice is one run.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Store } from './client.ts';
import { appendAudit } from './audit.ts';
import { queryAll } from './batch.ts';
import { keys, PREFIX } from './keys.ts';

export type RunStatus = 'running' | 'succeeded' | 'failed';

export interface RunRecord {
  orgId: string;
  kind: string;
  name: string;
  status: RunStatus;
  asOf: string;
  startedAt: string;
  finishedAt?: string;
  attempts: number;
  summary?: Record<string, unknown>;
  error?: string;
}

/** Step Functions execution names: at most 80 of A-Z a-z 0-9 - _; never cut, never folded. */
export function runName(kind: string, orgId: string, period: string): string {
  const name = `${kind}-${orgId}-${period}`;
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw new Error(`run name "${name}" is not a valid execution name`);
  return name;
}

export async function getRun(store: Store, orgId: string, kind: string, name: string): Promise<RunRecord | undefined> {
  const result = await store.doc.send(new GetCommand({ TableName: store.table, Key: keys.run(orgId, kind, name), ConsistentRead: true }));
  return result.Item as RunRecord | undefined;
}

/** Marks a run started (again, after a failure); counts attempts. */
export async function beginRun(store: Store, run: { orgId: string; kind: string; name: string; asOf: string }, at: string): Promise<void> {
  await store.doc.send(
    new UpdateCommand({
      TableName: store.table,
      Key: keys.run(run.orgId, run.kind, run.name),
      UpdateExpression: 'SET #type = :type, orgId = :org, kind = :kind, #name = :name, asOf = :asOf, #status = :running, startedAt = :at, attempts = if_not_exists(attempts, :zero) + :one REMOVE finishedAt, #error',
      ExpressionAttributeNames: { '#type': 'type', '#name': 'name', '#status': 'status', '#error': 'error' },
      ExpressionAttributeValues: { ':type': 'run', ':org': run.orgId, ':kind': run.kind, ':name': run.name, ':asOf': run.asOf, ':running': 'running', ':at': at, ':zero': 0, ':one': 1 },
    }),
  );
  await appendAudit(store, { orgId: run.orgId, at, event: 'run.started', subject: keys.run(run.orgId, run.kind, run.name).SK, actor: run.name });
}

export async function finishRun(
  store: Store,
  run: { orgId: string; kind: string; name: string },
  outcome: { status: 'succeeded'; summary: Record<string, unknown> } | { status: 'failed'; error: string; summary?: Record<string, unknown> },
  at: string,
): Promise<void> {
  await store.doc.send(
    new UpdateCommand({
      TableName: store.table,
      Key: keys.run(run.orgId, run.kind, run.name),
      UpdateExpression: 'SET #status = :status, finishedAt = :at, summary = :summary' + (outcome.status === 'failed' ? ', #error = :error' : ''),
      ExpressionAttributeNames: { '#status': 'status', ...(outcome.status === 'failed' ? { '#error': 'error' } : {}) },
      ExpressionAttributeValues: {
        ':status': outcome.status,
        ':at': at,
        ':summary': outcome.summary ?? {},
        ...(outcome.status === 'failed' ? { ':error': outcome.error } : {}),
      },
    }),
  );
  await appendAudit(store, {
    orgId: run.orgId,
    at,
    event: `run.${outcome.status}`,
    subject: keys.run(run.orgId, run.kind, run.name).SK,
    actor: run.name,
    detail: outcome.status === 'failed' ? { error: outcome.error } : outcome.summary,
  });
}

export async function listRuns(store: Store, orgId: string, kind: string): Promise<RunRecord[]> {
  return queryAll<RunRecord>(store, {
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.orgPartition(orgId), ':prefix': `${PREFIX.run}${kind}#` },
  });
}
