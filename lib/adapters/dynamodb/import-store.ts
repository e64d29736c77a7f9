// Imports a validated organisation file: writes only what changed against what is
// held, records each change in the audit trail, retires (never deletes) evidence
// left out of the file; and does it all or not at all.
//
// - Up to 100 writes (a re-import that changes a few things): one DynamoDB
//   transaction. Readers see the table as it was until it commits, then all of it.
// - More (a first import, a large change): a journal of what each touched item was
//   before is written first, under a marker that one import at a time may hold; then
//   the items, then their audit entries. If any write fails, every touched item is
//   put back as the journal has it before the import reports the failure, so every
//   read is as it was. While such an import is being applied (seconds), a reader may
//   already see some of its items. If the process dies mid-way, the marker and the
//   journal stay, and the next import puts everything back first, then applies itself.
import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../domain/audit/audit.ts';
import { canonicalJson } from '../../domain/canonical-json.ts';
import { evidenceOwner, type HeldOrgFile, type ImportCounts, type ImportSummary } from '../../domain/org/org.ts';
import { localDate } from '../../domain/review/quarter.ts';
import { ConflictError, DependencyError } from '../../errors.ts';
import type { Store } from './client.ts';
import { auditEntity } from './audit.ts';
import { batchWriteAll, queryAll } from './batch.ts';
import { keys, PREFIX, withoutKeys } from './keys.ts';
import { evidenceEntity, readPrefix } from './org-store.ts';
import { isConditionFailure } from './conditions.ts';

type Item = Record<string, unknown>;
type Key = { PK: string; SK: string };

/** One write of the import, and what its item was before (undefined: it did not exist). */
interface Change {
  key: Key;
  after?: Item;
  before?: Item;
}

/** Writes per transaction (DynamoDB's limit). */
const TRANSACTION_MAX = 100;
/** Journal bytes per item, well under DynamoDB's 400 KB. */
const JOURNAL_CHUNK_BYTES = 256 * 1024;
/** How long an import holds the marker; an older marker is an import that died. */
const LEASE_MS = 5 * 60_000;

const same = (a: Item, b: Item) => canonicalJson(a) === canonicalJson(b);

/** The parts of the organisation an import declares, each kept under its own key, and how an item names itself. */
const entities = {
  person: { key: keys.person, idOf: (i: Item) => String(i.id) },
  control: { key: keys.control, idOf: (i: Item) => String(i.id) },
  source: { key: keys.source, idOf: (i: Item) => String(i.id) },
  platform: { key: keys.platform, idOf: (i: Item) => String(i.id) },
  group: { key: keys.group, idOf: (i: Item) => `${String(i.source)}#${String(i.nameHash)}` },
  acceptance: { key: keys.acceptance, idOf: (i: Item) => String(i.gap) },
} as const;

/** What an item holds but the entity itself: its notice state is the sweep's, and its renewal a review's, not the file's. */
const declared = (item: Item) => {
  const { noticed: _n, noticeCycle: _c, ownerNoticedOn: _o, renewedBy: _r, ...rest } = withoutKeys(item);
  return rest;
};

const keyOf = (item: Item): Key => ({ PK: String(item.PK), SK: String(item.SK) });

/** What the file changes against what is held: the writes (entities, then audit entries) and the counts. */
type Held = { meta?: Item; evidence: Item[] } & Record<keyof typeof entities, Item[]>;

function plan(file: HeldOrgFile, held: Held, actor: string, at: string, day?: string) {
  const orgId = file.organisation.id;
  const changes: Change[] = [];
  const audits: Item[] = [];
  const audit = (event: string, subject: string, detail?: Record<string, unknown>) => {
    const e: AuditEvent = { orgId, at, event, subject, actor, ...(detail ? { detail } : {}) };
    audits.push(auditEntity.toItem(e));
  };
  const put = (after: Item, before?: Item) => changes.push({ key: keyOf(after), after, ...(before ? { before } : {}) });

  const meta = { ...keys.orgMeta(orgId), type: 'organisation', ...file.organisation };
  if (!held.meta || !same(held.meta, meta)) put(meta, held.meta);

  const sync = (kind: keyof typeof entities, items: readonly object[], stored: Item[]): ImportCounts => {
    const counts: ImportCounts = { added: 0, changed: 0, removed: 0, unchanged: 0 };
    const { idOf } = entities[kind];
    const key = (id: string) => entities[kind].key(orgId, id);
    const before = new Map(stored.map((s) => [idOf(s), s]));
    for (const item of items as Item[]) {
      const id = idOf(item);
      const old = before.get(id);
      before.delete(id);
      if (old && same(declared(old), item)) {
        counts.unchanged++;
        continue;
      }
      put({ ...key(id), type: kind, orgId, ...item }, old);
      counts[old ? 'changed' : 'added']++;
      audit(`${kind}.${old ? 'changed' : 'added'}`, key(id).SK);
    }
    for (const [id, old] of before) {
      changes.push({ key: key(id), before: old });
      counts.removed++;
      audit(`${kind}.removed`, key(id).SK);
    }
    return counts;
  };

  const summary: ImportSummary = {
    orgId,
    people: sync('person', file.people, held.person),
    controls: sync('control', file.controls, held.control),
    sources: sync('source', file.sources, held.source),
    platforms: sync('platform', file.platforms, held.platform),
    groups: sync('group', file.groups, held.group),
    acceptances: sync('acceptance', file.acceptances, held.acceptance),
    evidence: { added: 0, changed: 0, removed: 0, unchanged: 0, renewed: 0 },
  };

  const controlMap = new Map(file.controls.map((c) => [c.id, c]));
  // The organisation's day of this import: evidence retired now stops counting from it.
  const today = day ?? localDate(new Date(at), file.organisation.timeZone);
  const stored = new Map(held.evidence.map((i) => [String(i.id), i]));
  for (const e of file.evidence) {
    const oldItem = stored.get(e.id);
    stored.delete(e.id);
    const old = oldItem ? evidenceEntity.fromItem(oldItem) : undefined;
    // Retired without a day: the day held, or this import's when it was live until now. An
    // item first seen retired has none: when it was retired is not known, so it counts on no day.
    const retiredOn = e.retired ? (e.retiredOn ?? (old?.retired ? old.retiredOn : old ? today : undefined)) : undefined;
    const item = evidenceEntity.toItem(orgId, { ...e, owner: evidenceOwner(e, controlMap), origin: 'file', ...(retiredOn ? { retiredOn } : {}) }, old);
    if (old && same(declared(evidenceEntity.toItem(orgId, old)), declared(item))) {
      summary.evidence.unchanged++;
      continue;
    }
    put(item, oldItem);
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
  for (const oldItem of stored.values()) {
    const old = evidenceEntity.fromItem(oldItem);
    // Evidence registered by an answer, the API or the product is not the file's to retire.
    if (old.retired || old.origin !== 'file') continue;
    const { noticed: _n, noticeCycle: _c, ownerNoticedOn: _o, ...held } = old;
    put(evidenceEntity.toItem(orgId, { ...held, retired: true, retiredOn: today }), oldItem);
    summary.evidence.removed++;
    audit('evidence.retired', keys.evidence(orgId, old.id).SK, { reason: 'no longer in the organisation file' });
  }
  // Audit entries are new items: undoing them is deleting them.
  return { changes: [...changes, ...audits.map((a) => ({ key: keyOf(a), after: a }))], summary };
}

const asRequest = (c: Change) => (c.after ? { PutRequest: { Item: c.after } } : { DeleteRequest: { Key: c.key } });
const undoRequest = (c: Change) => (c.before ? { PutRequest: { Item: c.before } } : { DeleteRequest: { Key: c.key } });

/**
 * Imports a validated organisation file. `actor` names the source in the audit trail; `at`
 * is now (the writes' time); `today` the organisation's day of the import, which evidence
 * it retires stops counting from (default: the day `at` falls on in the organisation's zone).
 */
export async function importOrganisation(store: Store, file: HeldOrgFile, actor: string, at: string, today?: string): Promise<ImportSummary> {
  const orgId = file.organisation.id;
  const undone = await undoUnfinished(store, orgId, at);
  const [meta, person, control, evidence, source, platform, group, acceptance] = await Promise.all([
    store.doc.send(new GetCommand({ TableName: store.table, Key: keys.orgMetaKey(orgId), ConsistentRead: true })).then((r) => r.Item),
    ...[PREFIX.person, PREFIX.control, PREFIX.evidence, PREFIX.source, PREFIX.platform, PREFIX.group, PREFIX.acceptance].map((prefix) => readPrefix(store, orgId, prefix)),
  ]);
  const held = { evidence: evidence!, person: person!, control: control!, source: source!, platform: platform!, group: group!, acceptance: acceptance! } as Held;
  const { changes, summary } = plan(file, { ...held, ...(meta ? { meta: meta as Item } : {}) }, actor, at, today);
  if (changes.length <= TRANSACTION_MAX) await applyInOneTransaction(store, changes);
  else await applyWithJournal(store, orgId, changes, at);
  return undone ? { ...summary, undone } : summary;
}

async function applyInOneTransaction(store: Store, changes: Change[]): Promise<void> {
  if (changes.length === 0) return;
  try {
    await store.doc.send(
      new TransactWriteCommand({
        TransactItems: changes.map((c) => (c.after ? { Put: { TableName: store.table, Item: c.after } } : { Delete: { TableName: store.table, Key: c.key } })),
      }),
    );
  } catch (error) {
    throw new DependencyError(`the import was not written (nothing changed): ${(error as Error).name}: ${(error as Error).message}`, { cause: error });
  }
}

async function applyWithJournal(store: Store, orgId: string, changes: Change[], at: string): Promise<void> {
  const importId = randomUUID();
  const marker = keys.importMarker(orgId);
  try {
    await store.doc.send(
      new PutCommand({
        TableName: store.table,
        Item: { ...marker, type: 'import', importId, startedAt: at, leaseUntil: new Date(Date.parse(at) + LEASE_MS).toISOString() },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw new ConflictError(`another import of "${orgId}" is being written; try again in a few minutes`);
    throw error;
  }
  const journal = journalItems(orgId, importId, changes);
  try {
    await batchWriteAll(store, journal.map((Item) => ({ PutRequest: { Item } })));
    await batchWriteAll(store, changes.map(asRequest));
  } catch (error) {
    try {
      await batchWriteAll(store, changes.map(undoRequest));
      await finish(store, orgId, journal);
    } catch (undoError) {
      throw new DependencyError(
        `the import failed (${(error as Error).message}) and could not yet be undone (${(undoError as Error).message}); the next import of "${orgId}" undoes it first`,
        { cause: error },
      );
    }
    throw new DependencyError(`the import failed and was undone; nothing changed: ${(error as Error).name}: ${(error as Error).message}`, { cause: error });
  }
  await finish(store, orgId, journal);
}

/** The journal, in items of at most JOURNAL_CHUNK_BYTES: each touched key with its item before. */
function journalItems(orgId: string, importId: string, changes: Change[]): Item[] {
  const chunks: Item[] = [];
  let entries: Change[] = [];
  let bytes = 0;
  const flush = () => {
    if (entries.length === 0) return;
    chunks.push({ ...keys.importJournal(orgId, importId, chunks.length), type: 'import-journal', entries: entries.map(({ key, before }) => ({ key, ...(before ? { before } : {}) })) });
    entries = [];
    bytes = 0;
  };
  for (const c of changes) {
    const size = JSON.stringify(c.before ?? c.key).length;
    if (bytes + size > JOURNAL_CHUNK_BYTES) flush();
    entries.push(c);
    bytes += size;
  }
  flush();
  return chunks;
}

async function finish(store: Store, orgId: string, journal: Item[]): Promise<void> {
  await batchWriteAll(store, journal.map((j) => ({ DeleteRequest: { Key: keyOf(j) } })));
  await store.doc.send(new DeleteCommand({ TableName: store.table, Key: keys.importMarker(orgId) }));
}

/**
 * An import that died mid-way left its marker and journal: put every item it
 * touched back as it was. A marker still within its lease is an import running now.
 */
async function undoUnfinished(store: Store, orgId: string, at: string): Promise<ImportSummary['undone']> {
  const { Item: marker } = await store.doc.send(new GetCommand({ TableName: store.table, Key: keys.importMarker(orgId), ConsistentRead: true }));
  if (!marker) return undefined;
  if (String(marker.leaseUntil) > at) throw new ConflictError(`another import of "${orgId}" is being written (since ${String(marker.startedAt)}); try again in a few minutes`);
  const journal = await queryAll<Item>(store, {
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.importJournalPartition(orgId, String(marker.importId)) },
    ConsistentRead: true,
  });
  const entries = journal.flatMap((j) => j.entries as Change[]);
  await batchWriteAll(store, entries.map(undoRequest));
  await finish(store, orgId, journal);
  return { startedAt: String(marker.startedAt), items: entries.length };
}
