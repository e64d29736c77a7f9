// Scans one declared source: reads it within its budget, runs the detectors, and
// turns the counts (per group or channel), the people's jurisdictions and the
// distinct keyed hashes into the source's data-map entry. Nothing raw leaves here.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Source } from '../../domain/org/source.ts';
import type { ChatMessage } from '../../adapters/sources/chat-message.ts';
import { readChatTable } from '../../adapters/sources/chat-table.ts';
import { readSlackExport } from '../../adapters/sources/slack-export.ts';
import { readWhatsAppExport } from '../../adapters/sources/whatsapp-export.ts';
import { detect, type Detection, type FindingType } from '../../domain/detect/detect.ts';
import { keyedHash } from '../../domain/detect/mask.ts';
import { scanDynamoTable } from '../../adapters/sources/dynamodb-source.ts';
import { scanS3Prefix, type S3Sender } from '../../adapters/sources/s3-source.ts';
import { scanPathsTo } from '../../adapters/sources/scan-files.ts';
import type { ClassifyThresholdsInput } from '../../domain/datamap/classify.ts';
import { buildSourceEntry, type Coverage, type ScannedSource } from '../../domain/datamap/datamap.ts';

/** Types that point at a person; their keyed hashes count distinct people. */
const PERSONAL: ReadonlySet<FindingType> = new Set(['hk_id', 'cn_resident_id', 'payment_card', 'iban', 'hk_phone', 'cn_phone', 'email']);

/** Counts per group, people per jurisdiction, and distinct keyed hashes: all a data map keeps. */
class Tally {
  readonly groups = new Map<string, Partial<Record<FindingType, number>>>();
  readonly people = new Map<string, { type: FindingType; country?: string; count: number }>();
  readonly hashes = new Set<string>();
  private readonly hashKey: string | Uint8Array;

  constructor(hashKey: string | Uint8Array) {
    this.hashKey = hashKey;
  }

  /** Runs the detectors over one piece of text that belongs to `group`. */
  scan(group: string, text: string): void {
    for (const d of detect(text)) this.detection(group, d);
  }

  detection(group: string, d: Detection): void {
    this.add(group, { type: d.type, country: d.country, hash: PERSONAL.has(d.type) ? keyedHash(this.hashKey, d) : undefined });
  }

  /** One finding, as the detectors or the file scanner (which hashes already) report it. */
  add(group: string, f: { type: FindingType; country?: string | undefined; hash?: string | undefined }): void {
    const counts = this.groups.get(group) ?? {};
    counts[f.type] = (counts[f.type] ?? 0) + 1;
    this.groups.set(group, counts);
    const key = `${f.type}|${f.country ?? ''}`;
    const person = this.people.get(key) ?? { type: f.type, ...(f.country ? { country: f.country } : {}), count: 0 };
    person.count++;
    this.people.set(key, person);
    if (f.hash && PERSONAL.has(f.type)) this.hashes.add(f.hash);
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
  const summary = await scanPathsTo([source.path], { hashKey, budgetBytes: source.budgetBytes }, (f) => tally.add(path.relative(source.path, f.file) || path.basename(f.file), f));
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

async function scanChatSource(source: ChatSource, tally: Tally): Promise<Coverage> {
  // A source declaration names its options as the readers do (budgets, encoding, group, columns).
  const messages: AsyncGenerator<ChatMessage> =
    source.kind === 'whatsapp' ? readWhatsAppExport(source.path, source) : source.kind === 'slack' ? readSlackExport(source.path, source) : readChatTable(source.path, source);
  let records = 0;
  for await (const message of messages) {
    records++;
    tally.scan(message.group, message.text);
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
  const tally = new Tally(hashKey);
  const scanText = (group: string, text: string) => tally.scan(group, text);
  let coverage: Coverage;
  switch (source.kind) {
    case 'files':
      coverage = await scanFilesSource(source, hashKey, tally);
      break;
    case 'dynamodb':
      coverage = await scanDynamoTable(source, scanText);
      break;
    case 's3': {
      const { records, truncated, bytesRead, bytesTotal } = await scanS3Prefix({ ...source, ...(clients.s3 ? { client: clients.s3 } : {}) }, (group, d) => tally.detection(group, d));
      coverage = { records, truncated, bytesRead, bytesTotal };
      break;
    }
    default:
      coverage = await scanChatSource(source, tally);
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
