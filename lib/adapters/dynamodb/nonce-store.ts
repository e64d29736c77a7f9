// Values that may be used once (a sign-in link's code, a form's CSRF token): the first
// use is recorded by a conditional put, so a replay is refused wherever it arrives;
// DynamoDB's TTL removes the record after the value has expired anyway.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Store } from './client.ts';
import { isConditionFailure } from './conditions.ts';
import { keys } from './keys.ts';

/** True the first time `id` is used for `purpose`; false ever after (until it expires). */
export async function useOnce(store: Store, orgId: string, purpose: string, id: string, expiresAt: Date): Promise<boolean> {
  try {
    await store.doc.send(
      new PutCommand({
        TableName: store.table,
        Item: { ...keys.nonce(orgId, purpose, id), type: 'nonce', orgId, expiresAt: Math.ceil(expiresAt.getTime() / 1000) },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
