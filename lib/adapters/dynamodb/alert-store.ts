// Alerts in the table, under their deterministic ids: raised once (a conditional put
// with its audit entry), in the unresolved index (GSI2, sparse) until resolved, and
// acknowledged or resolved over the status read, each change with its audit entry.
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../domain/audit/audit.ts';
import { Alert, type AlertStatus } from '../../domain/monitoring/alert.ts';
import { ConflictError } from '../../errors.ts';
import type { Store } from './client.ts';
import { auditPut } from './audit.ts';
import { cancellationCodes } from './conditions.ts';
import { batchGetAll, queryAll } from './batch.ts';
import { INDEX, keys, withoutKeys } from './keys.ts';

export const alertEntity = {
  toItem: (a: Alert): Record<string, unknown> => ({
    ...keys.alert(a.orgId, a.id),
    ...(a.status !== 'resolved' ? keys.alertOpen(a.orgId, a.at, a.id) : {}),
    type: 'alert',
    ...a,
  }),
  fromItem: (item: Record<string, unknown>): Alert => Alert.parse({ ...withoutKeys(item), orgId: item.orgId }),
};

export async function createAlert(store: Store, alert: Alert, audit: AuditEvent): Promise<'created' | 'exists'> {
  try {
    await store.doc.send(
      new TransactWriteCommand({
        TransactItems: [{ Put: { TableName: store.table, Item: alertEntity.toItem(alert), ConditionExpression: 'attribute_not_exists(PK)' } }, auditPut(store, audit)],
      }),
    );
    return 'created';
  } catch (error) {
    if (cancellationCodes(error)[0] === 'ConditionalCheckFailed') return 'exists';
    throw error;
  }
}

export async function getAlert(store: Store, orgId: string, id: string): Promise<Alert | undefined> {
  const result = await store.doc.send(new GetCommand({ TableName: store.table, Key: keys.alert(orgId, id), ConsistentRead: true }));
  return result.Item ? alertEntity.fromItem(result.Item) : undefined;
}

/** The status of each alert named (BatchGetItem, keys and status only): what the send step needs to drop resolved ones. */
export async function alertStatuses(store: Store, orgId: string, ids: readonly string[]): Promise<Map<string, AlertStatus>> {
  const out = new Map<string, AlertStatus>();
  const unique = [...new Set(ids)];
  const items = await batchGetAll(
    store,
    unique.map((id) => keys.alert(orgId, id)),
    { projection: 'id, #status', names: { '#status': 'status' }, failure: (left) => `DynamoDB left ${left} alerts unread after 8 attempts` },
  );
  for (const item of items) out.set(String(item.id), item.status as AlertStatus);
  return out;
}

export async function unresolvedAlerts(store: Store, orgId: string): Promise<Alert[]> {
  const items = await queryAll<Record<string, unknown>>(store, {
    IndexName: INDEX.byDate,
    KeyConditionExpression: 'GSI2PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.alertOpenPartition(orgId) },
  });
  return items.map(alertEntity.fromItem);
}

/** Ids begin with the day (`20261124-...`): the days' alerts are one range of the organisation's partition. */
export async function alertsOfDays(store: Store, orgId: string, fromDay: string, toDay: string): Promise<Alert[]> {
  const items = await queryAll<Record<string, unknown>>(store, {
    KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': keys.orgPartition(orgId), ':from': `ALERT#${fromDay.replace(/-/g, '')}`, ':to': `ALERT#${toDay.replace(/-/g, '')}-\uffff` },
  });
  return items.map(alertEntity.fromItem);
}

/** The alert as changed, over the status read; it leaves the unresolved index when resolved. */
export async function changeAlert(store: Store, alert: Alert, readStatus: AlertStatus, audit: AuditEvent): Promise<void> {
  try {
    await store.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: store.table, Item: alertEntity.toItem(alert), ConditionExpression: '#status = :read', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':read': readStatus } } },
          auditPut(store, audit),
        ],
      }),
    );
  } catch (error) {
    if (cancellationCodes(error)[0] === 'ConditionalCheckFailed') throw new ConflictError(`alert ${alert.id} changed since it was read (it is no longer ${readStatus}): read it again`);
    throw error;
  }
}
