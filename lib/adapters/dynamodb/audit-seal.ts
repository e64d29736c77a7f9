// Sealing and verifying the audit trail in the table (lib/domain/audit/chain.ts says
// what a digest is). Writers never change: each entry is put with the not-yet-sealed
// mark, and nothing reads before it writes. A seal:
//
// 1. reads the chain's head (ORG#<org>#AUDIT_DIGEST, the highest sequence number,
//    consistent), then the clearing items (ORG#<org>#AUDIT_CLEARING, consistent: one per
//    digest whose entries may still show as marked), then the marked entries from the
//    sparse GSI2 partition ORG#<org>#AUDIT_UNSEALED (the index projects ALL, so that query
//    is the read of their content); then, when some are marked, the digests after the
//    head (another seal may have written some in between) and those before it whose
//    clearing item's range of entry SKs (`first`, `last`) holds a marked entry;
// 2. entries those digests already list only lose their mark; the rest, in key order, go
//    into digests of at most 1,000 entries, each chained to the one before and put with
//    attribute_not_exists in one transaction with its clearing item: when another seal
//    took that sequence number first, this one reads the digests written since, drops
//    what they list, and chains on to them (a transaction that met another on the same
//    item, with nothing written since, is sent again after a pause);
// 3. after each digest, rewrites its entries without the mark (batch puts of the items
//    as read), so they leave the index, and marks the digest's clearing item cleared
//    (`clearedAt`, the seal's `at`);
// 4. tidies the clearing items it read: deletes those cleared more than
//    AUDIT_CLEARING_GRACE_MS before its `at`, and takes over those its writer left
//    uncleared for longer than that (a seal that stopped between its digest and the
//    clearing): reads their entries from the table (consistent), clears the marked ones,
//    marks the item cleared.
//
// Why the clearing items: the head alone does not say which digests may still have
// marked entries. A seal may write digest N and, before it clears N's entries, another
// seal (holding an older head) chains N+1 after it; a third seal then reads head N+1 and
// N's entries still marked. And GSI2 is eventually consistent: shortly after a seal
// cleared entries it can still show them as marked, when their digest is no longer the
// head. Either way the digest has a clearing item (uncleared, or cleared within the grace
// period), read before the marked entries, so the third seal only clears them.
//
// A crash anywhere leaves either marked entries (sealed next time) or marked entries
// that a digest lists (cleared next time); never an entry sealed twice by one seal or
// seals racing, as long as GSI2 shows a change within the grace period. Entries of a
// large import still being written (its marker held) wait for the next seal, so an import
// that fails and is undone leaves nothing sealed.
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import { z } from 'zod';
import { AuditDigest, buildDigest, DIGEST_MAX_ENTRIES, digestChunkLength, entryHash, verifyChain, type AuditVerification, type SealResult, type VerifyOptions } from '../../domain/audit/chain.ts';
import { ConflictError } from '../../errors.ts';
import type { SealOptions } from '../../usecases/ports.ts';
import type { Store } from './client.ts';
import { batchGetAll, batchWriteAll, queryAll, queryPages } from './batch.ts';
import { isConditionFailure, isTransactionConflict, writtenIf } from './conditions.ts';
import { auditDigestSk, INDEX, keys, withoutKeys } from './keys.ts';

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

/** A digest whose entries may still show as marked in GSI2: put with the digest, marked cleared once its entries are, deleted after the grace period. */
const AuditClearing = z.object({
  seq: z.number().int().positive(),
  /** The digest's sealedAt: when the seal that writes it, and clears its entries, began. */
  sealedAt: z.string(),
  sealedBy: z.string(),
  /** The SKs of the digest's first and last entries (it lists them in SK order): a marked entry outside them is not the digest's, so the digest need not be read. */
  first: z.string().optional(),
  last: z.string().optional(),
  /** When its entries were all rewritten without the mark (the `at` of the seal that did it); absent until then. */
  clearedAt: z.string().optional(),
});
type AuditClearing = z.infer<typeof AuditClearing>;

const clearingEntity = {
  toItem: (d: AuditDigest): Item => ({
    ...keys.auditClearing(d.orgId, d.seq),
    type: 'audit-clearing',
    seq: d.seq,
    sealedAt: d.sealedAt,
    sealedBy: d.sealedBy,
    first: d.entries[0]?.[0],
    last: d.entries.at(-1)?.[0],
  }),
  fromItem: (item: Item): AuditClearing => {
    const parsed = AuditClearing.safeParse(withoutKeys(item));
    if (!parsed.success) throw new ConflictError(`audit clearing item ${String(item.SK)} of ${String(item.PK)} is not one any more`);
    return parsed.data;
  },
};

/**
 * How long a digest's clearing item is kept after its entries were cleared, and how long a
 * digest's entries are left to the seal that wrote it before another seal clears them. GSI2
 * is eventually consistent: an entry rewritten without its mark can still show in the index
 * as marked until the change has propagated (normally well under a second; this is the bound
 * the design assumes), and a seal that knew no digest listing it would seal it again. The
 * time is the `at` of seals (when each began), so it also covers a seal's own length.
 */
export const AUDIT_CLEARING_GRACE_MS = 15 * 60_000;

/** Writes each batch of cleared entries this many at once. */
const CLEAR_CONCURRENCY = 8;

/** Times in a row a digest's transaction may meet another on the same item (TransactionConflict) before the seal gives up. */
const MAX_CONFLICTS = 8;

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

/** The digests of these sequence numbers that are in the table, in no order (consistent). */
async function digestsNumbered(store: Store, orgId: string, seqs: readonly number[]): Promise<AuditDigest[]> {
  const items = await batchGetAll(store, seqs.map((seq) => keys.auditDigest(orgId, seq)), { consistent: true });
  return items.map(digestEntity.fromItem);
}

/** Whether one of `sks` (sorted) is within the clearing item's digest's first and last SKs (an item without them may hold any). */
function holdsOneOf(sks: readonly string[], c: AuditClearing): boolean {
  if (c.first === undefined || c.last === undefined) return true;
  let lo = 0;
  let hi = sks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sks[mid]! < c.first) lo = mid + 1;
    else hi = mid;
  }
  return lo < sks.length && sks[lo]! <= c.last;
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

/** The clearing items, in order (consistent: a digest put before this read has its item here until its grace period is over). */
async function clearingItems(store: Store, orgId: string): Promise<AuditClearing[]> {
  const items = await queryAll<Item>(store, { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.auditClearingPartition(orgId) }, ConsistentRead: true });
  return items.map(clearingEntity.fromItem);
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

/** Puts the digest (once: attribute_not_exists) and its clearing item, together or not at all. */
async function putDigest(store: Store, digest: AuditDigest): Promise<void> {
  await store.doc.send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: store.table, Item: digestEntity.toItem(digest), ConditionExpression: 'attribute_not_exists(PK)' } },
        { Put: { TableName: store.table, Item: clearingEntity.toItem(digest) } },
      ],
    }),
  );
}

/** Marks a digest's clearing item cleared at `at`: never recreates one deleted, never moves its time back. */
async function markCleared(store: Store, orgId: string, seq: number, at: string): Promise<void> {
  await writtenIf(
    store.doc.send(
      new UpdateCommand({
        TableName: store.table,
        Key: keys.auditClearing(orgId, seq),
        UpdateExpression: 'SET clearedAt = :at',
        ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(clearedAt) OR clearedAt < :at)',
        ExpressionAttributeValues: { ':at': at },
      }),
    ),
  );
}

/** Milliseconds from `earlier` to `later` (ISO-8601); NaN when either is not a time, so no comparison holds. */
const elapsed = (earlier: string, later: string) => Date.parse(later) - Date.parse(earlier);

/**
 * The clearing items read at the start of a seal (`at`): deletes those cleared more than the grace period
 * before, and takes over those left uncleared for longer than that (their seal stopped, or is still clearing
 * after a long while): their entries read from the table, the marked ones cleared, the item marked.
 */
async function tidyClearing(store: Store, orgId: string, clearing: readonly AuditClearing[], read: ReadonlyMap<number, AuditDigest>, at: string): Promise<void> {
  const expired = clearing.filter((c) => c.clearedAt !== undefined && elapsed(c.clearedAt, at) > AUDIT_CLEARING_GRACE_MS);
  await batchWriteAll(store, expired.map((c) => ({ DeleteRequest: { Key: keys.auditClearing(orgId, c.seq) } })));
  const left = clearing.filter((c) => c.clearedAt === undefined && elapsed(c.sealedAt, at) > AUDIT_CLEARING_GRACE_MS);
  const digests = new Map(read);
  for (const d of await digestsNumbered(store, orgId, left.map((c) => c.seq).filter((seq) => !read.has(seq)))) digests.set(d.seq, d);
  for (const c of left) {
    // A digest not in the table has been removed from it: nothing to clear (verify names it).
    const digest = digests.get(c.seq);
    if (digest) {
      const stored = await batchGetAll(store, digest.entries.map(([sk]) => ({ PK: keys.auditPartition(orgId), SK: sk })), { consistent: true });
      await clearMarks(store, stored);
    }
    await markCleared(store, orgId, c.seq, at);
  }
}

/** Seals what was written since the last seal; returns the chain's head (also when nothing was new). */
export async function sealAuditTrail(store: Store, orgId: string, actor: string, options: SealOptions): Promise<SealResult> {
  // Entries first, then the import marker: an entry seen here whose import is still being written finds its marker.
  let head: AuditDigest | undefined;
  const covered = new Set<string>();
  const read = new Map<number, AuditDigest>();
  const cover = (ds: readonly AuditDigest[]) => {
    for (const d of ds) {
      read.set(d.seq, d);
      for (const [sk] of d.entries) covered.add(sk);
    }
  };
  let clearing: AuditClearing[];
  let candidates: Item[];
  if (options.adopt) {
    candidates = await allEntries(store, orgId);
    const all = await auditDigests(store, orgId);
    clearing = await clearingItems(store, orgId);
    cover(all);
    head = all.at(-1);
  } else {
    // The head, then the clearing items, before the entries; then every digest from the lowest
    // of those items or the head on. A marked entry that a digest already lists is then in one
    // of them: a digest put after the head was read comes after the head; one before it still
    // has its clearing item while its entries may show as marked (not cleared yet, as when a
    // seal chained on past a digest another had not cleared; or cleared so lately that the
    // index may still show them). The head alone missed those, and they were sealed twice.
    // Only what a marked entry could be listed by is read: with nothing marked, no digest
    // but the head; of the digests before the head, those whose clearing item's range of
    // SKs holds a marked entry (every digest within the grace period was read before, about
    // 28 read units each: 2,753 for a seal with nothing new after one of 100,000 entries).
    const before = await headDigest(store, orgId);
    clearing = await clearingItems(store, orgId);
    candidates = await markedEntries(store, orgId, options.maxEntries);
    head = before;
    if (before) cover([before]);
    if (candidates.length > 0) {
      const since = await digestsAfter(store, orgId, before?.seq ?? 0);
      cover(since);
      head = since.at(-1) ?? before;
      const sks = candidates.map((e) => String(e.SK)).sort();
      cover(await digestsNumbered(store, orgId, clearing.filter((c) => !read.has(c.seq) && holdsOneOf(sks, c)).map((c) => c.seq)));
    }
  }
  const importing = await importInFlight(store, orgId);
  if (importing !== undefined) candidates = candidates.filter((e) => e.at !== importing);

  const toClear: Item[] = candidates.filter((e) => covered.has(String(e.SK)));
  let pending = candidates.filter((e) => !covered.has(String(e.SK))).sort((a, b) => (String(a.SK) < String(b.SK) ? -1 : 1));
  if (options.maxEntries !== undefined) pending = pending.slice(0, options.maxEntries);
  let sealed = 0;
  let conflicts = 0;
  let i = 0;
  while (i < pending.length) {
    const n = digestChunkLength(pending.slice(i, i + DIGEST_MAX_ENTRIES).map((e) => String(e.SK)));
    const chunk = pending.slice(i, i + n);
    const digest = buildDigest({ orgId, sealedAt: options.at, sealedBy: actor, previous: head, entries: chunk.map((e) => [String(e.SK), entryHash(e)]) });
    try {
      await putDigest(store, digest);
    } catch (error) {
      if (!isConditionFailure(error) && !isTransactionConflict(error)) throw error;
      // Another seal took this sequence number: chain on after what it (and any other) wrote.
      const newer = await digestsAfter(store, orgId, head?.seq ?? 0);
      if (newer.length === 0) {
        // Nobody did: the transaction met another on the same item (TransactionConflict). Again, after a pause.
        if (++conflicts > MAX_CONFLICTS) throw error;
        await new Promise((r) => setTimeout(r, Math.min(2000, 25 * 2 ** conflicts) * Math.random()));
        continue;
      }
      conflicts = 0;
      cover(newer);
      head = newer.at(-1) ?? head;
      const rest = pending.slice(i);
      toClear.push(...rest.filter((e) => covered.has(String(e.SK))));
      pending = rest.filter((e) => !covered.has(String(e.SK)));
      i = 0;
      continue;
    }
    conflicts = 0;
    head = digest;
    sealed += chunk.length;
    i += n;
    await clearMarks(store, chunk);
    await markCleared(store, orgId, digest.seq, options.at);
  }
  await clearMarks(store, toClear);
  await tidyClearing(store, orgId, clearing, read, options.at);
  return { seq: head?.seq ?? 0, hash: head?.hash ?? null, sealedEntries: sealed };
}

/** Reads the whole trail and every digest (consistent, entries first) and recomputes the chain. The clearing items are bookkeeping of the seal, not read. */
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
