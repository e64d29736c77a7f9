// Sealing and verifying the audit trail in the table (lib/domain/audit/chain.ts says
// what a digest is). Writers never change: each entry is put with the not-yet-sealed
// mark, and nothing reads before it writes. A seal:
//
// 1. reads the chain's head (ORG#<org>#AUDIT_DIGEST, the highest sequence number,
//    consistent), the marked entries from the sparse GSI2 partition ORG#<org>#AUDIT_UNSEALED
//    (the index projects ALL, so that query is the read of their content), and the
//    digests from that head on (another seal may have written some in between);
// 2. entries those digests already list only lose their mark (a seal that stopped between
//    its digest and the clearing left them marked); the rest, in key order, go into
//    digests of at most 1,000 entries, each chained to the one before and put with
//    attribute_not_exists: when another seal took that sequence number first, this
//    one reads the digests written since, drops what they list, and chains on to them;
// 3. after each digest, rewrites its entries without the mark (batch puts of the items
//    as read), so they leave the index.
//
// A crash anywhere leaves either marked entries (sealed next time) or marked entries
// that a digest lists (cleared next time); never an entry sealed twice by one seal or
// two seals racing. Entries of a large import still being written (its marker held)
// wait for the next seal, so an import that fails and is undone leaves nothing sealed.
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import { AuditDigest, buildDigest, DIGEST_MAX_ENTRIES, digestChunkLength, entryHash, verifyChain, type AuditVerification, type SealResult, type VerifyOptions } from '../../domain/audit/chain.ts';
import { ConflictError } from '../../errors.ts';
import type { SealOptions } from '../../usecases/ports.ts';
import type { Store } from './client.ts';
import { batchWriteAll, queryAll, queryPages } from './batch.ts';
import { isConditionFailure } from './conditions.ts';
import { auditDigestSk, INDEX, keys } from './keys.ts';

type Item = Record<string, unknown>;

const digestEntity = {
  toItem: (d: AuditDigest): Item => ({ ...keys.auditDigest(d.orgId, d.seq), type: 'audit-digest', ...d }),
  fromItem: (item: Item): AuditDigest => {
    const { PK: _pk, SK: _sk, type: _type, ...rest } = item;
    const parsed = AuditDigest.safeParse(rest);
    if (!parsed.success) throw new ConflictError(`audit digest ${String(item.SK)} of ${String(item.PK)} is not a digest any more; see "compliance audit verify"`);
    return parsed.data;
  },
};

/** Writes each batch of cleared entries this many at once. */
const CLEAR_CONCURRENCY = 8;

/**
 * The digest partition's items, in order, each through `map`: those with a sequence number above `after`, or
 * every item when `after` is not given (consistent: a seal must see every digest already written).
 */
async function queryDigests<T>(store: Store, orgId: string, map: (item: Item) => T, after?: number): Promise<T[]> {
  const items = await queryAll<Item>(
    store,
    after === undefined
      ? { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.auditDigestPartition(orgId) }, ConsistentRead: true }
      : { KeyConditionExpression: 'PK = :pk AND SK > :after', ExpressionAttributeValues: { ':pk': keys.auditDigestPartition(orgId), ':after': auditDigestSk(after) }, ConsistentRead: true },
  );
  return items.map(map);
}

/** Digests with a sequence number above `after`, in order. */
async function digestsAfter(store: Store, orgId: string, after: number): Promise<AuditDigest[]> {
  return queryDigests(store, orgId, digestEntity.fromItem, after);
}

async function headDigest(store: Store, orgId: string): Promise<AuditDigest | undefined> {
  const out = await store.doc.send(
    new QueryCommand({
      TableName: store.table,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.auditDigestPartition(orgId) },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  const item = out.Items?.[0];
  return item ? digestEntity.fromItem(item) : undefined;
}

/** Every digest, in order. */
export async function auditDigests(store: Store, orgId: string): Promise<AuditDigest[]> {
  return digestsAfter(store, orgId, 0);
}

/** Marked entries, in key order, from the sparse index (eventually consistent: one written a moment ago may wait for the next seal). */
async function markedEntries(store: Store, orgId: string, max: number | undefined): Promise<Item[]> {
  const items: Item[] = [];
  const query = { IndexName: INDEX.byDate, KeyConditionExpression: 'GSI2PK = :pk', ExpressionAttributeValues: { ':pk': keys.auditUnsealedPartition(orgId) } };
  for await (const page of queryPages(store, query, max === undefined ? undefined : () => Math.min(1000, max - items.length))) {
    items.push(...((page.Items ?? []) as Item[]));
    if (max !== undefined && items.length >= max) break;
  }
  return items;
}

/** The whole trail, in key order (consistent). */
async function allEntries(store: Store, orgId: string): Promise<Item[]> {
  return queryAll<Item>(store, { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.auditPartition(orgId) }, ConsistentRead: true });
}

/** The moment of the large import being written now, if one is: its entries carry it as their `at`. */
async function importInFlight(store: Store, orgId: string): Promise<string | undefined> {
  const { Item } = await store.doc.send(new GetCommand({ TableName: store.table, Key: keys.importMarker(orgId), ConsistentRead: true }));
  return Item ? String(Item.startedAt) : undefined;
}

const isMarked = (item: Item) => item.GSI2PK !== undefined;

/** Rewrites entries without the not-yet-sealed mark: they leave the index. */
async function clearMarks(store: Store, items: readonly Item[]): Promise<void> {
  const requests = items.filter(isMarked).map((item) => {
    const { GSI2PK: _pk, GSI2SK: _sk, ...rest } = item;
    return { PutRequest: { Item: rest } };
  });
  const groups: (typeof requests)[] = [];
  for (let i = 0; i < requests.length; i += 250) groups.push(requests.slice(i, i + 250));
  await pMap(groups, (g) => batchWriteAll(store, g), { concurrency: CLEAR_CONCURRENCY });
}

/** Seals what was written since the last seal; returns the chain's head (also when nothing was new). */
export async function sealAuditTrail(store: Store, orgId: string, actor: string, options: SealOptions): Promise<SealResult> {
  // Entries first, then the import marker: an entry seen here whose import is still being written finds its marker.
  let head: AuditDigest | undefined;
  const covered = new Set<string>();
  let candidates: Item[];
  if (options.adopt) {
    candidates = await allEntries(store, orgId);
    const all = await auditDigests(store, orgId);
    for (const d of all) for (const [sk] of d.entries) covered.add(sk);
    head = all.at(-1);
  } else {
    // The head before the entries, then every digest from it on: a seal that ran between
    // the two reads may have sealed and cleared entries read here as marked, in a digest
    // before the head read after them (three seals at once sealed 1,000 entries twice).
    const before = await headDigest(store, orgId);
    candidates = await markedEntries(store, orgId, options.maxEntries);
    const since = await digestsAfter(store, orgId, before?.seq ?? 0);
    for (const d of before ? [before, ...since] : since) for (const [sk] of d.entries) covered.add(sk);
    head = since.at(-1) ?? before;
  }
  const importing = await importInFlight(store, orgId);
  if (importing !== undefined) candidates = candidates.filter((e) => e.at !== importing);

  const toClear: Item[] = candidates.filter((e) => covered.has(String(e.SK)));
  let pending = candidates.filter((e) => !covered.has(String(e.SK))).sort((a, b) => (String(a.SK) < String(b.SK) ? -1 : 1));
  if (options.maxEntries !== undefined) pending = pending.slice(0, options.maxEntries);
  let sealed = 0;
  let i = 0;
  while (i < pending.length) {
    const n = digestChunkLength(pending.slice(i, i + DIGEST_MAX_ENTRIES).map((e) => String(e.SK)));
    const chunk = pending.slice(i, i + n);
    const digest = buildDigest({ orgId, sealedAt: options.at, sealedBy: actor, previous: head, entries: chunk.map((e) => [String(e.SK), entryHash(e)]) });
    try {
      await store.doc.send(new PutCommand({ TableName: store.table, Item: digestEntity.toItem(digest), ConditionExpression: 'attribute_not_exists(PK)' }));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Another seal took this sequence number: chain on after what it (and any other) wrote.
      const newer = await digestsAfter(store, orgId, head?.seq ?? 0);
      for (const d of newer) for (const [sk] of d.entries) covered.add(sk);
      head = newer.at(-1) ?? head;
      const rest = pending.slice(i);
      toClear.push(...rest.filter((e) => covered.has(String(e.SK))));
      pending = rest.filter((e) => !covered.has(String(e.SK)));
      i = 0;
      continue;
    }
    head = digest;
    sealed += chunk.length;
    i += n;
    await clearMarks(store, chunk);
  }
  await clearMarks(store, toClear);
  return { seq: head?.seq ?? 0, hash: head?.hash ?? null, sealedEntries: sealed };
}

/** Reads the whole trail and every digest (consistent, entries first) and recomputes the chain. */
export async function verifyAuditTrail(store: Store, orgId: string, options: VerifyOptions = {}): Promise<AuditVerification> {
  // Entries before digests: an entry read without its mark was cleared after its digest was written, so that digest is read too.
  const entries = await allEntries(store, orgId);
  // Every item of the partition, raw: verifyChain reports one that is not a digest any more.
  const digests = await queryDigests(store, orgId, (item) => {
    const { PK: _pk, SK: _sk, type: _type, ...rest } = item;
    const seq = Number(item.SK);
    return { seq: Number.isSafeInteger(seq) ? seq : -1, item: rest };
  });
  return verifyChain(
    orgId,
    entries.map((item) => ({ sk: String(item.SK), item, unsealed: isMarked(item) })),
    digests,
    options,
  );
}
