// Data maps in the table: one item per scan holding the whole map and its change
// since the previous scan. Keys sort by scan id (which names the period), so the
// history is a range read and the previous map is the one just before.
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DataMap, DataMapDiff } from '../../domain/datamap/datamap.ts';
import type { Store } from './client.ts';
import { queryAll } from './batch.ts';
import { keys, PREFIX } from './keys.ts';

export interface StoredDataMap {
  dataMap: DataMap;
  diff: DataMapDiff;
}

/** Writes (or, for a re-run of the same scan, rewrites) one scan's data map. */
export async function putDataMap(store: Store, dataMap: DataMap, diff: DataMapDiff): Promise<void> {
  await store.doc.send(
    new PutCommand({ TableName: store.table, Item: { ...keys.dataMap(dataMap.orgId, dataMap.scanId), type: 'datamap', orgId: dataMap.orgId, scanId: dataMap.scanId, dataMap, diff } }),
  );
}

/** The latest data map before `scanId` (or the latest of all). */
export async function previousDataMap(store: Store, orgId: string, scanId?: string): Promise<DataMap | undefined> {
  const result = await store.doc.send(
    new QueryCommand({
      TableName: store.table,
      KeyConditionExpression: scanId ? 'PK = :pk AND SK BETWEEN :from AND :before' : 'PK = :pk AND begins_with(SK, :from)',
      ExpressionAttributeValues: { ':pk': keys.orgPartition(orgId), ':from': PREFIX.dataMap, ...(scanId ? { ':before': `${keys.dataMap(orgId, scanId).SK}` } : {}) },
      ScanIndexForward: false,
      Limit: 2,
    }),
  );
  const items = (result.Items ?? []) as StoredDataMap[];
  return items.find((i) => i.dataMap.scanId !== scanId)?.dataMap;
}

export async function dataMapHistory(store: Store, orgId: string): Promise<StoredDataMap[]> {
  const items = await queryAll<StoredDataMap>(store, {
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.orgPartition(orgId), ':prefix': PREFIX.dataMap },
  });
  return items.map(({ dataMap, diff }) => ({ dataMap, diff }));
}
