// Values that may be used once (a sign-in link's code, a form's CSRF token, a session
// token signed out of): the first use is recorded by a conditional put, so a replay is
// refused wherever it arrives; DynamoDB's TTL removes the record after the value has
// expired anyway. A use that is also an audit entry (a sign-in link redeemed, a
// sign-out) is written with it in one transaction: both or neither.
import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../domain/audit/audit.ts';
import { auditPut } from './audit.ts';
import type { Store } from './client.ts';
import { cancellationCodes, isTransactionConflict, writtenIf } from './conditions.ts';
import { keys } from './keys.ts';

/** True the first time `id` is used for `purpose`, with `audit` appended if given; false ever after (until it expires), appending nothing. */
export async function useOnce(store: Store, orgId: string, purpose: string, id: string, expiresAt: Date, audit?: AuditEvent): Promise<boolean> {
  const put = {
    TableName: store.table,
    Item: { ...keys.nonce(orgId, purpose, id), type: 'nonce', orgId, expiresAt: Math.ceil(expiresAt.getTime() / 1000) },
    ConditionExpression: 'attribute_not_exists(PK)',
  };
  if (!audit) return writtenIf(store.doc.send(new PutCommand(put)));
  const items = [{ Put: put }, auditPut(store, audit)];
  // A transaction that met another on the same item (a link clicked twice, two sign-outs at
  // once) wrote nothing: sent again, it is written, or finds the value used.
  for (let attempt = 1; ; attempt++) {
    try {
      await store.doc.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      if (cancellationCodes(error)[0] === 'ConditionalCheckFailed') return false;
      if (!isTransactionConflict(error) || attempt === CONFLICT_ATTEMPTS) throw error;
    }
  }
}

/** Sends of a use-and-audit transaction before a conflict with another is passed on. */
const CONFLICT_ATTEMPTS = 3;

/**
 * Has `id` been used for `purpose` (and not expired)? One consistent GetItem of the key alone,
 * so a use recorded a moment ago by another server or Lambda instance is seen. A record past
 * its `expiresAt` that TTL has not removed yet counts as gone, as TTL would have it.
 */
async function wasUsed(store: Store, orgId: string, purpose: string, id: string, now: Date): Promise<boolean> {
  const out = await store.doc.send(new GetCommand({ TableName: store.table, Key: keys.nonce(orgId, purpose, id), ConsistentRead: true, ProjectionExpression: 'expiresAt' }));
  return out.Item !== undefined && Number(out.Item.expiresAt) * 1000 > now.getTime();
}

/** The record a signed-out session leaves, keyed by its token's SHA-256: the table never holds a token that could be used. */
const SIGNED_OUT = 'signed-out';
const sessionId = (token: string) => createHash('sha256').update(token).digest('base64url');

/** Records a session token as signed out of until `expiresAt` (when the token would have expired), with `audit` if given; false if it was already. */
export function signOut(store: Store, orgId: string, token: string, expiresAt: Date, audit?: AuditEvent): Promise<boolean> {
  return useOnce(store, orgId, SIGNED_OUT, sessionId(token), expiresAt, audit);
}

/** Whether a token's session was signed out of: the pages' cookie and the API's bearer token alike (one consistent GetItem). */
export function isSignedOut(store: Store, orgId: string, token: string, now: Date): Promise<boolean> {
  return wasUsed(store, orgId, SIGNED_OUT, sessionId(token), now);
}
