// Batch writes under throttling: DynamoDB may leave items unprocessed, which
// DynamoDB Local never does, so the fault is injected at the client.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { batchWriteAll } from '../lib/adapters/dynamodb/batch.ts';
import type { Store } from '../lib/adapters/dynamodb/client.ts';
import { freshStore } from './support/local-store.ts';

type Requests = { PutRequest: { Item: Record<string, unknown> } }[];

/** Makes DynamoDB "process" only the first `keep` requests of each of the first `times` batch writes. */
function leaveUnprocessed(store: Store, times: number, keep: number): { calls: number } {
  const seen = { calls: 0 };
  store.doc.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { RequestItems?: Record<string, Requests> };
      if (!input.RequestItems) return next(args);
      seen.calls++;
      if (seen.calls > times) return next(args);
      const requests = input.RequestItems[store.table] ?? [];
      // Nothing processed at all: answer as DynamoDB would, without a call it would refuse as empty.
      const result = keep > 0 ? await next({ ...args, input: { ...input, RequestItems: { [store.table]: requests.slice(0, keep) } } }) : { output: { $metadata: {} }, response: {} };
      (result.output as { UnprocessedItems?: Record<string, Requests> }).UnprocessedItems = { [store.table]: requests.slice(keep) };
      return result;
    },
    { step: 'initialize', name: 'unprocessedItems' },
  );
  return seen;
}

const items = (n: number): Requests => Array.from({ length: n }, (_, i) => ({ PutRequest: { Item: { PK: 'ORG#t', SK: `ITEM#${String(i).padStart(3, '0')}`, n: i } } }));

describe('batch writes', () => {
  it('resends what DynamoDB left unprocessed until every item is written', async () => {
    const store = await freshStore();
    const seen = leaveUnprocessed(store, 3, 10);
    await batchWriteAll(store, items(60));
    const written = await store.doc.send(new ScanCommand({ TableName: store.table }));
    expect((written.Items ?? []).map((i) => i.n).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    // 3 batches of 25 (the last of 10): the first three calls leave items behind, so more calls follow.
    expect(seen.calls).toBeGreaterThan(3);
  });

  it('fails loudly, naming how many were left, when DynamoDB keeps refusing', async () => {
    const store = await freshStore();
    leaveUnprocessed(store, Number.POSITIVE_INFINITY, 0);
    await expect(batchWriteAll(store, items(5), 3)).rejects.toThrow('DynamoDB left 5 writes unprocessed after 3 attempts');
  });
});
