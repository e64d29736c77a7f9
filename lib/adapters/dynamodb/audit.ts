// The audit trail: an append-only, time-ordered list per organisation. Entries
// have deterministic ids where the change has one, so a retried write is a no-op.
import { createHash } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Store } from './client.ts';
import { keys } from './keys.ts';
import { queryAll } from './batch.ts';

export interface AuditEvent {
  orgId: string;
  /** ISO-8601 UTC, when it happened. */
  at: string;
  /** e.g. notice.recorded, notice.sent, evidence.renewed */
  event: string;
  /** What it is about, e.g. NOTICE#ev-001#2026-11-01#lapsed or EVIDENCE#ev-001 */
  subject: string;
  /** Who or what did it: a run name, or "import:<file>". */
  actor: string;
  detail?: Record<string, unknown>;
}

export function auditId(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}

export function auditItem(e: AuditEvent): Record<string, unknown> {
  return { ...keys.audit(e.orgId, e.at, auditId(e.event, e.subject, e.actor, e.at)), type: 'audit', ...e };
}

/** A Put for a transaction: refuses a duplicate of the very same entry. */
export function auditPut(store: Store, e: AuditEvent) {
  return { Put: { TableName: store.table, Item: auditItem(e), ConditionExpression: 'attribute_not_exists(PK)' } };
}

export async function appendAudit(store: Store, e: AuditEvent): Promise<void> {
  try {
    await store.doc.send(new PutCommand({ TableName: store.table, Item: auditItem(e), ConditionExpression: 'attribute_not_exists(PK)' }));
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
}

export async function readAudit(store: Store, orgId: string): Promise<AuditEvent[]> {
  const items = await queryAll<AuditEvent & Record<string, unknown>>(store, {
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.auditPartition(orgId) },
  });
  return items.map(({ orgId, at, event, subject, actor, detail }) => ({ orgId, at, event, subject, actor, ...(detail ? { detail } : {}) }));
}
