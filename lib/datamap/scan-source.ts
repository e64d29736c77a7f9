// Scans one declared source: reads it within its budget, runs the detectors, and
// turns the counts (per group or channel), the people's jurisdictions and the
// distinct keyed hashes into the source's data-map entry. Nothing raw leaves here.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Source } from '../model/source.ts';
import { readChatTable, readSlackExport, readWhatsAppExport, type ChatMessage } from '../scan/chat-sources.ts';
import { detect, type Detection, type FindingType } from '../scan/detect.ts';
import { keyedHash } from '../scan/mask.ts';
import { scanDynamoTable } from '../scan/dynamodb-source.ts';
import { scanS3Prefix, type S3Sender } from '../scan/s3-source.ts';
import { scanPathsTo } from '../scan/scan-files.ts';
import type { ClassifyThresholdsInput } from './classify.ts';
import { buildSourceEntry, type Coverage, type ScannedSource } from './datamap.ts';

/** Types that point at a person; their keyed hashes count distinct people. */
const PERSONAL: ReadonlySet<FindingType> = new Set(['hk_id', 'cn_resident_id', 'payment_card', 'iban', 'hk_phone', 'cn_phone', 'email']);

class Tally {
  readonly groups = new Map<string, Partial<Record<FindingType, number>>>();
  readonly people = new Map<string, { type: FindingType; country?: string; count: number }>();
  readonly hashes = new Set<string>();

  add(group: string, type: FindingType, country: string | undefined, hash: string | undefined): void {
    const counts = this.groups.get(group) ?? {};
    counts[type] = (counts[type] ?? 0) + 1;
    this.groups.set(group, counts);
    const key = `${type}|${country ?? ''}`;
    const person = this.people.get(key) ?? { type, ...(country ? { country } : {}), count: 0 };
    person.count++;
    this.people.set(key, person);
    if (hash && PERSONAL.has(type)) this.hashes.add(hash);
  }
}

async function sizeOf(target: string): Promise<number> {
  const info = await stat(target);
  if (!info.isDirectory()) return info.size;
  const entries = await readdir(target, { withFileTypes: true, recursive: true });
  let total = 0;
  for (const e of entries) if (e.isFile()) total += (await stat(path.join(e.parentPath, e.name))).size;
  return total;
}

async function scanFilesSource(source: Extract<Source, { kind: 'files' }>, hashKey: string | Uint8Array, tally: Tally): Promise<Coverage> {
  const summary = await scanPathsTo([source.path], { hashKey, ...(source.budgetBytes ? { budgetBytes: source.budgetBytes } : {}) }, (f) =>
    tally.add(path.relative(source.path, f.file) || path.basename(f.file), f.type, f.country, f.hash),
  );
  const scanned = summary.files.filter((f) => f.status === 'scanned');
  const failed = summary.files.filter((f) => f.status === 'failed');
  if (scanned.length === 0) throw new Error(failed[0]?.reason ?? `nothing readable under ${source.path}`);
  return {
    bytesRead: scanned.reduce((n, f) => n + (f.bytesRead ?? 0), 0),
    bytesTotal: scanned.reduce((n, f) => n + (f.bytesTotal ?? 0), 0),
    records: scanned.length,
    truncated: scanned.some((f) => f.truncated),
  };
}

type ChatSource = Extract<Source, { kind: 'whatsapp' | 'slack' | 'chat-table' }>;

async function scanDynamoSource(source: Extract<Source, { kind: 'dynamodb' }>, hashKey: string | Uint8Array, tally: Tally): Promise<Coverage> {
  return scanDynamoTable(
    {
      table: source.table,
      ...(source.region ? { region: source.region } : {}),
      ...(source.endpoint ? { endpoint: source.endpoint } : {}),
      ...(source.groupBy ? { groupBy: source.groupBy } : {}),
      ...(source.budgetRecords ? { budgetRecords: source.budgetRecords } : {}),
      ...(source.budgetBytes ? { budgetBytes: source.budgetBytes } : {}),
    },
    (group, text) => {
      for (const d of detect(text)) tally.add(group, d.type, d.country, keyedHash(hashKey, d));
    },
  );
}

async function scanS3Source(source: Extract<Source, { kind: 's3' }>, hashKey: string | Uint8Array, tally: Tally, client?: S3Sender): Promise<Coverage> {
  const { records, truncated, bytesRead, bytesTotal } = await scanS3Prefix(
    {
      bucket: source.bucket,
      ...(source.prefix ? { prefix: source.prefix } : {}),
      ...(source.region ? { region: source.region } : {}),
      ...(source.encoding ? { encoding: source.encoding } : {}),
      ...(source.budgetRecords ? { budgetRecords: source.budgetRecords } : {}),
      ...(source.budgetBytes ? { budgetBytes: source.budgetBytes } : {}),
      ...(client ? { client } : {}),
    },
    (group, d) => tally.add(group, d.type, d.country, keyedHash(hashKey, d)),
  );
  return { records, truncated, bytesRead, bytesTotal };
}

async function scanChatSource(source: ChatSource, hashKey: string | Uint8Array, tally: Tally): Promise<Coverage> {
  const budget = { ...(source.budgetBytes ? { budgetBytes: source.budgetBytes } : {}), ...(source.budgetRecords ? { budgetRecords: source.budgetRecords } : {}) };
  let messages: AsyncGenerator<ChatMessage>;
  switch (source.kind) {
    case 'whatsapp':
      messages = readWhatsAppExport(source.path, { ...budget, ...(source.group ? { group: source.group } : {}), ...(source.encoding ? { encoding: source.encoding } : {}) });
      break;
    case 'slack':
      messages = readSlackExport(source.path, budget);
      break;
    case 'chat-table':
      messages = readChatTable(source.path, { ...budget, ...(source.columns ? { columns: source.columns } : {}), ...(source.encoding ? { encoding: source.encoding } : {}) });
      break;
  }
  let records = 0;
  for await (const message of messages) {
    records++;
    for (const d of detect(message.text) as Detection[]) tally.add(message.group, d.type, d.country, keyedHash(hashKey, d));
  }
  const total = await sizeOf(source.path);
  const truncated = (source.budgetRecords !== undefined && records >= source.budgetRecords) || (source.budgetBytes !== undefined && total > source.budgetBytes);
  return { bytesRead: truncated && source.budgetBytes ? Math.min(total, source.budgetBytes) : total, bytesTotal: total, records, truncated };
}

export interface ScanSourceClients {
  /** The S3 client (tests inject a fake); default an S3Client for the source's region. */
  s3?: S3Sender;
}

export async function scanSource(
  source: Source,
  hashKey: string | Uint8Array,
  clients: ScanSourceClients = {},
  thresholds: ClassifyThresholdsInput = {},
): Promise<ScannedSource> {
  const tally = new Tally();
  let coverage: Coverage;
  switch (source.kind) {
    case 'files':
      coverage = await scanFilesSource(source, hashKey, tally);
      break;
    case 'dynamodb':
      coverage = await scanDynamoSource(source, hashKey, tally);
      break;
    case 's3':
      coverage = await scanS3Source(source, hashKey, tally, clients.s3);
      break;
    default:
      coverage = await scanChatSource(source, hashKey, tally);
  }
  return buildSourceEntry({
    id: source.id,
    platform: source.platform,
    storage: source.storage,
    ...(source.transferBasis ? { transferBasis: source.transferBasis } : {}),
    groups: [...tally.groups].sort(([a], [b]) => a.localeCompare(b)).map(([group, counts]) => ({ group, counts })),
    distinctPeople: tally.hashes.size,
    people: tally.people.values(),
    coverage,
  }, thresholds);
}
