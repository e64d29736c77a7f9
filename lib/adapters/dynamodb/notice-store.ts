// Notices in the table. Each is recorded pending before any mail goes out, under a
// deterministic key so that a repeated or concurrent sweep cannot record it twice;
// a sweep claims a notice (with a lease) before it sends or sets it aside, so two
// sweeps cannot both act on it; a failed send releases the claim and the notice
// stays pending.
import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Notice, type EvidenceNotice, type WaitingNotice } from '../../domain/notice/notice.ts';
import type { ClaimedNotice, NoticeClosing, RecordOutcome } from '../../usecases/ports.ts';
import type { Store } from './client.ts';
import { auditPut } from './audit.ts';
import { cancellationCodes, isConditionFailure, writtenIf } from './conditions.ts';
import { queryAll } from './batch.ts';
import { INDEX, keys, withoutKeys } from './keys.ts';

/** A notice's handle is its sort key; the partition is its organisation's. */
const noticeEntity = {
  key: (n: Notice) =>
    n.kind === 'review'
      ? keys.reviewNotice(n.orgId, n.quarter, n.recipientId, n.due, n.about ? `${n.stage}:${n.about}` : n.stage)
      : n.kind === 'alert'
        ? keys.alertNotice(n.orgId, n.alertId, n.recipientId)
        : keys.notice(n.orgId, n.evidenceId, n.validUntil, n.stage),
  handleKey: (orgId: string, handle: string) => ({ PK: keys.orgPartition(orgId), SK: handle }),
  /** Recorded pending, so in the waiting index. */
  toItem(n: Notice): Record<string, unknown> {
    const key = noticeEntity.key(n);
    return { ...key, ...keys.noticePending(n.orgId, n.recipientId, key.SK), type: 'notice', ...n };
  },
  fromItem: (item: Record<string, unknown>): ClaimedNotice => ({ ...Notice.parse({ ...withoutKeys(item), orgId: item.orgId }), handle: String(item.SK) }),
};

/**
 * Records a notice pending with its audit entry, in one transaction; for evidence,
 * also marks the stage on the evidence item. 'exists' when this very notice was
 * recorded before; 'stale' when the evidence was renewed or retired since it was
 * read (or a review answer's evidence renewed it). A review digest's key (quarter, recipient, due date, stage) is its only guard.
 */
export async function recordNotice(store: Store, notice: Notice, at: string): Promise<RecordOutcome> {
  const key = noticeEntity.key(notice);
  const day = notice.kind === 'evidence' ? ownerDay(notice) : {};
  const evidenceUpdate =
    notice.kind === 'evidence'
      ? [
          {
            Update: {
              TableName: store.table,
              Key: keys.evidence(notice.orgId, notice.evidenceId),
              UpdateExpression: `SET noticeCycle = :cycle, noticed = list_append(if_not_exists(noticed, :none), :stage)${day.set ?? ''}`,
              ConditionExpression: 'validUntil = :cycle AND retired = :false AND attribute_not_exists(renewedBy) AND (attribute_not_exists(noticeCycle) OR noticeCycle = :cycle)',
              ExpressionAttributeValues: { ':cycle': notice.validUntil, ':none': [], ':stage': [notice.stage], ':false': false, ...day.values },
            },
          },
        ]
      : [];
  try {
    await store.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: store.table,
              Item: noticeEntity.toItem(notice),
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          ...evidenceUpdate,
          auditPut(store, { orgId: notice.orgId, at, event: 'notice.recorded', subject: key.SK, actor: notice.recordedBy, detail: { recipient: notice.recipientId, ...(notice.kind === 'alert' ? { alert: notice.alertId } : { stage: notice.stage }) } }),
        ],
      }),
    );
    return 'recorded';
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const reasons = cancellationCodes(error);
    if (reasons[0] === 'ConditionalCheckFailed') {
      if (notice.kind === 'evidence') await writtenIf(markStageNoticed(store, notice));
      return 'exists';
    }
    // Only the evidence condition means "renewed or retired since it was read"; anything else is a real failure.
    if (notice.kind === 'evidence' && reasons[1] === 'ConditionalCheckFailed') return 'stale';
    throw error;
  }
}

/**
 * An owner notice also records its day on the item: the next reminder counts from it.
 * (An escalation goes to someone else and leaves the owner's cadence alone.)
 */
function ownerDay(notice: EvidenceNotice): { set?: string; values?: Record<string, string> } {
  if (notice.stage === 'escalated' || !notice.recordedOn) return {};
  return { set: ', ownerNoticedOn = :day', values: { ':day': notice.recordedOn } };
}

/**
 * Repairs the evidence item's record of noticed stages (after an 'exists'). The day
 * the stage was first recorded is not known here; this sweep's day is the same or
 * later, so the next reminder comes no earlier than it should.
 */
async function markStageNoticed(store: Store, notice: EvidenceNotice): Promise<void> {
  const day = ownerDay(notice);
  await store.doc.send(
    new UpdateCommand({
      TableName: store.table,
      Key: keys.evidence(notice.orgId, notice.evidenceId),
      UpdateExpression: `SET noticeCycle = :cycle, noticed = list_append(if_not_exists(noticed, :none), :stage)${day.set ?? ''}`,
      ConditionExpression: 'validUntil = :cycle AND (attribute_not_exists(noticeCycle) OR noticeCycle = :cycle) AND NOT contains(noticed, :name)',
      ExpressionAttributeValues: { ':cycle': notice.validUntil, ':none': [], ':stage': [notice.stage], ':name': notice.stage, ...day.values },
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

/**
 * Keys of the notices waiting for a contiguous run of recipients (ids sorted as
 * strings), in one query: ids use only characters that sort after "#", so
 * "<first>#" .. "<last>#\uffff" holds exactly the recipients between them.
 */
export async function pendingKeysFor(store: Store, orgId: string, recipientIds: readonly string[]): Promise<WaitingNotice[]> {
  const sorted = [...recipientIds].sort();
  const wanted = new Set(sorted);
  if (sorted.length === 0) return [];
  const items = await queryAll<{ PK: string; SK: string; GSI3SK: string }>(store, {
    IndexName: INDEX.waiting,
    KeyConditionExpression: 'GSI3PK = :pk AND GSI3SK BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': keys.noticePendingPartition(orgId), ':from': `${sorted[0]}#`, ':to': `${sorted.at(-1)}#\uffff` },
  });
  return items
    .map((i) => ({ handle: i.SK, recipientId: i.GSI3SK.slice(0, i.GSI3SK.indexOf('#')) }))
    .filter((k) => wanted.has(k.recipientId));
}

/**
 * Claims a notice for one sweep until `leaseUntil` and returns it (the update's
 * return value, so claiming is also the read); undefined when another sweep holds
 * it or it is done.
 */
export async function claimNotice(store: Store, orgId: string, waiting: WaitingNotice, runName: string, now: string, leaseUntil: string): Promise<ClaimedNotice | undefined> {
  try {
    const result = await store.doc.send(
      new UpdateCommand({
        TableName: store.table,
        Key: noticeEntity.handleKey(orgId, waiting.handle),
        UpdateExpression: 'SET #status = :sending, claimedBy = :run, leaseUntil = :lease',
        ConditionExpression: '#status = :pending OR (#status = :sending AND leaseUntil < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sending': 'sending', ':pending': 'pending', ':run': runName, ':lease': leaseUntil, ':now': now },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return result.Attributes ? noticeEntity.fromItem(result.Attributes) : undefined;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

type NoticeUpdate = { UpdateExpression: string; ConditionExpression: string; ExpressionAttributeValues: Record<string, unknown> };

/** One change to a claimed notice and its audit entry, all or nothing. */
async function updateWithAudit(store: Store, n: ClaimedNotice, runName: string, update: NoticeUpdate, event: string, detail: Record<string, unknown>, at: string): Promise<void> {
  await store.doc.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: store.table,
            Key: noticeEntity.handleKey(n.orgId, n.handle),
            ExpressionAttributeNames: { '#status': 'status' },
            ...update,
            ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':run': runName },
          },
        },
        auditPut(store, { orgId: n.orgId, at, event, subject: n.handle, actor: runName, detail }),
      ],
    }),
  );
}

/**
 * Notes the provider's message id on a claimed notice the moment its mail is out,
 * before the notice is closed: should closing fail, the next sweep that claims it
 * sees the id and closes it as sent instead of mailing it again.
 */
export async function noteMessageId(store: Store, n: ClaimedNotice, runName: string, messageId: string): Promise<void> {
  await store.doc.send(
    new UpdateCommand({
      TableName: store.table,
      Key: noticeEntity.handleKey(n.orgId, n.handle),
      UpdateExpression: 'SET messageId = :id',
      ConditionExpression: 'claimedBy = :run AND #status = :sending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':id': messageId, ':run': runName, ':sending': 'sending' },
    }),
  );
}

/** Puts a claimed notice back to pending after a failed send, with the reason. */
export async function releaseNotice(store: Store, n: ClaimedNotice, runName: string, reason: string, at: string): Promise<void> {
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
  n: ClaimedNotice,
  runName: string,
  outcome: NoticeClosing,
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
