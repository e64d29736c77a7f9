// Platform audit-log events in the table, and what behaviour monitoring keeps beside
// them: users' baselines, the watermark, ingests under way, the audit-log files
// imported, and each day's record of runs.
//
// - An event's key is its user's partition and its time and id (platform, time, user,
//   action, object), so a re-imported file or an overlapping export writes the same
//   items again: BatchWriteItem, no read first. Each event expires (TTL `expiresAt`)
//   after the organisation's `logRetentionDays`; reads filter expired items themselves
//   (DynamoDB deletes them within days; DynamoDB Local never does).
// - Every event is also in the received index (GSI2, one of EVENT_SHARDS partitions by
//   its id) under `<receivedAt>#...`: a run reads after its watermark's position in each,
//   so an event that arrives late (its time long past) is still examined, once.
// - An ingest marks itself under way; a run reads no further than the earliest start
//   under way, so it never passes events an ingest has still to write (they all carry
//   its start as `receivedAt`). The mark names the file it writes, so a later import of
//   the same file can take over from one that died; an ingest renews its mark before
//   each write, on condition that it is still its own and unexpired, and stops if not.
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import { HeldEvent } from '../../domain/monitoring/event.ts';
import type { Baseline } from '../../domain/monitoring/detect.ts';
import { AuditLogRecord, MonitoringDay, Watermark, type RunFigures } from '../../domain/monitoring/records.ts';
import { RULES } from '../../domain/monitoring/policy.ts';
import type { Store } from './client.ts';
import { batchGetAll, batchWriteAll, queryAll, queryPages } from './batch.ts';
import { writtenIf } from './conditions.ts';
import { EVENT_SHARDS, INDEX, keys, PREFIX, withoutKeys } from './keys.ts';

const NOT_EXPIRED = 'attribute_not_exists(expiresAt) OR expiresAt > :now';

export const eventEntity = {
  toItem: (orgId: string, e: HeldEvent, expiresAt: number): Record<string, unknown> => ({
    ...keys.event(orgId, e.user, e.time, e.id),
    ...keys.eventReceived(orgId, e.id, e.receivedAt, e.user, e.time),
    type: 'event',
    orgId,
    expiresAt,
    ...e,
  }),
  fromItem: (item: Record<string, unknown>): HeldEvent => {
    const { expiresAt: _e, ...rest } = withoutKeys(item);
    return HeldEvent.parse(rest);
  },
};

export async function putEvents(store: Store, orgId: string, events: readonly { event: HeldEvent; expiresAt: number }[]): Promise<void> {
  await batchWriteAll(store, events.map(({ event, expiresAt }) => ({ PutRequest: { Item: eventEntity.toItem(orgId, event, expiresAt) } })));
}

/** Those of `events` the table holds (read by their keys), not expired at `nowEpoch`, by id. */
export async function heldEvents(store: Store, orgId: string, events: readonly HeldEvent[], nowEpoch: number): Promise<Map<string, HeldEvent>> {
  const items = await batchGetAll(store, events.map((e) => keys.event(orgId, e.user, e.time, e.id)));
  const held = new Map<string, HeldEvent>();
  for (const item of items) {
    if (typeof item.expiresAt === 'number' && item.expiresAt <= nowEpoch) continue;
    const e = eventEntity.fromItem(item);
    held.set(e.id, e);
  }
  return held;
}

/** Each shard after its position, up to `upTo`, page by page until about `limit` in all: the events, the positions reached, whether more wait. */
export async function receivedEvents(store: Store, orgId: string, after: Record<string, string>, upTo: string, limit: number, nowEpoch: number) {
  const perShard = Math.max(1, Math.ceil(limit / EVENT_SHARDS));
  const pages = await Promise.all(
    Array.from({ length: EVENT_SHARDS }, async (_, shard) => {
      const from = after[String(shard)] ?? '0';
      const items: Record<string, unknown>[] = [];
      let last = after[String(shard)];
      let start: Record<string, unknown> | undefined;
      let read = 0;
      const query = {
        IndexName: INDEX.byDate,
        KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK BETWEEN :from AND :to',
        FilterExpression: NOT_EXPIRED,
        ExpressionAttributeValues: { ':pk': keys.eventReceivedPartition(orgId, shard), ':from': from, ':to': `${upTo}#\uffff`, ':now': nowEpoch },
      };
      for await (const page of queryPages(store, query, () => perShard - read)) {
        // BETWEEN is inclusive: the position itself was read by the run that left it.
        items.push(...(page.Items ?? []).filter((i) => i.GSI2SK !== from));
        read += page.ScannedCount ?? 0;
        start = page.LastEvaluatedKey;
        // Where the next read starts: the last key read (expired items included), else the last returned.
        last = (start?.GSI2SK as string | undefined) ?? (items.at(-1)?.GSI2SK as string | undefined) ?? last;
        if (read >= perShard) break;
      }
      return { shard, items, last, more: start !== undefined };
    }),
  );
  const positions: Record<string, string> = { ...after };
  for (const p of pages) if (p.last !== undefined) positions[String(p.shard)] = p.last;
  return { events: pages.flatMap((p) => p.items.map(eventEntity.fromItem)), positions, more: pages.some((p) => p.more) };
}

export async function eventsOfUsers(store: Store, orgId: string, users: readonly string[], from: string, to: string, nowEpoch: number): Promise<HeldEvent[]> {
  const partitions = [...new Set(users.map((u) => keys.eventPartition(orgId, u)))];
  const pages = await pMap(
    partitions,
    (pk) =>
      queryAll<Record<string, unknown>>(store, {
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        FilterExpression: NOT_EXPIRED,
        ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': `${to}#\uffff`, ':now': nowEpoch },
      }),
    { concurrency: 16 },
  );
  return pages.flat().map(eventEntity.fromItem);
}

const baselineEntity = {
  toItem: (orgId: string, b: Baseline) => ({ ...keys.baseline(orgId, b.identity), type: 'baseline', orgId, ...b }),
  fromItem: (item: Record<string, unknown>): Baseline => ({
    identity: String(item.identity),
    ...(item.firstSeen ? { firstSeen: String(item.firstSeen) } : {}),
    days: Object.fromEntries(Object.entries((item.days ?? {}) as Record<string, [number, number]>).map(([d, v]) => [d, [Number(v[0]), Number(v[1])] as const])),
  }),
};

export async function getBaselines(store: Store, orgId: string, identities: readonly string[]): Promise<Map<string, Baseline>> {
  const out = new Map<string, Baseline>();
  const unique = [...new Set(identities)];
  const items = await batchGetAll(
    store,
    unique.map((id) => keys.baseline(orgId, id)),
    { failure: (left) => `DynamoDB left ${left} baselines unread after 8 attempts` },
  );
  for (const item of items) out.set(String(item.identity), baselineEntity.fromItem(item));
  return out;
}

export async function putBaselines(store: Store, orgId: string, baselines: readonly Baseline[]): Promise<void> {
  await batchWriteAll(store, baselines.map((b) => ({ PutRequest: { Item: baselineEntity.toItem(orgId, b) } })));
}

export async function getWatermark(store: Store, orgId: string): Promise<Watermark | undefined> {
  const result = await store.doc.send(new GetCommand({ TableName: store.table, Key: keys.monitorWatermark(orgId), ConsistentRead: true }));
  return result.Item ? Watermark.parse(withoutKeys(result.Item)) : undefined;
}

/** Over the version read (or none): a run that lost the race learns it and moves nothing. */
export async function moveWatermark(store: Store, orgId: string, read: Watermark | undefined, next: Omit<Watermark, 'version'>): Promise<boolean> {
  return writtenIf(
    store.doc.send(
      new PutCommand({
        TableName: store.table,
        Item: { ...keys.monitorWatermark(orgId), type: 'watermark', orgId, ...next, version: (read?.version ?? 0) + 1 },
        ConditionExpression: read ? 'version = :version' : 'attribute_not_exists(PK)',
        ...(read ? { ExpressionAttributeValues: { ':version': read.version } } : {}),
      }),
    ),
  );
}

/** What an ingest mark says: who holds it, since when, until when, and the file it writes (when it is one). */
export interface IngestMark {
  id: string;
  startedAt: string;
  leaseUntil: string;
  platform?: string;
  sha256?: string;
}

export async function beginIngest(store: Store, orgId: string, ingestId: string, startedAt: string, leaseUntil: string, file?: { platform: string; sha256: string }): Promise<void> {
  await store.doc.send(new PutCommand({ TableName: store.table, Item: { ...keys.ingest(orgId, ingestId), type: 'ingest', orgId, id: ingestId, startedAt, leaseUntil, ...(file ? { platform: file.platform, sha256: file.sha256 } : {}) } }));
}

/**
 * Renews a mark while it is still this ingest's and unexpired; false when it was taken
 * over or its lease ran out (a run may have read past its start since): the ingest must
 * write no more, as what it wrote would arrive behind the watermark.
 */
export async function holdIngest(store: Store, orgId: string, ingestId: string, now: string, leaseUntil: string): Promise<boolean> {
  return writtenIf(
    store.doc.send(
      new UpdateCommand({
        TableName: store.table,
        Key: keys.ingest(orgId, ingestId),
        UpdateExpression: 'SET leaseUntil = :until',
        ConditionExpression: 'attribute_exists(PK) AND leaseUntil > :now',
        ExpressionAttributeValues: { ':until': leaseUntil, ':now': now },
      }),
    ),
  );
}

export async function endIngest(store: Store, orgId: string, ingestId: string): Promise<void> {
  await store.doc.send(new DeleteCommand({ TableName: store.table, Key: keys.ingest(orgId, ingestId) }));
}

export async function ingestsUnderWay(store: Store, orgId: string, now: string): Promise<IngestMark[]> {
  const items = await queryAll<Record<string, unknown>>(store, {
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    FilterExpression: 'leaseUntil > :now',
    ExpressionAttributeValues: { ':pk': keys.orgPartition(orgId), ':prefix': PREFIX.ingest, ':now': now },
  });
  return items
    .map((i) => ({ id: String(i.id), startedAt: String(i.startedAt), leaseUntil: String(i.leaseUntil), ...(i.platform ? { platform: String(i.platform), sha256: String(i.sha256) } : {}) }))
    .sort((a, b) => (a.startedAt < b.startedAt ? -1 : 1));
}

export async function getAuditLog(store: Store, orgId: string, platform: string, sha256: string): Promise<AuditLogRecord | undefined> {
  const result = await store.doc.send(new GetCommand({ TableName: store.table, Key: keys.auditLog(orgId, platform, sha256) }));
  return result.Item ? AuditLogRecord.parse(withoutKeys(result.Item)) : undefined;
}

export async function putAuditLog(store: Store, orgId: string, record: AuditLogRecord): Promise<void> {
  await store.doc.send(new PutCommand({ TableName: store.table, Item: { ...keys.auditLog(orgId, record.platform, record.sha256), type: 'audit-log', orgId, ...record } }));
}

/** A day's record: counters added once per run (the run's name joins a set, and the condition refuses it twice). */
export async function recordRun(store: Store, orgId: string, day: string, runName: string, f: RunFigures, at: string, upTo?: string): Promise<void> {
  const names: Record<string, string> = { '#runs': 'runCount' };
  const values: Record<string, unknown> = { ':run': runName, ':runs': new Set([runName]), ':one': 1, ':events': f.events, ':late': f.late, ':alerts': f.alerts, ':at': at, ':day': day, ':type': 'monitoring-day', ':org': orgId };
  const adds = ['#runs :one', 'runNames :runs', 'events :events', 'late :late', 'alerts :alerts'];
  for (const [rule, n] of Object.entries(f.byRule)) {
    names[`#${rule}`] = `rule_${rule}`;
    values[`:${rule}`] = n;
    adds.push(`#${rule} :${rule}`);
  }
  // a run counted on this day already adds nothing
  await writtenIf(
    store.doc.send(
      new UpdateCommand({
        TableName: store.table,
        Key: keys.monitoringDay(orgId, day),
        UpdateExpression: `SET lastRunAt = :at, #day = :day, #type = :type, orgId = :org${upTo ? ', upTo = :upTo' : ''} ADD ${adds.join(', ')}`,
        ConditionExpression: 'attribute_not_exists(runNames) OR NOT contains(runNames, :run)',
        ExpressionAttributeNames: { ...names, '#day': 'day', '#type': 'type' },
        ExpressionAttributeValues: { ...values, ...(upTo ? { ':upTo': upTo } : {}) },
      }),
    ),
  );
}

export async function monitoringDays(store: Store, orgId: string, fromDay: string, toDay: string): Promise<MonitoringDay[]> {
  const items = await queryAll<Record<string, unknown>>(store, {
    KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': keys.orgPartition(orgId), ':from': keys.monitoringDay(orgId, fromDay).SK, ':to': keys.monitoringDay(orgId, toDay).SK },
  });
  return items.map((i) =>
    MonitoringDay.parse({
      day: i.day,
      runs: Number(i.runCount ?? 0),
      events: Number(i.events ?? 0),
      late: Number(i.late ?? 0),
      alerts: Number(i.alerts ?? 0),
      byRule: Object.fromEntries(RULES.filter((r) => i[`rule_${r}`] !== undefined).map((r) => [r, Number(i[`rule_${r}`])])),
      lastRunAt: i.lastRunAt,
      ...(i.upTo ? { upTo: i.upTo } : {}),
    }),
  );
}
