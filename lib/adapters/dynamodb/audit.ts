// The audit trail: an append-only, time-ordered list per organisation. Entries
// have deterministic ids where the change has one, so a retried write is a no-op.
import { createHash } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { AuditEvent } from '../../domain/audit/audit.ts';
import type { Store } from './client.ts';
import { keys, withoutKeys } from './keys.ts';
import { queryAll } from './batch.ts';
import { isConditionFailure } from './conditions.ts';

export function auditId(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}

export const auditEntity = {
  toItem: (e: AuditEvent): Record<string, unknown> => ({ ...keys.audit(e.orgId, e.at, auditId(e.event, e.subject, e.actor, e.at)), type: 'audit', ...e }),
  fromItem: (item: Record<string, unknown>): AuditEvent => AuditEvent.parse({ ...withoutKeys(item), orgId: item.orgId }),
};

/** A Put for a transaction: refuses a duplicate of the very same entry. */
export function auditPut(store: Store, e: AuditEvent) {
  return { Put: { TableName: store.table, Item: auditEntity.toItem(e), ConditionExpression: 'attribute_not_exists(PK)' } };
}

export async function appendAudit(store: Store, e: AuditEvent): Promise<void> {
  try {
    await store.doc.send(new PutCommand(auditPut(store, e).Put));
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

export async function readAudit(store: Store, orgId: string): Promise<AuditEvent[]> {
  const items = await queryAll<Record<string, unknown>>(store, {
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.auditPartition(orgId) },
  });
  return items.map(auditEntity.fromItem);
}
