// A one-off clean-up of what earlier versions stored: data maps kept group names,
// failure reasons and file names as written, and run records and audit entries kept
// error messages that could quote a path or a header. Every string in those items is
// redacted again (redaction is idempotent, so a second clean-up changes nothing), and a
// data map kept as one item is rewritten in the current layout (a header and a
// partition of entries). A group's keyed hash cannot be made afresh, since the raw
// name was never kept by the versions that stored it; the next scan writes it.
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { redact, redactName } from '../../domain/detect/redact.ts';
import { DataMap, DataMapDiff, SourceEntry } from '../../domain/datamap/datamap.ts';
import type { Store } from './client.ts';
import { appendAudit } from './audit.ts';
import { queryAll } from './batch.ts';
import { putDataMap } from './datamap-store.ts';
import { keys, PREFIX } from './keys.ts';

type Item = Record<string, unknown>;

/**
 * Every string inside `value`, redacted; keys of the table and ids are left alone (they
 * name no one). A `group` is a name: a bare phone number in it is masked too (redactName).
 */
export function redactStrings(value: unknown): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map(redactStrings);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'group' && typeof v === 'string' ? redactName(v) : redactStrings(v)]));
  return value;
}

const KEY_FIELDS = new Set(['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'GSI3PK', 'GSI3SK', 'type', 'orgId', 'id', 'scanId', 'name', 'kind', 'actor', 'subject', 'event', 'at']);

function redactItem(item: Item): Item {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, KEY_FIELDS.has(k) ? v : redactStrings(v)]));
}

export interface RedactStoredSummary {
  orgId: string;
  runs: number;
  auditEntries: number;
  dataMapItems: number;
  /** Data maps kept as one item by earlier versions, now in the current layout. */
  dataMapsRewritten: number;
}

export async function redactStored(store: Store, orgId: string, at: string): Promise<RedactStoredSummary> {
  const summary: RedactStoredSummary = { orgId, runs: 0, auditEntries: 0, dataMapItems: 0, dataMapsRewritten: 0 };
  const rewrite = async (items: Item[], count: keyof Omit<RedactStoredSummary, 'orgId' | 'dataMapsRewritten'>) => {
    for (const item of items) {
      const clean = redactItem(item);
      if (JSON.stringify(clean) === JSON.stringify(item)) continue;
      await store.doc.send(new PutCommand({ TableName: store.table, Item: clean }));
      summary[count]++;
    }
  };
  const prefix = (pk: string, sk?: string) =>
    queryAll<Item>(store, sk
      ? { KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)', ExpressionAttributeValues: { ':pk': pk, ':sk': sk } }
      : { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': pk } });

  await rewrite(await prefix(keys.orgPartition(orgId), PREFIX.run), 'runs');
  await rewrite(await prefix(keys.auditPartition(orgId)), 'auditEntries');

  for (const header of await prefix(keys.orgPartition(orgId), PREFIX.dataMap)) {
    if (header.dataMap) {
      // One item holding the whole map (earlier versions): redact it and write it in the current layout.
      const old = redactStrings(header.dataMap) as Item;
      const map = DataMap.parse({ ...old, sources: (old.sources as unknown[]).map((s) => SourceEntry.parse(s)) });
      await store.doc.send(new DeleteCommand({ TableName: store.table, Key: { PK: header.PK, SK: header.SK } }));
      await putDataMap(store, map, DataMapDiff.parse(redactStrings(header.diff)), at, { audit: false });
      summary.dataMapsRewritten++;
      continue;
    }
    await rewrite([header], 'dataMapItems');
    await rewrite(await prefix(keys.dataMapPartition(orgId, String(header.scanId))), 'dataMapItems');
  }
  const changed = summary.runs + summary.auditEntries + summary.dataMapItems + summary.dataMapsRewritten;
  if (changed > 0) await appendAudit(store, { orgId, at, event: 'stored.redacted', subject: keys.orgPartition(orgId), actor: 'redact-stored', detail: { ...summary } });
  return summary;
}
