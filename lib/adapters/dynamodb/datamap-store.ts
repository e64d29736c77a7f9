// Data maps in the table. A scan's map is a header in the organisation's partition
// (when it ran, which sources, the change since the previous scan), sorted by scan id
// (which names the period) so the history is a range read and the previous map is the
// one just before; and a partition of its own holding one item per source's entry,
// its groups in chunks right after it. So a source with thousands of groups, or an
// organisation with thousands of sources, stays within DynamoDB's 400 KB per item,
// and each scan step writes its own entry instead of handing it to Step Functions.
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { DataMap, DataMapDiff, SourceEntry, type GroupEntry, type StoredDataMap } from '../../domain/datamap/datamap.ts';
import type { Store } from './client.ts';
import { appendAudit } from './audit.ts';
import { batchWriteAll, lastWithPrefix, queryAll } from './batch.ts';
import { keys, PREFIX } from './keys.ts';

/** Groups per chunk item: a group entry is a few hundred bytes, so a chunk stays far below 400 KB. */
const GROUPS_PER_CHUNK = 500;

const Header = z.object({ orgId: z.string(), scanId: z.string(), scannedAt: z.string(), sourceIds: z.array(z.string()), diff: DataMapDiff });
type Header = z.infer<typeof Header>;

const sourceEntity = {
  /** The entry without its groups, then its groups in chunks. */
  toItems(orgId: string, scanId: string, entry: SourceEntry): Record<string, unknown>[] {
    const groups = entry.status === 'scanned' ? entry.groups : [];
    const chunks: GroupEntry[][] = [];
    for (let i = 0; i < groups.length; i += GROUPS_PER_CHUNK) chunks.push(groups.slice(i, i + GROUPS_PER_CHUNK));
    const { groups: _groups, ...rest } = entry as SourceEntry & { groups?: unknown };
    return [
      { ...keys.dataMapSource(orgId, scanId, entry.id), type: 'datamap-source', entry: rest, groupChunks: chunks.length },
      ...chunks.map((chunk, n) => ({ ...keys.dataMapGroups(orgId, scanId, entry.id, n), type: 'datamap-groups', groups: chunk })),
    ];
  },
  /** Entries put back together from a partition's items (an entry first, then its chunks). */
  fromItems(items: Record<string, unknown>[]): Map<string, SourceEntry> {
    const entries = new Map<string, SourceEntry>();
    let current: { entry: Record<string, unknown>; groups: unknown[]; chunks: number } | undefined;
    const flush = () => {
      if (!current) return;
      const entry = current.entry.status === 'scanned' ? { ...current.entry, groups: current.groups } : current.entry;
      const parsed = SourceEntry.parse(entry);
      entries.set(parsed.id, parsed);
    };
    for (const item of items) {
      if (item.type === 'datamap-source') {
        flush();
        current = { entry: item.entry as Record<string, unknown>, groups: [], chunks: Number(item.groupChunks ?? 0) };
      } else if (item.type === 'datamap-groups' && current && Number(String(item.SK).slice(-5)) < current.chunks) {
        current.groups.push(...(item.groups as unknown[]));
      }
    }
    flush();
    return entries;
  },
};

/** Writes (or, for a retried step, rewrites) one source's entry of one scan. */
export async function putSourceEntry(store: Store, orgId: string, scanId: string, entry: SourceEntry): Promise<void> {
  await batchWriteAll(store, sourceEntity.toItems(orgId, scanId, entry).map((Item) => ({ PutRequest: { Item } })));
}

async function readEntries(store: Store, orgId: string, scanId: string): Promise<Map<string, SourceEntry>> {
  const items = await queryAll<Record<string, unknown>>(store, {
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.dataMapPartition(orgId, scanId) },
  });
  return sourceEntity.fromItems(items);
}

/** The entries of one scan, for the sources named (in that order); a missing one is left out. */
export async function sourceEntries(store: Store, orgId: string, scanId: string, sourceIds: readonly string[]): Promise<SourceEntry[]> {
  const entries = await readEntries(store, orgId, scanId);
  return sourceIds.flatMap((id) => (entries.has(id) ? [entries.get(id)!] : []));
}

/** A header, or a whole map kept as one item by earlier versions (until `compliance redact-stored` rewrites it). */
function readHeader(item: Record<string, unknown>): Header | StoredDataMap {
  return item.dataMap ? ({ dataMap: DataMap.parse(item.dataMap), diff: DataMapDiff.parse(item.diff) } satisfies StoredDataMap) : Header.parse(item);
}

async function assemble(store: Store, header: Header | StoredDataMap): Promise<StoredDataMap> {
  if ('dataMap' in header) return header;
  const sources = await sourceEntries(store, header.orgId, header.scanId, header.sourceIds);
  return { dataMap: DataMap.parse({ orgId: header.orgId, scanId: header.scanId, scannedAt: header.scannedAt, sources }), diff: header.diff };
}

/** Writes one scan's whole map, entries and header (the scan steps write their entries themselves). */
export async function putDataMap(store: Store, dataMap: DataMap, diff: DataMapDiff, at: string, options: { audit?: boolean } = {}): Promise<void> {
  await batchWriteAll(store, dataMap.sources.flatMap((s) => sourceEntity.toItems(dataMap.orgId, dataMap.scanId, s)).map((Item) => ({ PutRequest: { Item } })));
  await putDataMapHeader(store, dataMap, diff, at, options);
}

/**
 * Writes (or, for a re-run of the same scan, rewrites) the header that makes a scan's
 * map, whose entries are written, the latest; notes it in the audit trail.
 */
export async function putDataMapHeader(store: Store, dataMap: DataMap, diff: DataMapDiff, at: string, options: { audit?: boolean } = {}): Promise<void> {
  const key = keys.dataMap(dataMap.orgId, dataMap.scanId);
  const header: Header = { orgId: dataMap.orgId, scanId: dataMap.scanId, scannedAt: dataMap.scannedAt, sourceIds: dataMap.sources.map((s) => s.id), diff };
  await store.doc.send(new PutCommand({ TableName: store.table, Item: { ...key, type: 'datamap', ...header } }));
  if (options.audit !== false) await appendAudit(store, { orgId: dataMap.orgId, at, event: 'datamap.stored', subject: key.SK, actor: dataMap.scanId, detail: { ...diff } });
}

/** The latest data map before `scanId` (or the latest of all). */
export async function previousDataMap(store: Store, orgId: string, scanId?: string): Promise<DataMap | undefined> {
  const result = await store.doc.send(
    new QueryCommand({
      TableName: store.table,
      KeyConditionExpression: scanId ? 'PK = :pk AND SK BETWEEN :from AND :before' : 'PK = :pk AND begins_with(SK, :from)',
      ExpressionAttributeValues: { ':pk': keys.orgPartition(orgId), ':from': PREFIX.dataMap, ...(scanId ? { ':before': keys.dataMap(orgId, scanId).SK } : {}) },
      ScanIndexForward: false,
      Limit: 2,
    }),
  );
  const header = (result.Items ?? []).map(readHeader).find((h) => ('dataMap' in h ? h.dataMap.scanId : h.scanId) !== scanId);
  return header ? (await assemble(store, header)).dataMap : undefined;
}

/** When the latest scan's map was made, from its header alone (the entries are not read). */
export async function latestDataMapHeader(store: Store, orgId: string): Promise<{ scanId: string; scannedAt: string } | undefined> {
  const item = await lastWithPrefix(store, keys.orgPartition(orgId), PREFIX.dataMap);
  if (!item) return undefined;
  const header = readHeader(item);
  const { scanId, scannedAt } = 'dataMap' in header ? header.dataMap : header;
  return { scanId, scannedAt };
}

export async function dataMapHistory(store: Store, orgId: string): Promise<StoredDataMap[]> {
  const items = await queryAll<Record<string, unknown>>(store, {
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.orgPartition(orgId), ':prefix': PREFIX.dataMap },
  });
  return Promise.all(items.map((i) => assemble(store, readHeader(i))));
}

/** The per-group detail of one source in one scan's map, read without the rest of the map. */
export async function dataMapGroups(store: Store, orgId: string, scanId: string, sourceId: string): Promise<GroupEntry[]> {
  const from = keys.dataMapSource(orgId, scanId, sourceId);
  // Source ids are [a-z0-9-], all after '#': the range holds this entry and its chunks only.
  const items = await queryAll<Record<string, unknown>>(store, {
    KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': from.PK, ':from': from.SK, ':to': `${from.SK}#\uffff` },
  });
  const entry = sourceEntity.fromItems(items).get(sourceId);
  return entry?.status === 'scanned' ? entry.groups : [];
}
