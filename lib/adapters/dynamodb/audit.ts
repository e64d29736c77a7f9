// The audit trail: an append-only, time-ordered list per organisation. Entries
// have deterministic ids where the change has one, so a retried write is a no-op.
// Every entry is written with the not-yet-sealed mark (its key in the sparse GSI2
// partition ORG#<org>#AUDIT_UNSEALED), so a seal finds what is new without reading
// the trail, and writers never read or contend (audit-seal.ts).
import { createHash } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { AuditEvent } from '../../domain/audit/audit.ts';
import { entryHash } from '../../domain/audit/chain.ts';
import type { AuditRecord } from '../../usecases/ports.ts';
import type { Store } from './client.ts';
import { keys, withoutKeys } from './keys.ts';
import { queryAll } from './batch.ts';
import { writtenIf } from './conditions.ts';
import { InputError } from '../../errors.ts';

export function auditId(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}

export const auditEntity = {
  toItem: (e: AuditEvent): Record<string, unknown> => {
    const key = keys.audit(e.orgId, e.at, auditId(e.event, e.subject, e.actor, e.at));
    return { ...key, ...keys.auditUnsealed(e.orgId, key.SK), type: 'audit', ...e };
  },
  fromItem: (item: Record<string, unknown>): AuditEvent => AuditEvent.parse({ ...withoutKeys(item), orgId: item.orgId }),
};

/** A Put for a transaction: refuses a duplicate of the very same entry. */
export function auditPut(store: Store, e: AuditEvent) {
  return { Put: { TableName: store.table, Item: auditEntity.toItem(e), ConditionExpression: 'attribute_not_exists(PK)' } };
}

export async function appendAudit(store: Store, e: AuditEvent): Promise<void> {
  await writtenIf(store.doc.send(new PutCommand(auditPut(store, e).Put)));
}

export async function readAudit(store: Store, orgId: string): Promise<AuditEvent[]> {
  const items = await queryAll<Record<string, unknown>>(store, {
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.auditPartition(orgId) },
  });
  return items.map(auditEntity.fromItem);
}


/**
 * Entries whose time is from `from` (inclusive) to `to` (exclusive), in order: `SK BETWEEN
 * :from AND :to`, since a key is `<at>#<id>` and `<to>#...` sorts after `<to>`. Either may
 * be a date (`2026-10-01`) or a time.
 */
export async function readAuditRange(store: Store, orgId: string, from: string, to: string): Promise<AuditRecord[]> {
  if (from.includes('#') || to.includes('#')) throw new InputError('an audit range is two ISO-8601 dates or times');
  if (from >= to) return [];
  const items = await queryAll<Record<string, unknown>>(store, {
    KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': keys.auditPartition(orgId), ':from': from, ':to': to },
  });
  return items.map((item) => ({ ...auditEntity.fromItem(item), sk: String(item.SK), hash: entryHash(item) }));
}
