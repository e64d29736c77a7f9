// Organisations, people, controls and evidence in the table. An import writes
// only what changed against what is stored, and records each change in the
// audit trail; evidence missing from the file is retired, not deleted.
import { BatchGetCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  Control,
  EvidenceRecord,
  evidenceOwner,
  Organisation,
  Person,
  type ImportCounts,
  type ImportSummary,
  type LoadedOrganisation,
  type OrgFile,
} from '../../domain/org/org.ts';
import { Source } from '../../domain/org/source.ts';
import type { AuditEvent } from '../../domain/audit/audit.ts';
import type { Store } from './client.ts';
import { auditEntity } from './audit.ts';
import { batchWriteAll, queryAll } from './batch.ts';
import { INDEX, keys, PREFIX, withoutKeys } from './keys.ts';

const same = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/** The parts of the organisation an import declares, each kept under its own key. */
const entities = {
  person: { key: keys.person, schema: Person },
  control: { key: keys.control, schema: Control },
  source: { key: keys.source, schema: Source },
} as const;

/** What an item holds but the entity itself: its notice state is the sweep's, not the file's. */
const declared = (item: Record<string, unknown>) => {
  const { noticed: _n, noticeCycle: _c, ...rest } = withoutKeys(item);
  return rest;
};

export const evidenceEntity = {
  /** Keys: by id, by control (GSI1) and, while live with an end date, by validity end (GSI2, sparse). */
  toItem(orgId: string, e: Omit<EvidenceRecord, 'noticed' | 'noticeCycle'>, previous?: EvidenceRecord): Record<string, unknown> {
    const live = !e.retired && e.validUntil !== undefined;
    // Notice state carries over only while the validity end is unchanged: a renewal starts a new cycle.
    const carry = previous && previous.noticeCycle === e.validUntil ? { noticed: previous.noticed, noticeCycle: previous.noticeCycle } : {};
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
  fromItem: (item: Record<string, unknown>): EvidenceRecord => EvidenceRecord.parse(withoutKeys(item)),
};

async function readPrefix(store: Store, orgId: string, prefix: string): Promise<Record<string, unknown>[]> {
  return queryAll<Record<string, unknown>>(store, {
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.orgPartition(orgId), ':prefix': prefix },
  });
}

/** The organisation's own settings, without its people and controls. */
export async function getOrganisation(store: Store, orgId: string): Promise<Organisation | undefined> {
  const meta = await store.doc.send(new GetCommand({ TableName: store.table, Key: keys.orgMetaKey(orgId) }));
  return meta.Item ? Organisation.parse(withoutKeys(meta.Item)) : undefined;
}

export async function loadOrganisation(store: Store, orgId: string): Promise<LoadedOrganisation | undefined> {
  const organisation = await getOrganisation(store, orgId);
  if (!organisation) return undefined;
  const [people, controls] = await Promise.all([readPrefix(store, orgId, PREFIX.person), readPrefix(store, orgId, PREFIX.control)]);
  return {
    organisation,
    people: new Map(people.map((i) => Person.parse(withoutKeys(i))).map((p) => [p.id, p])),
    controls: new Map(controls.map((i) => Control.parse(withoutKeys(i))).map((c) => [c.id, c])),
  };
}

export async function listSources(store: Store, orgId: string): Promise<Source[]> {
  return (await readPrefix(store, orgId, PREFIX.source)).map((i) => Source.parse(withoutKeys(i)));
}

export async function getSource(store: Store, orgId: string, sourceId: string): Promise<Source | undefined> {
  const result = await store.doc.send(new GetCommand({ TableName: store.table, Key: keys.source(orgId, sourceId) }));
  return result.Item ? Source.parse(withoutKeys(result.Item)) : undefined;
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
  const items = await queryAll<Record<string, unknown>>(store, {
    IndexName: INDEX.byDate,
    KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK < :after',
    ExpressionAttributeValues: { ':pk': keys.evidenceEndPartition(orgId), ':after': `${lastDay}$` },
  });
  return items.map(evidenceEntity.fromItem);
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
      for (const item of result.Responses?.[store.table] ?? []) out.set(String(item.id), item.retired ? undefined : (item.validUntil as string | undefined));
      request = result.UnprocessedKeys as typeof request;
      if (request && Object.keys(request).length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  }
  return out;
}

/** Imports a validated organisation file. `actor` names the source in the audit trail. */
export async function importOrganisation(store: Store, file: OrgFile, actor: string, at: string): Promise<ImportSummary> {
  const orgId = file.organisation.id;
  const [people, controls, evidence, sources] = await Promise.all([
    readPrefix(store, orgId, PREFIX.person),
    readPrefix(store, orgId, PREFIX.control),
    readPrefix(store, orgId, PREFIX.evidence),
    readPrefix(store, orgId, PREFIX.source),
  ]);
  const writes: Parameters<typeof batchWriteAll>[1] = [];
  const audit = (event: string, subject: string, detail?: Record<string, unknown>) => {
    const e: AuditEvent = { orgId, at, event, subject, actor, ...(detail ? { detail } : {}) };
    writes.push({ PutRequest: { Item: auditEntity.toItem(e) } });
  };
  const put = (Item: Record<string, unknown>) => writes.push({ PutRequest: { Item } });

  put({ ...keys.orgMeta(orgId), type: 'organisation', ...file.organisation });

  const sync = <T extends { id: string }>(kind: keyof typeof entities, declaredItems: T[], stored: Record<string, unknown>[]): ImportCounts => {
    const counts: ImportCounts = { added: 0, changed: 0, removed: 0, unchanged: 0 };
    const key = (id: string) => entities[kind].key(orgId, id);
    const before = new Map(stored.map((s) => [String(s.id), s]));
    for (const item of declaredItems) {
      const old = before.get(item.id);
      before.delete(item.id);
      if (old && same(declared(old), item)) {
        counts.unchanged++;
        continue;
      }
      put({ ...key(item.id), type: kind, orgId, ...item });
      counts[old ? 'changed' : 'added']++;
      audit(`${kind}.${old ? 'changed' : 'added'}`, key(item.id).SK);
    }
    for (const id of before.keys()) {
      writes.push({ DeleteRequest: { Key: key(id) } });
      counts.removed++;
      audit(`${kind}.removed`, key(id).SK);
    }
    return counts;
  };

  const summary: ImportSummary = {
    orgId,
    people: sync('person', file.people, people),
    controls: sync('control', file.controls, controls),
    sources: sync('source', file.sources, sources),
    evidence: { added: 0, changed: 0, removed: 0, unchanged: 0, renewed: 0 },
  };

  const controlMap = new Map(file.controls.map((c) => [c.id, c]));
  const storedEvidence = new Map(evidence.map((i) => evidenceEntity.fromItem(i)).map((e) => [e.id, e]));
  for (const e of file.evidence) {
    const old = storedEvidence.get(e.id);
    storedEvidence.delete(e.id);
    const item = evidenceEntity.toItem(orgId, { ...e, owner: evidenceOwner(e, controlMap) }, old);
    if (old && same(declared(evidenceEntity.toItem(orgId, old)), declared(item))) {
      summary.evidence.unchanged++;
      continue;
    }
    put(item);
    const subject = keys.evidence(orgId, e.id).SK;
    if (!old) {
      summary.evidence.added++;
      audit('evidence.added', subject, { validUntil: e.validUntil });
    } else if (old.validUntil !== e.validUntil && (e.validUntil ?? '') > (old.validUntil ?? '')) {
      summary.evidence.renewed++;
      audit('evidence.renewed', subject, { from: old.validUntil, to: e.validUntil, collected: e.collected });
    } else {
      summary.evidence.changed++;
      audit('evidence.changed', subject, { validUntil: e.validUntil });
    }
  }
  for (const old of storedEvidence.values()) {
    if (old.retired) continue;
    const { noticed: _n, noticeCycle: _c, ...held } = old;
    put(evidenceEntity.toItem(orgId, { ...held, retired: true }));
    summary.evidence.removed++;
    audit('evidence.retired', keys.evidence(orgId, old.id).SK, { reason: 'no longer in the organisation file' });
  }
  await batchWriteAll(store, writes);
  return summary;
}
