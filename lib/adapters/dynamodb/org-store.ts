// Organisations, people, controls, sources and evidence in the table, read back
// and parsed (lib/adapters/dynamodb/import-store.ts writes them).
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import type { AuditEvent } from '../../domain/audit/audit.ts';
import { ConflictError } from '../../errors.ts';
import { auditPut } from './audit.ts';
import { cancellationCodes } from './conditions.ts';
import { Control, EvidenceRecord, Organisation, Person, type LoadedOrganisation } from '../../domain/org/org.ts';
import { fieldName } from '../../domain/org/org-file.ts';
import { Source } from '../../domain/org/source.ts';
import { Platform } from '../../domain/org/platform.ts';
import { HeldGroup } from '../../domain/org/declared-group.ts';
import { Acceptance } from '../../domain/gaps/acceptance.ts';
import type { Store } from './client.ts';
import { batchGetAll, dateIndexUpTo, queryAll } from './batch.ts';
import { INDEX, keys, PREFIX, withoutKeys } from './keys.ts';

/**
 * A stored item of the organisation file, parsed. One that an earlier version accepted and
 * today's checks refuse (a rule made stricter) is a conflict the person can resolve, not
 * a failure of ours: it is named, with the field and the reason, and importing the
 * corrected organisation file replaces it.
 */
function fromStore<T>(schema: z.ZodType<T>, item: Record<string, unknown>, kind: string): T {
  const parsed = schema.safeParse(withoutKeys(item));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const org = typeof item.orgId === 'string' ? `organisation ${item.orgId}: ` : '';
  const id = typeof item.id === 'string' ? ` ${JSON.stringify(item.id)}` : '';
  throw new ConflictError(
    `${org}the stored ${kind}${id} does not pass this version's checks (${issue.path.length > 0 ? `${fieldName(issue.path)}: ` : ''}${issue.message}); correct the organisation file and import it again`,
  );
}

export const evidenceEntity = {
  /** Keys: by id, by control (GSI1) and, while live with an end date, by validity end (GSI2, sparse). */
  toItem(orgId: string, e: Omit<EvidenceRecord, 'noticed' | 'noticeCycle' | 'ownerNoticedOn'>, previous?: EvidenceRecord): Record<string, unknown> {
    const live = !e.retired && !e.renewedBy && e.validUntil !== undefined;
    // Notice state carries over only while the validity end is unchanged: a renewal starts a new cycle.
    const carry =
      previous && previous.noticeCycle === e.validUntil
        ? { noticed: previous.noticed, noticeCycle: previous.noticeCycle, ...(previous.ownerNoticedOn ? { ownerNoticedOn: previous.ownerNoticedOn } : {}) }
        : {};
    return {
      ...keys.evidence(orgId, e.id),
      ...keys.evidenceByControl(orgId, e.control, e.id),
      ...(live ? keys.evidenceByEnd(orgId, e.validUntil as string, e.id) : {}),
      type: 'evidence',
      orgId,
      ...e,
      ...carry,
    };
  },
  fromItem: (item: Record<string, unknown>): EvidenceRecord => fromStore(EvidenceRecord, item, 'evidence item'),
};

/** A Put for a transaction: a new evidence item, refused when its id is taken. */
export function evidencePut(store: Store, orgId: string, e: EvidenceRecord) {
  return { Put: { TableName: store.table, Item: evidenceEntity.toItem(orgId, e), ConditionExpression: 'attribute_not_exists(PK)' } };
}

/** An Update for a transaction: marks live evidence renewed by a later item, once. */
export function renewalUpdate(store: Store, orgId: string, renews: { id: string; by: string }) {
  return {
    Update: {
      TableName: store.table,
      Key: keys.evidence(orgId, renews.id),
      // Out of the sweep's index: no notice is due for evidence a later item renewed.
      UpdateExpression: 'SET renewedBy = :by REMOVE GSI2PK, GSI2SK',
      ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(renewedBy)',
      ExpressionAttributeValues: { ':by': renews.by },
    },
  };
}

/** Registers one evidence item (and the item it renews) with its audit entry, all or nothing. */
export async function registerEvidence(store: Store, orgId: string, e: EvidenceRecord, audit: AuditEvent): Promise<void> {
  const items: Record<string, unknown>[] = [evidencePut(store, orgId, e), auditPut(store, audit)];
  if (e.renews) items.push(renewalUpdate(store, orgId, { id: e.renews, by: e.id }));
  try {
    await store.doc.send(new TransactWriteCommand({ TransactItems: items as never }));
  } catch (error) {
    const [registered, , renewed] = cancellationCodes(error);
    if (registered === 'ConditionalCheckFailed') throw new ConflictError(`evidence ${e.id} is registered already`);
    if (renewed === 'ConditionalCheckFailed') throw new ConflictError(`evidence ${e.renews} was renewed already, or is gone`);
    throw error;
  }
}

export async function readPrefix(store: Store, orgId: string, prefix: string): Promise<Record<string, unknown>[]> {
  return queryAll<Record<string, unknown>>(store, {
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.orgPartition(orgId), ':prefix': prefix },
  });
}

/** The organisation's own settings, without its people and controls. */
export async function getOrganisation(store: Store, orgId: string): Promise<Organisation | undefined> {
  const meta = await store.doc.send(new GetCommand({ TableName: store.table, Key: keys.orgMetaKey(orgId) }));
  return meta.Item ? fromStore(Organisation, meta.Item, 'organisation settings') : undefined;
}

export async function loadOrganisation(store: Store, orgId: string): Promise<LoadedOrganisation | undefined> {
  const organisation = await getOrganisation(store, orgId);
  if (!organisation) return undefined;
  const [people, controls, platforms, groups, acceptances] = await Promise.all(
    [PREFIX.person, PREFIX.control, PREFIX.platform, PREFIX.group, PREFIX.acceptance].map((prefix) => readPrefix(store, orgId, prefix)),
  );
  const parse = <T>(items: Record<string, unknown>[] | undefined, schema: z.ZodType<T>, kind: string) => (items ?? []).map((i) => fromStore(schema, i, kind));
  return {
    organisation,
    people: new Map(parse(people, Person, 'person').map((p) => [p.id, p])),
    controls: new Map(parse(controls, Control, 'control').map((c) => [c.id, c])),
    platforms: parse(platforms, Platform, 'platform'),
    groups: parse(groups, HeldGroup, 'group'),
    acceptances: parse(acceptances, Acceptance, 'gap acceptance'),
  };
}

export async function listSources(store: Store, orgId: string): Promise<Source[]> {
  return (await readPrefix(store, orgId, PREFIX.source)).map((i) => fromStore(Source, i, 'source'));
}

export async function getSource(store: Store, orgId: string, sourceId: string): Promise<Source | undefined> {
  const result = await store.doc.send(new GetCommand({ TableName: store.table, Key: keys.source(orgId, sourceId) }));
  return result.Item ? fromStore(Source, result.Item, 'source') : undefined;
}

export async function listOrganisationIds(store: Store): Promise<string[]> {
  const items = await queryAll<{ id: string }>(store, {
    IndexName: INDEX.byParent,
    KeyConditionExpression: 'GSI1PK = :orgs',
    ExpressionAttributeValues: { ':orgs': keys.organisationsPartition },
    ProjectionExpression: 'id',
  });
  return items.map((i) => String(i.id));
}

export async function listEvidence(store: Store, orgId: string, controlId?: string): Promise<EvidenceRecord[]> {
  const items = controlId
    ? await queryAll<Record<string, unknown>>(store, {
        IndexName: INDEX.byParent,
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.evidenceByControl(orgId, controlId, '').GSI1PK },
      })
    : await readPrefix(store, orgId, PREFIX.evidence);
  return items.map(evidenceEntity.fromItem);
}

/** Evidence whose validity ends on or before `lastDay`, from the end-date index. */
export async function evidenceEndingBy(store: Store, orgId: string, lastDay: string): Promise<EvidenceRecord[]> {
  return (await dateIndexUpTo(store, keys.evidenceEndPartition(orgId), lastDay)).map(evidenceEntity.fromItem);
}

/** The current validity end of each evidence item (undefined when retired, renewed by a later item, or gone). */
export async function currentValidity(store: Store, orgId: string, evidenceIds: string[]): Promise<Map<string, string | undefined>> {
  const out = new Map<string, string | undefined>();
  const ids = [...new Set(evidenceIds)];
  const items = await batchGetAll(
    store,
    ids.map((id) => keys.evidence(orgId, id)),
    { projection: 'id, validUntil, retired, renewedBy', delay: (attempt) => 50 * 2 ** (attempt - 1), failure: () => 'DynamoDB left reads unprocessed after 8 attempts' },
  );
  for (const item of items) out.set(String(item.id), item.retired || item.renewedBy ? undefined : (item.validUntil as string | undefined));
  return out;
}
