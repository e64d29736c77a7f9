// Reads and writes that span many items: every page of a query, and batch
// writes that resend what DynamoDB left unprocessed.
import { BatchWriteCommand, paginateQuery, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Store } from './client.ts';

export async function queryAll<T>(store: Store, input: Omit<QueryCommandInput, 'TableName'>): Promise<T[]> {
  const items: T[] = [];
  for await (const page of paginateQuery({ client: store.doc }, { TableName: store.table, ...input })) {
    items.push(...((page.Items ?? []) as T[]));
  }
  return items;
}

type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

/** Writes in batches of 25; unprocessed items are resent with backoff, then it fails loudly. */
export async function batchWriteAll(store: Store, requests: WriteRequest[], maxAttempts = 8): Promise<void> {
  for (let i = 0; i < requests.length; i += 25) {
    let pending: WriteRequest[] = requests.slice(i, i + 25);
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > maxAttempts) throw new Error(`DynamoDB left ${pending.length} writes unprocessed after ${maxAttempts} attempts`);
      if (attempt > 1) await new Promise((r) => setTimeout(r, Math.min(2000, 25 * 2 ** attempt) * Math.random()));
      const result = await store.doc.send(new BatchWriteCommand({ RequestItems: { [store.table]: pending } }));
      pending = (result.UnprocessedItems?.[store.table] ?? []) as WriteRequest[];
    }
  }
}
