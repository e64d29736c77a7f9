// Organisations, people, controls and evidence in the table. An import writes
// only what changed against what is stored, and records each change in the
// audit trail; evidence missing from the file is retired, not deleted.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { evidenceOwner, type Control, type Evidence, type OrgFile, type Organisation, type Person } from '../../domain/org/org.ts';
import type { Source } from '../../domain/org/source.ts';
import type { Store } from './client.ts';
import { auditItem, type AuditEvent } from './audit.ts';
import { batchWriteAll, queryAll } from './batch.ts';
import { INDEX, keys, PREFIX } from './keys.ts';

/** Evidence as stored: the owner resolved, plus the notice state of its current cycle. */
export interface StoredEvidence extends Evidence {
  owner: string;
  /** Stages already recorded for the cycle ending `noticeCycle`. */
  noticed?: string[];
  noticeCycle?: string;
}

export interface LoadedOrganisation {
  organisation: Organisation;
  people: Map<string, Person>;
  controls: Map<string, Control>;
}

export interface ImportCounts {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
}

export interface ImportSummary {
  orgId: string;
  people: ImportCounts;
  controls: ImportCounts;
  sources: ImportCounts;
  evidence: ImportCounts & { renewed: number };
}

const strip = <T extends Record<string, unknown>>(item: T): Record<string, unknown> => {
  const { PK, SK, GSI1PK, GSI1SK, GSI2PK, GSI2SK, type, orgId, noticed, noticeCycle, ...rest } = item;
  return rest;
};

const same = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

export function evidenceItem(orgId: string, e: Evidence & { owner: string }, previous?: StoredEvidence): Record<string, unknown> {
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
}

async function readPrefix<T>(store: Store, orgId: string, prefix: string): Promise<T[]> {
  return queryAll<T>(store, {
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.orgPartition(orgId), ':prefix': prefix },
  });
}

/** The organisation's own settings, without its people and controls. */
export async function getOrganisation(store: Store, orgId: string): Promise<Organisation | undefined> {
  const meta = await store.doc.send(new GetCommand({ TableName: store.table, Key: { PK: keys.orgPartition(orgId), SK: '#META' } }));
  return meta.Item ? (strip(meta.Item) as Organisation) : undefined;
}

export async function loadOrganisation(store: Store, orgId: string): Promise<LoadedOrganisation | undefined> {
  const organisation = await getOrganisation(store, orgId);
  if (!organisation) return undefined;
  const [people, controls] = await Promise.all([
    readPrefix<Person & Record<string, unknown>>(store, orgId, PREFIX.person),
    readPrefix<Control & Record<string, unknown>>(store, orgId, PREFIX.control),
  ]);
  return {
    organisation,
    people: new Map(people.map((p) => [p.id, strip(p) as Person])),
    controls: new Map(controls.map((c) => [c.id, strip(c) as Control])),
  };
}

export async function listSources(store: Store, orgId: string): Promise<Source[]> {
  const items = await readPrefix<Record<string, unknown>>(store, orgId, PREFIX.source);
  return items.map((i) => strip(i) as Source);
}

export async function getSource(store: Store, orgId: string, sourceId: string): Promise<Source | undefined> {
  const result = await store.doc.send(new GetCommand({ TableName: store.table, Key: keys.source(orgId, sourceId) }));
  return result.Item ? (strip(result.Item) as Source) : undefined;
}

export async function listOrganisationIds(store: Store): Promise<string[]> {
  const items = await queryAll<{ id: string }>(store, {
    IndexName: INDEX.byParent,
    KeyConditionExpression: 'GSI1PK = :orgs',
    ExpressionAttributeValues: { ':orgs': 'ORGS' },
    ProjectionExpression: 'id',
  });
  return items.map((i) => i.id);
}

export async function listEvidence(store: Store, orgId: string, controlId?: string): Promise<StoredEvidence[]> {
  const items = controlId
    ? await queryAll<Record<string, unknown>>(store, {
        IndexName: INDEX.byParent,
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.evidenceByControl(orgId, controlId, '').GSI1PK },
      })
    : await readPrefix<Record<string, unknown>>(store, orgId, PREFIX.evidence);
  return items.map((i) => ({ ...strip(i), noticed: i.noticed, noticeCycle: i.noticeCycle }) as StoredEvidence);
}

/** Imports a validated organisation file. `actor` names the source in the audit trail. */
export async function importOrganisation(store: Store, file: OrgFile, actor: string, at: string): Promise<ImportSummary> {
  const orgId = file.organisation.id;
  const [people, controls, evidence, sources] = await Promise.all([
    readPrefix<Record<string, unknown>>(store, orgId, PREFIX.person),
    readPrefix<Record<string, unknown>>(store, orgId, PREFIX.control),
    readPrefix<Record<string, unknown>>(store, orgId, PREFIX.evidence),
    readPrefix<Record<string, unknown>>(store, orgId, PREFIX.source),
  ]);
  const writes: Parameters<typeof batchWriteAll>[1] = [];
  const audit = (event: string, subject: string, detail?: Record<string, unknown>) => {
    const e: AuditEvent = { orgId, at, event, subject, actor, ...(detail ? { detail } : {}) };
    writes.push({ PutRequest: { Item: auditItem(e) } });
  };
  const put = (Item: Record<string, unknown>) => writes.push({ PutRequest: { Item } });

  put({ ...keys.orgMeta(orgId), type: 'organisation', ...file.organisation });

  const sync = <T extends { id: string }>(
    kind: 'person' | 'control' | 'source',
    declared: T[],
    stored: Record<string, unknown>[],
    key: (id: string) => { PK: string; SK: string },
  ): ImportCounts => {
    const counts: ImportCounts = { added: 0, changed: 0, removed: 0, unchanged: 0 };
    const before = new Map(stored.map((s) => [s.id as string, s]));
    for (const item of declared) {
      const old = before.get(item.id);
      before.delete(item.id);
      if (old && same(strip(old), item as unknown as Record<string, unknown>)) {
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
    people: sync('person', file.people, people, (id) => keys.person(orgId, id)),
    controls: sync('control', file.controls, controls, (id) => keys.control(orgId, id)),
    sources: sync('source', file.sources, sources, (id) => keys.source(orgId, id)),
    evidence: { added: 0, changed: 0, removed: 0, unchanged: 0, renewed: 0 },
  };

  const controlMap = new Map(file.controls.map((c) => [c.id, c]));
  const storedEvidence = new Map(evidence.map((e) => [e.id as string, e as unknown as StoredEvidence & Record<string, unknown>]));
  for (const e of file.evidence) {
    const old = storedEvidence.get(e.id);
    storedEvidence.delete(e.id);
    const item = evidenceItem(orgId, { ...e, owner: evidenceOwner(e, controlMap) }, old);
    if (old && same(strip(old), strip(item))) {
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
    put(evidenceItem(orgId, { ...(strip(old) as unknown as StoredEvidence), retired: true }));
    summary.evidence.removed++;
    audit('evidence.retired', keys.evidence(orgId, old.id).SK, { reason: 'no longer in the organisation file' });
  }
  await batchWriteAll(store, writes);
  return summary;
}
