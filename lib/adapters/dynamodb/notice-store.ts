// Notices in the table. Each is recorded pending before any mail goes out, under a
// deterministic key so that a repeated or concurrent sweep cannot record it twice;
// a sweep claims a notice (with a lease) before it sends or sets it aside, so two
// sweeps cannot both act on it; a failed send releases the claim and the notice
// stays pending.
import { BatchGetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Notice } from '../../domain/notice/notice.ts';
import type { Store } from './client.ts';
import { auditPut } from './audit.ts';
import { queryAll } from './batch.ts';
import { INDEX, keys } from './keys.ts';

export type StoredNotice = Notice & { PK: string; SK: string };

const isConditionFailure = (error: unknown) =>
  (error as Error).name === 'ConditionalCheckFailedException' ||
  ((error as Error).name === 'TransactionCanceledException' &&
    ((error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed'));

export type RecordOutcome = 'recorded' | 'exists' | 'stale';

/**
 * Records a notice pending, marks its stage on the evidence item, and appends the
 * audit entry, in one transaction. 'exists' when this very notice was recorded
 * before; 'stale' when the evidence was renewed or retired since it was read.
 */
export async function recordNotice(store: Store, notice: Notice, at: string): Promise<RecordOutcome> {
  const key = keys.notice(notice.orgId, notice.evidenceId, notice.validUntil, notice.stage);
  try {
    await store.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: store.table,
              Item: { ...key, ...keys.noticePending(notice.orgId, notice.recipientId, key.SK), type: 'notice', ...notice },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          {
            Update: {
              TableName: store.table,
              Key: keys.evidence(notice.orgId, notice.evidenceId),
              UpdateExpression: 'SET noticeCycle = :cycle, noticed = list_append(if_not_exists(noticed, :none), :stage)',
              ConditionExpression: 'validUntil = :cycle AND retired = :false AND (attribute_not_exists(noticeCycle) OR noticeCycle = :cycle)',
              ExpressionAttributeValues: { ':cycle': notice.validUntil, ':none': [], ':stage': [notice.stage], ':false': false },
            },
          },
          auditPut(store, { orgId: notice.orgId, at, event: 'notice.recorded', subject: key.SK, actor: notice.recordedBy, detail: { recipient: notice.recipientId, stage: notice.stage } }),
        ],
      }),
    );
    return 'recorded';
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    if (reasons[0]?.Code === 'ConditionalCheckFailed') {
      await markStageNoticed(store, notice).catch((e) => (isConditionFailure(e) ? undefined : Promise.reject(e)));
      return 'exists';
    }
    // Only the evidence condition means "renewed or retired since it was read"; anything else is a real failure.
    if (reasons[1]?.Code === 'ConditionalCheckFailed') return 'stale';
    throw error;
  }
}

/** Repairs the evidence item's record of noticed stages (after an 'exists'). */
async function markStageNoticed(store: Store, notice: Notice): Promise<void> {
  await store.doc.send(
    new UpdateCommand({
      TableName: store.table,
      Key: keys.evidence(notice.orgId, notice.evidenceId),
      UpdateExpression: 'SET noticeCycle = :cycle, noticed = list_append(if_not_exists(noticed, :none), :stage)',
      ConditionExpression: 'validUntil = :cycle AND (attribute_not_exists(noticeCycle) OR noticeCycle = :cycle) AND NOT contains(noticed, :name)',
      ExpressionAttributeValues: { ':cycle': notice.validUntil, ':none': [], ':stage': [notice.stage], ':name': notice.stage },
    }),
  );
}

/** Everyone with a notice waiting (pending, or claimed by a sweep). Reads keys only. */
export async function pendingRecipients(store: Store, orgId: string): Promise<string[]> {
  const items = await queryAll<{ GSI3SK: string }>(store, {
    IndexName: INDEX.waiting,
    KeyConditionExpression: 'GSI3PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.noticePendingPartition(orgId) },
  });
  return [...new Set(items.map((i) => i.GSI3SK.slice(0, i.GSI3SK.indexOf('#'))))].sort();
}

export interface NoticeKey {
  PK: string;
  SK: string;
  recipientId: string;
}

/**
 * Keys of the notices waiting for a contiguous run of recipients (ids sorted as
 * strings), in one query: ids use only characters that sort after "#", so
 * "<first>#" .. "<last>#\uffff" holds exactly the recipients between them.
 */
export async function pendingKeysFor(store: Store, orgId: string, recipientIds: readonly string[]): Promise<NoticeKey[]> {
  const sorted = [...recipientIds].sort();
  const wanted = new Set(sorted);
  if (sorted.length === 0) return [];
  const items = await queryAll<{ PK: string; SK: string; GSI3SK: string }>(store, {
    IndexName: INDEX.waiting,
    KeyConditionExpression: 'GSI3PK = :pk AND GSI3SK BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': keys.noticePendingPartition(orgId), ':from': `${sorted[0]}#`, ':to': `${sorted.at(-1)}#\uffff` },
  });
  return items
    .map((i) => ({ PK: i.PK, SK: i.SK, recipientId: i.GSI3SK.slice(0, i.GSI3SK.indexOf('#')) }))
    .filter((k) => wanted.has(k.recipientId));
}

/**
 * Claims a notice for one sweep until `leaseUntil` and returns it (the update's
 * return value, so claiming is also the read); undefined when another sweep holds
 * it or it is done.
 */
export async function claimNotice(store: Store, key: NoticeKey, runName: string, now: string, leaseUntil: string): Promise<StoredNotice | undefined> {
  try {
    const result = await store.doc.send(
      new UpdateCommand({
        TableName: store.table,
        Key: { PK: key.PK, SK: key.SK },
        UpdateExpression: 'SET #status = :sending, claimedBy = :run, leaseUntil = :lease',
        ConditionExpression: '#status = :pending OR (#status = :sending AND leaseUntil < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sending': 'sending', ':pending': 'pending', ':run': runName, ':lease': leaseUntil, ':now': now },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return result.Attributes as StoredNotice;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

type NoticeUpdate = { UpdateExpression: string; ConditionExpression: string; ExpressionAttributeValues: Record<string, unknown> };

/** One change to a claimed notice and its audit entry, all or nothing. */
async function updateWithAudit(store: Store, n: StoredNotice, runName: string, update: NoticeUpdate, event: string, detail: Record<string, unknown>, at: string): Promise<void> {
  await store.doc.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: store.table,
            Key: { PK: n.PK, SK: n.SK },
            ExpressionAttributeNames: { '#status': 'status' },
            ...update,
            ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':run': runName },
          },
        },
        auditPut(store, { orgId: n.orgId, at, event, subject: n.SK, actor: runName, detail }),
      ],
    }),
  );
}

/**
 * Notes the provider's message id on a claimed notice the moment its mail is out,
 * before the notice is closed: should closing fail, the next sweep that claims it
 * sees the id and closes it as sent instead of mailing it again.
 */
export async function noteMessageId(store: Store, n: StoredNotice, runName: string, messageId: string): Promise<void> {
  await store.doc.send(
    new UpdateCommand({
      TableName: store.table,
      Key: { PK: n.PK, SK: n.SK },
      UpdateExpression: 'SET messageId = :id',
      ConditionExpression: 'claimedBy = :run AND #status = :sending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':id': messageId, ':run': runName, ':sending': 'sending' },
    }),
  );
}

/** Puts a claimed notice back to pending after a failed send, with the reason. */
export async function releaseNotice(store: Store, n: StoredNotice, runName: string, reason: string, at: string): Promise<void> {
  const why = reason.slice(0, 500);
  await updateWithAudit(
    store,
    n,
    runName,
    {
      UpdateExpression: 'SET #status = :pending, lastError = :reason, attempts = attempts + :one REMOVE claimedBy, leaseUntil',
      ConditionExpression: 'claimedBy = :run',
      ExpressionAttributeValues: { ':pending': 'pending', ':reason': why, ':one': 1 },
    },
    'notice.failed',
    { reason: why },
    at,
  );
}

/** Closes a claimed notice: sent (with the provider's message id), superseded or cancelled. Leaves the pending index. */
export async function closeNotice(
  store: Store,
  n: StoredNotice,
  runName: string,
  outcome: { status: 'sent'; messageId: string } | { status: 'superseded' | 'cancelled'; reason: string },
  at: string,
): Promise<void> {
  const sent = outcome.status === 'sent';
  await updateWithAudit(
    store,
    n,
    runName,
    {
      UpdateExpression: `SET #status = :status, closedAt = :at, ${sent ? 'messageId = :detail, sentAt = :at, attempts = attempts + :one' : 'closedReason = :detail'} REMOVE GSI3PK, GSI3SK, leaseUntil`,
      // Only the sweep holding the claim closes a notice.
      ConditionExpression: 'claimedBy = :run AND #status = :sending',
      ExpressionAttributeValues: {
        ':status': outcome.status,
        ':at': at,
        ':detail': sent ? outcome.messageId : outcome.reason,
        ':sending': 'sending',
        ...(sent ? { ':one': 1 } : {}),
      },
    },
    `notice.${outcome.status}`,
    sent ? { recipient: n.recipientId, messageId: outcome.messageId } : { reason: outcome.reason },
    at,
  );
}

/** The current validity end of each evidence item (undefined when retired or gone). */
export async function currentValidity(store: Store, orgId: string, evidenceIds: string[]): Promise<Map<string, string | undefined>> {
  const out = new Map<string, string | undefined>();
  const ids = [...new Set(evidenceIds)];
  for (let i = 0; i < ids.length; i += 100) {
    let request: Record<string, { Keys: Record<string, unknown>[]; ProjectionExpression: string }> | undefined = {
      [store.table]: { Keys: ids.slice(i, i + 100).map((id) => keys.evidence(orgId, id)), ProjectionExpression: 'id, validUntil, retired' },
    };
    for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
      if (attempt > 8) throw new Error('DynamoDB left reads unprocessed after 8 attempts');
      const result = await store.doc.send(new BatchGetCommand({ RequestItems: request }));
      for (const item of result.Responses?.[store.table] ?? []) out.set(item.id as string, item.retired ? undefined : (item.validUntil as string | undefined));
      request = result.UnprocessedKeys as typeof request;
      if (request && Object.keys(request).length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  }
  return out;
}
