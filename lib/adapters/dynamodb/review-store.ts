// Quarterly reviews in the table. A review is one item per quarter; a task one item
// per quarter and control (`TASK#2026-Q4/A.8.15`, so a quarter's tasks are one query),
// in the open-tasks index by due date while it waits for an answer; a nonconformity
// one item under the quarter and control that opened it. Every creation is a
// conditional put on a deterministic key, so a retried or doubled opening writes
// nothing twice and reads nothing first; every change is written over the version read.
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import type { AuditEvent } from '../../domain/audit/audit.ts';
import { Nonconformity, Review, Task } from '../../domain/review/review.ts';
import { ConflictError } from '../../errors.ts';
import type { TaskChange } from '../../usecases/ports.ts';
import type { Store } from './client.ts';
import { auditEntity, auditPut } from './audit.ts';
import { cancellationCodes, isConditionFailure, writtenIf } from './conditions.ts';
import { dateIndexUpTo, queryAll } from './batch.ts';
import { keys, PREFIX, withoutKeys } from './keys.ts';
import { evidencePut, renewalUpdate } from './org-store.ts';

const reviewEntity = {
  toItem: (orgId: string, r: Review) => ({ ...keys.review(orgId, r.id), type: 'review', ...r, orgId }),
  fromItem: (item: Record<string, unknown>): Review => Review.parse({ ...withoutKeys(item), orgId: item.orgId }),
};

export const taskEntity = {
  /** Open tasks are in the due-date index; answered and closed ones drop out of it. */
  toItem: (orgId: string, t: Task) => ({
    ...keys.task(orgId, t.id),
    ...(t.status === 'open' ? keys.taskOpen(orgId, t.due, t.id) : {}),
    type: 'task',
    orgId,
    ...t,
  }),
  fromItem: (item: Record<string, unknown>): Task => Task.parse(withoutKeys(item)),
};

const ncEntity = {
  toItem: (orgId: string, nc: Nonconformity) => ({ ...keys.nonconformity(orgId, nc.id), type: 'nonconformity', orgId, ...nc }),
  fromItem: (item: Record<string, unknown>): Nonconformity => Nonconformity.parse(withoutKeys(item)),
};


export async function getReview(store: Store, orgId: string, quarter: string): Promise<Review | undefined> {
  const { Item } = await store.doc.send(new GetCommand({ TableName: store.table, Key: keys.review(orgId, quarter), ConsistentRead: true }));
  return Item ? reviewEntity.fromItem(Item) : undefined;
}

export async function listReviews(store: Store, orgId: string): Promise<Review[]> {
  const items = await queryAll<Record<string, unknown>>(store, {
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.orgPartition(orgId), ':prefix': PREFIX.review },
  });
  return items.map(reviewEntity.fromItem);
}

/** Puts the review with its audit entry unless the quarter's review exists. */
export async function createReview(store: Store, review: Review, at: string): Promise<'created' | 'exists'> {
  try {
    await store.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: store.table, Item: reviewEntity.toItem(review.orgId, review), ConditionExpression: 'attribute_not_exists(PK)' } },
          auditPut(store, { orgId: review.orgId, at, event: 'review.opened', subject: keys.review(review.orgId, review.id).SK, actor: review.openedBy, detail: { due: review.due, tasks: review.tasks } }),
        ],
      }),
    );
    return 'created';
  } catch (error) {
    if (cancellationCodes(error)[0] === 'ConditionalCheckFailed') return 'exists';
    throw error;
  }
}

/**
 * Puts each task unless it exists: one conditional put per task, no read before it,
 * so a task costs its own write and its index write. A task already there (a retried
 * batch, a second opening) is left as it is, answers and all.
 */
export async function createTasks(store: Store, orgId: string, tasks: readonly Task[]): Promise<{ created: number; existed: number }> {
  const outcomes = await pMap(
    tasks,
    (t) => writtenIf(store.doc.send(new PutCommand({ TableName: store.table, Item: taskEntity.toItem(orgId, t), ConditionExpression: 'attribute_not_exists(PK)' }))),
    { concurrency: 16 },
  );
  const created = outcomes.filter(Boolean).length;
  return { created, existed: tasks.length - created };
}

export async function listTasks(store: Store, orgId: string, quarter: string): Promise<Task[]> {
  const items = await queryAll<Record<string, unknown>>(store, {
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.orgPartition(orgId), ':prefix': `${PREFIX.task}${quarter}/` },
    ConsistentRead: true,
  });
  return items.map(taskEntity.fromItem);
}

export async function getTask(store: Store, orgId: string, taskId: string): Promise<Task | undefined> {
  const { Item } = await store.doc.send(new GetCommand({ TableName: store.table, Key: keys.task(orgId, taskId), ConsistentRead: true }));
  return Item ? taskEntity.fromItem(Item) : undefined;
}

/** Open tasks due on or before `lastDay`, from the open-tasks index (never the rest). */
export async function openTasksDueBy(store: Store, orgId: string, lastDay: string): Promise<Task[]> {
  return (await dateIndexUpTo(store, keys.taskOpenPartition(orgId), lastDay)).map(taskEntity.fromItem);
}

/**
 * Writes a changed task over the version it was read at, with what the change
 * brings (evidence registered, evidence it renews) and its audit entry, in one
 * transaction, on condition that the quarter's review is still open: a refused
 * change writes nothing.
 */
export async function changeTask(store: Store, orgId: string, change: TaskChange): Promise<void> {
  const { task, readVersion, audit } = change;
  const items: Record<string, unknown>[] = [
    { ConditionCheck: { TableName: store.table, Key: keys.review(orgId, task.quarter), ConditionExpression: '#s = :open', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':open': 'open' } } },
    {
      Put: {
        TableName: store.table,
        Item: taskEntity.toItem(orgId, { ...task, version: readVersion + 1 }),
        ConditionExpression: 'version = :read',
        ExpressionAttributeValues: { ':read': readVersion },
      },
    },
    auditPut(store, audit),
  ];
  if (change.register) items.push(evidencePut(store, orgId, change.register));
  if (change.renews) items.push(renewalUpdate(store, orgId, change.renews));
  try {
    await store.doc.send(new TransactWriteCommand({ TransactItems: items as never }));
  } catch (error) {
    const [review, taskWrite, , registered, renewed] = cancellationCodes(error);
    if (review === 'ConditionalCheckFailed') throw new ConflictError(`the ${task.quarter} review is closed: its tasks take no more answers or decisions`);
    if (taskWrite === 'ConditionalCheckFailed') throw new ConflictError(`task ${task.id} changed while this change was made: read it again and retry`);
    if (registered === 'ConditionalCheckFailed') throw new ConflictError(`evidence ${change.register?.id} is registered already`);
    if (renewed === 'ConditionalCheckFailed') throw new ConflictError(`evidence ${change.renews?.id} was renewed already`);
    throw error;
  }
}

export async function listNonconformities(store: Store, orgId: string): Promise<Nonconformity[]> {
  const items = await queryAll<Record<string, unknown>>(store, {
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.orgPartition(orgId), ':prefix': PREFIX.nonconformity },
    ConsistentRead: true,
  });
  return items.map(ncEntity.fromItem);
}

/**
 * Closes a review: its tasks as closed (the open ones unanswered), each over the
 * version read, then the nonconformities it opens and closes and their audit
 * entries, and last the review itself, so a review on record as closed has
 * everything written. A closing cut short is finished by the next one: what it
 * wrote reads back closed and is written the same again.
 */
export async function closeReview(store: Store, review: Review, tasks: readonly Task[], nonconformities: readonly Nonconformity[], audit: readonly AuditEvent[]): Promise<void> {
  const orgId = review.orgId;
  await pMap(
    tasks,
    async (t) => {
      try {
        await store.doc.send(
          new PutCommand({
            TableName: store.table,
            Item: taskEntity.toItem(orgId, { ...t, version: t.version + 1 }),
            ConditionExpression: 'version = :read',
            ExpressionAttributeValues: { ':read': t.version },
          }),
        );
      } catch (error) {
        if (isConditionFailure(error)) throw new ConflictError(`task ${t.id} changed while the review was closing: close it again`);
        throw error;
      }
    },
    { concurrency: 16 },
  );
  await pMap([...nonconformities.map((nc) => ncEntity.toItem(orgId, nc)), ...audit.map(auditEntity.toItem)], (Item) => store.doc.send(new PutCommand({ TableName: store.table, Item })), {
    concurrency: 16,
  });
  try {
    await store.doc.send(
      new PutCommand({
        TableName: store.table,
        Item: reviewEntity.toItem(orgId, review),
        ConditionExpression: '#s = :open',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':open': 'open' },
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw new ConflictError(`the ${review.id} review is closed already`);
    throw error;
  }
}
