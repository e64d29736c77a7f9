// Data maps in the table: one item per scan holding the whole map and its change
// since the previous scan. Keys sort by scan id (which names the period), so the
// history is a range read and the previous map is the one just before.
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { StoredDataMap, type DataMap, type DataMapDiff } from '../../domain/datamap/datamap.ts';
import type { Store } from './client.ts';
import { appendAudit } from './audit.ts';
import { queryAll } from './batch.ts';
import { keys, PREFIX } from './keys.ts';

const dataMapEntity = {
  toItem: (dataMap: DataMap, diff: DataMapDiff) => ({ ...keys.dataMap(dataMap.orgId, dataMap.scanId), type: 'datamap', orgId: dataMap.orgId, scanId: dataMap.scanId, dataMap, diff }),
  fromItem: (item: Record<string, unknown>): StoredDataMap => StoredDataMap.parse({ dataMap: item.dataMap, diff: item.diff }),
};

/** Writes (or, for a re-run of the same scan, rewrites) one scan's data map, and notes it in the audit trail. */
export async function putDataMap(store: Store, dataMap: DataMap, diff: DataMapDiff, at: string): Promise<void> {
  const key = keys.dataMap(dataMap.orgId, dataMap.scanId);
  await store.doc.send(new PutCommand({ TableName: store.table, Item: dataMapEntity.toItem(dataMap, diff) }));
  await appendAudit(store, { orgId: dataMap.orgId, at, event: 'datamap.stored', subject: key.SK, actor: dataMap.scanId, detail: { ...diff } });
}

/** The latest data map before `scanId` (or the latest of all). */
export async function previousDataMap(store: Store, orgId: string, scanId?: string): Promise<DataMap | undefined> {
  const result = await store.doc.send(
    new QueryCommand({
      TableName: store.table,
      KeyConditionExpression: scanId ? 'PK = :pk AND SK BETWEEN :from AND :before' : 'PK = :pk AND begins_with(SK, :from)',
      ExpressionAttributeValues: { ':pk': keys.orgPartition(orgId), ':from': PREFIX.dataMap, ...(scanId ? { ':before': keys.dataMap(orgId, scanId).SK } : {}) },
      ScanIndexForward: false,
      Limit: 2,
    }),
  );
  return (result.Items ?? []).map(dataMapEntity.fromItem).find((i) => i.dataMap.scanId !== scanId)?.dataMap;
}

export async function dataMapHistory(store: Store, orgId: string): Promise<StoredDataMap[]> {
  const items = await queryAll<Record<string, unknown>>(store, {
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.orgPartition(orgId), ':prefix': PREFIX.dataMap },
  });
  return items.map(dataMapEntity.fromItem);
}
