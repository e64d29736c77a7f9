// Reads and writes that span many items: every page of a query (or its pages one at a
// time, read to a budget), and batch writes that resend what DynamoDB left unprocessed.
import { BatchGetCommand, BatchWriteCommand, paginateQuery, QueryCommand, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Store } from './client.ts';
import { INDEX } from './keys.ts';

export async function queryAll<T>(store: Store, input: Omit<QueryCommandInput, 'TableName'>): Promise<T[]> {
  const items: T[] = [];
  for await (const page of paginateQuery({ client: store.doc }, { TableName: store.table, ...input })) {
    items.push(...((page.Items ?? []) as T[]));
  }
  return items;
}

/**
 * The pages of a query one at a time, for a reader that reads to a budget: each page asks
 * for at most `limit()` items (called before each request: what is left of the budget),
 * and the reader stops by leaving the loop. A page's LastEvaluatedKey says whether more wait.
 */
export async function* queryPages(store: Store, input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>, limit?: () => number): AsyncGenerator<QueryCommandOutput> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await store.doc.send(new QueryCommand({ TableName: store.table, ...input, ...(limit ? { Limit: limit() } : {}), ...(start ? { ExclusiveStartKey: start } : {}) }));
    yield page;
    start = page.LastEvaluatedKey;
  } while (start);
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

export interface BatchGetOptions {
  /** ProjectionExpression for every read. */
  projection?: string;
  /** ExpressionAttributeNames for the projection. */
  names?: Record<string, string>;
  /** Strongly consistent reads (twice the read capacity): each item as last written. */
  consistent?: boolean;
  /** Attempts after the first before it fails (8). */
  retries?: number;
  /** The wait before retry `attempt` (1, 2, ...), in ms: jittered exponential backoff unless given. */
  delay?: (attempt: number) => number;
  /** The error message when keys are still unprocessed after the last retry. */
  failure?: (left: number) => string;
}

/** Reads keys in batches of 100; unprocessed keys are asked for again with backoff, then it fails loudly. Items in no particular order. */
export async function batchGetAll(store: Store, keys: readonly Record<string, unknown>[], options: BatchGetOptions = {}): Promise<Record<string, unknown>[]> {
  const retries = options.retries ?? 8;
  const delay = options.delay ?? ((attempt: number) => Math.min(2000, 25 * 2 ** attempt) * Math.random());
  const failure = options.failure ?? ((left: number) => `DynamoDB left ${left} reads unprocessed after ${retries} attempts`);
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Record<string, unknown>[] = keys.slice(i, i + 100);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > retries) throw new Error(failure(pending.length));
      if (attempt > 0) await new Promise((r) => setTimeout(r, delay(attempt)));
      const result = await store.doc.send(
        new BatchGetCommand({
          RequestItems: {
            [store.table]: {
              Keys: pending,
              ...(options.projection ? { ProjectionExpression: options.projection } : {}),
              ...(options.names ? { ExpressionAttributeNames: options.names } : {}),
              ...(options.consistent ? { ConsistentRead: true } : {}),
            },
          },
        }),
      );
      items.push(...(result.Responses?.[store.table] ?? []));
      pending = (result.UnprocessedKeys?.[store.table]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return items;
}

/** The last item of a partition whose sort key starts with `prefix` (sort keys that sort by time: the latest). */
export async function lastWithPrefix(store: Store, pk: string, prefix: string): Promise<Record<string, unknown> | undefined> {
  const result = await store.doc.send(
    new QueryCommand({
      TableName: store.table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
      ScanIndexForward: false,
      Limit: 1,
    }),
  );
  return result.Items?.[0];
}

/** Items of a date-index partition (GSI2) whose sort key's date is on or before `lastDay`: `<date>#...` keys, `$` sorting just after `#`. */
export function dateIndexUpTo(store: Store, pk: string, lastDay: string): Promise<Record<string, unknown>[]> {
  return queryAll<Record<string, unknown>>(store, {
    IndexName: INDEX.byDate,
    KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK < :after',
    ExpressionAttributeValues: { ':pk': pk, ':after': `${lastDay}$` },
  });
}
