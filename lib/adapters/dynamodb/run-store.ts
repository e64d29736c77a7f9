// Runs (workflow executions) by organisation and kind. A run's name is derived
// from the workflow, organisation and period, never from the delivery, so a
// schedule tick delivered twice is one run.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { RunRecord, type RunOutcome } from '../../domain/runs/run.ts';
import type { RunRef } from '../../usecases/ports.ts';
import type { Store } from './client.ts';
import { appendAudit } from './audit.ts';
import { queryAll } from './batch.ts';
import { keys, withoutKeys } from './keys.ts';

const runEntity = {
  key: (run: RunRef) => keys.run(run.orgId, run.kind, run.name),
  fromItem: (item: Record<string, unknown>): RunRecord => RunRecord.parse({ ...withoutKeys(item), orgId: item.orgId }),
};

export async function getRun(store: Store, run: RunRef): Promise<RunRecord | undefined> {
  const result = await store.doc.send(new GetCommand({ TableName: store.table, Key: runEntity.key(run), ConsistentRead: true }));
  return result.Item ? runEntity.fromItem(result.Item) : undefined;
}

/**
 * Marks a run started (again, after a failure); counts attempts. A person who started it
 * (through the API) is its starter on the record and the actor of run.started, their role
 * in the detail; a run no person started (the schedule's, the CLI's, or one following those) is its own actor.
 */
export async function beginRun(store: Store, run: RunRef & { asOf: string; startedBy?: { person: string; role: string } }, at: string): Promise<void> {
  const by = run.startedBy;
  await store.doc.send(
    new UpdateCommand({
      TableName: store.table,
      Key: runEntity.key(run),
      // startedBy is the latest attempt's: a failed run started again by the schedule names no one.
      UpdateExpression:
        'SET #type = :type, orgId = :org, kind = :kind, #name = :name, asOf = :asOf, #status = :running, startedAt = :at, attempts = if_not_exists(attempts, :zero) + :one' +
        (by ? ', startedBy = :by REMOVE finishedAt, #error' : ' REMOVE finishedAt, #error, startedBy'),
      ExpressionAttributeNames: { '#type': 'type', '#name': 'name', '#status': 'status', '#error': 'error' },
      ExpressionAttributeValues: { ':type': 'run', ':org': run.orgId, ':kind': run.kind, ':name': run.name, ':asOf': run.asOf, ':running': 'running', ':at': at, ':zero': 0, ':one': 1, ...(by ? { ':by': by.person } : {}) },
    }),
  );
  await appendAudit(store, { orgId: run.orgId, at, event: 'run.started', subject: runEntity.key(run).SK, actor: by?.person ?? run.name, ...(by ? { detail: { role: by.role } } : {}) });
}

export async function finishRun(store: Store, run: RunRef, outcome: RunOutcome, at: string): Promise<void> {
  const failed = outcome.status === 'failed';
  await store.doc.send(
    new UpdateCommand({
      TableName: store.table,
      Key: runEntity.key(run),
      // The identity too: a run that failed before it could begin is still on record.
      UpdateExpression:
        'SET #type = :type, orgId = :org, kind = :kind, #name = :name, attempts = if_not_exists(attempts, :zero), #status = :status, finishedAt = :at, summary = :summary' +
        (failed ? ', #error = :error' : ''),
      ExpressionAttributeNames: { '#type': 'type', '#name': 'name', '#status': 'status', ...(failed ? { '#error': 'error' } : {}) },
      ExpressionAttributeValues: {
        ':type': 'run', ':org': run.orgId, ':kind': run.kind, ':name': run.name, ':zero': 0,
        ':status': outcome.status, ':at': at, ':summary': outcome.summary ?? {},
        ...(failed ? { ':error': outcome.error } : {}),
      },
    }),
  );
  await appendAudit(store, {
    orgId: run.orgId,
    at,
    event: `run.${outcome.status}`,
    subject: runEntity.key(run).SK,
    actor: run.name,
    detail: failed ? { error: outcome.error } : outcome.summary,
  });
}

export async function listRuns(store: Store, orgId: string, kind: string): Promise<RunRecord[]> {
  const items = await queryAll<Record<string, unknown>>(store, {
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.orgPartition(orgId), ':prefix': keys.runPrefix(kind) },
  });
  return items.map(runEntity.fromItem);
}
