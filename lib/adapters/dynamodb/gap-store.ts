// Gaps and analyses in the table. A gap is one item under the id its rule and
// subject give it, in the open-gaps index (by severity) while it is open; an analysis
// is one item under its run name. An analysis writes the gaps it changed, their audit
// entries and itself: in one transaction when that is at most 100 writes, else the
// gaps first and the analysis last, so an analysis on record has all its gaps written
// (a retry writes the same items again).
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../domain/audit/audit.ts';
import { AnalysisRecord, Gap, gapSubject, severityRank } from '../../domain/gaps/gap.ts';
import type { AnalysisOutline } from '../../usecases/ports.ts';
import type { Store } from './client.ts';
import { auditEntity } from './audit.ts';
import { batchWriteAll, lastWithPrefix, queryAll } from './batch.ts';
import { INDEX, keys, PREFIX, withoutKeys } from './keys.ts';

const gapEntity = {
  toItem: (orgId: string, gap: Gap): Record<string, unknown> => ({
    ...keys.gap(orgId, gap.id),
    ...(gap.status === 'open' ? keys.gapOpen(orgId, severityRank(gap.severity), gap.id) : {}),
    type: 'gap',
    orgId,
    ...gap,
  }),
  fromItem: (item: Record<string, unknown>): Gap => Gap.parse(withoutKeys(item)),
};

const analysisEntity = {
  toItem: (a: AnalysisRecord): Record<string, unknown> => ({ ...keys.analysis(a.orgId, a.id), type: 'analysis', ...a }),
  fromItem: (item: Record<string, unknown>): AnalysisRecord => AnalysisRecord.parse({ ...withoutKeys(item), orgId: item.orgId }),
};

export async function listGaps(store: Store, orgId: string): Promise<Gap[]> {
  const items = await queryAll<Record<string, unknown>>(store, {
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.orgPartition(orgId), ':prefix': PREFIX.gap },
  });
  return items.map(gapEntity.fromItem);
}

/** Open gaps, most severe first, from the sparse open-gaps index. */
export async function openGaps(store: Store, orgId: string): Promise<Gap[]> {
  const items = await queryAll<Record<string, unknown>>(store, {
    IndexName: INDEX.byDate,
    KeyConditionExpression: 'GSI2PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.gapOpenPartition(orgId) },
  });
  return items.map(gapEntity.fromItem);
}

/** One audit entry per change, stamped with the analysis's moment, so a retried analysis appends nothing twice. */
function auditOf(a: AnalysisRecord): AuditEvent[] {
  return (['opened', 'closed', 'reopened', 'expired', 'accepted'] as const).flatMap((kind) =>
    a[kind].map((id): AuditEvent => ({ orgId: a.orgId, at: a.asOf, event: `gap.${kind}`, subject: gapSubject(id), actor: a.id })),
  );
}

export async function recordAnalysis(store: Store, analysis: AnalysisRecord, gaps: readonly Gap[]): Promise<void> {
  const items = [...gaps.map((g) => gapEntity.toItem(analysis.orgId, g)), ...auditOf(analysis).map(auditEntity.toItem)];
  const last = analysisEntity.toItem(analysis);
  if (items.length < 100) {
    await store.doc.send(new TransactWriteCommand({ TransactItems: [...items, last].map((Item) => ({ Put: { TableName: store.table, Item } })) }));
    return;
  }
  await batchWriteAll(store, items.map((Item) => ({ PutRequest: { Item } })));
  await store.doc.send(new PutCommand({ TableName: store.table, Item: last }));
}

/** What an outline of an analysis keeps: everything but the ids of what it changed (their counts stay). */
const OUTLINE_ATTRIBUTES = ['id', 'orgId', 'asOf', 'dataMap', 'changes', 'counts', 'scores'] as const;
const AnalysisOutlineItem = AnalysisRecord.omit({ opened: true, closed: true, reopened: true, expired: true, accepted: true });

/**
 * Every analysis of an organisation, in run-name order (by period, a person's own runs
 * after their period's), without the ids each one changed: one query over the
 * organisation's `ANALYSIS#` items, projected so that the id lists (up to 1,000 of
 * each kind per analysis) are neither sent nor parsed (the read units are those of
 * the whole items all the same).
 */
export async function listAnalyses(store: Store, orgId: string): Promise<AnalysisOutline[]> {
  const names = Object.fromEntries(OUTLINE_ATTRIBUTES.map((a, i) => [`#a${i}`, a]));
  const items = await queryAll<Record<string, unknown>>(store, {
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.orgPartition(orgId), ':prefix': PREFIX.analysis },
    ExpressionAttributeNames: names,
    ProjectionExpression: Object.keys(names).join(', '),
  });
  return items.map((item) => AnalysisOutlineItem.parse(item));
}

/** The latest analysis (run names sort by period, and a person's own runs after their period's). */
export async function latestAnalysis(store: Store, orgId: string): Promise<AnalysisRecord | undefined> {
  const item = await lastWithPrefix(store, keys.orgPartition(orgId), PREFIX.analysis);
  return item ? analysisEntity.fromItem(item) : undefined;
}
